import {listOrgs} from '../api/admin.js'
import {getCurrentUser} from '../api/identity.js'
import {CfadminError, ExitCode} from '../errors.js'
import {isAtlassianError} from '../http/errors.js'
import {maskSecret} from '../session/profile.js'
import type {ProfileStore} from '../session/profile-store.js'
import {resolveSession, type Session, type Source} from '../session/session.js'
import {createHttpClient} from '../http/client.js'
import {adminClient, clientCredentialsRoute, oauthRoute, siteClient, siteRoute} from '../session/clients.js'
import type {ApiTokenKind} from '../session/profile.js'
import type {ExpiryFields} from './credential-expiry.js'
import {addExpiry} from './status-expiry.js'
import {isScopeMismatch} from './token-kind.js'

/**
 * unreachable: no answer from Atlassian (after the retries); failed: another error (a wrong site, a bad answer);
 * other site: the profile's API token is for another site than the one asked for, and is not sent there.
 */
export type CredentialCheck = 'valid' | 'refused' | 'unreachable' | 'failed' | 'other site' | 'not checked'

/** With what is known of its expiry (expiresAt, lastActiveAt, expirySource, expiryNote). */
export interface CredentialStatus extends ExpiryFields {
  kind: 'api-token' | 'admin-key' | 'oauth' | 'client-credentials'
  /** API token: classic (on the site) or scoped (through the gateway). */
  tokenKind?: ApiTokenKind
  /** Where this credential's site requests go (API token, OAuth, client credentials). */
  baseUrl?: string
  /** Masked to its last 4 characters. */
  secret: string
  source: Source
  /** Whose it is: the email (API token), the organization (Admin key), the app's client ID (OAuth, client credentials). */
  owner?: string
  /** OAuth: the scopes granted, the preset asked for, when the access token expires, whether a connector has the refresh token. */
  oauth?: {scopes: string[]; preset?: string; expiresAt: string; refreshToken: boolean; handedOverAt?: string}
  check: CredentialCheck
  detail?: string
  /** The exit code of the error that ended the check, when it failed. */
  exit?: number
}

export interface ProfileStatus {
  profile: string
  active: boolean
  site?: {url: string; cloudId?: string; name?: string}
  who?: {email: string; accountId?: string; displayName?: string}
  org?: {id?: string; directoryId?: string}
  credentials: CredentialStatus[]
  /** The base URL site requests use: the site for a classic API token, else the gateway (see siteRoute). */
  siteBaseUrl?: string
  /** At least one credential Atlassian accepted (or, --offline, one that was not checked). */
  usable: boolean
}

async function check(run: () => Promise<unknown>): Promise<{check: CredentialCheck; detail?: string; exit?: number}> {
  try {
    await run()
    return {check: 'valid'}
  } catch (error) {
    const exit = error instanceof CfadminError ? error.exit : ExitCode.unexpected
    const detail = error instanceof Error ? error.message : String(error)
    const refused = isAtlassianError(error, 401) || isAtlassianError(error, 403) || exit === ExitCode.notAuthenticated
    if (refused) return {check: 'refused', detail, exit: ExitCode.notAuthenticated}
    return {check: exit === ExitCode.unreachable ? 'unreachable' : 'failed', detail, exit}
  }
}

/**
 * How `auth status` ends for the active profile: 0 when a credential works, 4 when it has none or Atlassian refused
 * them all, 5 when Atlassian could not be reached to check them (so "usable" is never claimed on a check that did not
 * happen), else the exit code of the error that stopped the check.
 */
export function statusVerdict(profile: ProfileStatus | undefined): {exit: number; why?: string} {
  if (!profile || profile.usable)
    return profile ? {exit: ExitCode.ok} : {exit: ExitCode.notAuthenticated, why: 'has no credential'}
  const failures = profile.credentials.filter((c) => c.check === 'unreachable' || c.check === 'failed')
  if (failures.length === 0) {
    const elsewhere = profile.credentials.find((c) => c.check === 'other site')
    if (elsewhere)
      return {
        exit: ExitCode.notAuthenticated,
        why: `has no credential for this site: its API token ${elsewhere.detail} (give CFADMIN_API_TOKEN for it, or log in to it)`,
      }
    return {
      exit: ExitCode.notAuthenticated,
      why: profile.credentials.length === 0 ? 'has no credential' : 'has no credential Atlassian accepts',
    }
  }

  const unreachable = failures.find((c) => c.check === 'unreachable')
  const first = unreachable ?? failures[0]
  return {exit: first.exit ?? ExitCode.unexpected, why: `could not be checked: ${first.detail ?? 'the check failed'}`}
}

/** A credential a read of the current user checks; a 401 for its scopes still says it is valid. */
async function checkUser(client: () => Promise<Parameters<typeof getCurrentUser>[0]>): Promise<void> {
  try {
    await getCurrentUser(await client())
  } catch (error) {
    if (!isScopeMismatch(error)) throw error
  }
}

