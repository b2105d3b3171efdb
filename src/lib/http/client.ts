/**
 * One factory for the got instances every API module uses (site, API gateway, Admin API, OAuth host).
 * Each instance has: a request timeout; the Authorization header from a credential provider, asked
 * before every attempt; one resend after a 401 when the provider can refresh; retries with
 * Atlassian's backoff rules (retry.ts); Atlassian error bodies turned into cfadmin errors (got-errors.ts);
 * a `DEBUG=cfadmin*` request log that never shows a secret (debug-log.ts); and the proxy that HTTPS_PROXY,
 * HTTP_PROXY and NO_PROXY choose for each request's URL (proxy.ts).
 *
 * The retry wait happens here, not in got: got cancels a retry whose delay is 0 and caps `Retry-After`
 * at the request timeout, and a wait we own can be replaced in tests (`clock`).
 */
import {setTimeout as sleep} from 'node:timers/promises'

import type {Got, PlainResponse, RequestError, Response, RetryObject} from 'got'

import {badInput} from '../errors.js'
import {settleAfterDestroy} from './closed-before-connect.js'
import {safeForCredentials} from './loopback.js'
import {debugHttp} from './debug-log.js'
import {type ApiFamily, FAMILY_LABEL} from './family.js'
import {CredentialProviderFailure, fromGotError, redirectRefused} from './got-errors.js'
import {budgetShareLeft} from './budget.js'
import type {RatePacer} from './pacer.js'
import {routeThroughProxy} from './proxy.js'
import {isNearLimit, type QuotaStop, quotaHeadersLine} from './quota.js'
import {isScopeMismatch, quotaMeaning, type RefusalContext} from './refusals.js'
import {AtlassianApiError} from './errors.js'
import {redactUrl, scrubSecrets, secretsOf} from './redact.js'
import {
  decideRetry,
  formatWait,
  IDEMPOTENT_METHODS,
  resolveRetryPolicy,
  RETRY_ERROR_CODES,
  retryFromEnv,
  RETRY_STATUS_CODES,
  type RetryClock,
} from './retry.js'

export {DEFAULT_RETRY, type RetryPolicy} from './retry.js'
import type {RetryPolicy} from './retry.js'
import {loadGot} from '../lazy-modules.js'
import {excerpt} from '../text/safe-text.js'
import {bodyText} from './error-body.js'

export interface CredentialProvider {
  /** The Authorization header value for the next request, e.g. "Basic ..." or "Bearer ...". */
  authorization(): Promise<string>
  /**
   * Asked once after a 401 (e.g. to refresh an OAuth token), with the Authorization value that was refused;
   * resolve true to send the request again once.
   */
  refresh?(rejected?: string): Promise<boolean>
  /** When the request sent again after a refresh gets a 401 too: an error to fail with instead of that 401. */
  refusedAfterRefresh?(): Error | undefined
}

/** Where retry waits get the time, their jitter and their sleep. Tests replace it to see and skip waits. */
export interface HttpClock extends RetryClock {
  sleep(ms: number): Promise<void>
}

export interface HttpClientOptions {
  family: ApiFamily
  /** e.g. 'https://acme.atlassian.net', 'https://api.atlassian.com/admin', 'http://127.0.0.1:4567' */
  baseUrl: string
  /** Absent: no Authorization header (e.g. tenant_info). */
  credentials?: CredentialProvider
  retry?: Partial<RetryPolicy>
  /** Per attempt; default 30 s. */
  timeoutMs?: number
  userAgent?: string
  /** For tests: a fake clock whose sleep records the retry delays instead of waiting. */
  clock?: Partial<HttpClock>
  /** Told each time Atlassian answers 429. */
  onRateLimited?: () => void
  /** Where retry waits are told to the user; default: stderr, shared by every client of the process. */
  notices?: RetryNotices
  /** Paces every request (retries included) to the rate Atlassian allows; share one per API family. */
  pacer?: RatePacer
  /** Sent on every request of this client (e.g. Atl-Confluence-With-Admin-Key for a run that uses the admin key). */
  headers?: Record<string, string>
  /** Whose credential it is and which scopes an endpoint needs, for refusals that are not about the credential. */
  refusals?: RefusalContext
}

export const DEFAULT_TIMEOUT_MS = 30_000

