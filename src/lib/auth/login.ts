import {confluenceSiteAri, listConfluenceWorkspaces, listOrgs} from '../api/admin.js'
import {getCloudId} from '../api/identity.js'
import {badInput, CfadminError, ExitCode} from '../errors.js'
import {isAtlassianError} from '../http/errors.js'
import type {ApiTokenKind, CredentialExpiry, Profile} from '../session/profile.js'
import type {ProfileStore} from '../session/profile-store.js'
import {resolveSession, type Session} from '../session/session.js'
import {normalizeSite} from '../session/site-url.js'
import {adminClient, siteClient, siteRoute} from '../session/clients.js'
import {siteDirectory} from '../session/site-directory.js'
import {clientCredentialsLogin} from './client-credentials-login.js'
import {noteLoginExpiry} from './login-expiry.js'
import {probeApiToken} from './token-kind.js'

export interface LoginInput {
  store: ProfileStore
  profileName: string
  env: NodeJS.ProcessEnv
  site?: string
  siteName?: string
  email?: string
  apiToken?: string
  adminKey?: string
  orgId?: string
  /** --expires, already checked (ISO 8601): when the credential given expires, if the listing cannot tell. */
  expires?: string
  /** --token-kind: the API token's kind, which skips the probe (site, then gateway). */
  tokenKind?: ApiTokenKind
  /** OAuth client credentials (a service account) to check and save. */
  clientCredentials?: {clientId: string; clientSecret: string}
}

export interface LoginResult {
  profile: string
  site: {url: string; cloudId: string; name?: string}
  /** accountId and displayName are unknown when the gateway refused reading the user for the token's scopes. */
  apiToken?: {
    email: string
    accountId?: string
    displayName?: string
    kind: ApiTokenKind
    baseUrl: string
    expiry?: CredentialExpiry
  }
  adminKey?: {orgId: string; orgName: string; directoryId?: string; expiry?: CredentialExpiry}
  clientCredentials?: {
    clientId: string
    accountId?: string
    displayName?: string
    baseUrl: string
    expiry?: CredentialExpiry
  }
  /** What the user should know about what was saved (limited scopes, a credential that takes precedence). */
  warnings: string[]
  /** Where it was saved. */
  path: string
}

/** A credential Atlassian refused: exit 4, and nothing is stored. */
function refused(what: string, error: unknown): never {
  // A valid credential whose account has no Confluence access is not a refused credential (atlassian-2026.md §4a).
  if (error instanceof CfadminError && error.code === 'NO_CONFLUENCE_ACCESS') throw error
  if (isAtlassianError(error, 401) || isAtlassianError(error, 403)) {
    throw new CfadminError(`Atlassian refused the ${what}: ${(error as Error).message}`, {
      cause: error,
      code: 'CREDENTIAL_REFUSED',
      exit: ExitCode.notAuthenticated,
      hint: (error as CfadminError).hint,
    })
  }

  throw error
}

/**
 * Checks each credential given against Atlassian and, only when all pass, saves them into the profile
 * (adding to what it already holds). The site's cloud ID comes from tenant_info.
 */
