/**
 * Turn what got throws into cfadmin errors a user can act on: Atlassian's own message, an exit code,
 * and a hint naming the credential or right that is missing. Nothing here may carry a secret: the
 * URL is reduced to its path, and any echo of the Authorization value or a secret query value is
 * cut out of the server's text.
 */
import type {Options, RequestError, Response} from 'got'

import {badInput, CfadminError, ExitCode, type ExitCodeValue} from '../errors.js'
import {boundedMessage, excerpt as safeExcerpt, terminalSafe} from '../text/safe-text.js'
import type {ApiFamily} from './client.js'
import {isSecretParam, redactUrl} from './debug-log.js'
import {type ProxyInUse, proxyInUse, tunnelRefusal} from './proxy.js'
import {formatWait, isRetryableNetworkError, MAX_SERVER_WAIT_MS} from './retry.js'

export const FAMILY_LABEL: Readonly<Record<ApiFamily, string>> = {
  site: 'Confluence',
  gateway: 'Confluence (via api.atlassian.com)',
  admin: 'The Atlassian Admin API',
  auth: 'Atlassian OAuth (auth.atlassian.com)',
}

const CREDENTIAL: Readonly<Record<ApiFamily, string>> = {
  site: 'the account email and API token',
  gateway: 'the OAuth login (or scoped API token)',
  admin: 'the organization Admin API key',
  auth: "the OAuth app's client ID and secret (and refresh token)",
}

const MISSING_RIGHT: Readonly<Record<ApiFamily, string>> = {
  site: 'The account is not allowed to do this: it needs to be a site admin or Confluence admin (space admin for space permissions).',
  gateway:
    'The OAuth token lacks a scope this call needs, or the user lacks the admin right: add the scopes to the app and log in again (cfadmin auth login).',
  admin: 'The Admin API key cannot do this: use a key created by an organization admin of this organization (and directory).',
  auth: "Atlassian refused the OAuth app: check its client ID and secret, its scopes and the user's consent in the developer console.",
}

const EXCERPT_LENGTH = 200

export interface AtlassianApiErrorInit {
  family: ApiFamily
  status: number
  method: string
  /** The request path, without the query string. */
  url: string
  atlassianMessage?: string
  /** Used in the message when Atlassian gave no message, e.g. "Not Found". */
  statusText?: string
  retries?: number
  /** Set when Atlassian asked to wait longer than cfadmin will (Retry-After / X-RateLimit-Reset). */
  serverWaitMs?: number
  /** The OAuth host's error code (`invalid_grant`, `access_denied`, ...), from a `{error, error_description}` body. */
  oauthError?: string
}

/** Atlassian answered with an error status. */
export class AtlassianApiError extends CfadminError {
  readonly status: number
  readonly method: string
  readonly url: string
  readonly atlassianMessage: string | undefined
  readonly family: ApiFamily
  /** How many times the request was sent again before giving up. */
  readonly retries: number
  readonly oauthError: string | undefined

  constructor(init: AtlassianApiErrorInit) {
    const method = init.method.toUpperCase()
    const detail = init.atlassianMessage ?? init.statusText ?? 'no message'
    let message = `${FAMILY_LABEL[init.family]} answered ${init.status} to ${method} ${init.url}: ${detail}`
    if ((init.retries ?? 0) > 0) message += ` (sent ${(init.retries ?? 0) + 1} times)`
    if (init.serverWaitMs !== undefined) {
      message += ` (Atlassian asked to wait ${formatWait(init.serverWaitMs)} before retrying, longer than the ${formatWait(MAX_SERVER_WAIT_MS)} cfadmin waits)`
    }
    super(message, {code: `HTTP_${init.status}`, exit: exitFor(init.status), hint: hintFor(init)})
    this.name = 'AtlassianApiError'
    this.status = init.status
    this.method = method
    this.url = init.url
    this.atlassianMessage = init.atlassianMessage
    this.family = init.family
    this.retries = init.retries ?? 0
    this.oauthError = init.oauthError
  }
}

/** True for an Atlassian error answer, optionally with this status. */
export function isAtlassianError(error: unknown, status?: number): error is AtlassianApiError {
  return error instanceof AtlassianApiError && (status === undefined || error.status === status)
}