/** A retry wait longer than this is said on stderr, so a user never sits through a silent minute. */
export const NOTICE_AFTER_MS = 2000

/**
 * The lines that tell the user cfadmin is waiting to try again: one per wait over NOTICE_AFTER_MS, and for 429s
 * (which bulk work meets often, each for about a second) one per run, however many clients or requests meet them.
 */
export interface RetryNotices {
  say(line: string): void
  rateLimitMentioned: boolean
  /** The endpoints ("GET /wiki/rest/api/group/by-name") whose removal was already told (Warning 299), once a run. */
  deprecationsMentioned?: Set<string>
  /** Atlassian's "near the quota" was told (once a run). */
  nearLimitMentioned?: boolean
}

/** The process's notices: on stderr even under --json, which keeps stdout for the result. */
export const STDERR_NOTICES: RetryNotices = {
  rateLimitMentioned: false,
  say: (line) => process.stderr.write(`${line}\n`),
}

/** Set in a request's context once it has been resent after a credential refresh. */
const AUTH_RESENT = 'cfadminAuthResent'

const SYSTEM_CLOCK: HttpClock = {now: () => Date.now(), random: () => Math.random(), sleep: (ms) => sleep(ms)}

export async function createHttpClient(options: HttpClientOptions): Promise<Got> {
  const got = await loadGot()
  const {family, credentials} = options
  const policy = resolveRetryPolicy({...retryFromEnv(), ...options.retry})
  const notices = options.notices ?? STDERR_NOTICES
  const clock: HttpClock = {...SYSTEM_CLOCK, ...options.clock}
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
  // Errors whose retry was refused because the server asked for too long a wait, and how long.
  const serverWaits = new WeakMap<object, number>()
  // Errors whose retry was refused because an hourly quota is used up (X-Beta-Ratelimit-*).
  const quotaStops = new WeakMap<object, QuotaStop>()

  const calculateDelay = async ({attemptCount, error, retryOptions}: RetryObject): Promise<number> => {
    // A RetryError is the one resend after a credential refresh (see afterResponse below).
    if (error.name === 'RetryError') return 1
    if (error.cause instanceof CredentialProviderFailure) return 0
    const {method, url, context} = error.options
    const attempt = attemptCount - (context[AUTH_RESENT] === true ? 1 : 0)
    const response = error.name === 'HTTPError' ? error.response : undefined
    if (response?.statusCode === 429) {
      options.pacer?.rateLimited()
      options.onRateLimited?.()
      if (!notices.rateLimitMentioned) {
        notices.rateLimitMentioned = true
        notices.say(
          `Atlassian asked cfadmin to slow down (429 from ${new URL(String(url)).host}): requests are now paced to the rate it allows, so this takes longer.`,
        )
      }
    }

    if (!response) {
      const started = error.timings?.start
      const ms = started === undefined ? '' : ` after ${Date.now() - started} ms`
      debugHttp(`${method} ${redactUrl(String(url))} failed: ${error.code}${ms}`)
    }
    const decision = decideRetry(
      {
        attempt,
        method,
        status: response?.statusCode,
        errorCode: error.code,
        errorMessage: error.message,
        headers: response?.headers,
        allowNonIdempotent: context.retry === true,
      },
      {...policy, limit: retryOptions.limit},
      clock,
    )
    if (!decision.retry) {
      if (decision.why === 'quota') {
        quotaStops.set(error, {reason: decision.quotaReason, resetAt: decision.resetAt})
        // Kept for the family's next requests: the reason a server sent, with what this request carried cut out.
        const sent = error.options
        const reason =
          decision.quotaReason === undefined
            ? undefined
            : scrubSecrets(decision.quotaReason, secretsOf(sent.headers.authorization, url, sent.json ?? sent.body))
        if (options.pacer) options.pacer.quotaStop = {reason, resetAt: decision.resetAt}
        debugHttp(`${method} ${redactUrl(String(url))} not retrying: the hourly quota is used up`)
      }

      if (decision.why === 'wait-too-long') {
        serverWaits.set(error, decision.waitMs)
        debugHttp(
          `${method} ${redactUrl(String(url))} not retrying: server asked to wait ${formatWait(decision.waitMs)}`,
        )
      }
      return 0
    }
    debugHttp(
      `${method} ${redactUrl(String(url))} retry ${attempt} in ${formatWait(decision.delayMs)} after ${decision.reason}`,
    )
    if (response?.statusCode !== 429 && decision.delayMs > NOTICE_AFTER_MS) {
      const host = new URL(String(url)).host
      const what = response
        ? `Atlassian answered ${response.statusCode} (${host})`
        : `No answer from ${host} (${decision.reason})`
      notices.say(`${what}; trying again in ${formatWait(decision.delayMs)} (${attempt} of ${retryOptions.limit})`)
    }
    await clock.sleep(decision.delayMs)
    return 1 // got waits this long on top; 0 would cancel the retry
  }

  const prefixUrl = normalizeBaseUrl(options.baseUrl)
  const home = new URL(prefixUrl).origin
  // Credentials go to the origin the instance was made for, never further: got drops Authorization on a
  // redirect to another host, but the hook below would put it back, and a 307/308 resends the token
  // endpoint's body (client secret, refresh token) as it is. So an instance with secrets follows no
  // redirect, and none follows one from https to plain http.
  const carriesSecrets = credentials !== undefined || family === 'auth'
  if (carriesSecrets && !safeForCredentials(new URL(prefixUrl))) {
    throw badInput(
      'BASE_URL_INSECURE',
      `${FAMILY_LABEL[family]} at ${new URL(prefixUrl).host} would be reached over plain http, sending credentials in clear.`,
      'Use its https:// address (plain http is only for a server on this machine, e.g. http://127.0.0.1:4567).',
    )
  }

  const followRedirect = carriesSecrets ? false : (response: PlainResponse) => !downgrades(response)

  const instance = got.extend({
    prefixUrl,
    followRedirect,
    timeout: {request: timeoutMs},
    headers: {...options.headers, accept: 'application/json', 'user-agent': options.userAgent ?? 'cfadmin'},
    // calculateDelay makes every retry decision (retry.ts); these lists only describe it to got.
    retry: {
      limit: policy.limit,
      methods: [...IDEMPOTENT_METHODS, 'POST', 'PATCH'],
      statusCodes: [...RETRY_STATUS_CODES],
      errorCodes: [...RETRY_ERROR_CODES],
      calculateDelay,
    },
    hooks: {
      beforeRequest: [
        // First: a malformed proxy variable fails the request before it takes a pacer slot.
        (requestOptions) => routeThroughProxy(requestOptions),
        async (requestOptions) => {
          refuseWhileQuotaUsedUp(
            requestOptions,
            options.pacer,
            {basePath: new URL(prefixUrl).pathname, family},
            clock.now(),
          )
          await options.pacer?.acquire()
          if (!credentials) return
          if (new URL(String(requestOptions.url)).origin !== home) {
            delete requestOptions.headers.authorization
            return
          }
          try {
            requestOptions.headers.authorization = await credentials.authorization()
          } catch (error) {
            throw new CredentialProviderFailure(error)
          }
        },
        markV1Write(family),
        // Last: wraps the request function chosen above (Node 24 fails a refused connection twice).
        settleAfterDestroy,
      ],
      afterResponse: [
        // First, so it stays when got drops the hooks after a resend (it keeps those before the resending one).
        (response) => {
          logResponse(response)
          if (response.statusCode !== 429)
            options.pacer?.succeeded(pacesOnBudget(response) ? budgetShareLeft(response.headers) : undefined)
          warnIfDeprecated(response, notices)
          slowDownNearQuota(response, options.pacer, notices)
          return response
        },
        // A redirect not followed (see followRedirect above) is an error naming where it pointed.
        (response) => {
          if (!isRedirect(response.statusCode)) return response
          const sent = response.request.options
          throw redirectRefused(
            response,
            family,
            secretsOf(sent.headers.authorization, sent.url, sent.json ?? sent.form ?? sent.body),
          )
        },
        async (response, retryWithMergedOptions) => {
          if (response.statusCode !== 401 || !credentials?.refresh) return response
          const {context, method, url} = response.request.options
          if (context[AUTH_RESENT] === true) return response
          // A refreshed token carries the same scopes: a scope refusal is not worth a refresh-token rotation.
          if (isScopeMismatch(401, response.headers, bodyText(response.body))) {
            debugHttp(`${method} ${redactUrl(String(url))} 401 scope does not match: not refreshing`)
            return response
          }
          let refreshed: boolean
          try {
            const sent = response.request.options.headers.authorization
            refreshed = await credentials.refresh(typeof sent === 'string' ? sent : undefined)
          } catch (error) {
            throw new CredentialProviderFailure(error)
          }
          if (!refreshed) return response
          debugHttp(`${method} ${redactUrl(String(url))} credentials refreshed after 401; sending once more`)
          // beforeRequest asks the provider again, so the resend carries the fresh Authorization.
          return retryWithMergedOptions({context: {[AUTH_RESENT]: true}})
        },
      ],
      beforeError: [
        (error: RequestError) => {
          // A 401 to the request sent again after a refresh: the provider may know better than "401" what it means.
          const resentRefused = error.response?.statusCode === 401 && error.options.context[AUTH_RESENT] === true
          const refusal = resentRefused ? credentials?.refusedAfterRefresh?.() : undefined
          if (refusal) return refusal as RequestError
          return fromGotError(error, family, {
            basePath: new URL(prefixUrl).pathname,
            quota: quotaStops.get(error),
            refusals: options.refusals,
            serverWaitMs: serverWaits.get(error),
          })
        },
      ],
    },
  })
  return wrapInstance(instance, family)
}

