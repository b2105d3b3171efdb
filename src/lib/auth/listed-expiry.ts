import type {Got} from 'got'

import {listApiKeys, listApiTokens, type ListedCredential} from '../api/api-access.js'
import type {CredentialExpiry} from '../session/profile.js'
import {matchAdminKey, matchApiToken} from './credential-expiry.js'

/**
 * A listing the key may not be able to read: a key with scopes lacking read:tokens:admin / read:keys:admin, an org
 * without the (experimental) API-access API, anything else that fails. Expiry is a nicety at login and in auth status,
 * never a reason for them to fail, so every failure reads as "not known".
 */
async function quietly(read: () => Promise<ListedCredential[]>): Promise<ListedCredential[] | undefined> {
  try {
    return await read()
  } catch {
    return undefined
  }
}

/**
 * The expiry of the profile's API token (matched by owner) and Admin key, from the API-access listing, each
 * undefined when the listing cannot be read or does not tell.
 */
export async function listedExpiry(
  admin: Got,
  orgId: string,
  wanted: {apiToken?: {accountId?: string; email: string}; adminKey?: boolean},
  now = Date.now(),
): Promise<{apiToken?: CredentialExpiry; adminKey?: CredentialExpiry}> {
  const [tokens, keys] = await Promise.all([
    wanted.apiToken ? quietly(() => listApiTokens(admin, orgId)) : undefined,
    wanted.adminKey ? quietly(() => listApiKeys(admin, orgId)) : undefined,
  ])
  return {
    adminKey: keys ? matchAdminKey(keys, now) : undefined,
    apiToken: tokens && wanted.apiToken ? matchApiToken(tokens, wanted.apiToken, now) : undefined,
  }
}
