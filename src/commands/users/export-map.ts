import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'

import {BaseCommand, profileFlag} from '../../lib/command.js'
import {badInput, ExitCode} from '../../lib/errors.js'
import {MAP_FORMATS, resolveMapFormat} from '../../lib/csv/map-format.js'
import {exportMapFiles, type ExportMapSummary} from '../../lib/export-map/export-map.js'
import {excerpt} from '../../lib/text/safe-text.js'
import {exportMapSummaryLines} from '../../lib/export-map/export-map-summary.js'
import {adminContext} from '../../lib/access/access-context.js'
import {directoryFlag} from '../../lib/access-command.js'
import {
  adminKeyNeeded,
  type DirectoryApi,
  directoryRows,
  exportMapFromApi,
} from '../../lib/export-map/export-map-api.js'
import {compareMaps, type MapComparison} from '../../lib/export-map/compare-maps.js'
import {formatCount, plural, renderTable} from '../../lib/output.js'

export interface ExportMapResult extends ExportMapSummary {
  format: string
  output: string
  /** "api" with --from-api, else the export's path (or -). */
  source: string
}

export type ExportMapComparison = MapComparison & {compare: string}

export default class UsersExportMap extends BaseCommand<ExportMapComparison | ExportMapResult> {
  static override summary = 'Turn the admin "Export users" CSV into an account-ID-to-email map for a crawler.'

  static override description = `Crawlers resolve Confluence page restrictions by email, but Atlassian hides the email of users who chose to hide it. \
The "Export users" CSV from admin.atlassian.com (Directory > Users > ••• > Export users) has every email; this command turns it into the map a connector loads.

Columns are found by header name (User id / Atlassian ID / Account ID / accountId / id; email / Email address; User status / Status / active), in any case and spacing. \
Only active users are kept unless --include-inactive; users without an email are counted and can be listed with --report-skipped. \
Exports with several rows per user (one per group) give one entry per account ID.

The map is written to stdout as it is read, or with --output to a file that appears complete or not at all (mode 0600: it holds emails); \
prefer --output in scripts, since a failure part-way leaves stdout cut short (the exit code says so). A summary goes to stderr.

A large export file is parsed by several threads at once (--threads, default: the cores available, at most 4); stdin is read by one.

Without a CSV: --from-api builds the same map from the organization's directory through the Admin API (needs an Admin API key: cfadmin auth login --with-admin-key), at Atlassian's pace and from both ends of the directory at once, with the same formats, --output, summary and --json. --with-groups adds each user's groups (a "groups" column, names joined by ";"; {"email", "groups"} in JSON) for connectors that sync groups. The Admin API may leave out the emails users hide (unconfirmed): those users are counted, and --compare export.csv lists where the API's map and the export's differ (exit 3 when they do).`

  static override examples = [
    {
      description: 'Write the map as CSV (accountId,email) to stdout',
      command: '<%= config.bin %> <%= command.id %> export-users.csv',
    },
    {
      description: 'Write a JSON object {"<accountId>": "<email>"} and list the users left out',
      command: '<%= config.bin %> <%= command.id %> export-users.csv --output map.json --report-skipped skipped.csv',
    },
    {
      description: 'Read from stdin, keep suspended and deactivated users, fail on conflicting emails',
      command: 'cat export-users.csv | <%= config.bin %> <%= command.id %> - --include-inactive --strict -o map.csv',
    },
    {
      description: 'Counts as JSON for a script (the map goes to the file)',
      command: '<%= config.bin %> <%= command.id %> export-users.csv -o map.jsonl --json',
    },
    {
      description: 'Build the map without a CSV, from the Admin API (needs an Admin API key)',
      command: '<%= config.bin %> <%= command.id %> --from-api -o map.csv',
    },
    {
      description: "With each user's groups, for a connector that syncs groups, from one directory of several",
      command: '<%= config.bin %> <%= command.id %> --from-api --with-groups --directory DIRECTORY_ID -o map.json',
    },
    {
      description: "List where the Admin API's map and an export's differ (exit 3 when they do)",
      command: '<%= config.bin %> <%= command.id %> --from-api --compare export-users.csv',
    },
  ]

  static override args = {
    file: Args.string({description: 'the exported CSV, or - for standard input (none with --from-api)'}),
  }

  static override flags = {
    output: Flags.string({char: 'o', description: 'write the map to this file instead of stdout (atomically)'}),
    format: Flags.option({
      description: 'map format; default: from the --output extension, else csv',
      options: MAP_FORMATS,
    })(),
    'include-inactive': Flags.boolean({description: 'also map suspended, deactivated and inactive users'}),
    'preserve-case': Flags.boolean({description: 'keep emails as written instead of lower-casing them'}),
    strict: Flags.boolean({
      description: 'exit 2 when one account ID has two different emails (default: warn, keep the first)',
    }),
    'report-skipped': Flags.string({
      description: 'write the users left out (no email, inactive) to this CSV: accountId,reason,line',
    }),
    'from-api': Flags.boolean({
      description: "build the map from the organization's directory through the Admin API instead of an export",
    }),
    'with-groups': Flags.boolean({
      dependsOn: ['from-api'],
      description: "with --from-api, add each user's group names (for connectors that sync groups)",
    }),
    compare: Flags.string({
      dependsOn: ['from-api'],
      description:
        "with --from-api, compare the API's map with this export's and list the differences (no map written)",
      exclusive: ['output', 'report-skipped', 'with-groups', 'format'],
    }),
    directory: directoryFlag,
    profile: profileFlag,
    threads: Flags.integer({
      description: 'threads that parse a large export (default: the cores available, at most 4; 1 = one stream)',
      min: 1,
      max: 16,
    }),
  }