/**
 * An error that may have left a change undone and is worth another try after a fresh check: a 429 or 5xx answer,
 * or no answer at all (NETWORK).
 */
export function isTransientError(error: unknown): boolean {
  if (error instanceof AtlassianApiError) return error.status === 429 || error.status >= 500
  return error instanceof CfadminError && error.code === 'NETWORK'
}

function exitFor(status: number): ExitCodeValue {
  if (status === 401 || status === 403) return ExitCode.notAuthenticated
  if (status === 400 || status === 404 || status === 409 || status === 422) return ExitCode.badInput
  // Atlassian busy or down (after the retries): not cfadmin's fault, worth trying again later.
  if (UNAVAILABLE_STATUSES.has(status)) return ExitCode.unreachable
  return ExitCode.unexpected
}

/** The answers that mean Atlassian could not serve the request now: rate limited, failing or down. */
const UNAVAILABLE_STATUSES: ReadonlySet<number> = new Set([429, 500, 502, 503, 504])

function hintFor(init: AtlassianApiErrorInit): string | undefined {
  switch (init.status) {
    case 401: {
      const where = init.family === 'site' || init.family === 'gateway' ? ' and the site URL' : ''
      return `Check ${CREDENTIAL[init.family]}${where}: cfadmin auth status`
    }

    case 403: {
      return MISSING_RIGHT[init.family]
    }

    case 404: {
      const ids =
        init.family === 'admin'
          ? 'the organization ID, directory ID and the other IDs you gave'
          : init.family === 'auth'
            ? 'the OAuth host URL'
            : 'the site URL and the IDs or keys you gave'
      return `Nothing was found at ${init.url}: check ${ids} (cfadmin auth status shows the profile).`
    }

    case 409: {
      return 'It may already exist or be changing: run the command again to check it afresh.'
    }

    case 429: {
      return 'Atlassian is rate limiting; try again later or lower --concurrency.'
    }

    default: {
      return init.status >= 500 ? 'Atlassian had a problem answering; try again later (status.atlassian.com).' : undefined
    }
  }
}

/**
 * Atlassian's message from an error body. Shapes: Confluence v1 `{statusCode, message, data?}`,
 * Confluence v2 and Admin `{errors: [{status, code, title, detail}]}`, Admin and the API gateway
 * `{code, message}`, OAuth `{error, error_description}`; anything else, e.g. an HTML error page,
 * gives a short plain-text excerpt.
 */
export function atlassianMessageFrom(body: unknown): string | undefined {
  if (body === undefined || body === null) return undefined
  if (Buffer.isBuffer(body)) return atlassianMessageFrom(body.toString('utf8'))
  if (typeof body === 'string') {
    const text = body.trim()
    if (text === '') return undefined
    if (text.startsWith('{') || text.startsWith('[')) {
      try {
        return atlassianMessageFrom(JSON.parse(text)) ?? excerpt(text)
      } catch {
        return excerpt(text)
      }
    }
    return excerpt(/<[a-z!?/][^>]*>/i.test(text) ? htmlToText(text) : text)
  }
  if (typeof body !== 'object') return excerpt(String(body))
  return messageFromJson(body as Record<string, unknown>)
}

function messageFromJson(body: Record<string, unknown>): string | undefined {
  if (Array.isArray(body.errors) && body.errors.length > 0) {
    const parts = body.errors.map((entry) => errorEntryText(entry)).filter((part): part is string => Boolean(part))
    if (parts.length > 0) return excerpt([...new Set(parts)].join('; '))
  }
  if (typeof body.message === 'string' && body.message.trim() !== '') return excerpt(stripJavaException(body.message))
  const data = body.data as {errors?: unknown} | undefined
  if (data && Array.isArray(data.errors)) {
    const parts = data.errors.map((entry) => errorEntryText(entry)).filter((part): part is string => Boolean(part))
    if (parts.length > 0) return excerpt(parts.join('; '))
  }
  if (typeof body.error_description === 'string') return excerpt(body.error_description)
  if (typeof body.error === 'string') return excerpt(body.error)
  if (Array.isArray(body.errorMessages) && body.errorMessages.length > 0) return excerpt(body.errorMessages.join('; '))
  return undefined
}

