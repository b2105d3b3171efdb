import {randomBytes, randomUUID} from 'node:crypto'

import {liveAccessToken, parseAuthorization, sameSecret} from '../auth.js'
import {FakeHttpError} from '../errors.js'
import {findSite, findUser, findUserByEmail, siteHostUrl} from '../model.js'
import {queryObject} from '../redact.js'
import {type FakeResponse, html, json, redirect, type Route, type RouteContext} from '../router.js'
import type {FakeOAuthApp, FakeOAuthGrant, FakeState, FakeUser} from '../types.js'

/**
 * Atlassian's OAuth 2.0 (3LO) host (atlassian-api.md §1b): the consent page at /authorize, the token endpoint
 * /oauth/token (authorization code and rotating refresh tokens) and api.atlassian.com's
 * /oauth/token/accessible-resources. All anonymous: each route checks its own credential.
 */

/** Authorization codes live 10 minutes (the usual Auth0 lifetime; Atlassian's: UNCONFIRMED). */
export const CODE_TTL_MS = 10 * 60_000
const AUDIENCE = 'api.atlassian.com'
/** Parameters of the authorization request, carried from the consent page's hidden fields to POST /authorize. */
const AUTHORIZE_PARAMS = ['audience', 'client_id', 'scope', 'redirect_uri', 'state', 'response_type', 'prompt'] as const
/** The avatar Atlassian's doc shows in accessible-resources (§1b). */
const SITE_AVATAR = 'https://site-admin-avatar-cdn.prod.public.atl-paas.net/avatars/240/flag.png'

const iso = (ms: number) => new Date(ms).toISOString()
const secret = (kind: string) => `fake-oauth-${kind}-${randomBytes(18).toString('base64url')}`
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

/** A registered callback of the fake-only wildcard form scheme://host:* (any port, any path). */
export const CALLBACK_WILDCARD = /^(https?):\/\/([^/:@]+):\*$/

/**
 * Whether `redirectUri` is allowed by one registered callback: the same string, or (fake-only convenience, for tests
 * on random ports) a `http://localhost:*` / `http://127.0.0.1:*` entry: that scheme and host, any port or none, any path.
 */
export function callbackMatches(registered: string, redirectUri: string): boolean {
  if (registered === redirectUri) return true
  const wildcard = CALLBACK_WILDCARD.exec(registered)
  if (!wildcard || !URL.canParse(redirectUri)) return false
  const url = new URL(redirectUri)
  return url.protocol === `${wildcard[1]}:` && url.hostname === wildcard[2] && !url.username && !url.password
}

