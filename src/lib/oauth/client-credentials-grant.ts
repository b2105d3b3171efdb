/**
 * OAuth 2.0 client credentials (atlassian-2026.md §4b): a service account's client ID and secret give an access token
 * for about an hour, and no refresh token: the next one is asked for the same way. The body is JSON, like the 3LO
 * exchange (whether Atlassian wants JSON or a form, and an `audience`, is unconfirmed; JSON is what 3LO takes).
 */
import type {Got} from 'got'

import {CfadminError, ExitCode} from '../errors.js'
import {isAtlassianError} from '../http/errors.js'
import {type AppCredentials, type RawTokens, toTokenSet} from './token-endpoint.js'

export interface ClientToken {
  accessToken: string
  /** ISO 8601, from expires_in. */
  expiresAt: string
}

/** Where the secret can be given again, for the hints of a refused one. */
export const CLIENT_SECRET_SOURCES = 'CFADMIN_CLIENT_SECRET or --with-client-secret'

/**
 * A new access token for the client ID and secret. Sent again after a 5xx or a dropped connection (nothing is spent:
 * there is no refresh token to rotate). A refusal (invalid_client, access_denied, 401) is exit 4 naming the client ID.
 */
export async function clientCredentialsToken(auth: Got, app: AppCredentials, now = Date.now()): Promise<ClientToken> {
  const json = {client_id: app.clientId, client_secret: app.clientSecret, grant_type: 'client_credentials'}
  try {
    const tokens = toTokenSet(await auth.post('oauth/token', {context: {retry: true}, json}).json<RawTokens>(), now)
    return {accessToken: tokens.accessToken, expiresAt: tokens.expiresAt}
  } catch (error) {
    throw explain(error, app)
  }
}

function explain(error: unknown, app: AppCredentials): unknown {
  if (!isAtlassianError(error) || error.family !== 'auth') return error
  const refused =
    error.status === 401 ||
    error.oauthError === 'invalid_client' ||
    error.oauthError === 'access_denied' ||
    error.oauthError === 'unauthorized_client'
  if (!refused) return error
  const said = error.atlassianMessage ? `: ${error.atlassianMessage}` : ''
  return new CfadminError(
    `Atlassian refused the client credentials of ${app.clientId} (${error.oauthError ?? error.status}${said}).`,
    {
      cause: error,
      code: 'CLIENT_CREDENTIALS_REFUSED',
      exit: ExitCode.notAuthenticated,
      hint: `Check the client ID and its secret (admin.atlassian.com > Directory > Service accounts > the account's OAuth credentials), then log in again with the secret in ${CLIENT_SECRET_SOURCES}: cfadmin auth login --client-credentials --client-id ${app.clientId} --site <site>.`,
    },
  )
}
