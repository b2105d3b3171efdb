import type {Readable} from 'node:stream'

import {CsvError} from 'csv-parse'

import {notUtf8} from '../files/input-file.js'
import {ExportParser, type ExportUser, malformedCsv, NotUtf8Error} from './export-parser.js'

export type {ExportUser} from './export-parser.js'

/**
 * Streams the users of an admin "Export users" CSV (or any CSV with the accepted headers) in batches.
 * `source` names the input in error messages. Throws a CfadminError (exit 2) for an empty file, a
 * header without the needed columns, malformed CSV, a row over MAX_RECORD_BYTES or bytes that are not UTF-8
 * (with the line number).
 */
export async function* readExportUsers(input: Readable, source: string): AsyncGenerator<ExportUser[]> {
  const parser = new ExportParser()
  input.on('error', (error) => parser.destroy(error))
  input.pipe(parser)
  try {
    for await (const batch of parser) yield batch as ExportUser[]
  } catch (error) {
    if (error instanceof CsvError) {
      const {detail, line} = parser.describeError(error)
      throw malformedCsv(source, line, detail)
    }

    if (error instanceof NotUtf8Error) throw notUtf8(source, error.line)

    throw error
  } finally {
    input.unpipe(parser)
    input.destroy()
    parser.destroy()
  }
}
