import nock from 'nock'

import type {HttpClock} from '../../../src/lib/http/client.js'
import {undocumentedScope} from '../../support/nock.js'

export const SITE = 'https://acme.atlassian.net'
/**
 * A nock scope for made-up requests (GET /x, a POST without its body, a secret-looking query parameter...), exempt
 * from the contract check: retries, timeouts, error mapping and the debug log do not depend on which endpoint answers
 * or what the request says, and the made-up parts are what some tests look for (the secret must not be shown).
 */
export const madeUp = (origin: string = SITE) =>
  undocumentedScope(nock(origin), 'the HTTP layer is tested on made-up requests; it does not read what they mean')

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