/** Where a route would send site requests, or undefined when it cannot be built (no cloud ID, another site). */
function baseUrlOf(route: () => {baseUrl: string}): string | undefined {
  try {
    return route().baseUrl
  } catch {
    return undefined
  }
}

async function statusOf(
  session: Session,
  active: boolean,
  offline: boolean,
  store: ProfileStore,
): Promise<ProfileStatus> {
  const credentials: CredentialStatus[] = []
  if (session.apiToken) {
    const live =
      offline || !session.site
        ? {check: 'not checked' as const}
        : await check(async () => checkUser(async () => siteClient(session)))
    credentials.push({
      baseUrl: baseUrlOf(() => siteRoute({...session, oauth: undefined, clientCredentials: undefined}, store)),
      kind: 'api-token',
      tokenKind: session.apiToken.kind ?? 'classic',
      owner: session.apiToken.email,
      secret: maskSecret(session.apiToken.token),
      source: session.apiToken.source,
      ...live,
    })
  }

  if (session.apiTokenElsewhere && session.site) {
    credentials.push({
      check: 'other site',
      detail: `it is for ${session.apiTokenElsewhere}; not sent to ${session.site.url}`,
      exit: ExitCode.notAuthenticated,
      kind: 'api-token',
      secret: '(not used)',
      source: 'profile',
    })
  }

  if (session.adminKey) {
    const live = offline
      ? {check: 'not checked' as const}
      : await check(async () => listOrgs(await adminClient(session)))
    credentials.push({
      kind: 'admin-key',
      owner: session.adminKey.orgId,
      secret: maskSecret(session.adminKey.key),
      source: session.adminKey.source,
      ...live,
    })
  }

  if (session.oauth) {
    const {oauth} = session
    const live =
      offline || !session.site
        ? {check: 'not checked' as const}
        : await check(async () => getCurrentUser(await createHttpClient(oauthRoute(session, oauth, store))))
    credentials.push({
      baseUrl: baseUrlOf(() => oauthRoute(session, oauth, store)),
      kind: 'oauth',
      oauth: {
        expiresAt: oauth.expiresAt,
        handedOverAt: oauth.handedOverAt,
        preset: oauth.preset,
        refreshToken: Boolean(oauth.refreshToken),
        scopes: oauth.scopes,
      },
      owner: oauth.displayName ? `${oauth.displayName} via app ${oauth.clientId}` : `app ${oauth.clientId}`,
      secret: maskSecret(oauth.refreshToken ?? oauth.accessToken),
      source: 'profile',
      ...live,
    })
  }

  if (session.clientCredentials) {
    const cc = session.clientCredentials
    const live =
      offline || !session.site
        ? {check: 'not checked' as const}
        : await check(async () => checkUser(async () => createHttpClient(clientCredentialsRoute(session, cc))))
    credentials.push({
      baseUrl: baseUrlOf(() => clientCredentialsRoute(session, cc)),
      kind: 'client-credentials',
      owner: cc.displayName ? `${cc.displayName} via client ${cc.clientId}` : `client ${cc.clientId}`,
      secret: maskSecret(cc.clientSecret),
      source: 'profile',
      ...live,
    })
  }

  return {
    active,
    credentials,
    siteBaseUrl: session.site ? baseUrlOf(() => siteRoute(session, store)) : undefined,
    org: session.adminKey ? {directoryId: session.adminKey.directoryId, id: session.adminKey.orgId} : undefined,
    profile: session.profileName,
    site: session.site ? {cloudId: session.site.cloudId, name: session.site.name, url: session.site.url} : undefined,
    usable: credentials.some((c) => c.check === 'valid' || c.check === 'not checked'),
    who: session.apiToken
      ? {
          accountId: session.apiToken.accountId,
          displayName: session.apiToken.displayName,
          email: session.apiToken.email,
        }
      : undefined,
  }
}

/**
 * Every stored profile (or only `only`), with the environment applied to the active one, and each
 * credential checked live with one read-only call unless `offline`.
 */
export async function authStatus(input: {
  store: ProfileStore
  env: NodeJS.ProcessEnv
  active: string
  only?: string
  offline?: boolean
}): Promise<ProfileStatus[]> {
  // A profile asked for by name must exist (only auth login creates one): a typo gets "did you mean".
  if (input.only) await input.store.named(input.only)
  const {profiles} = await input.store.read()
  const names = input.only ? [input.only] : [...new Set([...Object.keys(profiles), input.active])]
  const statuses = await Promise.all(
    names.map(async (name) => {
      const active = name === input.active
      const session = resolveSession(name, profiles[name], active ? input.env : {})
      const offline = input.offline ?? false
      const status = await statusOf(session, active, offline, input.store)
      return addExpiry(status, {offline, session, store: input.store, stored: profiles[name]})
    }),
  )
  // The active profile shows even when nothing is stored for it; other empty ones do not exist.
  return statuses.filter((s) => s.active || s.credentials.length > 0 || s.site)
}
