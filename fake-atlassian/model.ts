import {randomUUID} from 'node:crypto'

import type {
  FakeDirectory,
  FakeGroup,
  FakeGroupRoleAssignment,
  FakeOrg,
  FakeRoleAssignment,
  FakeRoleId,
  FakeSite,
  FakeSpace,
  FakeSpacePermission,
  FakeState,
  FakeUser,
} from './types.js'
import {forgetUserOrders} from './user-order.js'

/**
 * Indexed reads and the writes routes make on a FakeState. The state stays plain lists (tests read and change them
 * freely); the indexes here are rebuilt when a list is replaced or changes length, and kept up to date in place by the
 * writes below, so a route's lookup is O(1) even with thousands of spaces. Changing a key field of an entry in place
 * (a user's email or nickname, a group's name, a space's key) and adding one entry while removing another in the same step are
 * the two edits the indexes cannot notice: call reindex(state) after those.
 */

/** The resource ARI of a Confluence site (atlassian-api.md §3a, §3c). */
export const siteAri = (cloudId: string): string => `ari:cloud:confluence::site/${cloudId}`

/** The cloud ID in a Confluence site ARI; undefined for anything else (a Jira ARI, garbage). */
export function cloudIdOfAri(resource: string | undefined): string | undefined {
  return resource ? /^ari:cloud:confluence::site\/([^/\s]+)$/.exec(resource)?.[1] : undefined
}

/** Roles that consume a Confluence seat (§3b: guest and user-access-admin do not). */
export const BILLABLE_ROLES: ReadonlySet<FakeRoleId> = new Set<FakeRoleId>(['atlassian/admin', 'atlassian/user'])

/** Roles that give product access to Confluence ("has access" for check-access-by-email, invites). */
const ACCESS_ROLES = BILLABLE_ROLES

export const licenceExceeded = (cloudId: string): string =>
  `LicenceExceededException: Licence exceeded for: ${siteAri(cloudId)}`

type ListName =
  | 'directories'
  | 'groupRoleAssignments'
  | 'groups'
  | 'memberships'
  | 'orgs'
  | 'roleAssignments'
  | 'sites'
  | 'spacePermissions'
  | 'spaces'
  | 'users'
const LISTS: ListName[] = [
  'directories',
  'groupRoleAssignments',
  'groups',
  'memberships',
  'orgs',
  'roleAssignments',
  'sites',
  'spacePermissions',
  'spaces',
  'users',
]

const push = <K, V>(map: Map<K, V[]>, key: K, value: V) => {
  const list = map.get(key)
  if (list) list.push(value)
  else map.set(key, [value])
}

const addTo = <K, V>(map: Map<K, Set<V>>, key: K, value: V) => {
  const set = map.get(key)
  if (set) set.add(value)
  else map.set(key, new Set([value]))
}

const EMPTY: ReadonlySet<string> = new Set()

class Index {
  signature: unknown[] = []
  readonly orgs = new Map<string, FakeOrg>()
  readonly directories = new Map<string, FakeDirectory>()
  readonly sites = new Map<string, FakeSite>()
  readonly usersById = new Map<string, FakeUser>()
  readonly usersByEmail = new Map<string, FakeUser>()
  readonly groupsById = new Map<string, FakeGroup>()
  /** lower-case name -> groups of that name (one per directory at most). */
  readonly groupsByName = new Map<string, FakeGroup[]>()
  readonly members = new Map<string, Set<string>>()
  readonly groupsOf = new Map<string, Set<string>>()
  readonly spacesByKey = new Map<string, FakeSpace>()
  readonly spacesById = new Map<string, FakeSpace>()
  readonly permissionsBySpace = new Map<string, FakeSpacePermission[]>()
  readonly groupRoles = new Map<string, FakeGroupRoleAssignment[]>()
  readonly userRoles = new Map<string, FakeRoleAssignment[]>()
  maxPermissionId = 0

