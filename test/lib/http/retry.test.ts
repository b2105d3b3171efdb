import {expect} from 'chai'

import {
  backoffDelay,
  decideRetry,
  DEFAULT_RETRY,
  formatWait,
  MAX_SERVER_WAIT_MS,
  parseRateLimitReset,
  parseRetryAfter,
  resolveRetryPolicy,
  type RetryInput,
} from '../../../src/lib/http/retry.js'

const NOW = Date.parse('2026-11-27T19:19:30Z')
const clock = (random = 0.5) => ({now: () => NOW, random: () => random})
const get = (extra: Partial<RetryInput> = {}): RetryInput => ({attempt: 1, method: 'GET', status: 429, ...extra})

describe('http retry policy', () => {
  it('defaults to Atlassian guidance: 4 retries, 5 s doubling to a 30 s cap, 1 s floor', () => {
    expect(DEFAULT_RETRY).to.deep.equal({limit: 4, baseDelayMs: 5000, maxDelayMs: 30_000, minDelayMs: 1000})
    expect(resolveRetryPolicy({limit: 1, baseDelayMs: undefined})).to.deep.equal({...DEFAULT_RETRY, limit: 1})
  })

  it('refuses a negative or non-numeric policy value', () => {
    expect(() => resolveRetryPolicy({limit: -1})).to.throw(TypeError, /retry.limit/)
    expect(() => resolveRetryPolicy({baseDelayMs: Number.NaN})).to.throw(TypeError, /retry.baseDelayMs/)
  })

  it('raises a 0 ms floor to 1 ms, because got cancels a retry whose delay is 0', () => {
    expect(resolveRetryPolicy({minDelayMs: 0}).minDelayMs).to.equal(1)
  })

  it('doubles the backoff from the base delay and caps it, with jitter between x0.7 and x1.3', () => {
    const delays = [1, 2, 3, 4, 5].map((attempt) => backoffDelay(attempt, DEFAULT_RETRY, 0.5))
    expect(delays).to.deep.equal([5000, 10_000, 20_000, 30_000, 30_000])
    expect(backoffDelay(1, DEFAULT_RETRY, 0)).to.equal(3500)
    expect(backoffDelay(1, DEFAULT_RETRY, 0.999_999)).to.equal(6500)
    // At the cap, jitter can only lower the wait: the cap is a hard ceiling.
    expect(backoffDelay(4, DEFAULT_RETRY, 0)).to.equal(21_000)
    expect(backoffDelay(4, DEFAULT_RETRY, 0.999_999)).to.equal(30_000)
  })

  it('never backs off for less than the floor', () => {
    expect(backoffDelay(1, {limit: 4, baseDelayMs: 10, maxDelayMs: 20, minDelayMs: 50}, 0)).to.equal(50)
  })

  it('reads Retry-After as seconds or as an HTTP date, a past date meaning no wait', () => {
    expect(parseRetryAfter('7', NOW)).to.equal(7000)
    expect(parseRetryAfter('0', NOW)).to.equal(0)
    expect(parseRetryAfter(new Date(NOW + 3000).toUTCString(), NOW)).to.equal(3000)
    expect(parseRetryAfter(new Date(NOW - 60_000).toUTCString(), NOW)).to.equal(0)
    expect(parseRetryAfter('soon', NOW)).to.equal(undefined)
    expect(parseRetryAfter('', NOW)).to.equal(undefined)
  })

  it('reads X-RateLimit-Reset as an ISO 8601 UTC time with or without seconds', () => {
    expect(parseRateLimitReset('2026-11-27T19:20Z', NOW)).to.equal(30_000)
    expect(parseRateLimitReset('2026-11-27T19:20:45Z', NOW)).to.equal(75_000)
    expect(parseRateLimitReset('2026-11-27T19:00Z', NOW)).to.equal(0)
    expect(parseRateLimitReset('tomorrow', NOW)).to.equal(undefined)
  })

  it('waits what Retry-After asks even beyond the backoff cap, and prefers it to X-RateLimit-Reset', () => {
    const decision = decideRetry(
      get({headers: {'retry-after': '45', 'x-ratelimit-reset': '2026-11-27T19:20Z'}}),
      DEFAULT_RETRY,
      clock(),
    )
    expect(decision).to.deep.equal({retry: true, delayMs: 45_000, reason: '429', source: 'retry-after'})
  })

  it('waits until X-RateLimit-Reset when there is no Retry-After', () => {
    const decision = decideRetry(get({headers: {'x-ratelimit-reset': '2026-11-27T19:20Z'}}), DEFAULT_RETRY, clock())
    expect(decision).to.deep.equal({retry: true, delayMs: 30_000, reason: '429', source: 'rate-limit-reset'})
  })

  it('turns Retry-After: 0 into the floor so a busy server is not hammered', () => {
    const decision = decideRetry(get({headers: {'retry-after': '0'}}), DEFAULT_RETRY, clock())
    expect(decision).to.include({retry: true, delayMs: 1000})
  })

  it('refuses to wait longer than 5 minutes for the server and says how long it asked', () => {
    const decision = decideRetry(get({headers: {'retry-after': '301'}}), DEFAULT_RETRY, clock())
    expect(decision).to.deep.equal({retry: false, why: 'wait-too-long', waitMs: 301_000, reason: '429'})
    expect(MAX_SERVER_WAIT_MS).to.equal(300_000)
    expect(decideRetry(get({headers: {'retry-after': '300'}}), DEFAULT_RETRY, clock())).to.include({retry: true})
  })

  it('retries 429 and 500/502/503/504 but no other status', () => {
    for (const status of [429, 500, 502, 503, 504]) {
      expect(decideRetry(get({status}), DEFAULT_RETRY, clock()), String(status)).to.include({retry: true})
    }
    for (const status of [400, 401, 403, 404, 409, 422, 501]) {
      expect(decideRetry(get({status}), DEFAULT_RETRY, clock()), String(status)).to.deep.equal({
        retry: false,
        why: 'not-retryable',
      })
    }
  })

  it('retries connection failures by code or "socket hang up", not a DNS miss', () => {
    for (const errorCode of ['ECONNRESET', 'ETIMEDOUT', 'ECONNREFUSED', 'EPIPE', 'EAI_AGAIN']) {
      expect(decideRetry(get({status: undefined, errorCode}), DEFAULT_RETRY, clock()), errorCode).to.include({
        retry: true,
        reason: errorCode,
      })
    }
    expect(
      decideRetry(get({status: undefined, errorCode: 'ERR_X', errorMessage: 'socket hang up'}), DEFAULT_RETRY, clock()),
    ).to.include({retry: true})
    expect(decideRetry(get({status: undefined, errorCode: 'ENOTFOUND'}), DEFAULT_RETRY, clock())).to.include({
      retry: false,
    })
  })

  it('retries POST and PATCH after a 5xx only when the caller marked them safe to repeat', () => {
    for (const method of ['POST', 'PATCH']) {
      expect(decideRetry(get({method, status: 503}), DEFAULT_RETRY, clock())).to.deep.equal({
        retry: false,
        why: 'not-idempotent',
      })
      expect(decideRetry(get({method, status: 503, allowNonIdempotent: true}), DEFAULT_RETRY, clock())).to.include({
        retry: true,
      })
    }
    for (const method of ['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']) {
      expect(decideRetry(get({method}), DEFAULT_RETRY, clock()), method).to.include({retry: true})
    }
  })

  it('retries a POST answered 429, which Atlassian refused before doing anything', () => {
    expect(decideRetry(get({method: 'POST', status: 429}), DEFAULT_RETRY, clock())).to.include({retry: true})
  })

  it('stops once the retry limit is used up, and is three times as patient with 429s', () => {
    expect(decideRetry(get({attempt: 4, status: 503}), DEFAULT_RETRY, clock())).to.include({retry: true})
    expect(decideRetry(get({attempt: 5, status: 503}), DEFAULT_RETRY, clock())).to.deep.equal({
      retry: false,
      why: 'limit',
    })
    expect(decideRetry(get({attempt: 12, status: 429}), DEFAULT_RETRY, clock())).to.include({retry: true})
    expect(decideRetry(get({attempt: 13, status: 429}), DEFAULT_RETRY, clock())).to.deep.equal({
      retry: false,
      why: 'limit',
    })
  })

  it('formats waits for people', () => {
    expect(formatWait(5)).to.equal('5 ms')
    expect(formatWait(1200)).to.equal('1.2 s')
    expect(formatWait(30_000)).to.equal('30 s')
    expect(formatWait(3_600_000)).to.equal('60 min')
  })
})
