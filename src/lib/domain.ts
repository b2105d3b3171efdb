/**
 * The words of Atlassian's domain that every layer checks against: emails and account IDs, space keys, the
 * Confluence roles and the recommended groups. A leaf: it imports nothing, so anything may import it.
 */

// No control characters either: an email is shown in tables and messages.
export const EMAIL =
  // eslint-disable-next-line no-control-regex
  /^[^\s@,;<>"'\u0000-\u001F\u007F]+@[^\s@,;<>"'\u0000-\u001F\u007F]+\.[^\s@,;<>"'\u0000-\u001F\u007F]+$/
/**
 * Atlassian's account ID shapes: `<number>:<id>` (557058:<uuid>, 712020:<uuid>), `qm:<id>:<id>` (service desk
 * customers) and the 24-character IDs of older accounts (5b10ac8d82e05b22cc7d4ef5). Anything else (`..`, `/x`,
 * `--dry-run`, a name) is refused before it reaches a URL.
 */
const ID_PART = '[0-9A-Za-z][0-9A-Za-z-]{0,63}'
export const ACCOUNT_ID = new RegExp(`^(?:\\d{1,10}:${ID_PART}|qm:${ID_PART}:${ID_PART}|[0-9A-Za-z]{24})$`)

export const isEmail = (value: string) => value.includes('@')

/** The email domain of Atlassian's service accounts (atlassian-2026.md §4b): `<name>@serviceaccount.atlassian.com`. */
export const SERVICE_ACCOUNT_DOMAIN = 'serviceaccount.atlassian.com'

/** A service account's email, in any case: such an account is never invited, it is created in admin.atlassian.com. */
export const isServiceAccountEmail = (value: string) => value.toLowerCase().endsWith(`@${SERVICE_ACCOUNT_DOMAIN}`)

/**
 * Confluence space keys: letters and digits, or a personal space's `~` and its owner (`~557058:<uuid>`,
 * `~jsmith`). Nothing else reaches a request: Confluence splits `keys=ENG,HR` at the comma.
 */
const SPACE_KEY = /^(?:[A-Za-z0-9]{1,255}|~[A-Za-z0-9][\w.:@-]{0,254})$/

export function isSpaceKey(key: string): boolean {
  return SPACE_KEY.test(key) && !key.includes('..')
}

/** The Confluence roles `users grant-access` gives (each has a default group). */
export const CONFLUENCE_ROLES = ['user', 'admin', 'user-access-admin'] as const
export type ConfluenceRole = (typeof CONFLUENCE_ROLES)[number]

/**
 * The groups the connector set-up guides ask for (docs/connectors.md), by the keyword a
 * user types. `<site>` is the first label of <site>.atlassian.net.
 */
export const RECOMMENDED_GROUPS = [
  {
    key: 'admins',
    name: (site: string) => `confluence-admins-${site}`,
    purpose: 'Confluence administrators (the app admin role)',
  },
  {
    key: 'user-access-admins',
    name: (site: string) => `confluence-user-access-admins-${site}`,
    purpose: 'may manage who can use Confluence',
  },
  {
    key: 'users',
    name: (site: string) => `confluence-users-${site}`,
    purpose: 'may use Confluence (the User role; takes a licence)',
  },
  {
    key: 'org-admins',
    name: (_site: string) => 'org-admins',
    purpose: 'organization admins (since the Units change, membership alone no longer makes an org admin)',
  },
] as const

export type RecommendedKey = (typeof RECOMMENDED_GROUPS)[number]['key']
export const RECOMMENDED_KEYS = RECOMMENDED_GROUPS.map((g) => g.key)

/** Confluence's space types (the v2 GET /spaces `type` values, atlassian-2026.md §1a). */
export const SPACE_TYPES = [
  'global',
  'collaboration',
  'knowledge_base',
  'personal',
  'system',
  'onboarding',
  'xflow_sample_space',
] as const
export type SpaceType = (typeof SPACE_TYPES)[number]

/** The spaces teams work in: what "all spaces" means unless other types are named. */
export const CONTENT_SPACE_TYPES: readonly SpaceType[] = ['global', 'collaboration', 'knowledge_base']
