import {Flags} from '@oclif/core'

import {BaseCommand, profileFlag} from './command.js'
import type {RunReport} from './engine/operation.js'
import {ExitCode} from './errors.js'
import type {AccessContext} from './services/access-context.js'
import type {RunControls} from './services/run-access.js'

/** The flags every command that changes access shares. */
export const accessFlags = {
  'dry-run': Flags.boolean({description: 'check only, and print what would change and what is already so; change nothing'}),
  concurrency: Flags.integer({default: 8, description: 'requests in flight at most (lowered by itself when Atlassian answers 429)', max: 32, min: 1}),
  'failed-to': Flags.string({description: 'write the rows that failed to this CSV, to run them again with --file'}),
  csv: Flags.boolean({description: 'print the report as CSV instead of a table'}),
  profile: profileFlag,
}

/** Where a command's users come from besides its arguments. */
export const userSourceFlags = {
  file: Flags.string({char: 'f', description: 'users from a CSV with an email or accountId column, or one per line (- for stdin)'}),
  map: Flags.string({description: 'an "Export users" CSV to turn emails into account IDs when the profile has no Admin API key'}),
}

interface AccessFlagValues {
  'dry-run': boolean
  concurrency: number
  'failed-to'?: string
  csv?: boolean
  profile?: string
}

/**
 * A command that changes access: it builds operations through a service, the engine runs them, and
 * this prints one report (table or CSV on stdout, the summary on stderr, the typed report under
 * --json) and exits 3 when some items failed.
 */
export abstract class AccessCommand<T = RunReport> extends BaseCommand<T> {
  protected async accessContext(flags: AccessFlagValues): Promise<AccessContext> {
    const [{accessContext}, {profileName}] = await Promise.all([import('./services/access-context.js'), import('./session/session.js')])
    return accessContext({concurrency: flags.concurrency, env: process.env, profileName: profileName(process.env, flags.profile), store: this.profileStore()})
  }

  protected runControls(flags: AccessFlagValues): RunControls {
    return {command: this.id ?? 'cfadmin', configDir: this.config.configDir, dryRun: flags['dry-run'], progress: this.jsonEnabled() ? 'none' : 'auto', title: this.ctor.summary}
  }

  protected async finishRun(report: RunReport, flags: AccessFlagValues, failedColumns?: string[]): Promise<RunReport> {
    const {reportCsv, reportSummary, reportTable, writeFailedRows} = await import('./engine/report.js')
    this.log(flags.csv ? reportCsv(report).trimEnd() : reportTable(report))
    this.status(reportSummary(report))
    if (flags['failed-to'] && report.counts.failed > 0) {
      const written = await writeFailedRows(report, flags['failed-to'], failedColumns)
      this.status(`Wrote ${written} failed row(s) to ${flags['failed-to']}: fix them and run again with --file ${flags['failed-to']}.`)
    }

    if (report.counts.failed > 0 || report.counts.blocked > 0) process.exitCode = ExitCode.partial
    return report
  }
}