export async function login(input: LoginInput): Promise<LoginResult> {
  const stored = await input.store.get(input.profileName)
  const siteAddress = input.site
    ? normalizeSite(input.site)
    : stored?.site
      ? {name: stored.site.name, url: stored.site.url}
      : undefined
  if (!siteAddress)
    throw badInput(
      'SITE_MISSING',
      'Which site? This profile has none yet.',
      'Add --site acme.atlassian.net (or set CFADMIN_SITE).',
    )
  const session: Session = {
    ...resolveSession(input.profileName, undefined, {
      CFADMIN_API_URL: input.env.CFADMIN_API_URL,
      CFADMIN_AUTH_URL: input.env.CFADMIN_AUTH_URL,
    }),
    site: {...siteAddress, source: 'profile'},
  }

  let cloudId: string
  try {
    cloudId = await getCloudId(await siteClient(session, {anonymous: true}))
  } catch (error) {
    if (error instanceof CfadminError && (error.exit === ExitCode.unreachable || error.code === 'REDIRECT_REFUSED'))
      throw error
    throw new CfadminError(
      `${siteAddress.url} does not look like an Atlassian Cloud site: ${(error as Error).message}`,
      {
        cause: error,
        code: 'SITE_UNKNOWN',
        exit: ExitCode.badInput,
        hint: 'Check the site name (as in https://<site>.atlassian.net).',
      },
    )
  }

  const result: LoginResult = {
    path: input.store.path,
    profile: input.profileName,
    site: {cloudId, name: input.siteName ?? siteAddress.name ?? stored?.site?.name, url: siteAddress.url},
    warnings: [],
  }
  if (input.apiToken) {
    if (!input.email)
      throw badInput(
        'EMAIL_MISSING',
        'An API token needs the email of the account it belongs to.',
        'Add --email you@example.com (or set CFADMIN_EMAIL).',
      )
    session.apiToken = {email: input.email, source: 'profile', token: input.apiToken}
    const probe = await probeApiToken(session, cloudId, input.tokenKind).catch((error) =>
      refused(`API token for ${input.email} on ${siteAddress.url}`, error),
    )
    session.apiToken.kind = probe.kind
    session.site = {...session.site!, cloudId}
    const {baseUrl} = siteRoute(session, input.store)
    result.apiToken = {
      accountId: probe.user?.accountId,
      baseUrl,
      displayName: probe.user?.displayName,
      email: input.email,
      kind: probe.kind,
    }
    if (probe.scopesLimited)
      result.warnings.push(
        `the scoped API token works through ${baseUrl}, but its scopes do not include reading the current user; commands that need a missing scope will say which.`,
      )
  }

  if (input.clientCredentials) {
    result.clientCredentials = await clientCredentialsLogin(
      {...session, site: {...session.site!, cloudId}},
      input.clientCredentials,
      result.warnings,
    )
  }

  if (input.adminKey) {
    session.adminKey = {key: input.adminKey, source: 'profile'}
    const admin = await adminClient(session)
    const orgs = await listOrgs(admin).catch((error) => refused('Admin API key', error))
    const org = chooseOrg(orgs, input.orgId ?? stored?.adminKey?.orgId)
    // The directory with the site's users (never the first by chance); undecided: asked for at the first run.
    const email = input.email ?? stored?.apiToken?.email
    const directoryId = await siteDirectory(admin, org.id, {email}).catch((error) => {
      if (error instanceof CfadminError && error.code === 'DIRECTORY_AMBIGUOUS') return undefined
      return refused('Admin API key', error)
    })
    result.adminKey = {directoryId, orgId: org.id, orgName: org.name}
    // A custom domain or a local server does not say the site's name; the Workspaces API does.
    result.site.name ??= (await listConfluenceWorkspaces(admin, org.id).catch(() => [])).find(
      (w) => w.id === confluenceSiteAri(cloudId),
    )?.name
  }

  await noteLoginExpiry({...input, given: input.expires, result, session, stored})
  await input.store.update(input.profileName, (profile) => {
    const next = mergeLogin(profile, result, input)
    if (result.clientCredentials && (next.apiToken || next.oauth))
      result.warnings.push(
        `profile "${input.profileName}" also holds ${next.apiToken ? 'an API token' : 'an OAuth (3LO) login'}, which site requests use first; keep the client credentials in a profile of their own (--profile) to use them.`,
      )
    return next
  })
  return result
}

function chooseOrg(orgs: Array<{id: string; name: string}>, wanted?: string): {id: string; name: string} {
  if (wanted) {
    const org = orgs.find((o) => o.id === wanted)
    if (!org)
      throw badInput(
        'ORG_UNKNOWN',
        `The Admin API key cannot see organization ${wanted}. It sees: ${orgs.map((o) => `${o.id} (${o.name})`).join(', ') || 'none'}.`,
        'Give one of those with --org-id.',
      )
    return org
  }

  if (orgs.length === 1) return orgs[0]
  if (orgs.length === 0)
    throw badInput(
      'ORG_NONE',
      'The Admin API key sees no organization.',
      'Create the key in admin.atlassian.com > Settings > API keys of the organization that owns the site.',
    )
  throw badInput(
    'ORG_AMBIGUOUS',
    `The Admin API key sees ${orgs.length} organizations: ${orgs.map((o) => `${o.id} (${o.name})`).join(', ')}.`,
    'Choose one with --org-id <id>.',
  )
}

function mergeLogin(profile: Profile | undefined, result: LoginResult, input: LoginInput): Profile {
  const sameSite = profile?.site?.url === result.site.url
  const next: Profile = {
    ...(sameSite ? profile : {}),
    site: {cloudId: result.site.cloudId, name: result.site.name, url: result.site.url},
  }
  if (result.apiToken && input.apiToken) {
    const {accountId, displayName, email, expiry, kind} = result.apiToken
    // No kind stored for a classic token: profiles from before scoped tokens read the same.
    next.apiToken = {
      accountId,
      displayName,
      email,
      token: input.apiToken,
      ...(kind === 'scoped' ? {kind} : {}),
      ...(expiry ? {expiry} : {}),
    }
  }

  if (result.clientCredentials && input.clientCredentials) {
    const {accountId, clientId, displayName, expiry} = result.clientCredentials
    next.clientCredentials = {
      accountId,
      clientId,
      clientSecret: input.clientCredentials.clientSecret,
      displayName,
      ...(expiry ? {expiry} : {}),
    }
  }

  if (result.adminKey && input.adminKey) next.adminKey = {...result.adminKey, key: input.adminKey}
  // The Admin key belongs to the organization, not the site: keep it when only the site changes.
  if (!sameSite && profile?.adminKey && !next.adminKey) next.adminKey = profile.adminKey
  return next
}
