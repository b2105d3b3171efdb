/**
 * When to send a failed request again, and how long to wait first. Pure functions: the clock and the
 * random source are passed in, so every delay can be tested without waiting for it.
 *
 * Policy from Atlassian's rate-limiting guide (see docs/atlassian-api.md §8): at most 4 retries,
 * back off from 5 s doubling to a 30 s cap with jitter x[0.7, 1.3], honour `Retry-After`, and never
 * retry a non-idempotent call unless the caller has checked it is safe.
 */

import {badInput} from '../errors.js'
import {excerpt} from '../text/safe-text.js'
import {exhaustedQuota, headerValue, type HeaderValue} from './quota.js'

export type {HeaderValue} from './quota.js'

export interface RetryPolicy {
  /** Retries after the first attempt. */
  limit: number
  /** The first backoff delay; it doubles on each retry. */
  baseDelayMs: number
  /** The cap on the backoff delay (a server-given `Retry-After` may be longer). */
  maxDelayMs: number
  /** No retry waits less than this, so `Retry-After: 0` cannot turn into a request storm. */
  minDelayMs: number
}

export const DEFAULT_RETRY: RetryPolicy = Object.freeze({
  limit: 4,
  baseDelayMs: 5000,
  maxDelayMs: 30_000,
  minDelayMs: 1000,
})

/** A server asking for a longer wait than this fails the request instead of leaving the CLI hanging. */
export const MAX_SERVER_WAIT_MS = 5 * 60_000
/** How many times the retry limit a 429 may be retried. */
export const RATE_LIMIT_PATIENCE = 3

export const RETRY_STATUS_CODES: readonly number[] = [429, 500, 502, 503, 504]
export const RETRY_ERROR_CODES: readonly string[] = ['ECONNRESET', 'ETIMEDOUT', 'ECONNREFUSED', 'EPIPE', 'EAI_AGAIN']
export const IDEMPOTENT_METHODS = ['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS'] as const

const JITTER_MIN = 0.7
const JITTER_SPAN = 0.6

export interface RetryInput {
  /** 1 for the first retry. */
  attempt: number
  method: string
  /** The HTTP status, when the server answered. */
  status?: number
  /** The network error code (ECONNRESET, ...), when it did not. */
  errorCode?: string
  errorMessage?: string
  headers?: Record<string, HeaderValue>
  /** The caller checked that sending this POST/PATCH again is safe (`context: {retry: true}`). */
  allowNonIdempotent?: boolean
}

export type RetryDecision =
  | {retry: true; delayMs: number; reason: string; source: 'retry-after' | 'rate-limit-reset' | 'backoff'}
  | {retry: false; why: 'not-retryable' | 'not-idempotent' | 'limit'}
  | {retry: false; why: 'wait-too-long'; waitMs: number; reason: string}
  /** An OAuth app's hourly points quota is used up (quota.ts): no wait cfadmin would sit through helps. */
  | {retry: false; why: 'quota'; resetAt?: number; quotaReason?: string; reason: string}

export interface RetryClock {
  now(): number
  /** Uniform in [0, 1). */
  random(): number
}

/**
 * CFADMIN_RETRY_BASE_MS: the first wait before resending after a 5xx or a lost connection, doubling after each
 * (default 5000 ms, Atlassian's advice; a Retry-After from the server always wins). Lower it against a local server.
 * Read by createHttpClient, so every command's every client follows it.
 */
export function retryFromEnv(env: NodeJS.ProcessEnv = process.env): Partial<RetryPolicy> {
  const text = env.CFADMIN_RETRY_BASE_MS
  if (text === undefined || text === '') return {}
  const baseDelayMs = Number(text)
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(baseDelayMs) || baseDelayMs < 1) {
    throw badInput(
      'RETRY_BASE_INVALID',
      `CFADMIN_RETRY_BASE_MS must be a whole number of milliseconds of at least 1, not "${excerpt(text)}".`,
      'Unset it for the default (5000).',
    )
  }
  // The floor (kept against `Retry-After: 0` storms) must not make the first wait longer than asked.
  return {baseDelayMs, minDelayMs: Math.min(DEFAULT_RETRY.minDelayMs, baseDelayMs)}
}

/** Fill in and check a partial policy; a bad value is a programming error, so it throws. */
export function resolveRetryPolicy(partial: Partial<RetryPolicy> = {}): RetryPolicy {
  const policy = {...DEFAULT_RETRY, ...stripUndefined(partial)}
  for (const [name, value] of Object.entries(policy)) {
    if (!Number.isFinite(value) || value < 0) throw new TypeError(`retry.${name} must be a number >= 0, got ${value}`)
  }
  if (policy.minDelayMs < 1) policy.minDelayMs = 1 // got treats a delay of 0 as "do not retry"
  return policy
}