  constructor(state: FakeState) {
    for (const o of state.orgs) this.orgs.set(o.id, o)
    for (const d of state.directories) this.directories.set(d.id, d)
    for (const s of state.sites) this.sites.set(s.cloudId, s)
    for (const u of state.users) this.addUser(u)
    for (const g of state.groups) this.addGroup(g)
    for (const m of state.memberships) this.addMembership(m.groupId, m.accountId)
    for (const s of state.spaces) this.addSpace(s)
    for (const p of state.spacePermissions) this.addPermission(p)
    for (const r of state.groupRoleAssignments) push(this.groupRoles, r.groupId, r)
    for (const r of state.roleAssignments) push(this.userRoles, r.accountId, r)
    this.signature = signature(state)
  }

  addUser(u: FakeUser) {
    this.usersById.set(u.accountId, u)
    this.usersByEmail.set(u.email.toLowerCase(), u)
  }

  addGroup(g: FakeGroup) {
    this.groupsById.set(g.id, g)
    push(this.groupsByName, g.name.toLowerCase(), g)
  }

  addMembership(groupId: string, accountId: string) {
    addTo(this.members, groupId, accountId)
    addTo(this.groupsOf, accountId, groupId)
  }

  addSpace(s: FakeSpace) {
    this.spacesByKey.set(s.key, s)
    this.spacesById.set(s.id, s)
  }

  addPermission(p: FakeSpacePermission) {
    push(this.permissionsBySpace, p.spaceKey, p)
    if (p.id > this.maxPermissionId) this.maxPermissionId = p.id
  }
}

function signature(state: FakeState): unknown[] {
  const sig: unknown[] = []
  for (const name of LISTS) sig.push(state[name], state[name].length)
  return sig
}

const indexes = new WeakMap<FakeState, Index>()

function fresh(state: FakeState, ix: Index | undefined): ix is Index {
  if (!ix) return false
  const sig = ix.signature
  let i = 0
  for (const name of LISTS) {
    const list = state[name]
    if (sig[i++] !== list || sig[i++] !== list.length) return false
  }

  return true
}

/** The state's indexes, rebuilt when a list was replaced or changed length behind their back. */
function index(state: FakeState): Index {
  const ix = indexes.get(state)
  if (fresh(state, ix)) return ix
  const built = new Index(state)
  indexes.set(state, built)
  return built
}

/** Rebuilds the indexes now (after an in-place change of a key field; see the top of this file). */
export function reindex(state: FakeState): void {
  indexes.delete(state)
  forgetUserOrders(state)
}

/** After a write through this module: the lists changed length, the index already knows. */
function wrote(state: FakeState, ix: Index) {
  ix.signature = signature(state)
}

// ---------------------------------------------------------------------------------------------------------------
// Reads

export const findOrg = (state: FakeState, id: string): FakeOrg | undefined => index(state).orgs.get(id)
export const findDirectory = (state: FakeState, id: string): FakeDirectory | undefined =>
  index(state).directories.get(id)
export const findSite = (state: FakeState, cloudId: string | undefined): FakeSite | undefined =>
  cloudId === undefined ? undefined : index(state).sites.get(cloudId)

/** Where a site lives (types.ts FakeSite.hostUrl): its own hostUrl, else the fake's origin for the first site, else https://<name>.atlassian.net. */
export const siteHostUrl = (state: FakeState, site: FakeSite, origin: string): string =>
  site.hostUrl ?? (state.sites[0] === site ? origin : `https://${site.name}.atlassian.net`)

export function findUser(state: FakeState, accountId: string): FakeUser | undefined {
  const ix = index(state)
  const u = ix.usersById.get(accountId)
  if (u && u.accountId !== accountId) {
    reindex(state)
    return index(state).usersById.get(accountId)
  }

  return u
}

/** Exact email match, case-insensitive (the Admin API sees every email, hidden or not: §5). */
export function findUserByEmail(state: FakeState, email: string): FakeUser | undefined {
  const wanted = email.trim().toLowerCase()
  const u = index(state).usersByEmail.get(wanted)
  if (u && u.email.toLowerCase() !== wanted) {
    reindex(state)
    return index(state).usersByEmail.get(wanted)
  }

  return u
}

