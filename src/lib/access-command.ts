import {join} from 'node:path'

import * as Flags from '@oclif/core/flags'

import {BaseCommand, profileFlag} from './command.js'
import type {RunReport} from './engine/operation.js'
import {ExitCode} from './errors.js'
import type {TextSink} from './files/text-sink.js'
import type {AccessContext} from './access/access-context.js'
import type {RunControls} from './access/run-access.js'
import {openSideFile} from './files/side-file.js'
import {reportCsv, reportSummary, reportTable, writeFailedRows} from './engine/report.js'
import {boundedMessage} from './text/safe-text.js'
import {SPACE_TYPES} from './domain.js'

/** --concurrency for every command that sends many requests. */
export const concurrencyFlag = Flags.integer({
  default: 8,
  description:
    'requests in flight at most; this stays as given: when Atlassian answers 429, cfadmin paces its request rate down to what Atlassian allows',
  max: 32,
  min: 1,
})

/** --all-spaces for the commands that pick spaces (grant-view, permissions). */
export const allSpacesFlag = Flags.boolean({
  description:
    'every space the login can see (not the ones it was never given access to), of the types --type names: by default global, collaboration and knowledge_base; archived ones only with --include-archived',
})

/** --type for the commands that pick spaces (grant-view, permissions). */
export const spaceTypeFlag = Flags.option({
  dependsOn: ['all-spaces'],
  description:
    'with --all-spaces, the spaces of this type (repeatable); default global, collaboration and knowledge_base (a space named by its key is taken whatever its type)',
  multiple: true,
  options: SPACE_TYPES,
})()

/** --include-archived for the commands that pick all spaces. */
export const includeArchivedFlag = Flags.boolean({
  dependsOn: ['all-spaces'],
  description: 'with --all-spaces, archived spaces too (left out by default)',
})

/** --admin-key for the commands that read or change space permissions. */
export const adminKeyFlag = Flags.boolean({
  description:
    "Premium and Enterprise: use Confluence's admin key for this run, to reach spaces the login cannot administer; switched on for the run (a little longer than it should take) and off at the end, unless it was on already",
})

/** --directory for the commands that may use the Admin API: the directory holding the site's users, remembered. */
export const directoryFlag = Flags.string({
  description:
    "the Admin API directory holding the site's users, when the organization has several (remembered in the profile)",
})

/** The flags every command that changes access shares. */
export const accessFlags = {
  'dry-run': Flags.boolean({
    description: 'check only, and print what would change and what is already so; change nothing',
  }),
  concurrency: concurrencyFlag,
  'failed-to': Flags.string({description: 'write the rows that failed to this CSV, to run them again with --file'}),
  csv: Flags.boolean({description: 'print the report as CSV instead of a table'}),
  profile: profileFlag,
  directory: directoryFlag,
}

/** Where a command's users come from besides its arguments. */
export const userSourceFlags = {
  file: Flags.string({
    char: 'f',
    description: 'users from a CSV with an email or accountId column, or one per line (- for stdin)',
  }),
  map: Flags.string({
    description: 'an "Export users" CSV to turn emails into account IDs when the profile has no Admin API key',
  }),
}

interface AccessFlagValues {
  'dry-run': boolean
  concurrency: number
  'admin-key'?: boolean
  'failed-to'?: string
  csv?: boolean
  profile?: string
  directory?: string
  /** Inputs a side file must not overwrite. */
  file?: string
  map?: string
}

/**
 * A command that changes access: it builds operations through a service, the engine runs them, and
 * this prints one report (table or CSV on stdout, the summary on stderr, the typed report under
 * --json) and exits 3 when some items failed.
 */
export abstract class AccessCommand<T = RunReport> extends BaseCommand<T> {
  /**
   * The name journals know this command's runs by, when it is not the command's id: a renamed command keeps its old
   * name here, so a run interrupted before the rename resumes after it.
   */
  static journalName?: string

  /** The --failed-to file, opened before anything was sent. */
  private failedTo?: TextSink

  /**
   * The session and its clients. Side files (--failed-to) are checked and opened first, so a path that
   * cannot be written, or that names an input, stops the command before any request (exit 2).
   */
  protected async accessContext(flags: AccessFlagValues, estimatedRequests?: number): Promise<AccessContext> {
    await this.openSideFiles(flags)
    return this.openAccessContext({
      adminKey: flags['admin-key'],
      concurrency: flags.concurrency,
      directoryId: flags.directory,
      estimatedRequests,
    })
  }

  protected runControls(flags: AccessFlagValues): RunControls {
    // The progress title is the command's own name ("grant-view"), short enough to leave room for N/total.
    const title = (this.id ?? 'cfadmin').split(':').at(-1)
    return {
      command: (this.constructor as typeof AccessCommand).journalName ?? this.id ?? 'cfadmin',
      configDir: this.config.configDir,
      dryRun: flags['dry-run'],
      progress: this.jsonEnabled() ? 'none' : 'auto',
      title,
    }
  }

  private async openSideFiles(flags: AccessFlagValues): Promise<void> {
    const path = flags['failed-to']
    if (!path || this.failedTo) return
    const others = [
      ...(flags.file && flags.file !== '-' ? [{label: 'the --file input', path: flags.file}] : []),
      ...(flags.map && flags.map !== '-' ? [{label: 'the --map input', path: flags.map}] : []),
      {folder: true, label: "cfadmin's journal folder", path: join(this.config.configDir, 'journals')},
      {label: "cfadmin's profiles file", path: join(this.config.configDir, 'profiles.json')},
    ]
    this.failedTo = await openSideFile('--failed-to', path, others)
  }

  protected async finishRun(
    report: RunReport,
    flags: AccessFlagValues,
    failedColumns?: string[],
    notes: string[] = [],
  ): Promise<RunReport> {
    this.log(flags.csv ? reportCsv(report).trimEnd() : reportTable(report))
    for (const note of notes) this.status(note)
    for (const note of report.notes ?? []) this.status(`Note: ${note}`)
    this.status(reportSummary(report))
    if (report.counts.failed > 0 || report.counts.blocked > 0) process.exitCode = ExitCode.partial
    const path = flags['failed-to']
    const sink = this.failedTo
    this.failedTo = undefined
    if (path && report.counts.failed > 0) {
      try {
        const written = await writeFailedRows(report, sink ?? path, failedColumns)
        this.status(`Wrote ${written} failed row(s) to ${path}: fix them and run again with --file ${path}.`)
      } catch (error) {
        // The report above stands (and is what --json returns); the file is what went wrong.
        process.stderr.write(
          `Error: could not write the failed rows to ${path}: ${boundedMessage((error as Error).message)}\nHint: the report above lists them; free space or pick another --failed-to path.\n`,
        )
        process.exitCode = ExitCode.badInput
      }
    } else {
      await sink?.abort()
    }

    // The kind is for in-process readers (setup's sections); --json keeps the report's documented shape.
    return {...report, items: report.items.map(({kind: _kind, ...item}) => item)}
  }
}
