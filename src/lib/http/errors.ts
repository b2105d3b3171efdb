/**
 * The error for an Atlassian error answer: Atlassian's own message, an exit code, and a hint naming the credential
 * or right that is missing. got's errors are turned into it by got-errors.ts.
 */
import {CfadminError, ExitCode, type ExitCodeValue} from '../errors.js'
import {type ApiFamily, FAMILY_LABEL} from './family.js'
import {formatWait, MAX_SERVER_WAIT_MS} from './retry.js'

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
  admin:
    'The Admin API key cannot do this: use a key created by an organization admin of this organization (and directory).',
  auth: "Atlassian refused the OAuth app: check its client ID and secret, its scopes and the user's consent in the developer console.",
}

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
  /** The gateway's `X-Failure-Category` header (e.g. FAILURE_CLIENT_SCOPE_CHECK), when it sent one. */
  failureCategory?: string
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
  readonly failureCategory: string | undefined

  constructor(init: AtlassianApiErrorInit) {
    const method = init.method.toUpperCase()
    const detail = init.atlassianMessage ?? init.statusText ?? 'no message'
    let message =
      init.status === 410
        ? `Atlassian removed or is removing this endpoint: ${method} ${init.url} (${FAMILY_LABEL[init.family]} answered 410: ${detail})`
        : `${FAMILY_LABEL[init.family]} answered ${init.status} to ${method} ${init.url}: ${detail}`
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
    this.failureCategory = init.failureCategory
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
  // 410: the endpoint is gone for good. Trying again later cannot help (not exit 5); what helps is another route
  // (a newer cfadmin, or a credential whose route still serves it), which is the user's to change: exit 2.
  if (status === 400 || status === 404 || status === 409 || status === 410 || status === 422) return ExitCode.badInput
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

    case 410: {
      return init.family === 'gateway'
        ? 'cfadmin called an endpoint Atlassian has removed: update cfadmin; meanwhile an API token on the site URL may still reach it (cfadmin auth login --email).'
        : 'cfadmin called an endpoint Atlassian has removed: update cfadmin.'
    }

    case 409: {
      return 'It may already exist or be changing: run the command again to check it afresh.'
    }

    case 429: {
      return 'Atlassian is rate limiting; try again later or lower --concurrency.'
    }

    default: {
      return init.status >= 500
        ? 'Atlassian had a problem answering; try again later (status.atlassian.com).'
        : undefined
    }
  }
}