export function findGroup(state: FakeState, id: string): FakeGroup | undefined {
  return index(state).groupsById.get(id)
}

/** Groups of that name (case-insensitive), optionally only those in the given directories. */
export function findGroupsByName(state: FakeState, name: string, directoryIds?: ReadonlySet<string>): FakeGroup[] {
  const all = index(state).groupsByName.get(name.toLowerCase()) ?? []
  return directoryIds ? all.filter((g) => directoryIds.has(g.directoryId)) : all
}

export function findSpace(state: FakeState, key: string): FakeSpace | undefined {
  return index(state).spacesByKey.get(key)
}

export function findSpaceById(state: FakeState, id: string): FakeSpace | undefined {
  return index(state).spacesById.get(id)
}

export function spacePermissionsOf(state: FakeState, spaceKey: string): readonly FakeSpacePermission[] {
  return index(state).permissionsBySpace.get(spaceKey) ?? []
}

export const membersOf = (state: FakeState, groupId: string): ReadonlySet<string> =>
  index(state).members.get(groupId) ?? EMPTY
export const groupIdsOf = (state: FakeState, accountId: string): ReadonlySet<string> =>
  index(state).groupsOf.get(accountId) ?? EMPTY
export const isMember = (state: FakeState, groupId: string, accountId: string): boolean =>
  membersOf(state, groupId).has(accountId)

/** The directories of an org (a handful: a linear scan). */
export function orgDirectories(state: FakeState, orgId: string): FakeDirectory[] {
  return state.directories.filter((d) => d.orgId === orgId)
}

/** The directory holding a site's users (§5): the site's `directoryId`, else its org's first directory. */
export function siteDirectory(state: FakeState, site: FakeSite): FakeDirectory | undefined {
  const own = site.directoryId ? findDirectory(state, site.directoryId) : undefined
  return own ?? orgDirectories(state, site.orgId)[0]
}

/** The org a user belongs to, through their directory. */
export const orgOfUser = (state: FakeState, user: FakeUser): string | undefined =>
  findDirectory(state, user.directoryId)?.orgId

/** The site a space lives on. */
export const spaceCloudId = (state: FakeState, space: FakeSpace): string | undefined =>
  space.cloudId ?? state.sites[0]?.cloudId

export type SpacePrincipal = {type: 'group' | 'user'; id: string}

/**
 * Whether `principal` holds `key` on `target` in the space, through an individual permission or a space role. For a
 * user, group memberships count too unless `direct` is set; a group principal may be given by id or name.
 */
export function hasSpacePermission(
  state: FakeState,
  spaceKey: string,
  principal: SpacePrincipal,
  key = 'read',
  target = 'space',
  direct = false,
  /** true: individual permissions only (custom access), not those a space role gives. */
  individualOnly = false,
): boolean {
  let groupId = principal.id
  if (principal.type === 'group' && !findGroup(state, groupId))
    groupId = findGroupsByName(state, principal.id)[0]?.id ?? principal.id
  const groups = principal.type === 'user' && !direct ? groupIdsOf(state, principal.id) : EMPTY
  for (const p of spacePermissionsOf(state, spaceKey)) {
    if (p.operation.key !== key || p.operation.target !== target) continue
    if (principal.type === 'user' && p.principal.type === 'user' && p.principal.id === principal.id) return true
    if (principal.type === 'group' && p.principal.type === 'group' && p.principal.id === groupId) return true
    if (p.principal.type === 'group' && groups.has(p.principal.id)) return true
  }

  if (individualOnly) return false
  // A space role gives its permissions to whoever holds it (§1d): a role always includes viewing the space.
  const wanted = `${key}/${target}`
  for (const a of state.spaceRoleAssignments) {
    if (a.spaceKey !== spaceKey) continue
    const holds =
      (a.principal.type === principal.type &&
        a.principal.id === (principal.type === 'group' ? groupId : principal.id)) ||
      (a.principal.type === 'group' && groups.has(a.principal.id)) ||
      (a.principal.type === 'access-class' &&
        principal.type === 'user' &&
        !direct &&
        inAccessClass(state, a.principal.id, principal.id, spaceKey))
    if (holds && state.spaceRoles.some((r) => r.id === a.roleId && r.spacePermissions.includes(wanted))) return true
  }

  return false
}

