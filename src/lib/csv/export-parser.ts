import {type CsvError, Parser} from 'csv-parse'

import {badInput, type CfadminError} from '../errors.js'
import {sizeWords} from '../files/input-file.js'
import {boundedMessage, excerpt} from '../text/safe-text.js'
import {Utf8LineChecker} from '../text/utf8.js'
import {type ExportColumns, findExportColumns, isActiveStatus} from './export-columns.js'

/**
 * The longest row cfadmin reads, in bytes: a user's row is a few hundred bytes, a header with a column per group
 * ("Pivot to column") some kilobytes. Past it the input is not a user export (a 1 GB line, /dev/zero), and parsing
 * stops with the line instead of growing one string until Node gives up.
 */
export const MAX_RECORD_BYTES = 1024 * 1024

/** Thrown by the parser for bytes that are not UTF-8, with the line they are on. */
export class NotUtf8Error extends Error {
  constructor(readonly line: number) {
    super(`line ${line} is not UTF-8`)
    this.name = 'NotUtf8Error'
  }
}

/** One data row of a user export, as found; policy (what to keep, how to clean) is the caller's. */
export interface ExportUser {
  accountId: string
  email: string
  active: boolean
  /** The line the row starts on (a quoted field can hold line breaks), for messages about it. */
  line: number
  /** Group names, when the source has them (the Admin API with --with-groups). */
  groups?: readonly string[]
}

/** The exit-2 error for CSV that cannot be parsed, naming the line to fix. */
export function malformedCsv(source: string, line: number, detail: string): CfadminError {
  return badInput(
    'MALFORMED_CSV',
    `${source} is not valid CSV at line ${line}: ${detail}`,
    'Fix that line (a field with a comma, quote or line break must be in double quotes, with inner quotes doubled) or export the users again.',
  )
}

/** csv-parse's message, with the field it quotes cut to a short excerpt and the whole bounded. */
export function csvErrorDetail(message: string): string {
  return boundedMessage(message.replace(/value is ("[\s\S]*)$/, (_, value: string) => `value is ${excerpt(value)}`))
}

const isEmptyRecord = (record: string[]) => record.every((field) => field.trim() === '')

/**
 * csv-parse with records delivered in batches: one array of users per chunk of input instead of one
 * stream event per row. csv-parse hands each record to push(); taking them there (rather than through
 * its on_record option, which builds a context object per record) keeps the cost close to parsing alone.
 */
export class ExportParser extends Parser {
  private columns?: ExportColumns
  private batch: ExportUser[] = []
  /** The line the last record ended on and the empty lines skipped by then: where the next one starts. */
  private lastRecordLine = 0
  private lastEmptyLines = 0
  private failure?: Error
  private readonly utf8 = new Utf8LineChecker()

  /**
   * For a chunk of a file whose header was read elsewhere: `columns`, where the fields are, and
   * `recordDelimiter`, the line break the header ended with (csv-parse would otherwise guess it anew).
   */
  constructor(options: {columns?: ExportColumns; recordDelimiter?: string} = {}) {
    super({
      ...(options.recordDelimiter ? {record_delimiter: options.recordDelimiter} : {}),
      bom: true,
      max_record_size: MAX_RECORD_BYTES,
      // Exports with group columns ("Pivot to column") can have ragged rows; only three fields matter.
      relax_column_count: true,
      skip_empty_lines: true,
    })
    this.columns = options.columns
  }

  override push(record: unknown): boolean {
    if (record === null) return super.push(null)
    const startLine = this.nextRecordStart(this.info.empty_lines)
    this.lastRecordLine = this.info.lines
    this.lastEmptyLines = this.info.empty_lines
    // Records with only empty values are skipped here, not with skip_records_with_empty_values, so the line tracking sees them.
    if (this.failure === undefined && !isEmptyRecord(record as string[])) {
      try {
        this.addRecord(record as string[], startLine)
      } catch (error) {
        this.failure = error as Error
      }
    }

    return true
  }

  override _transform(chunk: Buffer, encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    const badLine = Buffer.isBuffer(chunk) ? this.utf8.check(chunk) : undefined
    if (badLine !== undefined) {
      callback(new NotUtf8Error(badLine))
      return
    }

    super._transform(chunk, encoding, (error?: Error | null) => this.release(callback, error))
  }

  override _flush(callback: (error?: Error | null) => void): void {
    const badLine = this.utf8.end()
    if (badLine !== undefined) {
      callback(new NotUtf8Error(badLine))
      return
    }

    super._flush((error?: Error | null) => {
      if (!error && this.failure === undefined && this.columns === undefined) {
        error = badInput(
          'EXPORT_EMPTY',
          'The export is empty: it has no header row.',
          'Export the users again from admin.atlassian.com > Directory > Users > Export users.',
        )
      }

      this.release(callback, error)
    })
  }

  /**
   * The line a CSV error is about. A quote that is never closed is only noticed at the end of the
   * input, which is where csv-parse reports it; the line to fix is where that unfinished row starts.
   */
  describeError(error: CsvError & {lines?: number; empty_lines?: number}): {detail: string; line: number} {
    if (error.code === 'CSV_QUOTE_NOT_CLOSED' && error.empty_lines !== undefined) {
      return {
        detail: 'Quote Not Closed: a quoted field in the row that starts on this line is never closed.',
        line: this.nextRecordStart(error.empty_lines),
      }
    }

    if (error.code === 'CSV_MAX_RECORD_SIZE' && error.empty_lines !== undefined) {
      return {
        detail: `the row that starts on this line is longer than ${sizeWords(MAX_RECORD_BYTES)}, the most cfadmin reads in one row; a user export has short rows: check that this is the right file`,
        line: this.nextRecordStart(error.empty_lines),
      }
    }

    return {detail: csvErrorDetail(error.message), line: error.lines ?? 1}
  }

  /** Where the record after the last one starts: past its end line and the empty lines skipped since. */
  private nextRecordStart(emptyLines: number): number {
    return this.lastRecordLine + 1 + (emptyLines - this.lastEmptyLines)
  }

  private release(callback: (error?: Error | null) => void, error?: Error | null): void {
    error ??= this.failure
    if (!error && this.batch.length > 0) {
      super.push(this.batch)
      this.batch = []
    }

    callback(error)
  }

  private addRecord(record: string[], line: number): void {
    const columns = this.columns
    if (columns === undefined) {
      this.columns = findExportColumns(record)
      return
    }

    const status = columns.status === undefined ? undefined : record[columns.status]
    this.batch.push({
      accountId: (record[columns.accountId] ?? '').trim(),
      email: record[columns.email] ?? '',
      active: status === undefined || isActiveStatus(status),
      line,
    })
  }
}
