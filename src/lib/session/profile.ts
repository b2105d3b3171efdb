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
  }
  /** An organization Admin API key (Bearer on api.atlassian.com/admin) and what it was checked against. */
  adminKey?: {
    key: string
    orgId?: string
    orgName?: string
    directoryId?: string
  }
}

export interface ProfileFile {
  version: 1
  profiles: Record<string, Profile>
}

export const DEFAULT_PROFILE = 'default'

/** "…abcd": enough to tell two secrets apart, never enough to use one. */
export function maskSecret(secret: string): string {
  return secret.length <= 8 ? '…' : `…${secret.slice(-4)}`
}
