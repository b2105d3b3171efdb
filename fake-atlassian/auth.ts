import {timingSafeEqual} from 'node:crypto'

import {expired} from './credential-dates.js'

import {FakeHttpError} from './errors.js'
import type {RouteContext} from './router.js'
import {findSite, findUser, findUserByEmail, orgDirectories} from './model.js'
import type {
  ApiFamily,
  FakeAdminKey,
  FakeApiToken,
  FakeDirectory,
  FakeOAuthToken,
  FakeOrg,
  FakeSite,
  FakeState,
  FakeUser,
} from './types.js'

/** Who a request authenticated as. */
export type Principal =
  | {kind: 'none'}
  /** `scopes`: set for a scoped API token (the gateway checks them like an OAuth token's). */
  | {kind: 'user'; user: FakeUser; via: 'api-token'; scopes?: string[]}
  | {kind: 'user'; user: FakeUser; via: 'oauth'; token: FakeOAuthToken}
  | {kind: 'admin-key'; key: FakeAdminKey}

type Credential =
  | {scheme: 'basic'; user: string; secret: string}
  | {scheme: 'bearer'; token: string}
  | {scheme: 'none'}
  | {scheme: 'other'}

/** Parses an Authorization header without ever logging it. */
export function parseAuthorization(header: string | undefined): Credential {
  if (!header) return {scheme: 'none'}
  const [scheme, ...rest] = header.trim().split(/\s+/)
  const value = rest.join(' ')
  if (/^basic$/i.test(scheme) && value) {
    const decoded = Buffer.from(value, 'base64').toString('utf8')
    const colon = decoded.indexOf(':')
    if (colon < 0) return {scheme: 'other'}
    return {scheme: 'basic', secret: decoded.slice(colon + 1), user: decoded.slice(0, colon)}
  }

  if (/^bearer$/i.test(scheme) && value) return {scheme: 'bearer', token: value}
  return {scheme: 'other'}
}

