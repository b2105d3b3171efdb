import {
  addGroupMember,
  createGroup,
  findGroupByName,
  getUserGroups,
  type GroupAccessType,
  listGroupMembers,
  listGroups,
  listGroupsGiving,
} from '../api/confluence.js'
import {addDirectoryGroupMember, createDirectoryGroup, searchGroups} from '../api/directory.js'
import {Throttle} from '../engine/throttle.js'
import {isTransientError} from '../http/errors.js'
import {closest} from '../text/suggest.js'
import {terminalSafe} from '../text/safe-text.js'
import type {AccessContext} from './access-context.js'
import {memo} from './memo.js'

export interface GroupRef {
  id: string
  name: string
  memberCount?: number
  /** Synced from an identity provider (Admin API route): its members cannot be changed here. */
  managedByIdp?: boolean
}

/** Groups through whichever API the session can use: the Admin API with a key, else Confluence's. */
export interface GroupRoute {
  readonly via: 'Admin API' | 'Confluence'
  find(name: string): Promise<GroupRef | undefined>
  /** Several groups by name, in as few requests as the API allows (remembered for find). */
  findAll(names: string[]): Promise<Map<string, GroupRef | undefined>>
  create(name: string): Promise<GroupRef>
  /** This run created the group (create answered): it can hold no permission or role yet. */
  createdNow(name: string): boolean
  isMember(group: GroupRef, accountId: string): Promise<boolean>
  /** The groups a user is in (remembered for the run, refreshed after addMember). */
  groupsOf(accountId: string): Promise<GroupRef[]>
  addMember(group: GroupRef, accountId: string): Promise<void>
  list(search?: string): Promise<GroupRef[]>
  /** Every group's name, without member counts: the candidates for "did you mean". */
  names(): Promise<string[]>
  /** The groups that give this Confluence access on the site (asked of Confluence whatever the route). */
  giving(access: GroupAccessType): Promise<GroupRef[]>
}

/** Group names are the same name in any case (atlassian-2026.md §2: "groupNames … case-insensitive"). */
export const sameGroupName = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase()

/** The cache key of a group name: one lookup per name, whatever its case. */
const nameKey = (name: string): string => name.toLowerCase()

export function groupRoute(context: AccessContext): GroupRoute {
  const {admin, site} = context
  const giving = memo((access) => listGroupsGiving(site, access as GroupAccessType))
  const made = new Set<string>()
  if (admin) {
    const {client, directoryId, orgId} = admin
    const byName = memo(async (name) =>
      (await searchGroups(client, orgId, directoryId, {names: [name]})).find((g) => sameGroupName(g.name, name)),
    )
    const groupsOf = memo((accountId) => searchGroups(client, orgId, directoryId, {accountIds: [accountId]}))
    return {
      async addMember(group, accountId) {
        await addDirectoryGroupMember(client, orgId, directoryId, group.id, accountId)
        groupsOf.forget(accountId)
      },
      async create(name) {
        // Remembered as created: a search right after may not show it yet.
        const group = await createDirectoryGroup(client, orgId, directoryId, name)
        byName.remember(nameKey(name), group)
        made.add(nameKey(name))
        return group
      },
      createdNow: (name) => made.has(nameKey(name)),
      find: (name) => byName.get(nameKey(name)),
      async findAll(names) {
        // One search for all the names (groupNames takes a list), each answer remembered for find().
        const found = names.length === 0 ? [] : await searchGroups(client, orgId, directoryId, {names})
        const result = new Map(names.map((name) => [name, found.find((g) => sameGroupName(g.name, name))] as const))
        for (const [name, group] of result) byName.remember(nameKey(name), group)
        return result
      },
      giving: (access) => giving.get(access),
      groupsOf: (accountId) => groupsOf.get(accountId),
      isMember: async (group, accountId) => (await groupsOf.get(accountId)).some((g) => g.id === group.id),
      list: (search) => searchGroups(client, orgId, directoryId, {searchTerm: search}),
      names: async () => (await searchGroups(client, orgId, directoryId, {})).map((g) => g.name),
      via: 'Admin API',
    }
  }

  const byName = memo((name) => findGroupByName(site, name))
  const groupsOf = memo((accountId) => getUserGroups(site, accountId))
  return {
    async addMember(group, accountId) {
      await addGroupMember(site, group.id, accountId)
      groupsOf.forget(accountId)
    },
    async create(name) {
      const group = await createGroup(site, name)
      byName.remember(nameKey(name), group)
      made.add(nameKey(name))
      return group
    },
    createdNow: (name) => made.has(nameKey(name)),
    find: (name) => byName.get(nameKey(name)),
    findAll: async (names) =>
      new Map(await Promise.all(names.map(async (name) => [name, await byName.get(nameKey(name))] as const))),
    giving: (access) => giving.get(access),
    groupsOf: (accountId) => groupsOf.get(accountId),
    isMember: async (group, accountId) => (await groupsOf.get(accountId)).some((g) => g.id === group.id),
    async list(search) {
      const groups = (await listGroups(site)).filter(
        (g) => !search || g.name.toLowerCase().includes(search.toLowerCase()),
      )
      // Confluence gives no member counts: one count per group, a few at a time.
      const slots = new Throttle({max: 8})
      return Promise.all(
        groups.map(async (g) => {
          const release = await slots.acquire()
          try {
            return {...g, memberCount: (await listGroupMembers(site, g.id)).length}
          } finally {
            release()
          }
        }),
      )
    },
    names: async () => (await listGroups(site)).map((g) => g.name),
    via: 'Confluence',
  }
}

