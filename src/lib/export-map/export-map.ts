import {AccountTable, stringHash} from '../account-table.js'
import {readExport} from '../csv/export-file.js'
import type {ExportUser} from '../csv/export-parser.js'
import {type MapFormat, mapSerializer} from '../csv/map-format.js'
import {badInput} from '../errors.js'
import {excerpt} from '../text/safe-text.js'
import {checkOutputPaths} from '../files/output-paths.js'
import {peopleCsvLine} from '../output.js'
import {createAtomicFile, stdoutSink, type TextSink} from '../files/text-sink.js'

export interface ExportMapOptions {
  /** The export's rows, in file order (readExport, or readExportUsers over a stream). */
  users: AsyncIterable<ExportUser[]>
  output: TextSink
  format: MapFormat
  includeInactive?: boolean
  preserveCase?: boolean
  /** A conflict (one account ID, two emails) is an error instead of a warning. */
  strict?: boolean
  /** Receives one CSV line per user left out of the map (`accountId,reason,line`). */
  skipped?: TextSink
  onConflict?(conflict: EmailConflict): void
  /** Called after each chunk of input with the rows read so far. */
  onProgress?(rowsRead: number): void
  /** Write each user's groups too (the users carry them: the Admin API route). */
  withGroups?: boolean
}

/** A later row of an account ID with an email other than its first row's (which is the one kept). */
export interface EmailConflict {
  accountId: string
  ignored: string
  line: number
}

/** The counts a run reports; also the `--json` result of `users export-map`. */
export interface ExportMapSummary {
  rowsRead: number
  usersMapped: number
  skippedInactive: number
  skippedWithoutEmail: number
  /** Rows without an account ID: nothing can be mapped from them. */
  rowsWithoutAccountId: number
  /** Extra rows for a user already seen with the same email (group-per-row and pivoted exports). */
  duplicateRows: number
  conflicts: number
  seconds: number
  rowsPerSecond: number
}

export const SKIPPED_REPORT_HEADER = 'accountId,reason,line\n'

/**
 * What became of each account ID seen: left out (inactive, no email), or mapped, kept as a hash of the
 * lower-cased email rather than the email itself, which would add about 45 MB per million users. A
 * collision (odds about 1 in a billion per repeated row) could only hide a conflict warning, never
 * change the map.
 */
const INACTIVE = -1
const NO_EMAIL = -2
const emailHash = (lowerCaseEmail: string) => stringHash(lowerCaseEmail) >>> 1

/**
 * Turns a user export into the account-ID-to-email map, streaming: memory grows with the number of
 * distinct account IDs, not with rows. The first row seen for an account ID decides its entry.
 */
export async function exportMap(options: ExportMapOptions): Promise<ExportMapSummary> {
  const {output, skipped} = options
  const serializer = mapSerializer(options.format, {groups: options.withGroups})
  const seen = new AccountTable()
  const started = performance.now()
  const counts = {
    conflicts: 0,
    duplicateRows: 0,
    rowsRead: 0,
    rowsWithoutAccountId: 0,
    skippedInactive: 0,
    skippedWithoutEmail: 0,
    usersMapped: 0,
  }

  let text = serializer.begin()
  let skippedText = ''
  for await (const batch of options.users) {
    counts.rowsRead += batch.length
    for (const user of batch) {
      const {accountId} = user
      if (accountId === '') {
        counts.rowsWithoutAccountId++
        continue
      }

      const email = options.preserveCase ? user.email.trim() : user.email.trim().toLowerCase()
      const before = seen.get(accountId)
      if (before !== undefined) {
        if (before >= 0 && email !== '' && before !== emailHash(options.preserveCase ? email.toLowerCase() : email)) {
          counts.conflicts++
          const conflict = {accountId, ignored: email, line: user.line}
          if (options.strict) {
            throw badInput(
              'EMAIL_CONFLICT',
              `Account ${excerpt(accountId)} has two different emails: line ${user.line} has ${excerpt(email)}, an earlier row another.`,
              "Fix the export, or run without --strict to keep the first row's email and warn.",
            )
          }

          options.onConflict?.(conflict)
        } else {
          counts.duplicateRows++
        }

        continue
      }

      if (!user.active && !options.includeInactive) {
        seen.set(accountId, INACTIVE)
        counts.skippedInactive++
        if (skipped) skippedText += peopleCsvLine([accountId, 'inactive', user.line])
      } else if (email === '') {
        seen.set(accountId, NO_EMAIL)
        counts.skippedWithoutEmail++
        if (skipped) skippedText += peopleCsvLine([accountId, 'no-email', user.line])
      } else {
        seen.set(accountId, emailHash(options.preserveCase ? email.toLowerCase() : email))
        text += serializer.entry(accountId, email, counts.usersMapped === 0, user.groups)
        counts.usersMapped++
      }
    }

    await output.write(text)
    text = ''
    if (skipped && skippedText) {
      await skipped.write(skippedText)
      skippedText = ''
    }

    options.onProgress?.(counts.rowsRead)
  }

  await output.write(text + serializer.end(counts.usersMapped === 0))
  const seconds = (performance.now() - started) / 1000
  return {
    ...counts,
    rowsPerSecond: seconds > 0 ? Math.round(counts.rowsRead / seconds) : counts.rowsRead,
    seconds: Math.round(seconds * 1000) / 1000,
  }
}

