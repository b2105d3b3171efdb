import {openInputFile} from '../files/input-file.js'
import type {ExportUser} from './export-parser.js'
import {readExportUsers} from './export-reader.js'
import {PARALLEL_MIN_BYTES, parsingThreadsAvailable, readExportFileInParallel} from './parallel-export-reader.js'

export interface ExportUsers {
  /** How messages name the export. */
  source: string
  users: AsyncGenerator<ExportUser[]>
  /** Stops reading (files closed, threads ended) when the caller gives up before the end. */
  close(): Promise<void>
}

/**
 * Opens an export (a path, or - for stdin) as batches of users. A large file is parsed by several
 * threads at once (`threads`, default: the cores available); stdin and small files by one stream.
 * Missing or unreadable files fail here, before any output is started.
 */
export async function readExport(path: string, threads = parsingThreadsAvailable()): Promise<ExportUsers> {
  const input = await openInputFile(path, 'export')
  if (threads > 1 && input.size !== undefined && input.size >= PARALLEL_MIN_BYTES) {
    input.stream.destroy()
    const users = readExportFileInParallel(path, input.name, {threads})
    return {close: async () => void (await users.return(undefined)), source: input.name, users}
  }

  const users = readExportUsers(input.stream, input.name)
  return {
    async close() {
      input.stream.destroy()
      await users.return(undefined)
    },
    source: input.name,
    users,
  }
}