/**
 * The closest existing name for each group the site does not have, from one listing of the group names made only
 * when some are missing; a listing that fails gives no guesses, not an error.
 */
export async function groupGuesses(
  missing: readonly string[],
  route: GroupRoute,
): Promise<Map<string, string | undefined>> {
  let names: string[] = []
  if (missing.length > 0) {
    try {
      names = await route.names()
    } catch {
      names = []
    }
  }

  return new Map(missing.map((name) => [name, closest(name, names)]))
}

/** " (did you mean crawlers?)" after a missing group's name, or nothing. */
export const didYouMean = (guess: string | undefined): string =>
  guess ? ` (did you mean ${terminalSafe(guess)}?)` : ''

/** The error to report for a failed membership add: a transient one as it is (the runner may try again), else explained. */
export function membershipRefusal(error: unknown, groupName: string): unknown {
  return isTransientError(error) ? error : new Error(explainMembershipRefusal(error, groupName))
}

/** `org-admins` (any case): its members cannot be changed through the API since the Units rollout (atlassian-2026.md §5). */
export const isOrgAdminsGroup = (name: string): boolean => sameGroupName(name, 'org-admins')

/** Why cfadmin does not add members to org-admins, and where to do it instead. */
export const ORG_ADMINS_REFUSAL =
  'Atlassian no longer lets the API add members to org-admins (since the Units rollout): add org admins in admin.atlassian.com (Settings > Administrators)'

/** Atlassian's documented refusals to add a member, said in the user's words (§3b, §4a; atlassian-2026.md §5). */
export function explainMembershipRefusal(error: unknown, groupName: string): string {
  const message = (error as Error).message ?? String(error)
  if (isOrgAdminsGroup(groupName) || /org-admins|units rollout/i.test(message))
    return `${ORG_ADMINS_REFUSAL} (${message})`
  if (/identity provider|externally? ?synced|managed by|scim/i.test(message))
    return `${groupName} is synced from an identity provider: change its members there (${message})`
  if (/licen[cs]e ?exceeded/i.test(message))
    return `no Confluence licence is left on the site to add a user to ${groupName} (${message})`
  if (/directory/i.test(message)) return `the user is not in the directory of ${groupName} (${message})`
  return message
}
