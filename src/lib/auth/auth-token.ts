/**
 * `auth token`: the values a connector's configuration form asks for, from the profile's OAuth login,
 * refreshed first when asked or when the access token has expired.
 */
import {CfadminError, ExitCode} from '../errors.js'
import {findPreset, type FormField} from '../oauth/scope-presets.js'
import {OAuthCredentials} from '../session/oauth-credentials.js'
import type {OAuthGrant} from '../session/profile.js'
import type {ProfileStore} from '../session/profile-store.js'
import {requireSite, resolveSession} from '../session/session.js'

export interface TokenValues {
  profile: string
  clientId: string
  clientSecret: string
  cloudId: string
  siteUrl: string
  accessToken: string
  /** ISO 8601. */
  expiresAt: string
  /** Seconds left; 0 or less when it has expired. */
  expiresIn: number
  refreshToken?: string
  scopes: string[]
  preset?: string
  callbackUrl?: string
  authorizationUrl: string
  tokenUrl: string
  username?: string
  /** This call got a new pair from Atlassian. */
  refreshed: boolean
  /** The form of the preset (--for, else the login's), label by label, in the connector guide's order. */
  form?: Array<{label: string; value: string}>
}

export interface AuthTokenInput {
  store: ProfileStore
  profileName: string
  env: NodeJS.ProcessEnv
  refresh?: boolean
  /** A preset whose form to fill (default: the one the login used). */
  form?: string
  now?: () => number
}

export async function authToken(input: AuthTokenInput): Promise<TokenValues> {
  const session = resolveSession(input.profileName, await input.store.named(input.profileName), input.env)
  const stored = session.oauth
  if (!stored) {
    throw new CfadminError(`Profile "${input.profileName}" has no OAuth login.`, {
      code: 'NOT_LOGGED_IN',
      exit: ExitCode.notAuthenticated,
      hint: 'Log in with: cfadmin auth login --oauth --client-id <id> (the client secret from CFADMIN_CLIENT_SECRET, stdin or a prompt).',
    })
  }

  const site = requireSite(session)
  const now = input.now ?? Date.now
  const credentials = new OAuthCredentials({
    authUrl: session.authUrl,
    grant: stored,
    now,
    profileName: input.profileName,
    store: input.store,
  })
  // A grant already handed over is not rotated behind the connector's back: only an explicit --refresh does that.
  const refresh = input.refresh === true || (credentials.expired() && !stored.handedOverAt)
  let grant: OAuthGrant = refresh ? await credentials.refreshNow() : stored
  if (grant.refreshToken && !grant.handedOverAt) {
    const handedOverAt = new Date(now()).toISOString()
    await input.store.update(input.profileName, (profile) =>
      profile?.oauth ? {...profile, oauth: {...profile.oauth, handedOverAt}} : profile,
    )
    grant = {...grant, handedOverAt}
  }

  const values: TokenValues = {
    accessToken: grant.accessToken,
    authorizationUrl: `${session.authUrl}/authorize`,
    callbackUrl: grant.callbackUrl,
    clientId: grant.clientId,
    clientSecret: grant.clientSecret,
    cloudId: site.cloudId ?? '',
    expiresAt: grant.expiresAt,
    expiresIn: Math.floor((Date.parse(grant.expiresAt) - now()) / 1000),
    preset: grant.preset,
    profile: input.profileName,
    refreshed: refresh,
    refreshToken: grant.refreshToken,
    scopes: grant.scopes,
    siteUrl: site.url,
    tokenUrl: `${session.authUrl}/oauth/token`,
    username: grant.email ?? grant.displayName,
  }
  const preset = findPreset(input.form ?? grant.preset ?? '')
  if (preset) values.form = preset.form.map(({field, label}) => ({label, value: formValue(values, field)}))
  return values
}

function formValue(values: TokenValues, field: FormField): string {
  switch (field) {
    case 'scopes': {
      return values.scopes.join(' ')
    }

    case 'callbackUrl': {
      return values.callbackUrl ?? ''
    }

    default: {
      return values[field] ?? ''
    }
  }
}
