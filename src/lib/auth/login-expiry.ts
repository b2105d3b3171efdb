import type {Profile} from '../session/profile.js'
import {adminClient} from '../session/clients.js'
import type {Session} from '../session/session.js'
import type {LoginResult} from './login.js'
import {listedExpiry} from './listed-expiry.js'

/**
 * Adds to a login's result what is known of when its credentials expire: from the Admin API-access listing when an
 * Admin key (the one given, else the profile's) can read it, else the date given with --expires (for the API token
 * when one was given, else for the Admin key), else what the profile already knew of the same secret.
 */
export async function noteLoginExpiry(input: {
  result: LoginResult
  session: Session
  stored?: Profile
  given?: string
  apiToken?: string
  adminKey?: string
  now?: number
}): Promise<void> {
  const {result, stored} = input
  const now = input.now ?? Date.now()
  const key = input.adminKey ?? stored?.adminKey?.key
  const orgId = result.adminKey?.orgId ?? stored?.adminKey?.orgId
  const listed =
    key && orgId && (result.apiToken || result.adminKey)
      ? await listedExpiry(
          await adminClient({...input.session, adminKey: {key, orgId, source: 'profile'}}),
          orgId,
          {apiToken: result.apiToken, adminKey: Boolean(result.adminKey)},
          now,
        )
      : {}
  const given = input.given
    ? {checkedAt: new Date(now).toISOString(), expiresAt: input.given, source: 'given' as const}
    : undefined
  if (result.apiToken) {
    const before = stored?.apiToken?.token === input.apiToken ? stored?.apiToken?.expiry : undefined
    const expiry = listed.apiToken ?? given ?? before
    if (expiry) result.apiToken.expiry = expiry
  }

  if (result.adminKey) {
    const before = stored?.adminKey?.key === input.adminKey ? stored?.adminKey?.expiry : undefined
    const expiry = listed.adminKey ?? (result.apiToken ? undefined : given) ?? before
    if (expiry) result.adminKey.expiry = expiry
  }

  if (result.clientCredentials) {
    const same = stored?.clientCredentials?.clientId === result.clientCredentials.clientId
    const expiry = given ?? (same ? stored?.clientCredentials?.expiry : undefined)
    if (expiry) result.clientCredentials.expiry = expiry
  }
}
