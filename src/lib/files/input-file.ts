import {open} from 'node:fs/promises'
import type {Readable} from 'node:stream'

import {badInput} from '../errors.js'

export interface InputFile {
  stream: Readable
  /** How messages name it: the path, or "standard input". */
  name: string
  /** Bytes, for a regular file; undefined for standard input and pipes. */
  size?: number
}

/**
 * Opens a file argument for streaming, `-` meaning stdin. Failures become exit-2 errors that name the
 * path and the fix, before anything else has started.
 */
export async function openInputFile(path: string, what = 'file'): Promise<InputFile> {
  if (path === '-') return {name: 'standard input', stream: process.stdin}
  try {
    const handle = await open(path, 'r')
    const stats = await handle.stat()
    if (stats.isDirectory()) {
      await handle.close()
      throw Object.assign(new Error('is a directory'), {code: 'EISDIR'})
    }

    return {name: path, size: stats.isFile() ? stats.size : undefined, stream: handle.createReadStream({highWaterMark: 256 * 1024})}
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') {
      throw badInput('FILE_NOT_FOUND', `The ${what} ${path} does not exist.`, 'Check the path, or pass - to read from standard input.')
    }

    if (code === 'EISDIR') {
      throw badInput('FILE_UNREADABLE', `${path} is a directory, not a ${what}.`, 'Pass the path of the CSV file itself.')
    }

    if (code === 'EACCES' || code === 'EPERM') {
      throw badInput('FILE_UNREADABLE', `The ${what} ${path} cannot be read: permission denied.`, `Check its permissions (ls -l ${path}).`)
    }

    throw error
  }
}
