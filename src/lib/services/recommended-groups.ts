import {badInput} from '../errors.js'

/** The Confluence roles `users grant-access` gives (each has a default group). */
export const CONFLUENCE_ROLES = ['user', 'admin', 'user-access-admin'] as const
export type ConfluenceRole = (typeof CONFLUENCE_ROLES)[number]

/**
 * The groups the connector set-up guides ask for (docs/connectors.md), by the keyword a
 * user types. `<site>` is the first label of <site>.atlassian.net.
 */
export const RECOMMENDED_GROUPS = [
  {key: 'admins', name: (site: string) => `confluence-admins-${site}`, purpose: 'Confluence administrators (the app admin role)'},
  {key: 'user-access-admins', name: (site: string) => `confluence-user-access-admins-${site}`, purpose: 'may manage who can use Confluence'},
  {key: 'users', name: (site: string) => `confluence-users-${site}`, purpose: 'may use Confluence (the User role; takes a licence)'},
  {key: 'org-admins', name: (_site: string) => 'org-admins', purpose: 'organization admins (since the Units change, membership alone no longer makes an org admin)'},
] as const

export type RecommendedKey = (typeof RECOMMENDED_GROUPS)[number]['key']
export const RECOMMENDED_KEYS = RECOMMENDED_GROUPS.map((g) => g.key)

function requireSiteName(siteName: string | undefined): string {
  if (!siteName) {
    throw badInput(
      'SITE_NAME_UNKNOWN',
      "The site's name (as in confluence-users-<name>) is not known for this host.",
      'Log in again with --site-name <name> (the name in your default groups), or name the groups in full.',
    )
  }

  return siteName
}

export function recommendedGroupName(key: RecommendedKey, siteName: string | undefined): string {
  const group = RECOMMENDED_GROUPS.find((g) => g.key === key)!
  return key === 'org-admins' ? 'org-admins' : group.name(requireSiteName(siteName))
}

/** The group that gives a Confluence role on a site without the Admin API (§3b default groups). */
export function defaultGroupForRole(role: string, siteName: string | undefined): string {
  const key: RecommendedKey | undefined = role === 'user' ? 'users' : role === 'admin' ? 'admins' : role === 'user-access-admin' ? 'user-access-admins' : undefined
  if (!key) throw badInput('ROLE_NEEDS_ADMIN_KEY', `The role "${role}" has no default group: it can only be assigned through the Admin API.`, 'Log in with an Admin API key: cfadmin auth login --with-admin-key')
  return recommendedGroupName(key, siteName)
}