  public async run(): Promise<ExportMapComparison | ExportMapResult> {
    const {args, flags} = await this.parse(UsersExportMap)
    if (flags['from-api'] && args.file !== undefined) {
      throw badInput(
        'EXPORT_MAP_TWO_SOURCES',
        `--from-api reads the Admin API, so it takes no export file (got ${excerpt(args.file)}).`,
        `Drop ${excerpt(args.file)}, or compare the two with --from-api --compare ${excerpt(args.file)}.`,
      )
    }

    if (!flags['from-api'] && args.file === undefined) {
      throw badInput(
        'EXPORT_MAP_NO_SOURCE',
        'Give the exported CSV (or - for standard input), or --from-api to read the directory through the Admin API.',
        'cfadmin users export-map export-users.csv -o map.csv, or cfadmin users export-map --from-api -o map.csv',
      )
    }

    if (this.jsonEnabled() && !flags.output && !flags.compare) {
      throw badInput(
        'JSON_NEEDS_OUTPUT',
        '--json prints the counts, so the map needs a file.',
        'Add --output map.csv (or .json/.jsonl).',
      )
    }

    const api = flags['from-api'] ? await this.directoryApi(flags.directory) : undefined
    if (api && flags.compare) return this.compare(api, flags.compare, flags)
    const format = resolveMapFormat(flags.format, flags.output)
    const progress = this.progressLine(
      api ? (users) => `Read ${formatCount(users)} users of the directory…` : undefined,
    )
    const common = {
      format,
      includeInactive: flags['include-inactive'],
      onConflict: (c: {accountId: string; ignored: string; line: number}) =>
        this.warning(
          `account ${excerpt(c.accountId)} has another email on line ${c.line} (${excerpt(c.ignored)}) than on its first row; kept the first.`,
        ),
      onProgress: progress.update,
      outputPath: flags.output,
      preserveCase: flags['preserve-case'],
      reportSkippedPath: flags['report-skipped'],
      strict: flags.strict,
    }
    const summary = await (
      api
        ? exportMapFromApi({...common, api, withGroups: flags['with-groups']})
        : exportMapFiles({...common, input: args.file!, threads: flags.threads})
    ).finally(progress.done)

    const where = {fromApi: api !== undefined, output: flags.output, reportSkipped: flags['report-skipped']}
    for (const line of exportMapSummaryLines(summary, where)) this.status(line)
    return {...summary, format, output: flags.output ?? '-', source: api ? 'api' : args.file!}
  }

  /** The Admin API and the directory to read, or exit 4 naming the key needed and the CSV route. */
  private async directoryApi(directory: string | undefined): Promise<DirectoryApi> {
    const {env, profileName, store} = this.deps()
    const {admin} = await adminContext({directoryId: directory, env, profileName, store})
    if (!admin) throw adminKeyNeeded(profileName)
    return admin
  }

  private async compare(
    api: DirectoryApi,
    exportPath: string,
    flags: {'include-inactive': boolean; 'preserve-case': boolean; threads?: number},
  ): Promise<ExportMapComparison> {
    const comparison = await compareMaps({
      apiRows: directoryRows(api),
      exportPath,
      includeInactive: flags['include-inactive'],
      preserveCase: flags['preserve-case'],
      threads: flags.threads,
    })
    if (!this.jsonEnabled() && comparison.differences.length > 0) {
      this.log(
        renderTable(comparison.differences, [
          {get: (d) => d.accountId, header: 'Account ID'},
          {get: (d) => d.difference, header: 'Difference'},
          {get: (d) => d.apiEmail, header: 'Admin API email'},
          {get: (d) => d.exportEmail, header: 'Export email'},
        ]),
      )
    }

    this.status(
      comparison.differences.length === 0
        ? `The maps are the same: ${plural(comparison.same, 'user')} mapped alike by the Admin API and ${exportPath}.`
        : `The maps differ: ${plural(comparison.onlyInApi, 'user')} only in the Admin API's, ${plural(comparison.onlyInExport, 'user')} only in ${exportPath}'s, ${plural(comparison.differentEmail, 'user')} with another email; ${plural(comparison.same, 'user')} alike.`,
    )
    if (comparison.differences.length > 0) process.exitCode = ExitCode.partial
    return {...comparison, compare: exportPath}
  }
}