/** A user's roles, direct and through groups (deduplicated). */
export function rolesOf(state: FakeState, accountId: string): {resourceId: string; roleId: FakeRoleId}[] {
  const ix = index(state)
  const seen = new Set<string>()
  const out: {resourceId: string; roleId: FakeRoleId}[] = []
  const add = (resourceId: string, roleId: FakeRoleId) => {
    const k = `${resourceId} ${roleId}`
    if (seen.has(k)) return
    seen.add(k)
    out.push({resourceId, roleId})
  }

  for (const r of ix.userRoles.get(accountId) ?? []) add(r.resourceId, r.roleId)
  for (const g of groupIdsOf(state, accountId)) for (const r of ix.groupRoles.get(g) ?? []) add(r.resourceId, r.roleId)
  return out
}

/** The roles a group gives its members. */
export const groupRolesOf = (state: FakeState, groupId: string): readonly FakeGroupRoleAssignment[] =>
  index(state).groupRoles.get(groupId) ?? []

function holdsRole(state: FakeState, accountId: string, resourceId: string, roles: ReadonlySet<FakeRoleId>): boolean {
  const ix = index(state)
  if ((ix.userRoles.get(accountId) ?? []).some((r) => r.resourceId === resourceId && roles.has(r.roleId))) return true
  for (const g of groupIdsOf(state, accountId)) {
    if ((ix.groupRoles.get(g) ?? []).some((r) => r.resourceId === resourceId && roles.has(r.roleId))) return true
  }

  return false
}

/** The access classes a space role may be given to (atlassian-api.md §6d). */
export const ACCESS_CLASSES: ReadonlySet<string> = new Set([
  'anonymous-users',
  'jsm-project-admins',
  'authenticated-users',
  'all-licensed-users',
  'all-product-admins',
])

/**
 * Whether an account belongs to an access class on the site of `spaceKey` (FakeSpaceRoleAssignment): all licensed users
 * (Confluence access), authenticated users (any active account), anonymous users (anyone).
 */
function inAccessClass(state: FakeState, accessClass: string, accountId: string, spaceKey: string): boolean {
  if (accessClass === 'anonymous-users') return true
  if (accessClass === 'authenticated-users') return findUser(state, accountId)?.status === 'active'
  if (accessClass !== 'all-licensed-users') return false
  const space = state.spaces.find((s) => s.key === spaceKey)
  const cloudId = space && spaceCloudId(state, space)
  return cloudId !== undefined && hasConfluenceAccess(state, accountId, cloudId)
}

/** An active account with product access (atlassian/user or admin, directly or through a group) to the site. */
export function hasConfluenceAccess(state: FakeState, accountId: string, cloudId: string): boolean {
  const user = findUser(state, accountId)
  return Boolean(user && user.status === 'active' && holdsRole(state, accountId, siteAri(cloudId), ACCESS_ROLES))
}

/** Seats in use on a site: active accounts holding a billable role there. */
export function seatsUsed(state: FakeState, cloudId: string): number {
  const ix = index(state)
  const resourceId = siteAri(cloudId)
  const holders = new Set<string>()
  for (const r of state.roleAssignments)
    if (r.resourceId === resourceId && BILLABLE_ROLES.has(r.roleId)) holders.add(r.accountId)
  for (const r of state.groupRoleAssignments) {
    if (r.resourceId === resourceId && BILLABLE_ROLES.has(r.roleId))
      for (const a of ix.members.get(r.groupId) ?? []) holders.add(a)
  }

  let n = 0
  for (const a of holders) {
    const user = ix.usersById.get(a)
    if (user?.status === 'active' && !user.serviceAccount) n++
  }

  return n
}