/** Confluence's v1 REST writes, which may refuse a request without the XSRF opt-out (atlassian-2026.md §2). */
const V1_WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/**
 * Sends `X-Atlassian-Token: no-check` on every v1 write (POST/PUT/PATCH/DELETE under /wiki/rest/api) of the site and
 * the gateway: reported as required (else "403 XSRF check failed"), and harmless where it is not.
 */
function markV1Write(family: ApiFamily) {
  return (requestOptions: {method: string; url?: unknown; headers: Record<string, unknown>}) => {
    if (family !== 'site' && family !== 'gateway') return
    if (!V1_WRITE_METHODS.has(requestOptions.method.toUpperCase())) return
    if (!new URL(String(requestOptions.url)).pathname.includes('/wiki/rest/api/')) return
    requestOptions.headers['x-atlassian-token'] = 'no-check'
  }
}

/**
 * `Warning: 299 …` says Atlassian removed or is removing the endpoint (atlassian-2026.md §6): the header goes to the
 * DEBUG log every time, and the user is told once a run per endpoint.
 */
function warnIfDeprecated(response: Response, notices: RetryNotices): void {
  const header = response.headers.warning
  const warning = Array.isArray(header) ? header.join(', ') : header
  if (!warning || !/(^|,)\s*299\b/.test(warning)) return
  const endpoint = `${response.request.options.method} ${new URL(response.url).pathname}`
  debugHttp(`${endpoint} Warning: ${warning}`)
  notices.deprecationsMentioned ??= new Set()
  if (notices.deprecationsMentioned.has(endpoint)) return
  notices.deprecationsMentioned.add(endpoint)
  notices.say(`Warning: Atlassian removed or is removing this endpoint: ${endpoint} (${excerpt(warning, 200)})`)
}

