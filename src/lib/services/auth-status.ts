import {listOrgs} from '../api/admin.js'
import {getCurrentUser} from '../api/identity.js'
import {CfadminError, ExitCode} from '../errors.js'
import {isAtlassianError} from '../http/errors.js'
import {maskSecret} from '../session/profile.js'
import type {ProfileStore} from '../session/profile-store.js'
import {resolveSession, type Session, type Source} from '../session/session.js'
import {createHttpClient} from '../http/client.js'
import {adminClient, oauthRoute, siteClient} from './clients.js'

export type CheckResult = 'valid' | 'refused' | 'unreachable' | 'not checked'

export interface CredentialStatus {
  kind: 'api-token' | 'admin-key' | 'oauth'
  /** Masked to its last 4 characters. */
  secret: string
  source: Source
  /** Whose it is: the email (API token), the organization (Admin key), the app's client ID (OAuth). */
  owner?: string
  /** OAuth: the scopes granted, the preset asked for, when the access token expires, whether a connector has the refresh token. */
  oauth?: {scopes: string[]; preset?: string; expiresAt: string; refreshToken: boolean; handedOverAt?: string}
  check: CheckResult
  detail?: string
}

export interface ProfileStatus {
  profile: string
  active: boolean
  site?: {url: string; cloudId?: string; name?: string}
  who?: {email: string; accountId?: string; displayName?: string}
  org?: {id?: string; directoryId?: string}
  credentials: CredentialStatus[]
  /** At least one credential that is not known to be refused. */
  usable: boolean
}

async function check(run: () => Promise<unknown>): Promise<{check: CheckResult; detail?: string}> {
  try {
    await run()
    return {check: 'valid'}
  } catch (error) {
    const refused = isAtlassianError(error, 401) || isAtlassianError(error, 403) || (error instanceof CfadminError && error.exit === ExitCode.notAuthenticated)
    if (refused) return {check: 'refused', detail: (error as Error).message}
    return {check: 'unreachable', detail: (error as Error).message}
  }
}

async function statusOf(session: Session, active: boolean, offline: boolean, store: ProfileStore): Promise<ProfileStatus> {
  const credentials: CredentialStatus[] = []
  if (session.apiToken) {
    const live = offline || !session.site ? {check: 'not checked' as const} : await check(() => getCurrentUser(siteClient(session)))
    credentials.push({kind: 'api-token', owner: session.apiToken.email, secret: maskSecret(session.apiToken.token), source: session.apiToken.source, ...live})
  }

  if (session.adminKey) {
    const live = offline ? {check: 'not checked' as const} : await check(() => listOrgs(adminClient(session)))
    credentials.push({kind: 'admin-key', owner: session.adminKey.orgId, secret: maskSecret(session.adminKey.key), source: session.adminKey.source, ...live})
  }

  if (session.oauth) {
    const {oauth} = session
    const live = offline || !session.site ? {check: 'not checked' as const} : await check(() => getCurrentUser(createHttpClient(oauthRoute(session, oauth, store))))
    credentials.push({
      kind: 'oauth',
      oauth: {expiresAt: oauth.expiresAt, handedOverAt: oauth.handedOverAt, preset: oauth.preset, refreshToken: Boolean(oauth.refreshToken), scopes: oauth.scopes},
      owner: oauth.displayName ? `${oauth.displayName} via app ${oauth.clientId}` : `app ${oauth.clientId}`,
      secret: maskSecret(oauth.refreshToken ?? oauth.accessToken),
      source: 'profile',
      ...live,
    })
  }

  return {
    active,
    credentials,
    org: session.adminKey ? {directoryId: session.adminKey.directoryId, id: session.adminKey.orgId} : undefined,
    profile: session.profileName,
    site: session.site ? {cloudId: session.site.cloudId, name: session.site.name, url: session.site.url} : undefined,
    usable: credentials.some((c) => c.check !== 'refused'),
    who: session.apiToken ? {accountId: session.apiToken.accountId, displayName: session.apiToken.displayName, email: session.apiToken.email} : undefined,
  }
}

/**
 * Every stored profile (or only `only`), with the environment applied to the active one, and each
 * credential checked live with one read-only call unless `offline`.
 */
export async function authStatus(input: {store: ProfileStore; env: NodeJS.ProcessEnv; active: string; only?: string; offline?: boolean}): Promise<ProfileStatus[]> {
  // A profile asked for by name must exist (only auth login creates one): a typo gets "did you mean".
  if (input.only) await input.store.named(input.only)
  const {profiles} = await input.store.read()
  const names = input.only ? [input.only] : [...new Set([...Object.keys(profiles), input.active])]
  const statuses = await Promise.all(
    names.map((name) => {
      const active = name === input.active
      return statusOf(resolveSession(name, profiles[name], active ? input.env : {}), active, input.offline ?? false, input.store)
    }),
  )
  // The active profile shows even when nothing is stored for it; other empty ones do not exist.
  return statuses.filter((s) => s.active || s.credentials.length > 0 || s.site)
}
