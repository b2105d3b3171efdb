/**
 * Which kind an API token is (atlassian-2026.md §4a): a classic token works on the site URL; a scoped one only
 * through the gateway (<apiUrl>/ex/confluence/<cloudId>, the same Basic email:token) and gets 401 on the site. A token
 * does not say which it is, so the login tries the site first and the gateway after a 401, unless told the kind.
 */
import {type CurrentUser, getCurrentUser} from '../api/identity.js'
import {CfadminError, ExitCode} from '../errors.js'
import {type AtlassianApiError, isAtlassianError} from '../http/errors.js'
import {gatewayUrl, siteClient} from '../session/clients.js'
import type {ApiTokenKind} from '../session/profile.js'
import {requireSite, type Session} from '../session/session.js'

export interface TokenProbe {
  kind: ApiTokenKind
  /** Whose the token is; unknown when the gateway refused the check for its scopes. */
  user?: CurrentUser
  /** The gateway accepted the token but not for reading the current user: its scopes are limited. */
  scopesLimited?: boolean
}

/**
 * A gateway 401 that refuses the call, not the credential: "Unauthorized; scope does not match", or the header
 * X-Failure-Category: FAILURE_CLIENT_SCOPE_CHECK (§4a). The token is valid; the call needs a scope it lacks.
 */
export function isScopeMismatch(error: unknown): error is AtlassianApiError {
  return (
    isAtlassianError(error, 401) &&
    (error.failureCategory === 'FAILURE_CLIENT_SCOPE_CHECK' ||
      /scope does not match/i.test(error.atlassianMessage ?? ''))
  )
}

/**
 * Checks the session's API token and finds its kind: the site, then (after a 401 there) the gateway; `wanted` skips
 * the other. A token refused on both is CREDENTIAL_REFUSED (exit 4) saying both were tried; other errors pass.
 */
export async function probeApiToken(session: Session, cloudId: string, wanted?: ApiTokenKind): Promise<TokenProbe> {
  const token = session.apiToken
  if (!token) throw new Error('probeApiToken needs a session with an API token')
  const site = requireSite(session)
  let siteRefusal: AtlassianApiError | undefined
  if (wanted !== 'scoped') {
    try {
      const user = await getCurrentUser(await siteClient({...session, apiToken: {...token, kind: 'classic'}}))
      return {kind: 'classic', user}
    } catch (error) {
      if (wanted === 'classic' || !isAtlassianError(error, 401)) throw error
      siteRefusal = error
    }
  }

  const scoped: Session = {...session, apiToken: {...token, kind: 'scoped'}, site: {...site, cloudId}}
  try {
    return {kind: 'scoped', user: await getCurrentUser(await siteClient(scoped))}
  } catch (error) {
    if (isScopeMismatch(error)) return {kind: 'scoped', scopesLimited: true}
    if (!siteRefusal || !isAtlassianError(error, 401)) throw error
    const gateway = gatewayUrl(session.apiUrl, cloudId)
    throw new CfadminError(
      `Atlassian refused the API token for ${token.email} on ${site.url} and through the gateway ${gateway} (tried as a classic and as a scoped token): ${error.message}`,
      {
        cause: error,
        code: 'CREDENTIAL_REFUSED',
        exit: ExitCode.notAuthenticated,
        hint: 'Check the email and the token (it may have expired or been revoked; create one at https://id.atlassian.com/manage-profile/security/api-tokens).',
      },
    )
  }
}
