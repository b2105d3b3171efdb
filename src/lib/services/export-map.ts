import type {Readable} from 'node:stream'

import {readExportUsers} from '../csv/export-reader.js'
import {type MapFormat, mapSerializer} from '../csv/map-format.js'
import {badInput} from '../errors.js'
import {csvLine} from '../output.js'
import {openInputFile} from '../files/input-file.js'
import {createAtomicFile, stdoutSink, type TextSink} from '../files/text-sink.js'

export interface ExportMapOptions {
  input: Readable
  /** How messages name the input. */
  source: string
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
}

export interface EmailConflict {
  accountId: string
  kept: string
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

/** What became of each account ID seen: the email it was mapped to, or why it was left out. */
const INACTIVE = 0
const NO_EMAIL = 1
type Outcome = string | typeof INACTIVE | typeof NO_EMAIL

/**
 * Turns a user export into the account-ID-to-email map, streaming: memory grows with the number of
 * distinct account IDs, not with rows. The first row seen for an account ID decides its entry.
 */
export async function exportMap(options: ExportMapOptions): Promise<ExportMapSummary> {
  const {output, skipped} = options
  const serializer = mapSerializer(options.format)
  const seen = new Map<string, Outcome>()
  const started = performance.now()
  const counts = {conflicts: 0, duplicateRows: 0, rowsRead: 0, rowsWithoutAccountId: 0, skippedInactive: 0, skippedWithoutEmail: 0, usersMapped: 0}

  let text = serializer.begin()
  let skippedText = ''
  for await (const batch of readExportUsers(options.input, options.source)) {
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
        if (typeof before === 'string' && email !== '' && before.toLowerCase() !== email.toLowerCase()) {
          counts.conflicts++
          const conflict = {accountId, ignored: email, kept: before, line: user.line}
          if (options.strict) {
            throw badInput(
              'EMAIL_CONFLICT',
              `Account ${accountId} has two emails: ${before} and, on line ${user.line}, ${email}.`,
              'Fix the export, or run without --strict to keep the first email and warn.',
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
        if (skipped) skippedText += csvLine([accountId, 'inactive', user.line])
      } else if (email === '') {
        seen.set(accountId, NO_EMAIL)
        counts.skippedWithoutEmail++
        if (skipped) skippedText += csvLine([accountId, 'no-email', user.line])
      } else {
        seen.set(accountId, email)
        text += serializer.entry(accountId, email, counts.usersMapped === 0)
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
  return {...counts, rowsPerSecond: seconds > 0 ? Math.round(counts.rowsRead / seconds) : counts.rowsRead, seconds: Math.round(seconds * 1000) / 1000}
}

export interface ExportMapFilesOptions extends Omit<ExportMapOptions, 'format' | 'input' | 'output' | 'skipped' | 'source'> {
  /** A CSV path, or `-` for standard input. */
  input: string
  /** Where the map goes; standard output when absent. */
  outputPath?: string
  format: MapFormat
  /** Where to list the users left out of the map. */
  reportSkippedPath?: string
}

/**
 * The whole `users export-map` job on files: every output appears complete or not at all, and a
 * failure part-way leaves existing files as they were.
 */
export async function exportMapFiles(options: ExportMapFilesOptions): Promise<ExportMapSummary> {
  const {input: inputPath, outputPath, reportSkippedPath, ...rest} = options
  const input = await openInputFile(inputPath, 'export')
  const sinks: TextSink[] = []
  try {
    const output = outputPath ? await createAtomicFile(outputPath) : stdoutSink()
    sinks.push(output)
    const skipped = reportSkippedPath ? await createAtomicFile(reportSkippedPath) : undefined
    if (skipped) {
      sinks.push(skipped)
      await skipped.write(SKIPPED_REPORT_HEADER)
    }

    const summary = await exportMap({...rest, input: input.stream, output, skipped, source: input.name})
    for (const sink of sinks) await sink.commit()
    return summary
  } catch (error) {
    input.stream.destroy()
    await Promise.all(sinks.map((sink) => sink.abort()))
    throw error
  }
}
