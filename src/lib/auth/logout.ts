import {maskSecret} from '../session/profile.js'
import type {ProfileStore} from '../session/profile-store.js'

export interface LogoutResult {
  profile: string
  /** What was removed, e.g. "API token …abcd for ada@example.com". */
  removed: string[]
}

/** Removes the stored secrets of one profile or of all; the site stays, so logging in again is short. */
export async function logout(input: {store: ProfileStore; profile?: string; all?: boolean}): Promise<LogoutResult[]> {
  if (!input.all && input.profile) await input.store.named(input.profile)
  const {profiles} = await input.store.read()
  const names = input.all ? Object.keys(profiles) : [input.profile ?? 'default']
  const results: LogoutResult[] = []
  for (const name of names) {
    const removed: string[] = []
    await input.store.update(name, (profile) => {
      if (!profile) return undefined
      const {adminKey, apiToken, clientCredentials, oauth, ...rest} = profile
      if (apiToken) removed.push(`API token ${maskSecret(apiToken.token)} for ${apiToken.email}`)
      if (oauth)
        removed.push(`OAuth login ${maskSecret(oauth.refreshToken ?? oauth.accessToken)} of app ${oauth.clientId}`)
      if (clientCredentials)
        removed.push(
          `OAuth client credentials ${maskSecret(clientCredentials.clientSecret)} of client ${clientCredentials.clientId}`,
        )
      if (adminKey)
        removed.push(
          `Admin API key ${maskSecret(adminKey.key)}${adminKey.orgId ? ` for organization ${adminKey.orgId}` : ''}`,
        )
      return Object.keys(rest).length > 0 ? rest : undefined
    })
    results.push({profile: name, removed})
  }

  return results
}