/** The network failures worth another try: the connection broke, or the peer was briefly unreachable. */
export function isRetryableNetworkError(code: string | undefined, message?: string): boolean {
  return (code !== undefined && RETRY_ERROR_CODES.includes(code)) || /socket hang up/i.test(message ?? '')
}

export function decideRetry(input: RetryInput, policy: RetryPolicy, clock: RetryClock): RetryDecision {
  const reason = input.status === undefined ? (input.errorCode ?? 'network error') : String(input.status)
  const retryable =
    input.status === undefined
      ? isRetryableNetworkError(input.errorCode, input.errorMessage)
      : RETRY_STATUS_CODES.includes(input.status)
  if (!retryable) return {retry: false, why: 'not-retryable'}
  // A 429 is refused before anything is done, so even a POST can be sent again; a 5xx or a broken
  // connection may come after the change was made, so only idempotent requests (or checked ones) are.
  const rateLimited = input.status === 429
  if (
    !rateLimited &&
    !(IDEMPOTENT_METHODS as readonly string[]).includes(input.method.toUpperCase()) &&
    input.allowNonIdempotent !== true
  ) {
    return {retry: false, why: 'not-idempotent'}
  }
  // Being asked to wait is not a failure: bulk work under a rate limit gets more patience.
  if (input.attempt > (rateLimited ? policy.limit * RATE_LIMIT_PATIENCE : policy.limit))
    return {retry: false, why: 'limit'}

  if (rateLimited && input.headers) {
    const quota = exhaustedQuota(input.headers, clock.now(), MAX_SERVER_WAIT_MS)
    if (quota) return {quotaReason: quota.reason, reason, resetAt: quota.resetAt, retry: false, why: 'quota'}
  }

  const server = input.headers ? serverRequestedWait(input.headers, clock.now()) : undefined
  if (server !== undefined) {
    if (server.waitMs > MAX_SERVER_WAIT_MS) return {retry: false, why: 'wait-too-long', waitMs: server.waitMs, reason}
    return {retry: true, delayMs: Math.max(policy.minDelayMs, server.waitMs), reason, source: server.source}
  }
  return {retry: true, delayMs: backoffDelay(input.attempt, policy, clock.random()), reason, source: 'backoff'}
}

/** Capped exponential backoff with jitter; `random` in [0, 1) picks the jitter factor in [0.7, 1.3). */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: number): number {
  const exponential = policy.baseDelayMs * 2 ** Math.max(0, attempt - 1)
  const jittered = Math.min(policy.maxDelayMs, exponential) * (JITTER_MIN + JITTER_SPAN * random)
  return Math.max(policy.minDelayMs, Math.min(policy.maxDelayMs, Math.round(jittered)))
}

/**
 * The wait the server asked for: `Retry-After` (seconds or an HTTP date) first, else `X-RateLimit-Reset`, else
 * `X-Beta-Ratelimit-Reset` (an ISO 8601 UTC time such as 2026-11-27T19:20Z). A time in the past means 0.
 */
export function serverRequestedWait(
  headers: Record<string, HeaderValue>,
  now: number,
): {waitMs: number; source: 'retry-after' | 'rate-limit-reset'} | undefined {
  const retryAfter = parseRetryAfter(headerValue(headers, 'retry-after'), now)
  if (retryAfter !== undefined) return {waitMs: retryAfter, source: 'retry-after'}
  const reset =
    parseRateLimitReset(headerValue(headers, 'x-ratelimit-reset'), now) ??
    parseRateLimitReset(headerValue(headers, 'x-beta-ratelimit-reset'), now)
  if (reset !== undefined) return {waitMs: reset, source: 'rate-limit-reset'}
  return undefined
}

export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined || value.trim() === '') return undefined
  const text = value.trim()
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000)
  const date = Date.parse(text)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}

export function parseRateLimitReset(value: string | undefined, now: number): number | undefined {
  if (value === undefined || value.trim() === '') return undefined
  const text = value.trim()
  // Not what Atlassian documents, but some gateways send epoch seconds; accept them rather than guess wrong.
  if (/^\d{9,}$/.test(text)) return Math.max(0, Number(text) * 1000 - now)
  if (!/^\d{4}-\d{2}-\d{2}T/.test(text)) return undefined
  const date = Date.parse(text)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}

const DAY_MS = 86_400_000

/** "250 ms", "1.2 s", "6 min", "3 days": for log lines and error messages; an absurd wait is "more than a year". */
export function formatWait(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`
  if (ms < 120_000) return `${(ms / 1000).toFixed(1).replace(/\.0$/, '')} s`
  if (ms < 2 * DAY_MS) return `${Math.round(ms / 60_000)} min`
  return ms <= 365 * DAY_MS ? `${Math.round(ms / DAY_MS)} days` : 'more than a year'
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>
}
