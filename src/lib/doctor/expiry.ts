/**
 * Check 2: when the credential stops working, as the profile recorded it (credential-expiry.ts): warn within 14 days,
 * fail once expired, warn when unknown. For a 3LO grant also who renews its refresh token: once `cfadmin auth token`
 * handed it to the connector, the connector does (each refresh rotates it, so only one side may).
 */
import {expiresSoon, expiryText, isExpired, oauthExpiry, RENEW_HINT} from '../auth/credential-expiry.js'
import type {CredentialExpiry} from '../session/profile.js'
import type {CheckResult, DoctorContext} from './check.js'

const TITLE = 'Expiry'

const profileFlag = (name: string) => (name === 'default' ? '' : ` --profile ${name}`)

/** ok / warn / fail for a known date. */
export function expiryResult(expiry: CredentialExpiry, now: number, fix: string): CheckResult {
  const reason = `It ${expiryText(expiry, now)}.`
  if (isExpired(expiry, now)) return {fix, id: 'expiry', reason, status: 'fail', title: TITLE}
  if (expiresSoon(expiry, now)) return {fix, id: 'expiry', reason, status: 'warn', title: TITLE}
  return {id: 'expiry', reason, status: 'ok', title: TITLE}
}

export async function checkExpiry(context: DoctorContext): Promise<CheckResult[]> {
  const {now, profile, session} = context
  const flag = profileFlag(session.profileName)
  if (session.apiToken) {
    const expiry = session.apiToken.source === 'profile' ? profile.apiToken?.expiry : undefined
    if (expiry) return [expiryResult(expiry, now, RENEW_HINT['api-token'])]
    return [
      {
        fix: `Record it: cfadmin auth login --email ${session.apiToken.email} --with-token --expires YYYY-MM-DD${flag}, or log in an Admin key that can read the token listing (cfadmin auth login --with-admin-key) and run cfadmin auth status.`,
        id: 'expiry',
        reason: 'The profile does not know when the API token expires (a year at most after it was created).',
        status: 'warn',
        title: TITLE,
      },
    ]
  }

  if (session.oauth) return [oauthOwner(context)]
  if (session.clientCredentials) {
    const {clientId, expiry} = session.clientCredentials
    if (expiry) return [expiryResult(expiry, now, RENEW_HINT['client-credentials'])]
    return [
      {
        fix: `See the secret's expiry in admin.atlassian.com > Directory > Service accounts > the account > its OAuth credential, then record it: cfadmin auth login --client-credentials --client-id ${clientId} --expires YYYY-MM-DD${flag}.`,
        id: 'expiry',
        reason:
          'A new access token is asked for each run; when the client secret expires is not recorded in the profile.',
        status: 'warn',
        title: TITLE,
      },
    ]
  }
  return []
}

/** A 3LO grant: handed over (the connector renews it) or still renewed by cfadmin (then the 90 days count). */
function oauthOwner(context: DoctorContext): CheckResult {
  const grant = context.session.oauth!
  const flag = profileFlag(context.session.profileName)
  const preset = context.preset
  if (grant.handedOverAt)
    return {
      id: 'expiry',
      reason: `The connector owns the refresh token (handed over on ${grant.handedOverAt.slice(0, 10)} by cfadmin auth token); cfadmin does not renew it, and the connector's use keeps it alive.`,
      status: 'ok',
      title: `${TITLE} and refresh token owner`,
    }
  const expiry = oauthExpiry(grant)
  const known = expiry ? expiryResult(expiry, context.now, RENEW_HINT.oauth) : undefined
  if (known?.status === 'fail') return {...known, title: `${TITLE} and refresh token owner`}
  return {
    fix: `Hand the grant to the connector: cfadmin auth token --for ${preset}${flag} prints its values in the connector's form (cfadmin then stops renewing it), or give the connector its own grant.`,
    id: 'expiry',
    reason: `cfadmin still owns the refresh token${known ? ` (${known.reason?.replace(/^It /, 'it ').replace(/\.$/, '')})` : ''}: a connector given the same grant would break it at the first refresh, as each refresh rotates it.`,
    status: 'warn',
    title: `${TITLE} and refresh token owner`,
  }
}
