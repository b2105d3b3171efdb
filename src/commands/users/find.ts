import * as Args from '@oclif/core/args'

import {directoryFlag, userSourceFlags} from '../../lib/access-command.js'
import {BaseCommand, profileFlag} from '../../lib/command.js'
import {ExitCode} from '../../lib/errors.js'
import {findUsers, type FoundUser} from '../../lib/access/find-users.js'
import {readUserInputs} from '../../lib/access/principals.js'
import {resolveUsers} from '../../lib/access/resolve-users.js'
import {renderTable} from '../../lib/output.js'

export interface UsersFindResult {
  users: FoundUser[]
}

export default class UsersFind extends BaseCommand<UsersFindResult> {
  static override summary = 'Show account ID, name, email (when visible), status, kind and groups of users.'

  static override description = `Kind says whether an account is a service account (an email at serviceaccount.atlassian.com, or the \
directory's account type when it names one); --json gives "serviceAccount": true for those.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> ada@acme.example 712020:0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9',
    {
      description: 'Emails without an Admin API key, through a user export',
      command: '<%= config.bin %> <%= command.id %> ada@acme.example --map export-users.csv --json',
    },
  ]

  static override strict = false
  static override args = {users: Args.string({description: 'emails or account IDs (- reads them from stdin)'})}

  static override flags = {
    ...userSourceFlags,
    profile: profileFlag,
    directory: directoryFlag,
  }

  public async run(): Promise<UsersFindResult> {
    const {argv, flags} = await this.parse(UsersFind)
    const inputs = await readUserInputs(argv as string[], flags.file)
    const context = await this.deps().accessContext({directoryId: flags.directory})
    const resolved = await resolveUsers(inputs, context, flags.map, {missingServiceAccounts: 'report'})
    const users = await findUsers(resolved, context)
    this.log(
      renderTable(users, [
        {get: (u) => u.input, header: 'User'},
        {get: (u) => u.accountId, header: 'Account ID'},
        {get: (u) => u.name, header: 'Name'},
        {get: (u) => u.email ?? (u.accountId ? '(hidden)' : ''), header: 'Email'},
        {get: (u) => u.status, header: 'Status'},
        {get: (u) => (u.serviceAccount ? 'service account' : u.accountId ? 'user' : ''), header: 'Kind'},
        {get: (u) => u.reason ?? u.groups?.join(', '), header: 'Groups'},
      ]),
    )
    if (users.some((u) => u.reason)) process.exitCode = ExitCode.partial
    return {users}
  }
}
