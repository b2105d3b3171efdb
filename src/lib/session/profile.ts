/** What one named profile keeps. Secrets live only here and in environment variables. */
export interface Profile {
  site?: {
    url: string
    cloudId?: string
    /** For the recommended group names (confluence-users-<name>). */
    name?: string
  }
  /** Email + API token (Basic auth on the site) and the account they belong to. */
  apiToken?: {
    email: string
    token: string
    accountId?: string
    displayName?: string
    /** What is known of when it expires (atlassian-2026.md §4a: a year at most). */
    expiry?: CredentialExpiry
    /**
     * 'scoped': an API token with scopes, which Atlassian takes only through the gateway
     * (<apiUrl>/ex/confluence/<cloudId>, Basic auth). Absent: classic (on the site), as profiles before scoped tokens.
     */
    kind?: ApiTokenKind
  }
  /** An organization Admin API key (Bearer on api.atlassian.com/admin) and what it was checked against. */
  adminKey?: {
    key: string
    orgId?: string
    orgName?: string
    directoryId?: string
    /** What is known of when it expires (atlassian-2026.md §4d: a year at most, a week by default). */
    expiry?: CredentialExpiry
  }
  /** An OAuth 2.0 (3LO) grant: Bearer on the API gateway (api.atlassian.com/ex/confluence/{cloudId}). */
  oauth?: OAuthGrant
  /**
   * OAuth 2.0 client credentials (a service account's): only the client ID and secret. Their access tokens last an
   * hour and come without a refresh token, so each process asks for its own and keeps it in memory only.
   */
  clientCredentials?: ClientCredentialsLogin
}

export type ApiTokenKind = 'classic' | 'scoped'

export interface ClientCredentialsLogin {
  clientId: string
  clientSecret: string
  /** Who the credentials act as (the service account), as the login saw it. */
  accountId?: string
  displayName?: string
  /** When the client secret expires, as given at login (--expires): no listing Atlassian publishes tells it. */
  expiry?: CredentialExpiry
}

/**
 * When a credential stops working, as far as cfadmin knows: read from the Admin API-access listing ('api-access'),
 * given by the user at login ('given'), or worked out from an OAuth grant's tokens ('oauth').
 */
export interface CredentialExpiry {
  /** ISO 8601. */
  expiresAt: string
  source: 'api-access' | 'given' | 'oauth'
  /** ISO 8601: when Atlassian last saw it used (the API-access listing). */
  lastActiveAt?: string
  /** ISO 8601: when cfadmin learnt this. */
  checkedAt: string
  /** What the date belongs to when it is a guess, e.g. "the soonest of 3 tokens of a@b.example". */
  note?: string
}

export interface OAuthGrant {
  clientId: string
  clientSecret: string
  accessToken: string
  /** ISO 8601. */
  expiresAt: string
  /** Rotating: every refresh replaces it, and it is written here before the new access token is used. */
  refreshToken?: string
  scopes: string[]
  /** The scope preset asked for at login, e.g. "crawler". */
  preset?: string
  /** The redirect_uri the login used. */
  callbackUrl?: string
  /** Who consented. */
  accountId?: string
  displayName?: string
  /** The consenting user's email, when Atlassian shows it. */
  email?: string
  /** When `cfadmin auth token` printed the refresh token for a connector: cfadmin then stops refreshing it on its own. */
  handedOverAt?: string
}

export interface ProfileFile {
  version: 1
  profiles: Record<string, Profile>
}

export const DEFAULT_PROFILE = 'default'

/** The profile a command uses: --profile, else CFADMIN_PROFILE, else "default". */
export function profileName(env: NodeJS.ProcessEnv, flag?: string): string {
  return flag ?? env.CFADMIN_PROFILE ?? DEFAULT_PROFILE
}

/** "…abcd": enough to tell two secrets apart, never enough to use one. */
export function maskSecret(secret: string): string {
  return secret.length <= 8 ? '…' : `…${secret.slice(-4)}`
}
