import type {ListedCredential} from '../api/api-access.js'
import {badInput} from '../errors.js'
import type {CredentialExpiry, OAuthGrant} from '../session/profile.js'

export const DAY_MS = 86_400_000
/** A credential that expires within this many days is warned about (auth status, and every command once a day). */
export const WARN_DAYS = 14
/** Atlassian's rotating refresh tokens die after 90 days unused (atlassian-api.md, "Rotating refresh tokens"). */
const REFRESH_IDLE_DAYS = 90
/** An access token lives an hour (same source), so it was issued an hour before it expires. */
const ACCESS_TOKEN_MS = 3_600_000

const DATE = /^\d{4}-\d{2}-\d{2}$/
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/

/**
 * `auth login --expires`: a date (2027-03-01, read as the start of that day, UTC) or an ISO 8601 date-time with its
 * zone, in the future. Anything else is exit 2 naming the flag and the form.
 */
export function parseExpiryDate(value: string, now = Date.now()): string {
  const hint = 'Give the date the token expires as shown where it was created: --expires 2027-03-01 (YYYY-MM-DD).'
  const text = value.trim()
  const iso = DATE.test(text) ? `${text}T00:00:00.000Z` : DATE_TIME.test(text) ? text : undefined
  const time = iso === undefined ? Number.NaN : Date.parse(iso)
  // Date.parse rolls 2027-02-30 over to March: a date that does not round-trip does not exist.
  const real = !Number.isNaN(time) && (!DATE.test(text) || new Date(time).toISOString().startsWith(text))
  if (!real) throw badInput('EXPIRES_INVALID', `--expires "${value}" is not a date.`, hint)
  if (time <= now)
    throw badInput(
      'EXPIRES_PAST',
      `--expires ${text} is in the past: a credential that has expired no longer logs in.`,
      `Create a new one, then log in with it. ${hint}`,
    )
  return new Date(time).toISOString()
}

/** Whole days from `now` to `expiresAt`, rounded down; negative once it has passed. */
export function daysLeft(expiresAt: string, now: number): number {
  return Math.floor((Date.parse(expiresAt) - now) / DAY_MS)
}

export const isExpired = (expiry: Pick<CredentialExpiry, 'expiresAt'>, now: number): boolean =>
  Date.parse(expiry.expiresAt) <= now

/** Expired, or expiring within WARN_DAYS. */
export const expiresSoon = (expiry: Pick<CredentialExpiry, 'expiresAt'>, now: number): boolean =>
  Date.parse(expiry.expiresAt) - now <= WARN_DAYS * DAY_MS

const day = (iso: string) => iso.slice(0, 10)

const SOURCE_TEXT: Record<CredentialExpiry['source'], string> = {
  'api-access': "from the Admin API's token listing",
  given: 'the date given at login',
  oauth: 'worked out from the OAuth tokens',
}

/** "expires 2026-12-11 (in 9 days; from ...)" or "expired on 2026-12-01 (...)". */
export function expiryText(expiry: CredentialExpiry, now: number): string {
  const left = daysLeft(expiry.expiresAt, now)
  const when = isExpired(expiry, now)
    ? `expired on ${day(expiry.expiresAt)}`
    : `expires ${day(expiry.expiresAt)} (${left === 0 ? 'today' : left === 1 ? 'in 1 day' : `in ${left} days`})`
  const note = expiry.note ? `; ${expiry.note}` : ''
  return `${when}, ${SOURCE_TEXT[expiry.source]}${note}`
}

/** Each kind of credential as people call it. */
export const CREDENTIAL_LABEL = {
  'admin-key': 'Admin API key',
  'api-token': 'API token',
  'client-credentials': 'OAuth client credentials',
  oauth: 'OAuth login',
} as const

/** What to do about an expiring credential of each kind. */
export const RENEW_HINT = {
  'admin-key':
    'Create a new key in admin.atlassian.com > Settings > API keys, then: cfadmin auth login --with-admin-key',
  'api-token':
    'Create a new token at https://id.atlassian.com/manage-profile/security/api-tokens, then: cfadmin auth login --with-token',
  'client-credentials':
    'Create a new secret in admin.atlassian.com > Directory > Service accounts, then: cfadmin auth login --client-credentials',
  oauth: 'Use cfadmin now and then (each renewal restarts the 90 days), or log in again: cfadmin auth login --oauth',
} as const