const same = (a: string, b: string) => {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

const unauthorized = (message = 'Unauthorized') => new FakeHttpError(401, message)

/**
 * Checks the credential a family takes (atlassian-api.md §1): Basic email:API token on the site, Bearer OAuth access
 * token on the gateway (for `cloudId`), Bearer Admin API key on /admin. Anything else, a credential of another family
 * included, is 401 — as Atlassian answers a site token on the Admin API (§1c).
 */
export function authenticate(
  family: ApiFamily,
  header: string | undefined,
  state: FakeState,
  cloudId?: string,
  now = Date.now(),
): Principal {
  const credential = parseAuthorization(header)
  switch (family) {
    case 'site': {
      if (credential.scheme !== 'basic') throw unauthorized()
      const {token, user} = userForApiToken(state, credential.user, credential.secret, now)
      // §4a: a scoped token works only through the gateway; the site answers 401 as for a wrong token.
      if (typeof token !== 'string' && token.scoped) throw unauthorized()
      return {kind: 'user', user, via: 'api-token'}
    }

    case 'gateway': {
      if (credential.scheme === 'basic') {
        // §4a: scoped API tokens, Basic email:token. A classic token here: 401 (whether Atlassian takes one: UNCONFIRMED).
        const {token, user} = userForApiToken(state, credential.user, credential.secret, now)
        if (typeof token === 'string' || !token.scoped) throw unauthorized()
        return {kind: 'user', scopes: token.scopes ?? [], user, via: 'api-token'}
      }

      if (credential.scheme !== 'bearer') throw unauthorized()
      const token = liveAccessToken(state, credential.token, now)
      if (cloudId && !token.cloudIds.includes(cloudId))
        throw unauthorized('Unauthorized; the grant does not cover this site')
      const user = findUser(state, token.accountId)
      if (!user || user.status !== 'active') throw unauthorized()
      return {kind: 'user', token, user, via: 'oauth'}
    }

    case 'admin': {
      if (credential.scheme !== 'bearer') throw unauthorized()
      const key = state.adminKeys.find((k) => same(k.key, credential.token))
      // An expired key is refused like an unknown one (the real answer is UNCONFIRMED; 401 is the strict choice).
      if (!key || expired(key.expiresAt, now)) throw unauthorized()
      key.lastActiveAt = new Date(now).toISOString()
      return {key, kind: 'admin-key'}
    }

    default: {
      return {kind: 'none'}
    }
  }
}

/**
 * The OAuth access token `value` if it may be used at `now`: known, not expired, its grant (if any) not revoked.
 * 401 otherwise (the gateway and /oauth/token/accessible-resources).
 */
export function liveAccessToken(state: FakeState, value: string, now: number): FakeOAuthToken {
  const token = state.oauthTokens.find((t) => same(t.accessToken, value))
  if (!token) throw unauthorized()
  if (token.expiresAt && Date.parse(token.expiresAt) <= now) throw unauthorized('Unauthorized; access token expired')
  if (token.grantId !== undefined) {
    const grant = state.oauthGrants.find((g) => g.id === token.grantId)
    if (!grant || grant.revoked) throw unauthorized('Unauthorized; the grant was revoked')
  }
  return token
}

/** Constant-time string comparison, for secrets the fake checks. */
export const sameSecret = same

function userForApiToken(
  state: FakeState,
  email: string,
  secret: string,
  now: number,
): {user: FakeUser; token: FakeApiToken} {
  const user = findUserByEmail(state, email)
  const token = user?.apiTokens.find((t) => same(typeof t === 'string' ? t : t.token, secret))
  // Same answer for an unknown email, a wrong token and a suspended account: a real site does not say which.
  if (!user || user.status !== 'active' || token === undefined) throw unauthorized()
  // An expired token too (atlassian-2026.md §4a; the real answer is UNCONFIRMED, 401 like a bad token).
  const record = state.apiTokenRecords.find((r) => same(r.token, secret))
  if (record && expired(record.expiresAt, now)) throw unauthorized()
  if (record) record.lastActiveAt = new Date(now).toISOString()
  return {token, user}
}

/** The scopes a request's credential is limited to: an OAuth token's or a scoped API token's; undefined for others. */
function scopesOf(p: Principal): string[] | undefined {
  if (p.kind !== 'user') return undefined
  return p.via === 'oauth' ? p.token.scopes : p.scopes
}

/** The signed-in user, for Confluence routes. */
export function currentUser(ctx: RouteContext): FakeUser {
  if (ctx.principal.kind !== 'user') throw unauthorized()
  return ctx.principal.user
}

/** 403 unless the signed-in user is a site admin (group create, add member, ... — atlassian-api.md §4c). */
export function requireSiteAdmin(ctx: RouteContext): FakeUser {
  const user = currentUser(ctx)
  if (!user.siteAdmin) {
    throw new FakeHttpError(
      403,
      'com.atlassian.confluence.api.service.exceptions.PermissionException: User is not permitted to perform this operation (site admin required)',
    )
  }

  return user
}

/** The org `orgId` if the request's Admin API key may see it; 404 (ADMIN-404-2) otherwise, like an unknown org. */
export function requireOrg(ctx: RouteContext, orgId: string): FakeOrg {
  const org = ctx.state.orgs.find((o) => o.id === orgId)
  if (!org || ctx.principal.kind !== 'admin-key' || !ctx.principal.key.orgIds.includes(orgId)) {
    throw new FakeHttpError(404, `Organization ${orgId} not found`, 'ADMIN-404-2')
  }

  return org
}

/** Hook for OAuth scope checks (gateway): 401 "scope does not match" unless the token holds one of `anyOf`. */
export function requireScope(ctx: RouteContext, anyOf: string[]): void {
  const scopes = scopesOf(ctx.principal)
  if (scopes && !anyOf.some((s) => scopes.includes(s))) throw unauthorized('Unauthorized; scope does not match')
}

/**
 * OAuth scope check for gateway requests: 401 "Unauthorized; scope does not match" (the gateway's words, CONFCLOUD-75668
 * in atlassian-api.md §1b) unless the token holds every scope of at least one alternative (e.g. the classic scope, or
 * the granular set). Scoped API tokens are checked the same way; classic API-token requests pass: their scopes are the
 * user's permissions.
 */
export function requireScopes(ctx: RouteContext, alternatives: string[][]): void {
  const scopes = scopesOf(ctx.principal)
  if (scopes && !alternatives.some((set) => set.every((s) => scopes.includes(s))))
    throw unauthorized('Unauthorized; scope does not match')
}

/**
 * The directories `directoryId` names in the org: itself, or every directory of the org for "-" (atlassian-api.md,
 * abbreviations). 404 (ADMIN-404-1, unknown resource) for a directory of another org or none.
 */
export function requireDirectories(ctx: RouteContext, org: FakeOrg, directoryId: string): FakeDirectory[] {
  if (directoryId === '-') return orgDirectories(ctx.state, org.id)
  const directory = ctx.state.directories.find((d) => d.id === directoryId)
  if (!directory || directory.orgId !== org.id)
    throw new FakeHttpError(404, `Directory ${directoryId} not found in organization ${org.id}`, 'ADMIN-404-1')
  return [directory]
}

/** The Confluence site a site or gateway request is about. */
export function requireSite(ctx: RouteContext): FakeSite {
  const site = findSite(ctx.state, ctx.cloudId)
  if (!site) throw new FakeHttpError(404, 'This fake has no such site.')
  return site
}
