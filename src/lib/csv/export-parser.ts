import {type CsvError, Parser} from 'csv-parse'

import {badInput, type CfadminError} from '../errors.js'
import {type ExportColumns, findExportColumns, isActiveStatus} from './export-columns.js'

/** One data row of a user export, as found; policy (what to keep, how to clean) is the caller's. */
export interface ExportUser {
  accountId: string
  email: string
  active: boolean
  /** The line the row starts on (a quoted field can hold line breaks), for messages about it. */
  line: number
}

/** The exit-2 error for CSV that cannot be parsed, naming the line to fix. */
export function malformedCsv(source: string, line: number, detail: string): CfadminError {
  return badInput(
    'MALFORMED_CSV',
    `${source} is not valid CSV at line ${line}: ${detail}`,
    'Fix that line (a field with a comma, quote or line break must be in double quotes, with inner quotes doubled) or export the users again.',
  )
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

  /**
   * For a chunk of a file whose header was read elsewhere: `columns`, where the fields are, and
   * `recordDelimiter`, the line break the header ended with (csv-parse would otherwise guess it anew).
   */
  constructor(options: {columns?: ExportColumns; recordDelimiter?: string} = {}) {
    super({
      ...(options.recordDelimiter ? {record_delimiter: options.recordDelimiter} : {}),
      bom: true,
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
    super._transform(chunk, encoding, (error?: Error | null) => this.release(callback, error))
  }

  override _flush(callback: (error?: Error | null) => void): void {
    super._flush((error?: Error | null) => {
      if (!error && this.failure === undefined && this.columns === undefined) {
        error = badInput('EXPORT_EMPTY', 'The export is empty: it has no header row.', 'Export the users again from admin.atlassian.com > Directory > Users > Export users.')
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

    return {detail: error.message, line: error.lines ?? 1}
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

