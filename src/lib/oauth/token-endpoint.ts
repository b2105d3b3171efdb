/**
 * Atlassian's token endpoint, POST <authUrl>/oauth/token (atlassian-api.md §1b): the authorization code for a
 * first token pair, and the rotating refresh token for each next one. Its refusals become errors that say
 * whether to log in again or to fix the app's client ID and secret.
 */
import type {Got} from 'got'

import {CfadminError, ExitCode} from '../errors.js'
import {createHttpClient} from '../http/client.js'
import {isAtlassianError} from '../http/errors.js'

/** What a token answer gives. */
export interface TokenSet {
  accessToken: string
  /** ISO 8601, from expires_in. */
  expiresAt: string
  /** Absent when offline_access was not granted. */
  refreshToken?: string
  scopes: string[]
}

export interface AppCredentials {
  clientId: string
  clientSecret: string
}

export interface RawTokens {
  access_token?: unknown
  expires_in?: unknown
  refresh_token?: unknown
  scope?: unknown
}

/** The OAuth host as a client (no Authorization header: the app's credentials travel in the body). */
export async function tokenClient(authUrl: string): Promise<Got> {
  return createHttpClient({baseUrl: authUrl, family: 'auth'})
}

/** The first token pair, for the code the browser brought back. Not resent on failure: a code works once. */
export async function exchangeCode(
  auth: Got,
  app: AppCredentials,
  code: string,
  redirectUri: string,
  now = Date.now(),
): Promise<TokenSet> {
  const json = {
    client_id: app.clientId,
    client_secret: app.clientSecret,
    code,
    grant_type: 'authorization_code',
    redirect_uri: redirectUri,
  }
  try {
    return toTokenSet(await auth.post('oauth/token', {json}).json<RawTokens>(), now)
  } catch (error) {
    throw explain(error, app, 'code')
  }
}

/**
 * The next token pair for a refresh token. Atlassian rotates: the answer carries a new refresh token and the
 * one sent dies (it stays usable for a short leeway, which is why this request may be resent after a 5xx or a
 * dropped connection).
 */
export async function refreshTokens(
  auth: Got,
  app: AppCredentials,
  refreshToken: string,
  now = Date.now(),
): Promise<TokenSet> {
  const json = {
    client_id: app.clientId,
    client_secret: app.clientSecret,
    grant_type: 'refresh_token',
    refresh_token: refreshToken,
  }
  try {
    return toTokenSet(await auth.post('oauth/token', {context: {retry: true}, json}).json<RawTokens>(), now)
  } catch (error) {
    throw explain(error, app, 'refresh')
  }
}

export function toTokenSet(raw: RawTokens, now: number): TokenSet {
  if (typeof raw?.access_token !== 'string' || raw.access_token === '') {
    throw new CfadminError("Atlassian's token endpoint answered without an access token.", {
      code: 'OAUTH_BAD_ANSWER',
      // Not cfadmin's fault: CFADMIN_AUTH_URL names something that is not Atlassian's token endpoint.
      exit: ExitCode.badInput,
      hint: 'Check CFADMIN_AUTH_URL (it should be https://auth.atlassian.com); run with DEBUG=cfadmin* to see the requests.',
    })
  }

  const seconds = typeof raw.expires_in === 'number' && raw.expires_in > 0 ? raw.expires_in : 3600
  return {
    accessToken: raw.access_token,
    expiresAt: new Date(now + seconds * 1000).toISOString(),
    refreshToken: typeof raw.refresh_token === 'string' && raw.refresh_token !== '' ? raw.refresh_token : undefined,
    scopes: typeof raw.scope === 'string' ? raw.scope.split(/\s+/).filter(Boolean) : [],
  }
}

/** Atlassian's refusal, in terms of what the user does next. Messages never carry the values sent. */
function explain(error: unknown, app: AppCredentials, step: 'code' | 'refresh'): unknown {
  if (!isAtlassianError(error) || error.family !== 'auth') return error
  const said = error.atlassianMessage ? `: ${error.atlassianMessage}` : ''
  if (error.oauthError === 'invalid_grant') {
    return step === 'refresh'
      ? new CfadminError(`Atlassian no longer accepts this login's refresh token (invalid_grant${said}).`, {
          cause: error,
          code: 'OAUTH_GRANT_EXPIRED',
          exit: ExitCode.notAuthenticated,
          hint: `Log in again: cfadmin auth login --oauth --client-id ${app.clientId}. (A grant ends after 90 days unused, 365 days in all, a password change, or when an old refresh token is reused.)`,
        })
      : new CfadminError(`Atlassian refused the authorization code (invalid_grant${said}).`, {
          cause: error,
          code: 'OAUTH_CODE_REFUSED',
          exit: ExitCode.notAuthenticated,
          hint: 'Run the login again: a code works once, for 10 minutes, with the same callback URL.',
        })
  }

  if (
    error.oauthError === 'access_denied' ||
    error.oauthError === 'invalid_client' ||
    error.oauthError === 'unauthorized_client' ||
    error.status === 401
  ) {
    return new CfadminError(
      `Atlassian refused the app's client ID ${app.clientId} or its secret (${error.oauthError ?? error.status}${said}).`,
      {
        cause: error,
        code: 'OAUTH_CLIENT_REFUSED',
        exit: ExitCode.notAuthenticated,
        hint: 'Copy both again from developer.atlassian.com > your app > Settings (Authentication details).',
      },
    )
  }

  return error
}