function errorEntryText(entry: unknown): string | undefined {
  if (typeof entry === 'string') return entry
  if (!entry || typeof entry !== 'object') return undefined
  const record = entry as Record<string, unknown>
  const title = typeof record.title === 'string' ? record.title.trim() : ''
  const detail = typeof record.detail === 'string' ? record.detail.trim() : ''
  if (title && detail) return title === detail ? title : `${title}: ${detail}`
  if (title || detail) return title || detail
  // Confluence v1 `data.errors[].message` is `{key, args, translation}`.
  const message = record.message as {translation?: unknown} | string | undefined
  if (typeof message === 'string') return message
  if (message && typeof message.translation === 'string') return message.translation
  return typeof record.code === 'string' ? record.code : undefined
}

/** "com.atlassian.confluence.api.service.exceptions.NotFoundException: No space" -> "No space". */
function stripJavaException(message: string): string {
  return message.trim().replace(/^(?:[a-z_$][\w$]*\.)+[A-Z][\w$]*(?:Exception|Error): /, '')
}

function htmlToText(html: string): string {
  const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(html)?.[1]
  const text = html
    .replaceAll(/<(script|style|head)[^>]*>[\s\S]*?<\/\1>/gi, ' ')
    .replaceAll(/<[^>]*>/g, ' ')
    .replaceAll(/&nbsp;/g, ' ')
    .replaceAll(/&lt;/g, '<')
    .replaceAll(/&gt;/g, '>')
    .replaceAll(/&quot;/g, '"')
    .replaceAll(/&#39;/g, "'")
    .replaceAll(/&amp;/g, '&')
  const body = text.replaceAll(/\s+/g, ' ').trim()
  const heading = title?.replaceAll(/\s+/g, ' ').trim()
  if (heading && !body.startsWith(heading)) return `${heading}: ${body}`
  return body
}

/** One line of at most EXCERPT_LENGTH characters, control characters escaped: what a server may put on a terminal. */
function excerpt(text: string): string | undefined {
  const oneLine = text.replaceAll(/\s+/g, ' ').trim()
  if (oneLine === '') return undefined
  return oneLine.length > EXCERPT_LENGTH ? safeExcerpt(oneLine, EXCERPT_LENGTH - 1) : terminalSafe(oneLine)
}

/**
 * Values that must never appear in an error or a log: the Authorization header (whole, its credential
 * part, and for Basic the decoded "email:token" and token), and secret query parameter values.
 */
export function secretsOf(authorization: unknown, url: URL | string | undefined, body?: unknown): string[] {
  const secrets: string[] = bodySecrets(body)
  if (typeof authorization === 'string' && authorization.trim() !== '') {
    const value = authorization.trim()
    secrets.push(value)
    const [scheme, ...rest] = value.split(/\s+/)
    const credential = rest.join(' ')
    if (credential) {
      secrets.push(credential)
      if (scheme.toLowerCase() === 'basic') {
        const decoded = Buffer.from(credential, 'base64').toString('utf8')
        const colon = decoded.indexOf(':')
        if (colon > 0) secrets.push(decoded, decoded.slice(colon + 1))
      }
    }
  }
  if (url !== undefined) {
    try {
      for (const [name, value] of new URL(String(url)).searchParams) {
        if (isSecretParam(name)) secrets.push(value)
      }
    } catch {
      // Not a URL: nothing to collect.
    }
  }
  // As they may be echoed: plain, URL-encoded (a form body, a query) and JSON-escaped.
  const spellings = secrets.flatMap((secret) => [secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)])
  // Longest first, so a token inside the whole header value is not half-replaced; tiny values would
  // redact ordinary words.
  return [...new Set(spellings)].filter((secret) => secret.length >= 6).sort((a, b) => b.length - a.length)
}

/**
 * Body fields whose values are credentials. Narrower than the query's list: a body's `key` is a space key or a
 * permission, which an error must be able to name.
 */
const BODY_SECRET = /^(?:token|code|code_verifier|client_secret|password|.*[_-](?:token|secret|password))$/i

