import type {Got} from 'got'

import {CfadminError, ExitCode} from '../errors.js'
import {createHttpClient, type CredentialProvider, type RetryPolicy} from '../http/client.js'
import type {ApiFamily} from '../http/family.js'
import type {RatePacer} from '../http/pacer.js'
import {ClientCredentials} from './client-credentials.js'
import type {RefusalContext} from '../http/refusals.js'
import {scopeAdvice} from '../oauth/scope-advice.js'
import {OAuthCredentials} from './oauth-credentials.js'
import type {ClientCredentialsLogin, OAuthGrant} from './profile.js'
import type {ProfileStore} from './profile-store.js'
import {adminKeyCredentials, apiTokenCredentials, requireSite, type Session} from './session.js'

/**
 * Where the site's REST APIs are reached and with what: the site with a classic API token, else the gateway
 * (<apiUrl>/ex/confluence/<cloudId>) with a scoped API token (Basic), an OAuth grant or client credentials (Bearer).
 */
export interface SiteRoute {
  baseUrl: string
  family: Extract<ApiFamily, 'gateway' | 'site'>
  credentials: CredentialProvider
  /** Whose credential it is and what a scope refusal needs (http/refusals.ts). */
  refusals?: RefusalContext
}

/**
 * The site credential to use, in this order:
 * 1. the API token when the session has one (every endpoint takes it, space permission changes included): a classic
 *    one on the site, a scoped one through the gateway;
 * 2. else the OAuth (3LO) grant, through the gateway;
 * 3. else the OAuth client credentials (a service account), through the gateway.
 * With none of them, the API token's "not logged in" error.
 */
export function siteRoute(session: Session, store: ProfileStore): SiteRoute {
  if (session.apiToken) return apiTokenRoute(session)
  if (session.oauth) return oauthRoute(session, session.oauth, store)
  if (session.clientCredentials) return clientCredentialsRoute(session, session.clientCredentials)
  return apiTokenRoute(session)
}

/**
 * The session's email and API token (an error naming the logins when it has none): on the site itself for a classic
 * token, through the gateway for a scoped one (Atlassian refuses a scoped token on the site URL).
 */
function apiTokenRoute(session: Session): SiteRoute {
  const credentials = apiTokenCredentials(session)
  const refusals = refusalContext(
    session.apiToken?.email,
    (scopes) =>
      `Create an API token with ${scopes.length > 0 ? scopes.join(' ') : 'the scopes it needs'} (id.atlassian.com > Security > API tokens), then log in with it: cfadmin auth login --email ${session.apiToken?.email ?? '<email>'} --with-token`,
  )
  if (session.apiToken?.kind !== 'scoped')
    return {baseUrl: requireSite(session).url, credentials, family: 'site', refusals}
  return {
    baseUrl: gatewayUrl(session.apiUrl, requireCloudId(session, 'a scoped API token')),
    credentials,
    family: 'gateway',
    refusals,
  }
}

/** The gateway with OAuth client credentials: a new access token each hour, kept in memory (see ClientCredentials). */
export function clientCredentialsRoute(session: Session, login: ClientCredentialsLogin): SiteRoute {
  const cloudId = requireCloudId(session, 'OAuth client credentials')
  const credentials = new ClientCredentials({authUrl: session.authUrl, login, profileName: session.profileName})
  const profile = session.profileName === 'default' ? '' : ` --profile ${session.profileName}`
  const refusals = refusalContext(
    login.displayName ?? login.accountId,
    (scopes) =>
      `${scopes.length > 0 ? `Give ${scopes.join(' ')}` : 'Check the scopes'} to the service account's OAuth credential (admin.atlassian.com > Directory > Service accounts), then log in again: cfadmin auth login --client-credentials --client-id ${login.clientId}${profile}`,
  )
  return {baseUrl: gatewayUrl(session.apiUrl, cloudId), credentials, family: 'gateway', refusals}
}

/** The site's cloud ID, which every gateway route needs; the login records it (tenant_info). */
function requireCloudId(session: Session, what: string): string {
  const site = requireSite(session)
  if (site.cloudId) return site.cloudId
  throw new CfadminError(`Profile "${session.profileName}" has ${what} but no cloud ID for ${site.url}.`, {
    code: 'NOT_LOGGED_IN',
    exit: ExitCode.notAuthenticated,
    hint: `Log in to ${site.url} again (cfadmin auth login --site ${site.url}), which reads its cloud ID.`,
  })
}

/** The API gateway with an OAuth grant of the session (refreshed as needed, see OAuthCredentials). */
export function oauthRoute(session: Session, grant: OAuthGrant, store: ProfileStore): SiteRoute {
  const site = requireSite(session)
  if (!site.cloudId) {
    throw new CfadminError(`Profile "${session.profileName}" has an OAuth login but no cloud ID for ${site.url}.`, {
      code: 'NOT_LOGGED_IN',
      exit: ExitCode.notAuthenticated,
      hint: `Log in again: cfadmin auth login --oauth --client-id ${grant.clientId}`,
    })
  }

  const credentials = new OAuthCredentials({authUrl: session.authUrl, grant, profileName: session.profileName, store})
  const profile = session.profileName === 'default' ? '' : ` --profile ${session.profileName}`
  const refusals = refusalContext(
    grant.email ?? grant.displayName,
    (scopes, preset) =>
      `${scopes.length > 0 ? `Add ${scopes.join(' ')}` : 'Check the scopes'} in the app (developer.atlassian.com > your app > Permissions), then log in again: cfadmin auth login --oauth --client-id ${grant.clientId}${preset ? ` --scopes ${preset}` : ''}${profile}`,
  )
  return {baseUrl: gatewayUrl(session.apiUrl, site.cloudId), credentials, family: 'gateway', refusals}
}

/** Whose credential a route carries, and the fix a scope refusal names (http/refusals.ts). */
function refusalContext(
  account: string | undefined,
  fix: (scopes: readonly string[], preset?: string) => string,
): RefusalContext {
  return {account, scopeAdvice: (method, path) => scopeAdvice(method, path, fix)}
}

/** Where a site's REST APIs are reached with OAuth: <apiUrl>/ex/confluence/<cloudId> (atlassian-api.md §1b). */
export function gatewayUrl(apiUrl: string, cloudId: string): string {
  return `${apiUrl}/ex/confluence/${encodeURIComponent(cloudId)}`
}

/** The site's REST APIs with the session's site credential (see siteRoute); `anonymous` for tenant_info. */
export async function siteClient(
  session: Session,
  options: {
    anonymous?: boolean
    store?: ProfileStore
    pacer?: RatePacer
    retry?: Partial<RetryPolicy>
    /** Headers for every request, whichever route (site or gateway) the session takes. */
    headers?: Record<string, string>
  } = {},
): Promise<Got> {
  if (options.anonymous) return createHttpClient({baseUrl: requireSite(session).url, family: 'site'})
  const route = options.store ? siteRoute(session, options.store) : apiTokenRoute(session)
  return createHttpClient({...route, headers: options.headers, pacer: options.pacer, retry: options.retry})
}

/** The organization Admin API with the session's Admin API key. */
export async function adminClient(
  session: Session,
  options: {pacer?: RatePacer; retry?: Partial<RetryPolicy>} = {},
): Promise<Got> {
  return createHttpClient({
    baseUrl: `${session.apiUrl}/admin`,
    credentials: adminKeyCredentials(session),
    family: 'admin',
    ...options,
  })
}
