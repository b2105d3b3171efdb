import type {CredentialProvider} from '../http/client.js'
import {CfadminError, ExitCode} from '../errors.js'
import {
  type ApiTokenKind,
  type ClientCredentialsLogin,
  DEFAULT_PROFILE,
  type OAuthGrant,
  type Profile,
} from './profile.js'
import {normalizeSite} from './site-url.js'

export type Source = 'env' | 'profile'

/** The profile as a command sees it: the stored values with CFADMIN_* environment variables on top. */
export interface Session {
  profileName: string
  site?: {url: string; name?: string; cloudId?: string; source: Source}
  apiToken?: {
    email: string
    token: string
    accountId?: string
    displayName?: string
    source: Source
    /** Absent: classic. A scoped token goes through the gateway (see siteRoute). */
    kind?: ApiTokenKind
  }
  adminKey?: {key: string; orgId?: string; directoryId?: string; source: Source}
  /** Only from the profile: a rotating grant needs somewhere to write its next refresh token. */
  oauth?: OAuthGrant & {source: 'profile'}
  /** Only from the profile, for its site: OAuth client credentials (a service account). */
  clientCredentials?: ClientCredentialsLogin & {source: 'profile'}
  /** Admin API and OAuth gateway host (CFADMIN_API_URL). */
  apiUrl: string
  /** OAuth host (CFADMIN_AUTH_URL). */
  authUrl: string
  /** The site the profile's API token is for, when the session's site is another one (the token stays home). */
  apiTokenElsewhere?: string
}

const trimSlash = (url: string) => url.replace(/\/+$/, '')

/** Merges a stored profile with the environment (for CI): each CFADMIN_* variable wins over the file. */
export function resolveSession(
  name: string,
  stored: Profile | undefined,
  env: NodeJS.ProcessEnv = process.env,
): Session {
  const session: Session = {
    apiUrl: trimSlash(env.CFADMIN_API_URL || 'https://api.atlassian.com'),
    authUrl: trimSlash(env.CFADMIN_AUTH_URL || 'https://auth.atlassian.com'),
    profileName: name,
  }
  if (env.CFADMIN_SITE) {
    const site = normalizeSite(env.CFADMIN_SITE)
    const same = stored?.site?.url === site.url
    session.site = {
      cloudId: same ? stored?.site?.cloudId : undefined,
      name: site.name ?? (same ? stored?.site?.name : undefined),
      source: 'env',
      url: site.url,
    }
  } else if (stored?.site) {
    session.site = {...stored.site, source: 'profile'}
  }

  if (session.site && env.CFADMIN_SITE_NAME) session.site.name = env.CFADMIN_SITE_NAME

  // The stored API token was checked against its profile's site and goes nowhere else, like the OAuth grant below:
  // CFADMIN_SITE or --site naming another origin needs CFADMIN_API_TOKEN (or a login) for that site.
  const storedTokenHere =
    stored?.apiToken !== undefined && session.site !== undefined && sameOrigin(session.site.url, stored.site?.url)
  if (stored?.apiToken && session.site && !storedTokenHere && !env.CFADMIN_API_TOKEN)
    session.apiTokenElsewhere = stored.site?.url ?? 'no site'
  const email = env.CFADMIN_EMAIL || stored?.apiToken?.email
  const token = env.CFADMIN_API_TOKEN || (storedTokenHere ? stored?.apiToken?.token : undefined)
  if (email && token) {
    const fromEnv = Boolean(env.CFADMIN_EMAIL || env.CFADMIN_API_TOKEN)
    const same = stored?.apiToken?.email === email && stored.apiToken.token === token
    // The kind the login found for this token, else CFADMIN_TOKEN_KIND for a token given only in the environment.
    const envKind =
      env.CFADMIN_TOKEN_KIND === 'scoped' || env.CFADMIN_TOKEN_KIND === 'classic' ? env.CFADMIN_TOKEN_KIND : undefined
    const kind = envKind ?? (stored?.apiToken?.token === token ? stored.apiToken.kind : undefined)
    session.apiToken = {
      accountId: same ? stored?.apiToken?.accountId : undefined,
      displayName: same ? stored?.apiToken?.displayName : undefined,
      email,
      source: fromEnv ? 'env' : 'profile',
      token,
      ...(kind ? {kind} : {}),
    }
  }

  const key = env.CFADMIN_ADMIN_KEY || stored?.adminKey?.key
  if (key) {
    const orgId = env.CFADMIN_ORG_ID || stored?.adminKey?.orgId
    session.adminKey = {
      directoryId: orgId === stored?.adminKey?.orgId ? stored?.adminKey?.directoryId : undefined,
      key,
      orgId,
      source: env.CFADMIN_ADMIN_KEY ? 'env' : 'profile',
    }
  }

  // A grant is for one site: with CFADMIN_SITE naming another, its token must not go to that site's gateway.
  if (stored?.oauth && session.site?.url === stored.site?.url) session.oauth = {...stored.oauth, source: 'profile'}
  if (stored?.clientCredentials && session.site?.url === stored.site?.url)
    session.clientCredentials = {...stored.clientCredentials, source: 'profile'}
  return session
}