/**
 * The secret values a request body carries: the OAuth token request's client_secret, code, code_verifier,
 * refresh_token (and any *_token, *_secret, *_key, password field), from a JSON object, a form, or their text.
 */
function bodySecrets(body: unknown, depth = 0): string[] {
  if (body === undefined || body === null || depth > 3) return []
  if (typeof body === 'string' || Buffer.isBuffer(body)) {
    const text = body.toString().trim()
    if (text.startsWith('{')) {
      try {
        return bodySecrets(JSON.parse(text), depth + 1)
      } catch {
        return []
      }
    }
    return [...new URLSearchParams(text)].filter(([name]) => BODY_SECRET.test(name)).map(([, value]) => value)
  }
  if (body instanceof URLSearchParams) return [...body].filter(([name]) => BODY_SECRET.test(name)).map(([, value]) => value)
  if (typeof body !== 'object') return []
  return Object.entries(body as Record<string, unknown>).flatMap(([name, value]) => {
    if (typeof value === 'string') return BODY_SECRET.test(name) ? [value] : []
    return typeof value === 'object' ? bodySecrets(value, depth + 1) : []
  })
}

export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let result = text
  for (const secret of secrets) result = result.split(secret).join('[REDACTED]')
  return result
}

/**
 * Thrown from got hooks to carry an error raised by the credential provider (authorization or
 * refresh) through got unchanged: it is the caller's own error (e.g. "not logged in", exit 4).
 */
export class CredentialProviderFailure extends Error {
  constructor(readonly original: unknown) {
    super(original instanceof Error ? original.message : String(original))
    this.name = 'CredentialProviderFailure'
  }
}

const NETWORK_CAUSES: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'the connection was reset',
  ETIMEDOUT: 'the connection timed out',
  EPIPE: 'the connection closed while sending',
  EAI_AGAIN: 'DNS lookup failed (temporary)',
  ENOTFOUND: 'host not found (DNS)',
  ENETUNREACH: 'network unreachable',
  EHOSTUNREACH: 'host unreachable',
  CERT_HAS_EXPIRED: 'its TLS certificate has expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'its TLS certificate is self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'its TLS certificate chain is self-signed',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its TLS certificate could not be verified',
  ERR_TLS_CERT_ALTNAME_INVALID: 'its TLS certificate is for another host name',
}

export interface RequestFacts {
  family: ApiFamily
  method: string
  url: URL
  retries: number
  secrets: readonly string[]
  timeoutMs?: number
  /** The proxy the request went through (HTTPS_PROXY...), as it may be printed. */
  proxy?: ProxyInUse
}

/** Could not get an answer at all: connection failures, DNS, TLS, timeouts. Exit 5, code NETWORK. */
export function networkError(facts: RequestFacts, cause: {code?: string; message?: string; timedOut?: boolean}): CfadminError {
  const host = facts.url.host
  let reason: string
  if (cause.timedOut) {
    reason = facts.timeoutMs === undefined ? 'no answer in time' : `no answer within ${formatWait(facts.timeoutMs)}`
  } else {
    const known = cause.code ? NETWORK_CAUSES[cause.code] : undefined
    const text = known ?? (causeText(cause.message ?? '', facts.secrets) || 'the request failed')
    reason = cause.code && !text.includes(cause.code) ? `${text} (${cause.code})` : text
  }
  const retried = facts.retries > 0 ? ` (gave up after ${facts.retries} ${facts.retries === 1 ? 'retry' : 'retries'})` : ''
  const {proxy} = facts
  // Through a proxy, the only connection cfadmin opens is to the proxy: a refused or dropped one is the proxy's.
  const via = proxy ? ` through the proxy ${proxy.shown} (${proxy.variable})` : ''
  return new CfadminError(
    `Could not reach ${host} (${FAMILY_LABEL[facts.family]})${via} for ${facts.method} ${facts.url.pathname}: ${reason}${retried}`,
    {
      code: 'NETWORK',
      exit: ExitCode.unreachable,
      hint: proxy
        ? `Check that ${proxy.variable} names a proxy that is running and lets you out (or list ${facts.url.hostname} in NO_PROXY to connect directly), then try again.`
        : `Check the URL (${facts.url.origin}) and your connection (network, proxy, VPN), then try again.`,
    },
  )
}

