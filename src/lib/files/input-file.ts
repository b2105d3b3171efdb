import {isUtf8} from 'node:buffer'
import {open} from 'node:fs/promises'
import type {Readable} from 'node:stream'

import {badInput, type CfadminError} from '../errors.js'
import {firstNonUtf8Line} from '../text/utf8.js'

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

    return {
      name: path,
      size: stats.isFile() ? stats.size : undefined,
      stream: handle.createReadStream({highWaterMark: 256 * 1024}),
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') {
      throw badInput(
        'FILE_NOT_FOUND',
        `The ${what} ${path} does not exist.`,
        'Check the path, or pass - to read from standard input.',
      )
    }

    if (code === 'EISDIR') {
      throw badInput(
        'FILE_UNREADABLE',
        `${path} is a directory, not a ${what}.`,
        'Pass the path of the CSV file itself.',
      )
    }

    if (code === 'EACCES' || code === 'EPERM') {
      throw badInput(
        'FILE_UNREADABLE',
        `The ${what} ${path} cannot be read: permission denied.`,
        `Check its permissions (ls -l ${path}).`,
      )
    }

    throw error
  }
}

/** The most cfadmin reads of a users file (--file) or of standard input, and of one line of it. */
export const TEXT_INPUT_LIMITS = {bytes: 64 * 1024 * 1024, lineBytes: 64 * 1024} as const

export interface TextLimits {
  /** Bytes in all. */
  bytes: number
  /** Bytes in one line (its line break not counted); unlimited when absent. */
  lineBytes?: number
}

const NEWLINE = 0x0a

/** "64 MB", "64 KB", "1 MB": how a limit is said in messages. */
export function sizeWords(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / 1024 / 1024} MB`
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KB`
  return `${bytes} bytes`
}

/** The exit-2 error for input that is not UTF-8 text. */
export function notUtf8(name: string, line: number): CfadminError {
  return badInput(
    'INPUT_NOT_UTF8',
    `${name} is not UTF-8 text: line ${line} has bytes that are not UTF-8.`,
    'Save it as UTF-8 (a spreadsheet may have saved it in another encoding, such as Latin-1 or UTF-16) and run again.',
  )
}

/**
 * Reads a whole text input (an opened file or standard input) within `limits`, strictly as UTF-8: more than
 * `limits.bytes`, a line longer than `limits.lineBytes` or bytes that are not UTF-8 are exit-2 errors naming the
 * input (and the line), found while reading, so a huge or endless input stops at the limit instead of filling memory.
 * A UTF-8 byte order mark is dropped.
 */
export async function readTextInput(input: Pick<InputFile, 'name' | 'stream'>, limits: TextLimits): Promise<string> {
  const chunks: Buffer[] = []
  let total = 0
  let line = 1
  let lineBytes = 0
  try {
    for await (const chunk of input.stream) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer)
      total += bytes.length
      if (total > limits.bytes) {
        throw badInput(
          'INPUT_TOO_LARGE',
          `${input.name} is larger than ${sizeWords(limits.bytes)}, the most cfadmin reads from it.`,
          'Split it into smaller files and run once per file.',
        )
      }

      if (limits.lineBytes !== undefined) {
        let start = 0
        for (let end = bytes.indexOf(NEWLINE); ; end = bytes.indexOf(NEWLINE, start)) {
          lineBytes += (end === -1 ? bytes.length : end) - start
          if (lineBytes > limits.lineBytes + 1) {
            throw badInput(
              'LINE_TOO_LONG',
              `${input.name} line ${line} is longer than ${sizeWords(limits.lineBytes)}, the most cfadmin reads in one line.`,
              'Put one user per line (or one per CSV row) and run again.',
            )
          }

          if (end === -1) break
          line++
          lineBytes = 0
          start = end + 1
        }
      }

      chunks.push(bytes)
    }
  } finally {
    if (input.stream !== process.stdin) input.stream.destroy()
  }

  const all = Buffer.concat(chunks)
  const body = all[0] === 0xef && all[1] === 0xbb && all[2] === 0xbf ? all.subarray(3) : all
  if (!isUtf8(body)) throw notUtf8(input.name, firstNonUtf8Line(body) ?? 1)
  return body.toString('utf8')
}