/**
 * The site whose licence would be exceeded if `accountId` were given billable access to `cloudIds`; undefined when all
 * fit (or the account already holds a seat there, or is not active and so takes none).
 */
export function licenceProblem(state: FakeState, accountId: string, cloudIds: Iterable<string>): string | undefined {
  const user = findUser(state, accountId)
  // A service account takes no seat (§4b).
  if (!user || user.status !== 'active' || user.serviceAccount) return undefined
  for (const cloudId of cloudIds) {
    const limit = findSite(state, cloudId)?.licenceLimit
    if (limit === undefined || holdsRole(state, accountId, siteAri(cloudId), BILLABLE_ROLES)) continue
    if (seatsUsed(state, cloudId) + 1 > limit) return cloudId
  }

  return undefined
}

/** The sites where membership of `groupId` takes a seat (the group gives a billable role there). */
export function billableSitesOfGroup(state: FakeState, groupId: string): string[] {
  const out: string[] = []
  for (const r of groupRolesOf(state, groupId)) {
    const cloudId = cloudIdOfAri(r.resourceId)
    if (cloudId && BILLABLE_ROLES.has(r.roleId)) out.push(cloudId)
  }

  return out
}

/**
 * The default group of a role on a site (§3b): a group giving that role there, preferring the conventional name
 * (confluence-users-<site>, confluence-admins-<site>).
 */
export function defaultGroup(state: FakeState, cloudId: string, roleId: FakeRoleId): FakeGroup | undefined {
  const resourceId = siteAri(cloudId)
  const site = findSite(state, cloudId)
  const conventional = site ? DEFAULT_GROUP_NAMES[roleId]?.(site.name) : undefined
  let found: FakeGroup | undefined
  for (const r of state.groupRoleAssignments) {
    if (r.resourceId !== resourceId || r.roleId !== roleId) continue
    const g = findGroup(state, r.groupId)
    if (!g) continue
    if (g.name === conventional) return g
    found ??= g
  }

  return found
}

/** The conventional default group name of a role (§3b, "Recommended groups" in the doc). */
export const DEFAULT_GROUP_NAMES: Partial<Record<FakeRoleId, (site: string) => string>> = {
  'atlassian/admin': (site) => `confluence-admins-${site}`,
  'atlassian/user': (site) => `confluence-users-${site}`,
  'atlassian/user-access-admin': (site) => `confluence-user-access-admins-${site}`,
}

// ---------------------------------------------------------------------------------------------------------------
// Writes (each keeps the indexes current)

/** Adds a membership; false when it was there already. */
export function addMembership(state: FakeState, groupId: string, accountId: string): boolean {
  const ix = index(state)
  if (ix.members.get(groupId)?.has(accountId)) return false
  state.memberships.push({accountId, groupId})
  ix.addMembership(groupId, accountId)
  wrote(state, ix)
  return true
}

/** Removes a membership; false when there was none. */
export function removeMembership(state: FakeState, groupId: string, accountId: string): boolean {
  const i = state.memberships.findIndex((m) => m.groupId === groupId && m.accountId === accountId)
  if (i === -1) return false
  state.memberships.splice(i, 1)
  reindex(state)
  return true
}

export function addGroup(state: FakeState, group: Omit<FakeGroup, 'id'> & {id?: string}): FakeGroup {
  const ix = index(state)
  const g: FakeGroup = {...group, id: group.id ?? randomUUID()}
  if (g.description === undefined) delete g.description
  state.groups.push(g)
  ix.addGroup(g)
  wrote(state, ix)
  return g
}

/** A new account (an invitee): active, email visible, no API token. */
export function addUser(
  state: FakeState,
  fields: {email: string; directoryId: string; name?: string; invited?: boolean},
): FakeUser {
  const ix = index(state)
  const user: FakeUser = {
    accountId: `712020:${randomUUID()}`,
    addedToOrg: new Date().toISOString(),
    apiTokens: [],
    directoryId: fields.directoryId,
    email: fields.email,
    emailVisible: true,
    invited: fields.invited ?? true,
    name: fields.name ?? fields.email.split('@')[0],
    siteAdmin: false,
    status: 'active',
  }
  state.users.push(user)
  ix.addUser(user)
  wrote(state, ix)
  return user
}