/**
 * The proxy answered instead of Atlassian: 407 (it wants credentials: exit 2, the proxy variable needs fixing), or a
 * refused CONNECT (exit 5: Atlassian could not be reached from here).
 */
function proxyRefusal(facts: RequestFacts, proxy: ProxyInUse, status: number): CfadminError {
  const request = `${facts.method} ${facts.url.host}${facts.url.pathname}`
  const direct = `list ${facts.url.hostname} in NO_PROXY to connect directly`
  return status === 407
    ? new CfadminError(`The proxy ${proxy.shown} (${proxy.variable}) asked for credentials (407 Proxy Authentication Required) for ${request}.`, {
        code: 'PROXY_AUTH_REQUIRED',
        exit: ExitCode.badInput,
        hint: `Put the proxy's user and password in ${proxy.variable} (http://user:password@host:port, the password URL-encoded), or ${direct}.`,
      })
    : new CfadminError(`The proxy ${proxy.shown} (${proxy.variable}) refused to connect to ${facts.url.host} (${status}) for ${request}.`, {
        code: 'PROXY_REFUSED',
        exit: ExitCode.unreachable,
        hint: `Check that ${proxy.variable} names the right proxy and that it lets you reach ${facts.url.host}, or ${direct}.`,
      })
}

/** Where each family's base URL comes from, for the hint of a refused redirect. */
const BASE_URL_SOURCE: Readonly<Record<ApiFamily, string>> = {
  site: "the site URL (--site, CFADMIN_SITE or the profile's)",
  gateway: 'CFADMIN_API_URL (https://api.atlassian.com unless you set it)',
  admin: 'CFADMIN_API_URL (https://api.atlassian.com unless you set it)',
  auth: 'CFADMIN_AUTH_URL (https://auth.atlassian.com unless you set it)',
}

/**
 * A 3xx answer cfadmin did not follow: credentials (an Authorization header, the OAuth body) are never sent on
 * to another address, and nothing goes from https to plain http. Exit 2: the address cfadmin was given is not
 * where the API answers, and the fix is to give the right one.
 */
export function redirectRefused(response: Response, family: ApiFamily, secrets: readonly string[] = []): CfadminError {
  const from = new URL(response.url)
  const {method} = response.request.options
  const location = response.headers.location
  let to: URL | undefined
  try {
    to = location === undefined ? undefined : new URL(location, from)
  } catch {
    to = undefined
  }
  const where = scrubSecrets(to ? `${to.protocol}//${to.host}` : location === undefined ? 'nowhere (no Location)' : 'an address that is not a URL', secrets)
  const downgrade = from.protocol === 'https:' && to !== undefined && to.protocol !== 'https:'
  const why = downgrade
    ? 'cfadmin never follows a redirect from https to plain http'
    : 'cfadmin does not send credentials on to another address'
  const moved = family === 'site' && to && !downgrade ? `If the site moved, log in to its new address: cfadmin auth login --site ${terminalSafe(to.origin)}; else check` : 'Check'
  return badInput(
    'REDIRECT_REFUSED',
    `${FAMILY_LABEL[family]} at ${from.host} answered ${response.statusCode} to ${method} ${from.pathname}, pointing to ${boundedMessage(where, 200)}: ${why}.`,
    `${moved} ${BASE_URL_SOURCE[family]}.`,
  )
}

