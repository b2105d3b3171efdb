import {createReadStream} from 'node:fs'

import {CsvError} from 'csv-parse'

import type {ExportColumns} from './export-columns.js'
import type {ExportChunk} from './export-chunks.js'
import {ExportParser, type ExportUser, NotUtf8Error} from './export-parser.js'

/** What parsing one chunk came to: its line count as csv-parse counts lines, or why it failed. */
export type ChunkOutcome = {lines: number} | {csvLine?: number; message: string; notUtf8?: boolean}

export interface ChunkContext {
  path: string
  columns: ExportColumns
  recordDelimiter: string
}

/**
 * Parses one chunk of an export file (whole records, no header), handing over its users batch by
 * batch with chunk-local line numbers. Used alike by the worker threads and the main thread.
 */
export async function parseChunk(
  context: ChunkContext,
  chunk: ExportChunk,
  onUsers: (users: ExportUser[]) => void,
): Promise<ChunkOutcome> {
  const input = createReadStream(context.path, {end: chunk.end - 1, highWaterMark: 256 * 1024, start: chunk.start})
  const parser = new ExportParser({columns: context.columns, recordDelimiter: context.recordDelimiter})
  input.on('error', (error) => parser.destroy(error))
  input.pipe(parser)
  try {
    for await (const users of parser) onUsers(users)
    // csv-parse counts from line 1; every chunk but the last ends with a line break.
    return {lines: parser.info.lines - 1}
  } catch (error) {
    if (error instanceof CsvError) {
      const {detail, line} = parser.describeError(error)
      return {csvLine: line, message: detail}
    }

    if (error instanceof NotUtf8Error) return {csvLine: error.line, message: error.message, notUtf8: true}

    return {message: (error as Error).message}
  } finally {
    input.destroy()
  }
}
