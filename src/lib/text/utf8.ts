/**
 * Strict UTF-8 for inputs: Node's decoder turns invalid bytes into U+FFFD without a word, which made a Latin-1
 * export's emails silently wrong. These find the first bad bytes and the line they are on, in a whole buffer or in
 * a stream of chunks (where a character may be split between two chunks), at the speed of Buffer's own check.
 */
import {isUtf8} from 'node:buffer'

const NEWLINE = 0x0a

/** The 1-based line of `bytes` that holds the first byte sequence that is not UTF-8, else undefined. */
export function firstNonUtf8Line(bytes: Buffer): number | undefined {
  let line = 1
  let start = 0
  for (;;) {
    const end = bytes.indexOf(NEWLINE, start)
    const stop = end === -1 ? bytes.length : end
    if (!isUtf8(bytes.subarray(start, stop))) return line
    if (end === -1) return undefined
    line++
    start = end + 1
  }
}

/** The bytes of the UTF-8 sequence a byte starts (1 to 4), or 0 for a byte that cannot start one. */
function sequenceLength(byte: number): number {
  if (byte < 0x80) return 1
  if (byte >= 0xc2 && byte <= 0xdf) return 2
  if (byte >= 0xe0 && byte <= 0xef) return 3
  if (byte >= 0xf0 && byte <= 0xf4) return 4
  return 0
}

const isContinuation = (byte: number) => (byte & 0xc0) === 0x80

function countNewlines(bytes: Buffer): number {
  let count = 0
  for (let i = bytes.indexOf(NEWLINE); i !== -1; i = bytes.indexOf(NEWLINE, i + 1)) count++
  return count
}

/**
 * Checks a stream's chunks as they pass: `check` returns the 1-based line of the first bytes that are not UTF-8
 * (counting the lines of every chunk before), else undefined; `end` says whether the input stopped inside a
 * character. A character cut between two chunks is checked once both halves are there.
 */
export class Utf8LineChecker {
  /** The start of a character the last chunk ended in (at most 3 bytes, never a line break). */
  private carry: Buffer = Buffer.alloc(0)
  /** Line breaks in the chunks checked so far. */
  private lines = 0

  check(chunk: Buffer): number | undefined {
    let start = 0
    if (this.carry.length > 0) {
      const need = sequenceLength(this.carry[0]) - this.carry.length
      const rest = chunk.subarray(0, need)
      if (!rest.every(isContinuation)) return this.lines + 1
      const joined = Buffer.concat([this.carry, rest])
      if (rest.length < need) {
        this.carry = joined
        return undefined
      }

      this.carry = Buffer.alloc(0)
      if (!isUtf8(joined)) return this.lines + 1
      start = need
    }

    // A character the chunk ends in waits for the next chunk.
    let cut = chunk.length
    for (let i = chunk.length - 1; i >= Math.max(start, chunk.length - 3); i--) {
      if (isContinuation(chunk[i])) continue
      if (sequenceLength(chunk[i]) > chunk.length - i) cut = i
      break
    }

    const body = chunk.subarray(start, cut)
    if (!isUtf8(body)) return this.lines + (firstNonUtf8Line(body) ?? 1)
    this.lines += countNewlines(body)
    this.carry = Buffer.from(chunk.subarray(cut))
    return undefined
  }

  /** The line the input ends on when it ends inside a character, else undefined. */
  end(): number | undefined {
    return this.carry.length > 0 ? this.lines + 1 : undefined
  }
}
