import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'

import {AccessCommand, accessFlags, userSourceFlags} from '../../lib/access-command.js'
import type {RunReport} from '../../lib/engine/operation.js'
import {badInput} from '../../lib/errors.js'
import {RECOMMENDED_KEYS} from '../../lib/domain.js'
import {readUserInputs} from '../../lib/access/principals.js'
import {resolveUsers} from '../../lib/access/resolve-users.js'
import {addMembers} from '../../lib/access/add-members.js'

export default class GroupsAddMembers extends AccessCommand {
  static override summary = 'Add users to groups, by name or as recommended Confluence groups.'

  static override description = `Members already in a group are reported as "already". --recommended users,user-access-admins,admins,org-admins \
names the recommended groups without the site suffix. A missing group is an error naming it, unless --create creates it first. \
Refusals Atlassian documents (a group synced from an identity provider, no licence left, a user outside the group's directory) are explained. \
Through the Admin API with an Admin key in the profile, else through Confluence.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> --recommended users --user crawler@acme.example',
    {
      description: 'Create a group for the crawler and add two users to it',
      command:
        '<%= config.bin %> <%= command.id %> crawlers --create --user crawler@acme.example --user 712020:0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9',
    },
    {
      description: 'Members from a file, plan only',
      command: '<%= config.bin %> <%= command.id %> confluence-users-acme --file members.csv --dry-run',
    },
  ]

  static override strict = false
  static override args = {groups: Args.string({description: 'group names'})}

  static override flags = {
    ...accessFlags,
    user: Flags.string({
      char: 'u',
      description: 'an email or account ID to add (repeatable; - reads stdin)',
      multiple: true,
    }),
    ...userSourceFlags,
    recommended: Flags.string({
      description: `recommended groups by keyword, comma-separated: ${RECOMMENDED_KEYS.join(',')}`,
    }),
    create: Flags.boolean({description: 'create a group that does not exist yet'}),
  }

  public async run(): Promise<RunReport> {
    const {argv, flags} = await this.parse(GroupsAddMembers)
    // Checked before any request, like the users.
    const keywords = (flags.recommended ?? '')
      .split(',')
      .map((k) => k.trim())
      .filter(Boolean)
    const unknown = keywords.filter((k) => !(RECOMMENDED_KEYS as readonly string[]).includes(k))
    if (unknown.length > 0)
      throw badInput(
        'RECOMMENDED_UNKNOWN',
        `Not a recommended group: ${unknown.join(', ')}.`,
        `Use ${RECOMMENDED_KEYS.join(', ')}.`,
      )
    if (argv.length + keywords.length === 0)
      throw badInput('GROUPS_MISSING', 'Which groups?', 'Name them as arguments, or use --recommended users,admins.')
    const inputs = await readUserInputs(flags.user ?? [], flags.file)
    const context = await this.accessContext(flags)
    const users = await resolveUsers(inputs, context, flags.map)
    return this.finishRun(
      await addMembers(
        argv as string[],
        users,
        flags.create,
        context,
        this.runControls(flags),
        keywords as Array<(typeof RECOMMENDED_KEYS)[number]>,
      ),
      flags,
      ['group', 'user'],
    )
  }
}
