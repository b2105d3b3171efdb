import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'

import {BaseCommand} from '../../lib/command.js'
import {badInput} from '../../lib/errors.js'
import {MAP_FORMATS, resolveMapFormat} from '../../lib/csv/map-format.js'
import {exportMapFiles, type ExportMapSummary} from '../../lib/export-map/export-map.js'
import {excerpt} from '../../lib/text/safe-text.js'
import {exportMapSummaryLines} from '../../lib/export-map/export-map-summary.js'

export interface ExportMapResult extends ExportMapSummary {
  format: string
  output: string
}

export default class UsersExportMap extends BaseCommand<ExportMapResult> {
  static override summary = 'Turn the admin "Export users" CSV into an account-ID-to-email map for a crawler.'

  static override description = `Crawlers resolve Confluence page restrictions by email, but Atlassian hides the email of users who chose to hide it. \
The "Export users" CSV from admin.atlassian.com (Directory > Users > ••• > Export users) has every email; this command turns it into the map a connector loads.

Columns are found by header name (User id / Atlassian ID / Account ID / accountId / id; email / Email address; User status / Status / active), in any case and spacing. \
Only active users are kept unless --include-inactive; users without an email are counted and can be listed with --report-skipped. \
Exports with several rows per user (one per group) give one entry per account ID.

The map is written to stdout as it is read, or with --output to a file that appears complete or not at all (mode 0600: it holds emails); \
prefer --output in scripts, since a failure part-way leaves stdout cut short (the exit code says so). A summary goes to stderr.

A large export file is parsed by several threads at once (--threads, default: the cores available, at most 4); stdin is read by one.`

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
  ]

  static override args = {
    file: Args.string({description: 'the exported CSV, or - for standard input', required: true}),
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
    threads: Flags.integer({
      description: 'threads that parse a large export (default: the cores available, at most 4; 1 = one stream)',
      min: 1,
      max: 16,
    }),
  }

  public async run(): Promise<ExportMapResult> {
    const {args, flags} = await this.parse(UsersExportMap)
    if (this.jsonEnabled() && !flags.output) {
      throw badInput(
        'JSON_NEEDS_OUTPUT',
        '--json prints the counts, so the map needs a file.',
        'Add --output map.csv (or .json/.jsonl).',
      )
    }
    const format = resolveMapFormat(flags.format, flags.output)
    const progress = this.progressLine()
    const summary = await exportMapFiles({
      format,
      includeInactive: flags['include-inactive'],
      input: args.file,
      onConflict: (c) =>
        this.warning(
          `account ${excerpt(c.accountId)} has another email on line ${c.line} (${excerpt(c.ignored)}) than on its first row; kept the first.`,
        ),
      onProgress: progress.update,
      outputPath: flags.output,
      preserveCase: flags['preserve-case'],
      reportSkippedPath: flags['report-skipped'],
      strict: flags.strict,
      threads: flags.threads,
    }).finally(progress.done)

    for (const line of exportMapSummaryLines(summary, {output: flags.output, reportSkipped: flags['report-skipped']}))
      this.status(line)
    return {...summary, format, output: flags.output ?? '-'}
  }
}
