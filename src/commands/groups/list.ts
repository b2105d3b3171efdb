import * as Flags from '@oclif/core/flags'

import {BaseCommand, profileFlag} from '../../lib/command.js'
import {directoryFlag} from '../../lib/access-command.js'
import {listGroupRows, type GroupRow} from '../../lib/access/list-groups.js'
import {renderTable} from '../../lib/output.js'

export interface GroupsListResult {
  via: string
  groups: GroupRow[]
}

export default class GroupsList extends BaseCommand<GroupsListResult> {
  static override summary =
    'List groups with member counts, or the recommended Confluence groups and whether they exist.'

  static override description = `--recommended shows the four groups connector set-up guides ask for on the profile's site \
(confluence-admins-<site>, confluence-user-access-admins-<site>, confluence-users-<site>, org-admins), what each is for, and whether it exists. \
Through the Admin API with an Admin key in the profile, else through Confluence.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> --recommended',
    '<%= config.bin %> <%= command.id %> --search crawler --json',
  ]

  static override flags = {
    recommended: Flags.boolean({description: 'show the recommended Confluence groups for the site'}),
    search: Flags.string({description: 'only groups whose name contains this text'}),
    profile: profileFlag,
    directory: directoryFlag,
  }

  public async run(): Promise<GroupsListResult> {
    const {flags} = await this.parse(GroupsList)
    const context = await this.deps().accessContext({directoryId: flags.directory})
    const result = await listGroupRows(context, {recommended: flags.recommended, search: flags.search})
    this.log(
      renderTable(result.groups, [
        {get: (g) => g.name, header: 'Group'},
        {align: 'right', get: (g) => g.members, header: 'Members'},
        ...(flags.recommended
          ? [
              {get: (g: GroupRow) => (g.exists ? 'yes' : 'NO'), header: 'Exists'},
              {get: (g: GroupRow) => g.purpose, header: 'For'},
            ]
          : []),
      ]),
    )
    for (const note of result.notes ?? []) this.status(`Note: ${note}`)
    this.status(`(through ${result.via === 'Confluence' ? 'Confluence' : `the ${result.via}`})`)
    return result
  }
}
