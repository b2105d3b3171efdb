import type {Readable} from 'node:stream'

import {CsvError, Parser} from 'csv-parse'

import {badInput} from '../errors.js'
import {type ExportColumns, findExportColumns, isActiveStatus} from './export-columns.js'

/** One data row of a user export, as found; policy (what to keep, how to clean) is the caller's. */
export interface ExportUser {
  accountId: string
  email: string
  active: boolean
  /** The line the row ends on, for messages about it. */
  line: number
}

const isEmptyRecord = (record: string[]) => record.every((field) => field.trim() === '')

/**
 * csv-parse with records delivered in batches: one array of users per chunk of input instead of one
 * stream event per row. csv-parse hands each record to push(); taking them there (rather than through
 * its on_record option, which builds a context object per record) keeps the cost close to parsing alone.
 */
class ExportParser extends Parser {
  private columns?: ExportColumns
  private batch: ExportUser[] = []
  /** The line the last record ended on and the empty lines skipped by then: where the next one starts. */
  private lastRecordLine = 0
  private lastEmptyLines = 0
  private failure?: Error

  constructor() {
    super({
      bom: true,
      // Exports with group columns ("Pivot to column") can have ragged rows; only three fields matter.
      relax_column_count: true,
      skip_empty_lines: true,
    })
  }

  override push(record: unknown): boolean {
    if (record === null) return super.push(null)
    this.lastRecordLine = this.info.lines
    this.lastEmptyLines = this.info.empty_lines
    // Records with only empty values are skipped here, not with skip_records_with_empty_values, so the line tracking sees them.
    if (this.failure === undefined && !isEmptyRecord(record as string[])) {
      try {
        this.addRecord(record as string[])
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
  errorLine(error: CsvError & {lines?: number; empty_lines?: number}): number | undefined {
    if (error.code === 'CSV_QUOTE_NOT_CLOSED' && error.empty_lines !== undefined) {
      return this.lastRecordLine + 1 + (error.empty_lines - this.lastEmptyLines)
    }

    return error.lines
  }

  private release(callback: (error?: Error | null) => void, error?: Error | null): void {
    error ??= this.failure
    if (!error && this.batch.length > 0) {
      super.push(this.batch)
      this.batch = []
    }

    callback(error)
  }

  private addRecord(record: string[]): void {
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
      line: this.info.lines,
    })
  }
}

/**
 * Streams the users of an admin "Export users" CSV (or any CSV with the accepted headers) in batches.
 * `source` names the input in error messages. Throws a CfadminError (exit 2) for an empty file, a
 * header without the needed columns, or malformed CSV (with the line number).
 */
export async function* readExportUsers(input: Readable, source: string): AsyncGenerator<ExportUser[]> {
  const parser = new ExportParser()
  input.on('error', (error) => parser.destroy(error))
  input.pipe(parser)
  try {
    for await (const batch of parser) yield batch as ExportUser[]
  } catch (error) {
    if (error instanceof CsvError) {
      const detail = error.code === 'CSV_QUOTE_NOT_CLOSED' ? 'Quote Not Closed: a quoted field in the row that starts on this line is never closed.' : error.message
      throw badInput(
        'MALFORMED_CSV',
        `${source} is not valid CSV at line ${parser.errorLine(error) ?? '?'}: ${detail}`,
        'Fix that line (a field with a comma, quote or line break must be in double quotes, with inner quotes doubled) or export the users again.',
      )
    }

    throw error
  } finally {
    input.unpipe(parser)
    input.destroy()
    parser.destroy()
  }
}
