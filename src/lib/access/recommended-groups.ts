import {badInput} from '../errors.js'
import {RECOMMENDED_GROUPS, type RecommendedKey} from '../domain.js'

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
