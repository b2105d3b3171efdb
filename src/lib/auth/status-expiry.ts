import type {Profile} from '../session/profile.js'
import type {ProfileStore} from '../session/profile-store.js'
import {adminClient} from '../session/clients.js'
import type {Session} from '../session/session.js'
import type {ProfileStatus} from './auth-status.js'
import {
  CREDENTIAL_LABEL,
  expiresSoon,
  expiryFields,
  expiryText,
  fromFields,
  isExpired,
  oauthExpiry,
  RENEW_HINT,
} from './credential-expiry.js'
import {listedExpiry} from './listed-expiry.js'

const LABEL = CREDENTIAL_LABEL

/**
 * Adds each credential's expiry to its status: what the profile recorded (or, for OAuth, what its tokens tell),
 * refreshed from the Admin API-access listing when the session's Admin key was just checked and can read it. What the
 * listing says of the profile's own credentials is saved into the profile.
 */
export async function addExpiry(
  status: ProfileStatus,
  input: {session: Session; stored?: Profile; offline: boolean; store: ProfileStore; now?: number},
): Promise<ProfileStatus> {
  const {session, stored} = input
  const now = input.now ?? Date.now()
  const tokenFromProfile = session.apiToken?.source === 'profile' && stored?.apiToken?.token === session.apiToken.token
  const keyFromProfile = session.adminKey?.source === 'profile' && stored?.adminKey?.key === session.adminKey.key
  let apiToken = tokenFromProfile ? stored?.apiToken?.expiry : undefined
  let adminKey = keyFromProfile ? stored?.adminKey?.expiry : undefined
  const clientSecret = session.clientCredentials?.expiry
  const keyWorks = status.credentials.some((c) => c.kind === 'admin-key' && c.check === 'valid')
  const orgId = session.adminKey?.orgId
  if (!input.offline && keyWorks && orgId) {
    const listed = await listedExpiry(
      await adminClient(session),
      orgId,
      {adminKey: true, apiToken: session.apiToken},
      now,
    )
    apiToken = listed.apiToken ?? apiToken
    adminKey = listed.adminKey ?? adminKey
    const save = {
      adminKey: keyFromProfile ? listed.adminKey : undefined,
      apiToken: tokenFromProfile ? listed.apiToken : undefined,
    }
    if (save.apiToken || save.adminKey)
      await input.store.update(session.profileName, (p) => {
        if (!p) return p
        const next = {...p}
        if (save.apiToken && p.apiToken?.token === session.apiToken?.token)
          next.apiToken = {...p.apiToken!, expiry: save.apiToken}
        if (save.adminKey && p.adminKey?.key === session.adminKey?.key)
          next.adminKey = {...p.adminKey!, expiry: save.adminKey}
        return next
      })
  }

  // The live check may have renewed the grant: what the profile holds now tells when it was last renewed.
  const grant = session.oauth ? ((await input.store.get(session.profileName))?.oauth ?? session.oauth) : undefined
  const oauth = grant ? oauthExpiry(grant) : undefined
  for (const credential of status.credentials) {
    if (credential.check === 'other site') continue
    // A client secret's expiry is only what the login was told (no listing gives it).
    const expiry = {'admin-key': adminKey, 'api-token': apiToken, 'client-credentials': clientSecret, oauth}[
      credential.kind
    ]
    Object.assign(credential, expiryFields(expiry))
  }

  return status
}

/**
 * The lines `auth status` warns with (a credential expired, or expiring within 14 days, in any profile shown), and
 * whether one of the active profile's has expired (exit 4).
 */
export function expiryVerdict(
  profiles: ProfileStatus[],
  now = Date.now(),
): {warnings: string[]; activeExpired: boolean} {
  const warnings: string[] = []
  let activeExpired = false
  for (const p of profiles) {
    for (const c of p.credentials) {
      const expiry = fromFields(c)
      if (!expiry || !expiresSoon(expiry, now)) continue
      if (p.active && isExpired(expiry, now)) activeExpired = true
      const whose = c.owner ? ` of ${c.owner}` : ''
      warnings.push(
        `the ${LABEL[c.kind]}${whose} (profile "${p.profile}") ${expiryText(expiry, now)}. ${RENEW_HINT[c.kind]}.`,
      )
    }
  }

  return {activeExpired, warnings}
}
