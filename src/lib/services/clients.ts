import type {Got} from 'got'

import {CfadminError, ExitCode} from '../errors.js'
import {type ApiFamily, createHttpClient, type CredentialProvider, type RetryPolicy} from '../http/client.js'
import type {RatePacer} from '../http/pacer.js'
import {OAuthCredentials} from '../session/oauth-credentials.js'
import type {ProfileStore} from '../session/profile-store.js'
import {adminKeyCredentials, apiTokenCredentials, requireSite, type Session} from '../session/session.js'

/** Where the site's REST APIs are reached and with what: the site with an API token, or the gateway with OAuth. */
export interface SiteRoute {
  baseUrl: string
  family: Extract<ApiFamily, 'gateway' | 'site'>
  credentials: CredentialProvider
}

/**
 * The site credential to use: the API token when the session has one (every endpoint takes it, space
 * permission changes included), else the OAuth grant through api.atlassian.com/ex/confluence/{cloudId}.
 */
export function siteRoute(session: Session, store: ProfileStore): SiteRoute {
  if (session.apiToken || !session.oauth) return {baseUrl: requireSite(session).url, credentials: apiTokenCredentials(session), family: 'site'}
  return oauthRoute(session, store)
}

/** The API gateway with the session's OAuth grant (refreshed as needed, see OAuthCredentials). */
export function oauthRoute(session: Session, store: ProfileStore): SiteRoute {
  const site = requireSite(session)
  if (!session.oauth) return siteRoute(session, store)
  if (!site.cloudId) {
    throw new CfadminError(`Profile "${session.profileName}" has an OAuth login but no cloud ID for ${site.url}.`, {
      code: 'NOT_LOGGED_IN',
      exit: ExitCode.notAuthenticated,
      hint: `Log in again: cfadmin auth login --oauth --client-id ${session.oauth.clientId}`,
    })
  }

  const credentials = new OAuthCredentials({authUrl: session.authUrl, grant: session.oauth, profileName: session.profileName, store})
  return {baseUrl: `${session.apiUrl}/ex/confluence/${encodeURIComponent(site.cloudId)}`, credentials, family: 'gateway'}
}

/** The site's REST APIs with the session's site credential (see siteRoute); `anonymous` for tenant_info. */
export function siteClient(session: Session, options: {anonymous?: boolean; store?: ProfileStore; pacer?: RatePacer; retry?: Partial<RetryPolicy>} = {}): Got {
  if (options.anonymous) return createHttpClient({baseUrl: requireSite(session).url, family: 'site'})
  const route = options.store ? siteRoute(session, options.store) : {baseUrl: requireSite(session).url, credentials: apiTokenCredentials(session), family: 'site' as const}
  return createHttpClient({...route, pacer: options.pacer, retry: options.retry})
}

/** The organization Admin API with the session's Admin API key. */
export function adminClient(session: Session, options: {pacer?: RatePacer; retry?: Partial<RetryPolicy>} = {}): Got {
  return createHttpClient({baseUrl: `${session.apiUrl}/admin`, credentials: adminKeyCredentials(session), family: 'admin', ...options})
}
