import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'

import {
  adminKeyFlag,
  allSpacesFlag,
  directoryFlag,
  includeArchivedFlag,
  spaceTypeFlag,
} from '../../lib/access-command.js'
import {BaseCommand, profileFlag} from '../../lib/command.js'
import {badInput, ExitCode} from '../../lib/errors.js'
import {spacePermissions, type PrincipalAccess, type SpaceViewers} from '../../lib/access/space-permissions.js'
import {resolveOneUser} from '../../lib/access/resolve-users.js'
import {formatCount, renderTable} from '../../lib/output.js'
import {checkSpaceKeys, type SpaceChoice, spaceChoiceSummary, unknownSpaceReasons} from '../../lib/access/spaces.js'

export interface SpacePermissionsResult {
  spaces: SpaceViewers[]
  unknownKeys: string[]
  principal?: PrincipalAccess
  /** Spaces listed whose permissions the login could not read, with the reason and the fix. */
  unreadable: Array<{key: string; reason: string}>
  /** With --all-spaces: how many spaces of each type were taken and left out. */
  choice?: SpaceChoice
}

export default class SpacePermissions extends BaseCommand<SpacePermissionsResult> {
  /** The topic's singular form, from before topics were made plural: what users typed keeps working. */
  static override hiddenAliases = ['space:permissions']
  static override summary = 'Show who can view which space; with --user or --group, the spaces it can NOT view.'

  static override description = `Reads every space's permissions and, on a site with space roles, its role assignments, and says through \
what each principal can view: an individual permission or a role (any space role includes viewing). With a principal it lists \
the spaces it can view and through what (role Viewer, permission, or group X for a group's role or permission), then the spaces \
it cannot view, counting a user's groups too: the check to run before a crawl. --all-spaces takes the global, collaboration and \
knowledge_base spaces the login can see (--type names others, --include-archived adds archived ones). A space whose permissions the \
login may not read is named with the fix (--admin-key on Premium and Enterprise). Exits 3 when some spaces cannot be viewed or read, \
or some keys do not exist.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> ENG HR',
    {
      description: 'What would the crawler miss?',
      command: '<%= config.bin %> <%= command.id %> --all-spaces --user crawler@acme.example',
    },
    '<%= config.bin %> <%= command.id %> --all-spaces --group crawlers --json',
  ]

  static override strict = false
  static override args = {spaces: Args.string({description: 'space keys'})}

  static override flags = {
    'all-spaces': allSpacesFlag,
    type: spaceTypeFlag,
    'include-archived': includeArchivedFlag,
    'admin-key': adminKeyFlag,
    user: Flags.string({char: 'u', description: 'an email or account ID', exclusive: ['group']}),
    group: Flags.string({char: 'g', description: 'a group name'}),
    map: Flags.string({
      description: 'an "Export users" CSV to turn an email into an account ID when the profile has no Admin API key',
    }),
    profile: profileFlag,
    directory: directoryFlag,
  }

  public async run(): Promise<SpacePermissionsResult> {
    const {argv, flags} = await this.parse(SpacePermissions)
    const keys = argv as string[]
    if (keys.length === 0 && !flags['all-spaces'])
      throw badInput('SPACES_MISSING', 'Which spaces?', 'Give space keys, or --all-spaces.')
    checkSpaceKeys(keys, 'Give each key as its own argument: cfadmin spaces permissions ENG HR')
    const context = await this.openAccessContext({
      adminKey: flags['admin-key'],
      directoryId: flags.directory,
      estimatedRequests: flags['all-spaces'] ? undefined : keys.length,
    })
    let principal: Parameters<typeof spacePermissions>[2]
    if (flags.user) {
      const user = await resolveOneUser(flags.user, context, flags.map)
      principal = {accountId: user.accountId, label: flags.user, type: 'user'}
    } else if (flags.group) {
      principal = {name: flags.group, type: 'group'}
    }

    let total = 0
    const progress = this.progressLine(
      (read) => `spaces permissions: ${formatCount(read)}/${formatCount(total)} spaces read`,
    )
    const result = await spacePermissions(
      {all: flags['all-spaces'], includeArchived: flags['include-archived'], keys, types: flags.type},
      context,
      principal,
      (read, of) => {
        total = of
        progress.update(read)
      },
    )
    progress.done()
    if (result.principal) {
      const {cannotView, canView, views} = result.principal
      if (views.length > 0)
        this.log(
          renderTable(views, [
            {get: (s) => s.key, header: 'Can view'},
            {get: (s) => s.name, header: 'Name'},
            {get: (s) => s.through, header: 'Through'},
          ]),
        )
      this.log(
        cannotView.length === 0
          ? `${result.principal.principal} can view all ${canView} spaces.`
          : renderTable(cannotView, [
              {get: (s) => s.key, header: 'Cannot view'},
              {get: (s) => s.name, header: 'Name'},
            ]),
      )
      if (cannotView.length > 0)
        this.status(
          `${result.principal.principal} cannot view ${cannotView.length} of ${cannotView.length + canView} spaces.`,
        )
    } else {
      this.log(
        renderTable(result.spaces, [
          {get: (s) => s.key, header: 'Space'},
          {get: (s) => s.viewers.map((v) => `${v.type}:${v.id} (${v.through})`).join(', '), header: 'Can view'},
        ]),
      )
    }

    for (const reason of (await unknownSpaceReasons(result.unknownKeys, context)).values()) this.warning(`${reason}.`)
    for (const {reason} of result.unreadable) this.warning(`${reason}.`)
    if (result.choice) for (const line of spaceChoiceSummary(result.choice)) this.status(line)
    if (result.unknownKeys.length > 0 || result.unreadable.length > 0 || (result.principal?.cannotView.length ?? 0) > 0)
      process.exitCode = ExitCode.partial
    return result
  }
}