export function addRoleAssignment(
  state: FakeState,
  accountId: string,
  resourceId: string,
  roleId: FakeRoleId,
): boolean {
  const ix = index(state)
  if ((ix.userRoles.get(accountId) ?? []).some((r) => r.resourceId === resourceId && r.roleId === roleId)) return false
  const r: FakeRoleAssignment = {accountId, resourceId, roleId}
  state.roleAssignments.push(r)
  push(ix.userRoles, accountId, r)
  wrote(state, ix)
  return true
}

export function addSpacePermission(
  state: FakeState,
  spaceKey: string,
  principal: SpacePrincipal,
  operation: {key: string; target: string},
): FakeSpacePermission {
  const ix = index(state)
  const p: FakeSpacePermission = {
    id: ix.maxPermissionId + 1,
    operation: {...operation},
    principal: {...principal},
    spaceKey,
  }
  state.spacePermissions.push(p)
  ix.addPermission(p)
  wrote(state, ix)
  return p
}

/**
 * Gives a user a role on a Confluence site the way Atlassian does (§3a, §3b): a billable role first checks the
 * site's seats, then the role is recorded and the user joins the role's default group, if the site has one.
 */
export function grantSiteRole(
  state: FakeState,
  accountId: string,
  cloudId: string,
  roleId: FakeRoleId,
): {ok: true} | {ok: false; reason: string} {
  if (BILLABLE_ROLES.has(roleId) && licenceProblem(state, accountId, [cloudId]))
    return {ok: false, reason: licenceExceeded(cloudId)}
  addRoleAssignment(state, accountId, siteAri(cloudId), roleId)
  const group = defaultGroup(state, cloudId, roleId)
  if (group) addMembership(state, group.id, accountId)
  return {ok: true}
}

/** The email domain of service accounts (§4b). */
export const SERVICE_ACCOUNT_DOMAIN = 'serviceaccount.atlassian.com'

/** An email of the service-account domain, in any case: no invitation may create such an account (§4b). */
export const isServiceAccountEmail = (email: string): boolean =>
  email.trim().toLowerCase().endsWith(`@${SERVICE_ACCOUNT_DOMAIN}`)

/** The account type an API shows for the user: its own, else a service account's per behaviour, else "atlassian". */
export const accountTypeOf = (state: FakeState, user: FakeUser): 'atlassian' | 'app' =>
  user.accountType ?? (user.serviceAccount ? state.behaviour.serviceAccountType : 'atlassian')

/** A loose email check, as an API would do before anything else. */
export const isEmail = (s: string): boolean => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s)

/**
 * Applies the Confluence v2 invite-by-email requests that are due (§2b): unknown addresses become accounts in the
 * site's org, and whoever lacks access gets atlassian/user (and the default group); a full licence leaves the account
 * without access, silently, as an asynchronous job would. Returns how many were applied.
 */
export function processPendingInvites(state: FakeState, now = Date.now()): number {
  if (state.pendingInvites.length === 0) return 0
  const due = state.pendingInvites.filter((p) => p.dueAt <= now)
  if (due.length === 0) return 0
  state.pendingInvites = state.pendingInvites.filter((p) => p.dueAt > now)
  for (const invite of due) {
    const site = findSite(state, invite.cloudId)
    if (!site) continue
    let user = findUserByEmail(state, invite.email)
    if (!user) {
      const directory = siteDirectory(state, site)
      if (!directory) continue
      user = addUser(state, {directoryId: directory.id, email: invite.email})
    }

    if (!hasConfluenceAccess(state, user.accountId, site.cloudId))
      grantSiteRole(state, user.accountId, site.cloudId, 'atlassian/user')
  }

  return due.length
}
