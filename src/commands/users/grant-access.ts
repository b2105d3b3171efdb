import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'

import {AccessCommand, accessFlags, userSourceFlags} from '../../lib/access-command.js'
import type {RunReport} from '../../lib/engine/operation.js'
import {CONFLUENCE_ROLES} from '../../lib/domain.js'
import {readUserInputs} from '../../lib/access/principals.js'
import {resolveUsers} from '../../lib/access/resolve-users.js'
import {grantAccess} from '../../lib/access/grant-access.js'

export default class UsersGrantAccess extends AccessCommand {
  static override summary = 'Give users a Confluence role on the site: user, admin or user-access-admin.'

  static override description = `With an Admin API key: an Admin API role assignment on the site's resource ARI, after checking the user's existing assignments. \
Without one: membership of the site's default group for the role (confluence-users-<site>, confluence-admins-<site>, confluence-user-access-admins-<site>); \
where the site renamed them or has the old confluence-users, the group that gives that Confluence access (user, admin) is used, and named. \
Users can be emails or account IDs; emails need an Admin API key or --map export-users.csv.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> crawler@acme.example --role user',
    {
      description: 'Account IDs from a file, as Confluence admins, plan only',
      command: '<%= config.bin %> <%= command.id %> --file admins.csv --role admin --dry-run',
    },
  ]

  static override strict = false
  static override args = {users: Args.string({description: 'emails or account IDs (- reads them from stdin)'})}

  static override flags = {
    ...accessFlags,
    ...userSourceFlags,
    role: Flags.option({
      default: 'user' as const,
      description: 'the Confluence role to give',
      options: CONFLUENCE_ROLES,
    })(),
  }

  public async run(): Promise<RunReport> {
    const {argv, flags} = await this.parse(UsersGrantAccess)
    const inputs = await readUserInputs(argv as string[], flags.file)
    const context = await this.accessContext(flags)
    const users = await resolveUsers(inputs, context, flags.map)
    return this.finishRun(await grantAccess(users, flags.role, context, this.runControls(flags)), flags, ['user'])
  }
}
