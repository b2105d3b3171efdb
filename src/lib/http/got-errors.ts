/**
 * got's errors -> cfadmin's: an error status becomes AtlassianApiError, no answer at all becomes NETWORK (exit 5),
 * a proxy's refusal and a redirect not followed get their own codes, and the credential provider's own errors pass
 * through. Nothing here may carry a secret: the URL is reduced to its path, and every secret the request carried
 * is cut out of the server's text before it is read.
 */
import type {Options, RequestError, Response} from 'got'

import {badInput, CfadminError, ExitCode} from '../errors.js'
import {boundedMessage, terminalSafe} from '../text/safe-text.js'
import {atlassianMessageFrom, bodyText, oauthErrorFrom, serverExcerpt} from './error-body.js'
import {AtlassianApiError} from './errors.js'
import {type ApiFamily, FAMILY_LABEL} from './family.js'
import {type ProxyInUse, proxyInUse, tunnelRefusal} from './proxy.js'
import {redactUrl, scrubSecrets, secretsOf} from './redact.js'
import {formatWait, isRetryableNetworkError} from './retry.js'

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
export function networkError(
  facts: RequestFacts,
  cause: {code?: string; message?: string; timedOut?: boolean},
): CfadminError {
  const host = facts.url.host
  let reason: string
  if (cause.timedOut) {
    reason = facts.timeoutMs === undefined ? 'no answer in time' : `no answer within ${formatWait(facts.timeoutMs)}`
  } else {
    const known = cause.code ? NETWORK_CAUSES[cause.code] : undefined
    const text = known ?? (causeText(cause.message ?? '', facts.secrets) || 'the request failed')
    reason = cause.code && !text.includes(cause.code) ? `${text} (${cause.code})` : text
  }
  const retried =
    facts.retries > 0 ? ` (gave up after ${facts.retries} ${facts.retries === 1 ? 'retry' : 'retries'})` : ''
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
    ? new CfadminError(
        `The proxy ${proxy.shown} (${proxy.variable}) asked for credentials (407 Proxy Authentication Required) for ${request}.`,
        {
          code: 'PROXY_AUTH_REQUIRED',
          exit: ExitCode.badInput,
          hint: `Put the proxy's user and password in ${proxy.variable} (http://user:password@host:port, the password URL-encoded), or ${direct}.`,
        },
      )
    : new CfadminError(
        `The proxy ${proxy.shown} (${proxy.variable}) refused to connect to ${facts.url.host} (${status}) for ${request}.`,
        {
          code: 'PROXY_REFUSED',
          exit: ExitCode.unreachable,
          hint: `Check that ${proxy.variable} names the right proxy and that it lets you reach ${facts.url.host}, or ${direct}.`,
        },
      )
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
  const where = scrubSecrets(
    to
      ? `${to.protocol}//${to.host}`
      : location === undefined
        ? 'nowhere (no Location)'
        : 'an address that is not a URL',
    secrets,
  )
  const downgrade = from.protocol === 'https:' && to !== undefined && to.protocol !== 'https:'
  const why = downgrade
    ? 'cfadmin never follows a redirect from https to plain http'
    : 'cfadmin does not send credentials on to another address'
  const moved =
    family === 'site' && to && !downgrade
      ? `If the site moved, log in to its new address: cfadmin auth login --site ${terminalSafe(to.origin)}; else check`
      : 'Check'
  return badInput(
    'REDIRECT_REFUSED',
    `${FAMILY_LABEL[family]} at ${from.host} answered ${response.statusCode} to ${method} ${from.pathname}, pointing to ${boundedMessage(where, 200)}: ${why}.`,
    `${moved} ${BASE_URL_SOURCE[family]}.`,
  )
}

/** The first line of a low-level message, with URLs' secret query values and known secrets cut out. */
function causeText(message: string, secrets: readonly string[]): string | undefined {
  const firstLine = message.split('\n')[0].replaceAll(/https?:\/\/[^\s"'<>]+/g, (url) => redactUrl(url))
  return serverExcerpt(scrubSecrets(firstLine, secrets))
}

/**
 * got's error -> cfadmin's. HTTP error statuses become AtlassianApiError, failures to get an answer
 * become NETWORK, the credential provider's own errors pass through; the rest is UNEXPECTED_RESPONSE.
 */
export function fromGotError(error: RequestError, family: ApiFamily, extra: {serverWaitMs?: number} = {}): Error {
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
      statusText: response.statusMessage
        ? serverExcerpt(scrubSecrets(response.statusMessage, facts.secrets))
        : undefined,
      retries: facts.retries,
      serverWaitMs: extra.serverWaitMs,
      oauthError: oauthError && !facts.secrets.some((secret) => oauthError.includes(secret)) ? oauthError : undefined,
      failureCategory: failureCategoryOf(response.headers['x-failure-category']),
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

/** The gateway's failure category: a short upper-case word, never free text (nothing of the request in it). */
function failureCategoryOf(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header
  return value && /^[A-Z_]{1,64}$/.test(value) ? value : undefined
}

function findProviderFailure(error: unknown): CredentialProviderFailure | undefined {
  let current: unknown = error
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    if (current instanceof CredentialProviderFailure) return current
    current = current.cause
  }
  return undefined
}