/**
 * What a 3LO grant's tokens tell of its end: a rotating refresh token dies after 90 days unused, and cfadmin renews
 * the one-hour access token with it, so the last renewal was an hour before the access token's expiry. Unknown
 * (undefined) without a refresh token, or once it was handed to a connector, which renews it on its own. The
 * absolute limit of 365 days from consent is not counted: the profile does not keep the consent date.
 */
export function oauthExpiry(grant: OAuthGrant): CredentialExpiry | undefined {
  if (!grant.refreshToken || grant.handedOverAt) return undefined
  const renewed = Date.parse(grant.expiresAt) - ACCESS_TOKEN_MS
  if (Number.isNaN(renewed)) return undefined
  return {
    checkedAt: new Date(renewed).toISOString(),
    expiresAt: new Date(renewed + REFRESH_IDLE_DAYS * DAY_MS).toISOString(),
    note: 'the refresh token dies after 90 days unused',
    source: 'oauth',
  }
}

const live = (c: ListedCredential, now: number) => c.expiresAt !== undefined && Date.parse(c.expiresAt) > now
const bySoonest = (a: ListedCredential, b: ListedCredential) =>
  Date.parse(a.expiresAt ?? '') - Date.parse(b.expiresAt ?? '')

/**
 * The expiry of the profile's API token from the API-access listing. A token's value is never listed, so the match
 * is by owner (account ID, else email): with several live tokens, the soonest expiry counts, said in the note.
 * Undefined when the listing has no dated token of that owner.
 */
export function matchApiToken(
  listing: ListedCredential[],
  owner: {accountId?: string; email: string},
  now: number,
): CredentialExpiry | undefined {
  const email = owner.email.toLowerCase()
  const theirs = listing.filter(
    (c) =>
      c.kind === 'api-token' &&
      c.expiresAt !== undefined &&
      !Number.isNaN(Date.parse(c.expiresAt)) &&
      (owner.accountId && c.owner?.accountId
        ? c.owner.accountId === owner.accountId
        : c.owner?.email?.toLowerCase() === email),
  )
  // A token that already expired is not the one that just worked, unless there is no other.
  const candidates = theirs.some((c) => live(c, now)) ? theirs.filter((c) => live(c, now)) : theirs
  const soonest = [...candidates].sort(bySoonest)[0]
  if (!soonest?.expiresAt) return undefined
  return {
    checkedAt: new Date(now).toISOString(),
    expiresAt: soonest.expiresAt,
    lastActiveAt: soonest.lastActiveAt,
    note: candidates.length > 1 ? `the soonest of ${candidates.length} tokens of ${owner.email}` : undefined,
    source: 'api-access',
  }
}

/**
 * The expiry of the profile's Admin key from the listing: a key's value is never listed either, so it is known only
 * when the organization has one live key (then it is this one); with several, unknown.
 */
export function matchAdminKey(listing: ListedCredential[], now: number): CredentialExpiry | undefined {
  const keys = listing.filter((c) => c.kind === 'admin-key' && live(c, now))
  if (keys.length !== 1 || !keys[0].expiresAt) return undefined
  return {
    checkedAt: new Date(now).toISOString(),
    expiresAt: keys[0].expiresAt,
    lastActiveAt: keys[0].lastActiveAt,
    source: 'api-access',
  }
}

/** A credential's expiry as `auth status` shows it (and `--json` gives it), flat. */
export interface ExpiryFields {
  expiresAt?: string
  lastActiveAt?: string
  expirySource?: CredentialExpiry['source']
  expiryNote?: string
}

export function expiryFields(expiry: CredentialExpiry | undefined): ExpiryFields {
  if (!expiry) return {}
  return {
    expiresAt: expiry.expiresAt,
    expirySource: expiry.source,
    ...(expiry.lastActiveAt ? {lastActiveAt: expiry.lastActiveAt} : {}),
    ...(expiry.note ? {expiryNote: expiry.note} : {}),
  }
}

/** The fields back as a CredentialExpiry, when there is a date. */
export function fromFields(fields: ExpiryFields): CredentialExpiry | undefined {
  if (!fields.expiresAt || !fields.expirySource) return undefined
  return {
    checkedAt: '',
    expiresAt: fields.expiresAt,
    lastActiveAt: fields.lastActiveAt,
    note: fields.expiryNote,
    source: fields.expirySource,
  }
}