export interface ExportMapFilesOptions extends Omit<ExportMapOptions, 'format' | 'output' | 'skipped' | 'users'> {
  /** A CSV path, or `-` for standard input. */
  input: string
  /** Threads that parse a large file; 1 reads it in one stream. */
  threads?: number
  /** Where the map goes; standard output when absent. */
  outputPath?: string
  format: MapFormat
  /** Where to list the users left out of the map. */
  reportSkippedPath?: string
}

/**
 * The whole `users export-map` job on files: every output appears complete or not at all, and a
 * failure part-way leaves existing files as they were. The outputs are checked (distinct from each
 * other and from the input, not folders) and their temp files created before a row is read, so a
 * path that cannot be written fails before anything reaches stdout.
 */
export async function exportMapFiles(options: ExportMapFilesOptions): Promise<ExportMapSummary> {
  const {input, outputPath, reportSkippedPath, threads, ...rest} = options
  checkOutputPaths({label: 'export', path: input}, [
    ...(outputPath ? [{label: '--output', path: outputPath}] : []),
    ...(reportSkippedPath ? [{label: '--report-skipped', path: reportSkippedPath}] : []),
  ])
  const exported = await readExport(input, threads)
  return exportMapToFiles({...rest, outputPath, reportSkippedPath, users: exported.users}, () => exported.close())
}

export interface ExportMapToFilesOptions extends Omit<ExportMapOptions, 'output' | 'skipped'> {
  /** Where the map goes; standard output when absent. */
  outputPath?: string
  /** Where to list the users left out of the map. */
  reportSkippedPath?: string
}

/**
 * Writes the map of `users` (an export's rows or the Admin API's users) to `outputPath` or stdout, and the users left
 * out to `reportSkippedPath`: both files appear complete or not at all. `onFailure` releases the source.
 */
export async function exportMapToFiles(
  options: ExportMapToFilesOptions,
  onFailure: () => Promise<void> = async () => {},
): Promise<ExportMapSummary> {
  const {outputPath, reportSkippedPath, ...rest} = options
  const sinks: TextSink[] = []
  try {
    // Both files are created before a row is read: one that cannot be written fails before the map reaches stdout.
    const skipped = reportSkippedPath ? await createAtomicFile(reportSkippedPath) : undefined
    if (skipped) sinks.push(skipped)
    const output = outputPath ? await createAtomicFile(outputPath) : stdoutSink()
    sinks.push(output)
    if (skipped) await skipped.write(SKIPPED_REPORT_HEADER)

    const summary = await exportMap({...rest, output, skipped})
    for (const sink of sinks) await sink.commit()
    return summary
  } catch (error) {
    await onFailure()
    await Promise.all(sinks.map((sink) => sink.abort()))
    throw error
  }
}