/** The first line of a low-level message, with URLs' secret query values and known secrets cut out. */
function causeText(message: string, secrets: readonly string[]): string | undefined {
  const firstLine = message.split('\n')[0].replaceAll(/https?:\/\/[^\s"'<>]+/g, (url) => redactUrl(url))
  return excerpt(scrubSecrets(firstLine, secrets))
}

/**
 * got's error -> cfadmin's. HTTP error statuses become AtlassianApiError, failures to get an answer
 * become NETWORK, the credential provider's own errors pass through; the rest is UNEXPECTED_RESPONSE.
 */
export function fromGotError(
  error: RequestError,
  family: ApiFamily,
  extra: {serverWaitMs?: number} = {},
): Error {
  const provider = findProviderFailure(error)
  if (provider) return provider.original instanceof Error ? provider.original : new Error(String(provider.original))
  if (error.cause instanceof CfadminError) return error.cause

  const options = error.options as Options | undefined
  const url = new URL(String(options?.url ?? 'http://unknown.invalid/'))
  const facts: RequestFacts = {
    family,
    method: (options?.method ?? 'GET').toUpperCase(),
    url,
    retries: error.request?.retryCount ?? 0,
    secrets: secretsOf(options?.headers?.authorization, url, options?.json ?? options?.form ?? options?.body),
    timeoutMs: typeof options?.timeout?.request === 'number' ? options.timeout.request : undefined,
    proxy: proxyInUse(options?.context),
  }
  const response = error.response

  if (facts.proxy) {
    const refused = error.name === 'HTTPError' && response?.statusCode === 407 ? 407 : tunnelRefusal(error)
    if (refused !== undefined) return proxyRefusal(facts, facts.proxy, refused)
  }
  if (error.name === 'HTTPError' && response) {
    // Secrets out first, then the excerpt: a cut made first could keep the start of an echoed secret.
    const body = scrubSecrets(bodyText(response.body), facts.secrets)
    const oauthError = family === 'auth' ? oauthErrorFrom(body) : undefined
    return new AtlassianApiError({
      family,
      status: response.statusCode,
      method: facts.method,
      url: url.pathname,
      atlassianMessage: atlassianMessageFrom(body),
      statusText: response.statusMessage ? excerpt(scrubSecrets(response.statusMessage, facts.secrets)) : undefined,
      retries: facts.retries,
      serverWaitMs: extra.serverWaitMs,
      oauthError: oauthError && !facts.secrets.some((secret) => oauthError.includes(secret)) ? oauthError : undefined,
    })
  }
  if (error.name === 'TimeoutError') return networkError(facts, {code: error.code, timedOut: true})
  const code = error.code === 'ERR_GOT_REQUEST_ERROR' ? undefined : error.code
  const noAnswer = !response && code !== undefined
  if (noAnswer || (code !== undefined && (code in NETWORK_CAUSES || isRetryableNetworkError(code, error.message)))) {
    return networkError(facts, {code, message: error.message})
  }
  // A 2xx page that is not JSON is a login page, a captive portal or a site that is not Atlassian: the URL is wrong.
  const notJson = error.name === 'ParseError'
  const what = notJson ? 'a body that is not valid JSON' : `a response cfadmin could not handle (${error.name})`
  return new CfadminError(`${FAMILY_LABEL[family]} sent ${what} to ${facts.method} ${url.pathname}`, {
    code: 'UNEXPECTED_RESPONSE',
    exit: notJson ? ExitCode.badInput : ExitCode.unexpected,
    hint: `Check that ${url.origin} is the right URL; run again with DEBUG=cfadmin* to see the requests.`,
  })
}

/** The most of an error body cfadmin reads: enough for any message Atlassian sends, bounded for one that is not. */
const BODY_READ_LIMIT = 256 * 1024

function bodyText(body: unknown): string {
  if (body === undefined || body === null) return ''
  const text = Buffer.isBuffer(body) ? body.subarray(0, BODY_READ_LIMIT).toString('utf8') : typeof body === 'string' ? body : JSON.stringify(body)
  return text.length > BODY_READ_LIMIT ? text.slice(0, BODY_READ_LIMIT) : text
}

/** `invalid_grant` from an OAuth error body `{"error":"invalid_grant","error_description":"..."}`. */
function oauthErrorFrom(body: unknown): string | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.isBuffer(body) ? body.toString('utf8') : String(body))
    const code = (parsed as {error?: unknown} | null)?.error
    return typeof code === 'string' && /^[a-z_]+$/.test(code) ? code : undefined
  } catch {
    return undefined
  }
}

function findProviderFailure(error: unknown): CredentialProviderFailure | undefined {
  let current: unknown = error
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    if (current instanceof CredentialProviderFailure) return current
    current = current.cause
  }
  return undefined
}