/** `base` with query parameters added (undefined values left out); a query the URI already had is kept. */
function withParams(base: string, params: Record<string, string | undefined>): string {
  const url = new URL(base)
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.append(k, v)
  return url.toString()
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${escapeHtml(title)} · fake Atlassian</title></head>
<body>
${body}
</body>
</html>
`
}

/** The error page Atlassian shows instead of redirecting (unknown client, unregistered redirect_uri): never a redirect. */
function errorPage(error: string, description: string): FakeResponse {
  return html(
    400,
    page(
      'Something went wrong',
      `<h1 id="error">${escapeHtml(error)}</h1>\n<p id="error-description">${escapeHtml(description)}</p>`,
    ),
  )
}

/** The string fields of a form or JSON body, or of the query (a repeated name: its first value). */
function fieldsOf(value: unknown): Record<string, string> {
  const out: Record<string, string> = {}
  if (!value || typeof value !== 'object' || Array.isArray(value)) return out
  for (const [k, v] of Object.entries(value)) {
    const first = Array.isArray(v) ? v[0] : v
    if (typeof first === 'string') out[k] = first
  }

  return out
}

type Checked =
  {ok: true; app: FakeOAuthApp; redirectUri: string; scopes: string[]} | {ok: false; response: FakeResponse}

/**
 * The rules of an authorization request (§1b), for the consent page and its form post alike: a known client and a
 * registered redirect_uri, or an error page; then response_type=code and allowed scopes, or a redirect carrying the error.
 */
function checkAuthorization(state: FakeState, p: Record<string, string>): Checked {
  const app = state.oauthApps.find((a) => a.clientId === p.client_id)
  if (!app)
    return {
      ok: false,
      response: errorPage('invalid_client', `No OAuth 2.0 (3LO) app has the client ID "${p.client_id ?? ''}".`),
    }
  const redirectUri = p.redirect_uri ?? ''
  // Atlassian's words for this case (humanlayer/humanlayer#1068: id.atlassian.com/error?error=unauthorized_client&…).
  if (!app.callbackUrls.some((c) => callbackMatches(c, redirectUri))) {
    return {
      ok: false,
      response: errorPage('unauthorized_client', `redirect_uri is not registered for client: ${redirectUri}`),
    }
  }

  const back = (error: string, description: string): Checked => ({
    ok: false,
    response: redirect(withParams(redirectUri, {error, error_description: description, state: p.state})),
  })
  if (p.response_type !== 'code') return back('unsupported_response_type', 'response_type must be "code"')
  const scopes = [...new Set((p.scope ?? '').split(/\s+/).filter(Boolean))]
  if (scopes.length === 0) return back('invalid_scope', 'No scope was requested.')
  const refused = scopes.filter((s) => !app.scopes.includes(s))
  if (refused.length > 0) return back('invalid_scope', `The app ${app.name} may not ask for: ${refused.join(' ')}`)
  return {app, ok: true, redirectUri, scopes}
}

/** Records what §1b says Atlassian requires of the authorization URL and the fake lets pass. */
function checkRequiredParams(ctx: RouteContext, p: Record<string, string>): void {
  if (p.audience !== AUDIENCE)
    ctx.offContract(
      `GET /authorize: audience must be ${AUDIENCE} (atlassian-api.md §1b), got ${p.audience === undefined ? 'none' : `"${p.audience}"`}`,
    )
  if (p.prompt !== 'consent')
    ctx.offContract(
      `GET /authorize: prompt must be consent (atlassian-api.md §1b), got ${p.prompt === undefined ? 'none' : `"${p.prompt}"`}`,
    )
  if (p.response_type !== 'code')
    ctx.offContract(
      `GET /authorize: response_type must be code (atlassian-api.md §1b), got ${p.response_type === undefined ? 'none' : `"${p.response_type}"`}`,
    )
}

/** The account the consent page preselects: the first active site admin, else the first active user. */
function defaultAccount(users: FakeUser[]): FakeUser | undefined {
  return users.find((u) => u.status === 'active' && u.siteAdmin) ?? users.find((u) => u.status === 'active')
}

function consentPage(ctx: RouteContext, app: FakeOAuthApp, scopes: string[], p: Record<string, string>): FakeResponse {
  const {state} = ctx
  const active = state.users.filter((u) => u.status === 'active')
  const chosen = defaultAccount(active)
  const option = (value: string, label: string, selected: boolean) =>
    `<option value="${escapeHtml(value)}"${selected ? ' selected' : ''}>${escapeHtml(label)}</option>`
  const accounts = active.map((u) => option(u.email, `${u.name} (${u.email})`, u === chosen)).join('\n')
  const sites = state.sites
    .map((s, i) => option(s.cloudId, `${s.name} (${siteHostUrl(state, s, ctx.origin)})`, i === 0))
    .join('\n')
  const hidden = AUTHORIZE_PARAMS.filter((name) => p[name] !== undefined)
    .map((name) => `<input type="hidden" name="${name}" value="${escapeHtml(p[name])}">`)
    .join('\n')
  const body = `<h1 id="app-name">${escapeHtml(app.name)} is requesting access to your Atlassian account</h1>
<p>The fake Atlassian's consent page (a test double of auth.atlassian.com): choose who you are and the site, then accept.</p>
<form id="consent" method="post" action="/authorize">
<p><label for="account">Account</label>
<select id="account" name="account">
${accounts}
</select></p>
<p><label for="site">Use app on</label>
<select id="site" name="site">
${sites}
</select></p>
<h2>${escapeHtml(app.name)} would like to:</h2>
<ul id="scopes">
${scopes.map((s) => `<li>${escapeHtml(s)}</li>`).join('\n')}
</ul>
${hidden}
<button id="accept" type="submit" name="decision" value="accept">Accept</button>
<button id="deny" type="submit" name="decision" value="deny">Cancel</button>
</form>`
  return html(200, page(`Authorize ${app.name}`, body))
}

/** A new access token (and refresh token when the grant has offline_access), in Atlassian's token response shape. */
function mintTokens(ctx: RouteContext, grant: FakeOAuthGrant): FakeResponse {
  const {state} = ctx
  const now = ctx.now()
  const ttl = state.behaviour.accessTokenTtlSeconds
  const accessToken = secret('access')
  state.oauthTokens.push({
    accessToken,
    accountId: grant.accountId,
    cloudIds: [...grant.cloudIds],
    expiresAt: iso(now + ttl * 1000),
    grantId: grant.id,
    scopes: [...grant.scopes],
  })
  const body: Record<string, unknown> = {
    access_token: accessToken,
    expires_in: ttl,
    scope: grant.scopes.join(' '),
    token_type: 'Bearer',
  }
  if (grant.scopes.includes('offline_access')) {
    for (const r of grant.refreshTokens) r.rotatedAt ??= iso(now)
    const refreshToken = secret('refresh')
    grant.refreshTokens.push({issuedAt: iso(now), token: refreshToken})
    body.refresh_token = refreshToken
  }

  return json(200, body, {'Cache-Control': 'no-store', Pragma: 'no-cache'})
}

const tokenError = (status: number, error: string, description: string) => new FakeHttpError(status, description, error)
const invalidRefreshToken = () => tokenError(403, 'invalid_grant', 'Unknown or invalid refresh token.')
const invalidCode = () => tokenError(403, 'invalid_grant', 'Invalid authorization code')

/** Marks the grant dead: its refresh and access tokens are refused from now on (§1b: the user must consent again). */
export function revokeGrant(grant: FakeOAuthGrant, now: number, reason: string): void {
  if (grant.revoked) return
  grant.revoked = true
  grant.revokedAt = iso(now)
  grant.revokedReason = reason
}

function exchangeCode(ctx: RouteContext, app: FakeOAuthApp, f: Record<string, string>): FakeResponse {
  const {state} = ctx
  const now = ctx.now()
  const code = state.oauthCodes.find((c) => sameSecret(c.code, f.code))
  if (!code || code.used || Date.parse(code.expiresAt) <= now || code.clientId !== app.clientId) throw invalidCode()
  // Wording UNCONFIRMED; RFC 6749 §4.1.3 makes it invalid_grant. The code stays usable with the right redirect_uri.
  if (code.redirectUri !== f.redirect_uri)
    throw tokenError(403, 'invalid_grant', 'redirect_uri does not match the one of the authorization request')
  code.used = true
  const user = findUser(state, code.accountId)
  if (user?.status !== 'active') throw invalidCode()
  const grant: FakeOAuthGrant = {
    accountId: code.accountId,
    clientId: app.clientId,
    cloudIds: [...code.cloudIds],
    createdAt: iso(now),
    id: `grant-${randomUUID()}`,
    refreshTokens: [],
    revoked: false,
    scopes: [...code.scopes],
  }
  state.oauthGrants.push(grant)
  return mintTokens(ctx, grant)
}

/**
 * Rotating refresh tokens (§1b): each use answers a new pair and the token presented stops being current. A token
 * rotated less than `behaviour.refreshTokenLeewayMs` ago still works (it too gets a new pair: the newest is current);
 * presented later it revokes the whole grant.
 */
function refresh(ctx: RouteContext, app: FakeOAuthApp, f: Record<string, string>): FakeResponse {
  const {state} = ctx
  const now = ctx.now()
  for (const grant of state.oauthGrants) {
    const entry = grant.refreshTokens.find((r) => sameSecret(r.token, f.refresh_token))
    if (!entry) continue
    if (grant.revoked || grant.clientId !== app.clientId) throw invalidRefreshToken()
    if (entry.rotatedAt && now - Date.parse(entry.rotatedAt) > state.behaviour.refreshTokenLeewayMs) {
      revokeGrant(grant, now, 'a rotated refresh token was presented after the reuse leeway')
      throw invalidRefreshToken()
    }

    return mintTokens(ctx, grant)
  }

  throw invalidRefreshToken()
}

const REQUIRED: Record<string, string[]> = {
  authorization_code: ['client_id', 'client_secret', 'code', 'redirect_uri'],
  client_credentials: ['client_id', 'client_secret'],
  refresh_token: ['client_id', 'client_secret', 'refresh_token'],
}

/**
 * Client credentials of a service account (atlassian-2026.md §4b): an access token acting as the account, for
 * `behaviour.accessTokenTtlSeconds` (60 minutes) on the fake's clock, and never a refresh token. JSON and form bodies
 * alike (which one Atlassian wants is unconfirmed); an `audience` is accepted and ignored. A wrong ID or secret:
 * 401 access_denied, as for 3LO apps.
 */
function clientCredentialsGrant(ctx: RouteContext, f: Record<string, string>): FakeResponse {
  const {state} = ctx
  const client = state.clientCredentials.find((c) => c.clientId === f.client_id)
  if (!client || !sameSecret(client.clientSecret, f.client_secret))
    throw tokenError(401, 'access_denied', 'Unauthorized')
  const account = findUser(state, client.accountId)
  if (account?.status !== 'active') throw tokenError(401, 'access_denied', 'Unauthorized')
  const ttl = state.behaviour.accessTokenTtlSeconds
  const accessToken = `fake-sa-access-${randomBytes(18).toString('base64url')}`
  state.oauthTokens.push({
    accessToken,
    accountId: client.accountId,
    cloudIds: client.cloudIds ? [...client.cloudIds] : state.sites.map((s) => s.cloudId),
    expiresAt: iso(ctx.now() + ttl * 1000),
    scopes: [...client.scopes],
  })
  return json(
    200,
    {access_token: accessToken, expires_in: ttl, scope: client.scopes.join(' '), token_type: 'Bearer'},
    {'Cache-Control': 'no-store', Pragma: 'no-cache'},
  )
}

export const oauthRoutes: Route[] = [
  {
    anonymous: true,
    handler(ctx) {
      const p = fieldsOf(queryObject(ctx.query))
      const checked = checkAuthorization(ctx.state, p)
      if (checked.ok || checked.response.status === 302) checkRequiredParams(ctx, p)
      return checked.ok ? consentPage(ctx, checked.app, checked.scopes, p) : checked.response
    },
    method: 'GET',
    path: '/authorize',
  },
  {
    anonymous: true,
    handler(ctx) {
      const f = fieldsOf(ctx.body)
      const checked = checkAuthorization(ctx.state, f)
      if (!checked.ok) return checked.response
      const {app, redirectUri, scopes} = checked
      if (f.decision === 'deny') {
        // Description wording UNCONFIRMED (Atlassian's identity service words its own).
        return redirect(
          withParams(redirectUri, {
            error: 'access_denied',
            error_description: 'User did not authorize the request',
            state: f.state,
          }),
        )
      }

      if (f.decision !== 'accept') return errorPage('invalid_request', 'decision must be accept or deny')
      const user = f.account ? (findUserByEmail(ctx.state, f.account) ?? findUser(ctx.state, f.account)) : undefined
      if (user?.status !== 'active')
        return errorPage('invalid_request', `No active account ${f.account ?? ''} on this fake Atlassian.`)
      const site = findSite(ctx.state, f.site)
      if (!site) return errorPage('invalid_request', `No site with cloud ID ${f.site ?? ''} on this fake Atlassian.`)
      const code = secret('code')
      ctx.state.oauthCodes.push({
        accountId: user.accountId,
        clientId: app.clientId,
        cloudIds: [site.cloudId],
        code,
        expiresAt: iso(ctx.now() + CODE_TTL_MS),
        redirectUri,
        scopes,
        used: false,
      })
      return redirect(withParams(redirectUri, {code, state: f.state}))
    },
    method: 'POST',
    path: '/authorize',
  },
  {
    anonymous: true,
    handler(ctx) {
      const f = fieldsOf(ctx.body)
      const grantType = f.grant_type
      if (!grantType) throw tokenError(400, 'invalid_request', 'Missing required parameter: grant_type')
      const required = REQUIRED[grantType]
      if (!required) throw tokenError(400, 'unsupported_grant_type', `Unsupported grant type: ${grantType}`)
      const missing = required.filter((name) => !f[name])
      if (missing.length > 0)
        throw tokenError(400, 'invalid_request', `Missing required parameter(s): ${missing.join(', ')}`)
      if (grantType === 'client_credentials') return clientCredentialsGrant(ctx, f)
      // §1b: a wrong client secret yields access_denied (jira.js docs); the status, 401, is UNCONFIRMED.
      const app = ctx.state.oauthApps.find((a) => a.clientId === f.client_id)
      if (!app || !sameSecret(app.clientSecret, f.client_secret)) throw tokenError(401, 'access_denied', 'Unauthorized')
      return grantType === 'authorization_code' ? exchangeCode(ctx, app, f) : refresh(ctx, app, f)
    },
    method: 'POST',
    path: '/oauth/token',
  },
  {
    anonymous: true,
    handler(ctx) {
      const credential = parseAuthorization(ctx.req.headers.authorization)
      if (credential.scheme !== 'bearer') throw new FakeHttpError(401, 'Unauthorized')
      const token = liveAccessToken(ctx.state, credential.token, ctx.now())
      const sites = token.cloudIds.map((id) => findSite(ctx.state, id)).filter((s) => s !== undefined)
      return json(
        200,
        sites.map((site) => ({
          avatarUrl: SITE_AVATAR,
          id: site.cloudId,
          name: site.name,
          scopes: [...token.scopes],
          url: siteHostUrl(ctx.state, site, ctx.origin),
        })),
      )
    },
    method: 'GET',
    path: '/oauth/token/accessible-resources',
  },
]