function sameOrigin(a: string, b: string | undefined): boolean {
  if (b === undefined) return false
  try {
    return new URL(a).origin === new URL(b).origin
  } catch {
    return false
  }
}

/** Basic auth with the session's email and API token, for the site's REST APIs. */
export function apiTokenCredentials(session: Session): CredentialProvider {
  const {apiToken} = session
  if (!apiToken && session.apiTokenElsewhere && session.site) {
    const site = session.site.url
    throw new CfadminError(
      `Profile "${session.profileName}" holds an API token for ${session.apiTokenElsewhere}, not for ${site}: cfadmin does not send it to another site.`,
      {
        code: 'TOKEN_FOR_OTHER_SITE',
        exit: ExitCode.notAuthenticated,
        hint: `Give CFADMIN_EMAIL and CFADMIN_API_TOKEN for ${site}, or log in to it: cfadmin auth login --site ${site} --email <you@example.com>${session.profileName === DEFAULT_PROFILE ? '' : ` --profile ${session.profileName}`}.`,
      },
    )
  }

  if (!apiToken) {
    throw new CfadminError(`Profile "${session.profileName}" has no API token.`, {
      code: 'NOT_LOGGED_IN',
      exit: ExitCode.notAuthenticated,
      hint: 'Log in with: cfadmin auth login --site <site> --email <you@example.com> (or set CFADMIN_EMAIL and CFADMIN_API_TOKEN), or with OAuth: cfadmin auth login --oauth --client-id <id>.',
    })
  }

  const header = `Basic ${Buffer.from(`${apiToken.email}:${apiToken.token}`).toString('base64')}`
  return {authorization: async () => header}
}

/** Bearer auth with the organization Admin API key, for api.atlassian.com/admin. */
export function adminKeyCredentials(session: Session): CredentialProvider {
  const {adminKey} = session
  if (!adminKey) {
    throw new CfadminError(`Profile "${session.profileName}" has no Admin API key.`, {
      code: 'NOT_LOGGED_IN',
      exit: ExitCode.notAuthenticated,
      hint: 'Add one with: cfadmin auth login --with-admin-key < key.txt (or set CFADMIN_ADMIN_KEY).',
    })
  }

  return {authorization: async () => `Bearer ${adminKey.key}`}
}

/** The site the session works on, or an error saying how to choose one. */
export function requireSite(session: Session): NonNullable<Session['site']> {
  if (!session.site) {
    throw new CfadminError(`Profile "${session.profileName}" has no site.`, {
      code: 'NOT_LOGGED_IN',
      exit: ExitCode.notAuthenticated,
      hint: 'Log in with: cfadmin auth login --site acme.atlassian.net (or set CFADMIN_SITE).',
    })
  }

  return session.site
}
