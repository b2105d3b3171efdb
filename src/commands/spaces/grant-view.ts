import * as Flags from '@oclif/core/flags'

import {
  AccessCommand,
  accessFlags,
  adminKeyFlag,
  allSpacesFlag,
  includeArchivedFlag,
  spaceTypeFlag,
  userSourceFlags,
} from '../../lib/access-command.js'
import type {RunReport} from '../../lib/engine/operation.js'
import {badInput} from '../../lib/errors.js'
import {readUserInputs} from '../../lib/access/principals.js'
import {resolveUsers} from '../../lib/access/resolve-users.js'
import {grantView} from '../../lib/access/grant-view.js'
import {checkSpaceKeys, spaceChoiceSummary} from '../../lib/access/spaces.js'

export default class SpaceGrantView extends AccessCommand {
  /** The topic's singular form, from before topics were made plural: what users typed keeps working. */
  static override hiddenAliases = ['space:grant-view']
  static override journalName = 'space:grant-view'
  static override summary = 'Grant View (read space) on spaces to users or groups, changing only what is missing.'

  static override description = `The site's space role mode decides how View is given: on a site with space roles (ROLES), the Viewer role \
(or the role --role names); on a classic site (PRE_ROLES), the individual View permission (v1, one per request); in ROLES_TRANSITION, the \
individual permission to a principal that already has custom access and the role to the others. A site that refuses individual \
permissions switches the run to roles (said once). Each space's permissions and role assignments are read first and only what is \
missing is added, so a re-run changes nothing; a principal holding any role on a space already can view it, and its role is never \
replaced. The report names the route each grant took (role Viewer, permission). Unknown space keys and groups fail their own items; \
the rest go on. Giving access on a space needs its Admin permission (or the right to manage its roles), which a site admin does not \
have on every space: such a space fails its own items with the fix (exit 3), and on Premium and Enterprise --admin-key reaches it. \
--all-spaces takes the global, collaboration and knowledge_base spaces the login can see (--type names others; archived ones only \
with --include-archived) and says what it left out.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> --space ENG --space HR --group crawlers',
    {
      description: 'Every space teams work in (global, collaboration, knowledge base), to a user, plan only',
      command: '<%= config.bin %> <%= command.id %> --all-spaces --user crawler@acme.example --dry-run',
    },
    {
      description: 'On a site with space roles, a custom read-only role instead of Viewer',
      command:
        '<%= config.bin %> <%= command.id %> --all-spaces --user crawler@acme.example --role "Read-only auditor"',
    },
    {
      description: 'Personal spaces too, and archived ones, with the admin key for spaces the login cannot administer',
      command:
        '<%= config.bin %> <%= command.id %> --all-spaces --type global --type collaboration --type knowledge_base --type personal --include-archived --admin-key --user crawler@acme.example',
    },
    {
      description: 'Then the spaces that failed, again',
      command: '<%= config.bin %> <%= command.id %> --all-spaces --group crawlers --failed-to failed.csv',
    },
    {
      description: 'The users of a failed-rows file (or any CSV with an email or accountId column)',
      command: '<%= config.bin %> <%= command.id %> --space ENG --file failed.csv',
    },
  ]

  static override flags = {
    ...accessFlags,
    space: Flags.string({
      char: 's',
      description: 'a space key (repeatable)',
      exclusive: ['all-spaces'],
      multiple: true,
    }),
    'all-spaces': allSpacesFlag,
    type: spaceTypeFlag,
    'include-archived': includeArchivedFlag,
    'admin-key': adminKeyFlag,
    user: Flags.string({char: 'u', description: 'an email or account ID (repeatable)', multiple: true}),
    group: Flags.string({char: 'g', description: 'a group name (repeatable)', multiple: true}),
    role: Flags.string({
      description:
        'on a site with space roles, the role to give (system or custom, any case; default Viewer); a principal holding any role keeps it',
    }),
    ...userSourceFlags,
  }

  public async run(): Promise<RunReport> {
    const {flags} = await this.parse(SpaceGrantView)
    if (!flags.space && !flags['all-spaces'])
      throw badInput('SPACES_MISSING', 'Which spaces?', 'Give --space KEY (repeatable) or --all-spaces.')
    if (!flags.user && !flags.file && !flags.group) {
      throw badInput(
        'PRINCIPALS_MISSING',
        'View for whom?',
        'Give --user EMAIL|ACCOUNT_ID or --group NAME (both repeatable), or --file users.csv.',
      )
    }
    checkSpaceKeys(flags.space ?? [], 'Give --space once per key: --space ENG --space HR')
    const inputs = flags.user || flags.file ? await readUserInputs(flags.user ?? [], flags.file) : []
    // Two requests per space and principal at most (read, grant); unknown for --all-spaces until it is listed.
    const principalCount = (flags.user?.length ?? 0) + (flags.group?.length ?? 0) + (flags.file ? 100 : 0)
    const context = await this.accessContext(
      flags,
      flags.space ? flags.space.length * Math.max(1, principalCount) * 2 : undefined,
    )
    const users = await resolveUsers(inputs, context, flags.map)
    const principals = [
      ...users.map((user) => ({kind: 'user' as const, user})),
      ...(flags.group ?? []).map((name) => ({kind: 'group' as const, name})),
    ]
    const report = await grantView(
      {all: flags['all-spaces'], includeArchived: flags['include-archived'], keys: flags.space, types: flags.type},
      principals,
      context,
      this.runControls(flags),
      {role: flags.role},
    )
    return this.finishRun(report, flags, undefined, report.spaces ? spaceChoiceSummary(report.spaces) : [])
  }
}
