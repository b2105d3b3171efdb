import type {HttpClock} from '../../../src/lib/http/client.js'

export const SITE = 'https://acme.atlassian.net'
export const FAST = {baseDelayMs: 5, maxDelayMs: 20, minDelayMs: 1}

/** A clock whose sleep records each retry delay and returns at once; random 0.5 means jitter x1.0. */
export function fakeClock(now = Date.parse('2026-11-27T19:19:30Z'), random = 0.5): {clock: HttpClock; slept: number[]} {
  const slept: number[] = []
  return {
    clock: {
      now: () => now,
      random: () => random,
      async sleep(ms: number) {
        slept.push(ms)
      },
    },
    slept,
  }
}

export {rejectionOf} from '../../support/rejection.js'

/** Run `fn` with process.stderr.write captured; returns what was written. */
export async function captureStderr(fn: () => Promise<void>): Promise<string> {
  const chunks: string[] = []
  const original = process.stderr.write
  process.stderr.write = ((chunk: string | Uint8Array) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'))
    return true
  }) as typeof process.stderr.write
  try {
    await fn()
  } finally {
    process.stderr.write = original
  }
  return chunks.join('')
}

/** A network error as Node raises it. nock 14 + got 14 hang on a plain-object replyWithError. */
export function networkFailure(code: string, message = code): Error {
  return Object.assign(new Error(message), {code})
}
