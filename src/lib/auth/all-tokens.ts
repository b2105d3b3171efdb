import {listOrgs} from '../api/admin.js'
import {listApiKeys, listApiTokens, type ListedCredential} from '../api/api-access.js'
import {badInput, CfadminError, ExitCode} from '../errors.js'
import {isAtlassianError} from '../http/errors.js'
import type {ProfileStore} from '../session/profile-store.js'
import {adminClient} from '../session/clients.js'
import {resolveSession} from '../session/session.js'
import {DAY_MS} from './credential-expiry.js'

/** One API token or Admin key of the organization that expires within the window. */
export interface ExpiringCredential {
  kind: 'api-token' | 'admin-key'
  /** The owner's (or, for a key, its creator's) email when the listing gives it, else the account ID. */
  owner?: string
  ownerAccountId?: string
  label?: string
  id?: string
  expiresAt: string
  lastActiveAt?: string
}

export interface AllTokensResult {
  orgId: string
  withinDays: number
  /** ISO 8601: the end of the window. */
  until: string
  credentials: ExpiringCredential[]
}

/** `--within 30d` / `--within 6w`: the window in days (1 to 3650); anything else is exit 2. */
export function parseWithin(value: string): number {
  const match = /^(\d{1,5})([dw])$/i.exec(value.trim())
  const days = match ? Number(match[1]) * (match[2].toLowerCase() === 'w' ? 7 : 1) : Number.NaN
  if (!(days >= 1 && days <= 3650))
    throw badInput(
      'WITHIN_INVALID',
      `--within "${value}" is not a period of 1 day to 10 years.`,
      'Give days or weeks: --within 30d, --within 6w.',
    )
  return days
}

const NEEDED =
  'an Admin API key without scopes, or one with read:tokens:admin and read:keys:admin (admin.atlassian.com > Settings > API keys)'

async function read(what: string, scope: string, list: () => Promise<ListedCredential[]>) {
  try {
    return await list()
  } catch (error) {
    if (isAtlassianError(error, 403) || isAtlassianError(error, 404))
      throw new CfadminError(`The Admin API key may not read the organization's ${what} (${scope}): ${error.message}`, {
        cause: error,
        code: 'API_ACCESS_REFUSED',
        exit: ExitCode.notAuthenticated,
        hint: `--all-tokens needs ${NEEDED}; add one with: cfadmin auth login --with-admin-key < key.txt`,
      })
    throw error
  }
}

/**
 * The organization's API tokens and Admin keys that expire between now and `withinDays` from now, soonest first,
 * read from the Admin API-access listings with the profile's Admin key.
 */
export async function expiringCredentials(input: {
  store: ProfileStore
  env: NodeJS.ProcessEnv
  profileName: string
  withinDays: number
  now?: number
}): Promise<AllTokensResult> {
  const now = input.now ?? Date.now()
  const session = resolveSession(input.profileName, await input.store.named(input.profileName), input.env)
  if (!session.adminKey)
    throw new CfadminError(
      `--all-tokens reads the organization's API tokens and keys through the Admin API, and profile "${session.profileName}" has no Admin API key.`,
      {
        code: 'ADMIN_KEY_NEEDED',
        exit: ExitCode.notAuthenticated,
        hint: `Log in with ${NEEDED}: cfadmin auth login --with-admin-key < key.txt`,
      },
    )
  const admin = await adminClient(session)
  let orgId = session.adminKey.orgId
  if (!orgId) {
    const orgs = await listOrgs(admin)
    if (orgs.length !== 1)
      throw badInput(
        'ORG_AMBIGUOUS',
        `The Admin API key sees ${orgs.length} organizations.`,
        'Name one with CFADMIN_ORG_ID, or log in with --org-id.',
      )
    orgId = orgs[0].id
  }

  const [tokens, keys] = await Promise.all([
    read('API tokens', 'read:tokens:admin', () => listApiTokens(admin, orgId)),
    read('Admin API keys', 'read:keys:admin', () => listApiKeys(admin, orgId)),
  ])
  const until = now + input.withinDays * DAY_MS
  const credentials = [...tokens, ...keys]
    .filter((c) => {
      const at = Date.parse(c.expiresAt ?? '')
      return at > now && at <= until
    })
    .map((c) => ({
      expiresAt: c.expiresAt as string,
      id: c.id,
      kind: c.kind,
      label: c.label,
      lastActiveAt: c.lastActiveAt,
      owner: c.owner?.email ?? c.owner?.accountId ?? c.owner?.name,
      ownerAccountId: c.owner?.accountId,
    }))
    .sort((a, b) => Date.parse(a.expiresAt) - Date.parse(b.expiresAt))
  return {credentials, orgId, until: new Date(until).toISOString(), withinDays: input.withinDays}
}