/**
 * Once Atlassian said the hourly quota is used up, the family's next requests (the other items of a run) fail with the
 * same words before they are sent: nothing would get through before the reset.
 */
function refuseWhileQuotaUsedUp(
  requestOptions: {method: string; url?: unknown},
  pacer: RatePacer | undefined,
  {basePath, family}: {basePath: string; family: ApiFamily},
  now: number,
): void {
  const stop = pacer?.quotaStop
  if (!stop) return
  if (stop.resetAt !== undefined && stop.resetAt <= now) {
    pacer.quotaStop = undefined
    return
  }

  const url = new URL(String(requestOptions.url))
  const path =
    basePath !== '/' && url.pathname.startsWith(basePath) ? `/${url.pathname.slice(basePath.length)}` : url.pathname
  const facts = {family, method: requestOptions.method.toUpperCase(), path, status: 429}
  throw new AtlassianApiError({...facts, meaning: quotaMeaning(facts, stop), url: url.pathname})
}

/** The request asked to be paced on the budget Atlassian reports (`context.paceOnBudget`; RatePacer.succeeded). */
function pacesOnBudget(response: Response): boolean {
  return response.request.options.context.paceOnBudget === true
}

/**
 * `X-Beta-Ratelimit-Nearlimit: true` (OAuth apps' points quota, atlassian-2026.md §6): the pacer eases off before the
 * quota runs out; the user is told once a run. The quota headers go to the DEBUG log.
 */
