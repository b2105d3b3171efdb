/**
 * `auth login --client-credentials`: a service account's OAuth client ID and secret, checked by asking for an access
 * token and reading who it acts as through the gateway. No consent screen, so the site (and its cloud ID) comes from
 * --site. Only the client ID and secret are saved; the token is not.
 */
import {getCurrentUser} from '../api/identity.js'
import {CfadminError, ExitCode} from '../errors.js'
import {createHttpClient} from '../http/client.js'
import {isAtlassianError} from '../http/errors.js'
import {clientCredentialsRoute} from '../session/clients.js'
import type {Session} from '../session/session.js'
import {isScopeMismatch} from './token-kind.js'

export interface ClientCredentialsCheck {
  clientId: string
  /** The service account, when the token's scopes let it be read. */
  accountId?: string
  displayName?: string
  /** Where site requests go: the gateway. */
  baseUrl: string
}

/** Gets a token (a refusal is exit 4 naming the client ID) and reads the account; warnings go to `warnings`. */
export async function clientCredentialsLogin(
  session: Session,
  app: {clientId: string; clientSecret: string},
  warnings: string[],
): Promise<ClientCredentialsCheck> {
  const route = clientCredentialsRoute(session, app)
  // First the token alone: a wrong ID or secret is said as such, not as a refused Confluence call.
  await route.credentials.authorization()
  const result: ClientCredentialsCheck = {baseUrl: route.baseUrl, clientId: app.clientId}
  try {
    const user = await getCurrentUser(await createHttpClient(route))
    result.accountId = user.accountId
    result.displayName = user.displayName
  } catch (error) {
    if (isScopeMismatch(error)) {
      warnings.push(
        `the client credentials work, but their scopes do not include reading the current user; commands that need a missing scope will say which.`,
      )
    } else if (isAtlassianError(error, 401) || isAtlassianError(error, 403)) {
      throw new CfadminError(
        `Atlassian gave an access token for ${app.clientId} but refused it on ${route.baseUrl}: ${error.message}`,
        {
          cause: error,
          code: 'CREDENTIAL_REFUSED',
          exit: ExitCode.notAuthenticated,
          hint: 'Check that the service account is active, has Confluence access on this site, and that its OAuth credential has Confluence scopes (admin.atlassian.com > Directory > Service accounts).',
        },
      )
    } else {
      throw error
    }
  }

  return result
}
