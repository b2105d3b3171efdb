import type {GroupAccessType} from '../api/confluence.js'
import {badInput} from '../errors.js'
import {type RecommendedKey} from '../domain.js'
import {terminalSafe} from '../text/safe-text.js'
import type {GroupRef, GroupRoute} from './group-route.js'
import {memo} from './memo.js'
import {recommendedGroupName} from './recommended-groups.js'

/** Which site group stands for a recommended group, and how it was found. */
export interface DefaultGroupChoice {
  key: RecommendedKey
  /** The group's name on the site, or the recommended name when the site has no such group. */
  name: string
  group?: GroupRef
  /** Said to the user when the group is not the one of the recommended name (stderr and --json `notes`). */
  note?: string
}

/** The Confluence access each default group gives, to find it when its name differs (atlassian-2026.md §2). */
const ACCESS_OF: Partial<Record<RecommendedKey, GroupAccessType>> = {admins: 'admin', users: 'user'}

/** The default groups of a run, each looked up once, and the notes saying which group stood in for which. */
export interface DefaultGroups {
  find(key: RecommendedKey): Promise<DefaultGroupChoice>
  /** The group that gives a Confluence role without the Admin API: an error (exit 2) when the site has none. */
  forRole(role: string): Promise<GroupRef>
  /** The name of the group found for a role so far, for descriptions made before or after the lookup. */
  nameFor(role: string): string
  notes(): string[]
}

/**
 * The recommended (default) groups of the site: by their recommended name first, else (for users and admins) among
 * the groups that give that Confluence access (`GET /wiki/rest/api/group?accessType=`), since default groups may be
 * renamed, or carry no site suffix on old sites (`confluence-users`).
 */
export function defaultGroups(siteName: string | undefined, route: GroupRoute): DefaultGroups {
  const notes = new Map<RecommendedKey, string>()
  const chosen = new Map<RecommendedKey, DefaultGroupChoice>()
  const found = memo(async (key) => {
    const choice = await findDefaultGroup(key as RecommendedKey, siteName, route)
    if (choice.note) notes.set(choice.key, choice.note)
    chosen.set(choice.key, choice)
    return choice
  })
  const find = (key: RecommendedKey) => found.get(key)
  return {
    find,
    async forRole(role) {
      const key = roleGroupKey(role)
      const choice = await find(key)
      if (choice.group) return choice.group
      const access = ACCESS_OF[key]
      throw badInput(
        'DEFAULT_GROUP_MISSING',
        `The site has no group ${terminalSafe(choice.name)}${access ? ` and no group that gives Confluence ${access} access` : ''}: cfadmin cannot give the ${role} role without an Admin API key.`,
        'Log in with an Admin API key (cfadmin auth login --with-admin-key), or add the users in admin.atlassian.com.',
      )
    },
    nameFor: (role) => chosen.get(roleGroupKey(role))?.name ?? `the ${role} default group`,
    notes: () => [...notes.values()],
  }
}

async function findDefaultGroup(
  key: RecommendedKey,
  siteName: string | undefined,
  route: GroupRoute,
): Promise<DefaultGroupChoice> {
  const access = ACCESS_OF[key]
  // Without the site's name only the access type can find it (or org-admins, whose name has no suffix).
  const name = key === 'org-admins' || siteName || !access ? recommendedGroupName(key, siteName) : undefined
  if (name !== undefined) {
    const group = await route.find(name)
    if (group) return {group, key, name: group.name}
  }

  if (!access) return {key, name: name!}
  const giving = await route.giving(access)
  const group = giving[0]
  if (!group) return {key, name: name ?? recommendedGroupName(key, siteName)}
  const others =
    giving.length > 1
      ? ` (others that give it: ${giving
          .slice(1)
          .map((g) => terminalSafe(g.name))
          .join(', ')})`
      : ''
  const missing = name === undefined ? "the site's name is not known" : `the site has no group ${terminalSafe(name)}`
  return {
    group,
    key,
    name: group.name,
    note: `${missing}: using ${terminalSafe(group.name)}, which gives Confluence ${access} access${others}.`,
  }
}

/** The default group that gives a Confluence role (§3b). */
export function roleGroupKey(role: string): RecommendedKey {
  if (role === 'user') return 'users'
  if (role === 'admin') return 'admins'
  if (role === 'user-access-admin') return 'user-access-admins'
  throw badInput(
    'ROLE_NEEDS_ADMIN_KEY',
    `The role "${role}" has no default group: it can only be assigned through the Admin API.`,
    'Log in with an Admin API key: cfadmin auth login --with-admin-key',
  )
}