function slowDownNearQuota(response: Response, pacer: RatePacer | undefined, notices: RetryNotices): void {
  const line = quotaHeadersLine(response.headers)
  if (line === undefined) return
  debugHttp(`${response.request.options.method} ${redactUrl(response.url)} quota: ${line}`)
  if (!isNearLimit(response.headers)) return
  pacer?.nearLimit()
  if (notices.nearLimitMentioned) return
  notices.nearLimitMentioned = true
  notices.say(
    `Atlassian says this app is near its hourly rate-limit quota (${new URL(response.url).host}): cfadmin slows down to make it last.`,
  )
}

function isRedirect(status: number): boolean {
  return status >= 300 && status < 400 && status !== 304
}

/** A redirect from https to plain http: whatever it carries would travel in clear. */
function downgrades(response: PlainResponse): boolean {
  const {location} = response.headers
  if (location === undefined) return false
  try {
    return new URL(response.url).protocol === 'https:' && new URL(location, response.url).protocol !== 'https:'
  } catch {
    return true
  }
}

function logResponse(response: Response): void {
  const started = response.timings?.start
  const ended = response.timings?.end ?? Date.now()
  const ms = started === undefined ? '' : ` ${Math.round(ended - started)} ms`
  const retried = response.retryCount > 0 ? ` (attempt ${response.retryCount + 1})` : ''
  debugHttp(`${response.request.options.method} ${redactUrl(response.url)} ${response.statusCode}${ms}${retried}`)
}

function normalizeBaseUrl(baseUrl: string): string {
  let url: URL
  try {
    url = new URL(baseUrl)
  } catch {
    throw badInput('BAD_BASE_URL', `Not a URL: ${baseUrl}`, 'Give the full URL, e.g. https://your-site.atlassian.net')
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw badInput(
      'BAD_BASE_URL',
      `Not an http(s) URL: ${baseUrl}`,
      'Give the full URL, e.g. https://your-site.atlassian.net',
    )
  }
  url.search = ''
  url.hash = ''
  return url.toString().endsWith('/') ? url.toString() : `${url.toString()}/`
}

const SHORTCUTS = new Set(['get', 'post', 'put', 'patch', 'head', 'delete'])
const BODY_READERS = ['json', 'text', 'buffer'] as const

/**
 * Two fixes over the plain got instance, on the instance call and its method shortcuts (not on
 * instances made from it with `.extend`):
 * - got refuses a path starting with "/" when a prefix URL is set; callers write '/wiki/...' by habit,
 *   so leading slashes are dropped.
 * - `.json()` parses after got's hooks have run, so a 2xx body that is not JSON (a login page) would
 *   escape as got's ParseError, whose message holds the full URL and query; it is mapped here too.
 *   (`responseType: 'json'` on the instance would send it to beforeError, as paginate's requests are, but would
 *   also fail `.text()` and calls that read no body on any 2xx that is not JSON, and give callers parsed bodies.)
 */
function wrapInstance(instance: Got, family: ApiFamily): Got {
  const strip = (input: unknown) => (typeof input === 'string' ? input.replace(/^\/+/, '') : input)
  const send = (call: (...args: unknown[]) => unknown, args: unknown[]) =>
    guardBodyReaders(call(strip(args[0]), ...args.slice(1)), family)
  return new Proxy(instance, {
    apply: (target, thisArg, args: unknown[]) => send((...a) => Reflect.apply(target, thisArg, a), args),
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver)
      if (typeof property === 'string' && SHORTCUTS.has(property) && typeof value === 'function') {
        return (...args: unknown[]) => send((...a) => Reflect.apply(value, target, a), args)
      }
      return value
    },
  })
}

function guardBodyReaders(request: unknown, family: ApiFamily): unknown {
  if (typeof request !== 'object' || request === null || !('json' in request)) return request // a stream
  const readers = request as Record<(typeof BODY_READERS)[number], unknown>
  for (const name of BODY_READERS) {
    const original = readers[name]
    if (typeof original !== 'function') continue
    readers[name] = function (this: unknown) {
      return (original.call(this) as Promise<unknown>).catch((error: unknown) => {
        throw error instanceof Error && error.name === 'ParseError'
          ? fromGotError(error as RequestError, family)
          : error
      })
    }
  }
  return request
}
