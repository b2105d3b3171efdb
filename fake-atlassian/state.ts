import {createHash} from 'node:crypto'
import {existsSync, readFileSync} from 'node:fs'
import {dirname, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

import {fillCredentialDates} from './credential-dates.js'
import {ACCESS_CLASSES, cloudIdOfAri, DEFAULT_GROUP_NAMES} from './model.js'
import {CALLBACK_WILDCARD} from './routes/oauth.js'
import {
  type FakeBehaviour,
  type FakeGroupRoleAssignment,
  type FakeRoleId,
  type FakeSeed,
  type FakeSite,
  type FakeSpaceRole,
  type FakeState,
  SPACE_TYPES,
} from './types.js'

export {findUser, findUserByEmail} from './model.js'

const seedsDir = resolve(dirname(fileURLToPath(import.meta.url)), 'seeds')

/** The bundled seed files: seedPath('default'), seedPath('two-orgs'). */
export function seedPath(name: string): string {
  return resolve(seedsDir, `${name}.json`)
}

export const defaultSeedPath = seedPath('default')

/** Reads a seed from a JSON file; a bare name ("two-orgs") means a bundled seed. */
export function readSeed(pathOrName: string): FakeSeed {
  const path = existsSync(pathOrName) || !/^[\w-]+$/.test(pathOrName) ? pathOrName : seedPath(pathOrName)
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as FakeSeed
  } catch (error) {
    throw new Error(`fake-atlassian: cannot read seed ${path}: ${(error as Error).message}`)
  }
}

/** The by-name group routes §2 says are gone (route templates as in routes/confluence-groups.ts). */
export const BY_NAME_GROUP_ROUTES = [
  'GET /wiki/rest/api/group/by-name',
  'GET /wiki/rest/api/group/{groupName}/member',
  'POST /wiki/rest/api/group/user',
  'DELETE /wiki/rest/api/group/user',
]

/** Every knob at its strict value: the fake is at least as strict as the real service (README: Knobs). */
export const defaultBehaviour: FakeBehaviour = {
  accessTokenTtlSeconds: 3600,
  adminKeyListsHiddenSpaces: true,
  adminSearchHiddenEmails: 'omitted',
  byNameGroups: 'gone',
  deprecatedRoutes: BY_NAME_GROUP_ROUTES,
  inviteDelayMs: 0,
  inviteEmailCap: 25,
  inviteRoleValidation: true,
  oauthSpacePermissionWrite: 403,
  propagationDelayMs: 3000,
  refreshTokenLeewayMs: 600_000,
  roleAssignmentDeniedStatus: 404,
  serviceAccountListing: 'allow',
  serviceAccountType: 'app',
  v1GranularOnly: 'refused',
  deadRefreshTokenError: 'unauthorized_client',
  oauthQuotaPerHour: 0,
  oauthQuotaNearLimit: 0.8,
  siteAdminSeesAllSpaces: false,
  userCount: 'exact',
  userSearchSort: 'honoured',
  xsrfRequired: true,
}

/** Permissions of the system space roles (§1d; the exact sets are UNCONFIRMED, v2 ids as in the spec's "read/space"). */
const VIEWER = ['read/space']
const COLLABORATOR = [
  ...VIEWER,
  'create/page',
  'create/blogpost',
  'create/comment',
  'create/attachment',
  'delete/comment',
  'delete/attachment',
]
const MANAGER = [...COLLABORATOR, 'delete/page', 'delete/blogpost', 'archive/page', 'export/space']
const ADMIN = [...MANAGER, 'restrict_content/space', 'administer/space', 'delete/space']

/** An id that looks random but is the same for the same site and name (role ids differ per site, §1d). */
const siteRoleId = (cloudId: string, name: string) => {
  const h = createHash('sha256').update(`${cloudId}/${name}`).digest('hex')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`
}

/**
 * The space roles of each site when a seed lists none (§1d): the system roles Admin, Manager, Collaborator and
 * Viewer, and one custom role, "Read-only auditor" (view and export), each with an id derived from the site.
 */
export function defaultSpaceRoles(sites: Pick<FakeSite, 'cloudId'>[]): FakeSpaceRole[] {
  return sites.flatMap(({cloudId}) => {
    const role = (name: string, type: FakeSpaceRole['type'], spacePermissions: string[], description: string) => ({
      cloudId,
      description,
      id: siteRoleId(cloudId, name),
      name,
      spacePermissions,
      type,
    })
    return [
      role('Admin', 'SYSTEM', ADMIN, 'Full control of the space, its permissions and roles.'),
      role('Manager', 'SYSTEM', MANAGER, 'Manages the content of the space.'),
      role('Collaborator', 'SYSTEM', COLLABORATOR, 'Creates and edits content.'),
      role('Viewer', 'SYSTEM', VIEWER, 'Views the space.'),
      role('Read-only auditor', 'CUSTOM', ['read/space', 'export/space'], 'Custom role: view and export.'),
    ]
  })
}

/** A fresh, independent state from a seed: defaults filled in, references checked. */
export function createState(seed: FakeSeed, now = Date.now()): FakeState {
  const copy = structuredClone(seed)
  const state: FakeState = {
    adminKeySessions: copy.adminKeySessions ?? [],
    apiTokenRecords: [],
    adminKeys: copy.adminKeys ?? [],
    behaviour: {...defaultBehaviour, deprecatedRoutes: [...BY_NAME_GROUP_ROUTES], ...copy.behaviour},
    directories: copy.directories ?? [],
    groupRoleAssignments: copy.groupRoleAssignments ?? [],
    groups: copy.groups ?? [],
    memberships: copy.memberships ?? [],
    clientCredentials: copy.clientCredentials ?? [],
    oauthApps: copy.oauthApps ?? [],
    oauthCodes: copy.oauthCodes ?? [],
    oauthGrants: copy.oauthGrants ?? [],
    oauthTokens: copy.oauthTokens ?? [],
    orgs: copy.orgs ?? [],
    pendingInvites: copy.pendingInvites ?? [],
    roleAssignments: copy.roleAssignments ?? [],
    sentInviteEmails: copy.sentInviteEmails ?? [],
    sites: copy.sites ?? [],
    spacePermissions: copy.spacePermissions ?? [],
    spaceRoleAssignments: copy.spaceRoleAssignments ?? [],
    spaceRoles: copy.spaceRoles ?? defaultSpaceRoles(copy.sites ?? []),
    spaces: copy.spaces ?? [],
    users: (copy.users ?? []).map((u) => ({
      apiTokens: [],
      emailVisible: true,
      siteAdmin: false,
      status: 'active',
      ...u,
    })),
  }
  if (!copy.groupRoleAssignments) state.groupRoleAssignments = defaultGroupRoles(state)
  fillCredentialDates(state, copy.apiTokenRecords, now)
  nameRolesById(state)
  checkState(state)
  return state
}

/**
 * The roles of each site's default groups, found by their conventional names in the directories of the site's org
 * (confluence-users-<site>: atlassian/user, confluence-admins-<site>: atlassian/admin,
 * confluence-user-access-admins-<site>: atlassian/user-access-admin; atlassian-api.md §3b). Used when a seed has no
 * `groupRoleAssignments` list.
 */
export function defaultGroupRoles(
  state: Pick<FakeState, 'directories' | 'groups' | 'sites'>,
): FakeGroupRoleAssignment[] {
  const out: FakeGroupRoleAssignment[] = []
  for (const site of state.sites) {
    const directories = new Set(state.directories.filter((d) => d.orgId === site.orgId).map((d) => d.id))
    for (const [roleId, nameOf] of Object.entries(DEFAULT_GROUP_NAMES)) {
      const name = nameOf(site.name)
      for (const g of state.groups) {
        if (g.name === name && directories.has(g.directoryId))
          out.push({
            groupId: g.id,
            resourceId: `ari:cloud:confluence::site/${site.cloudId}`,
            roleId: roleId as FakeRoleId,
          })
      }
    }
  }

  return out
}

/**
 * Seed convenience: a space role assignment may name its role by name ("Viewer") instead of the site-specific id the
 * seed author cannot know; it is replaced by the id of that role on the space's site.
 */
function nameRolesById(state: FakeState): void {
  const first = state.sites[0]?.cloudId
  for (const a of state.spaceRoleAssignments) {
    if (state.spaceRoles.some((r) => r.id === a.roleId)) continue
    const space = state.spaces.find((s) => s.key === a.spaceKey)
    const cloudId = space?.cloudId ?? first
    const role = state.spaceRoles.find((r) => r.name === a.roleId && (r.cloudId ?? first) === cloudId)
    if (role) a.roleId = role.id
  }
}

/** Throws on a seed that refers to things it does not define: a broken seed should fail loudly, once. */
export function checkState(state: FakeState): void {
  const problems: string[] = []
  const ids = (list: {id: string}[]) => new Set(list.map((x) => x.id))
  const orgIds = ids(state.orgs)
  const directoryIds = ids(state.directories)
  const groupIds = ids(state.groups)
  const accountIds = new Set(state.users.map((u) => u.accountId))
  const cloudIds = new Set(state.sites.map((s) => s.cloudId))
  const spaceKeys = new Set(state.spaces.map((s) => s.key))
  const unique = (what: string, values: string[]) => {
    const seen = new Set<string>()
    for (const v of values) {
      if (seen.has(v)) problems.push(`duplicate ${what} ${v}`)
      seen.add(v)
    }
  }

  unique(
    'org id',
    state.orgs.map((o) => o.id),
  )
  unique(
    'directory id',
    state.directories.map((d) => d.id),
  )
  unique(
    'group id',
    state.groups.map((g) => g.id),
  )
  unique(
    'accountId',
    state.users.map((u) => u.accountId),
  )
  unique(
    'user email',
    state.users.map((u) => u.email.toLowerCase()),
  )
  unique(
    'cloudId',
    state.sites.map((s) => s.cloudId),
  )
  unique(
    'space key',
    state.spaces.map((s) => s.key),
  )
  unique(
    'space id',
    state.spaces.map((s) => s.id),
  )
  unique(
    'space permission id',
    state.spacePermissions.map((p) => String(p.id)),
  )
  unique(
    'group name (per directory)',
    state.groups.map((g) => `${g.directoryId}/${g.name.toLowerCase()}`),
  )
  unique(
    'API token',
    state.users.flatMap((u) => u.apiTokens.map((t) => (typeof t === 'string' ? t : t.token))),
  )
  for (const d of state.directories)
    if (!orgIds.has(d.orgId)) problems.push(`directory ${d.id}: unknown org ${d.orgId}`)
  for (const k of state.adminKeys)
    for (const o of k.orgIds) if (!orgIds.has(o)) problems.push(`admin key ${k.key.slice(0, 4)}…: unknown org ${o}`)
  for (const s of state.sites) if (!orgIds.has(s.orgId)) problems.push(`site ${s.name}: unknown org ${s.orgId}`)
  for (const u of state.users)
    if (!directoryIds.has(u.directoryId)) problems.push(`user ${u.email}: unknown directory ${u.directoryId}`)
  for (const g of state.groups)
    if (!directoryIds.has(g.directoryId)) problems.push(`group ${g.name}: unknown directory ${g.directoryId}`)
  for (const m of state.memberships) {
    if (!groupIds.has(m.groupId)) problems.push(`membership: unknown group ${m.groupId}`)
    if (!accountIds.has(m.accountId)) problems.push(`membership: unknown account ${m.accountId}`)
  }

  for (const s of state.spaces)
    if (s.cloudId && !cloudIds.has(s.cloudId)) problems.push(`space ${s.key}: unknown site ${s.cloudId}`)
  for (const p of state.spacePermissions) {
    if (!spaceKeys.has(p.spaceKey)) problems.push(`space permission ${p.id}: unknown space ${p.spaceKey}`)
    const known = p.principal.type === 'user' ? accountIds : groupIds
    const anonymous = p.principal.type === 'user' && p.principal.id === 'anonymous'
    if (!anonymous && !known.has(p.principal.id))
      problems.push(`space permission ${p.id}: unknown ${p.principal.type} ${p.principal.id}`)
  }

  for (const r of state.roleAssignments) {
    if (!accountIds.has(r.accountId)) problems.push(`role assignment: unknown account ${r.accountId}`)
    const cloudId = cloudIdOfAri(r.resourceId)
    if (r.resourceId && !(cloudId && cloudIds.has(cloudId)))
      problems.push(`role assignment of ${r.accountId}: unknown resource ${r.resourceId}`)
  }

  for (const r of state.groupRoleAssignments) {
    if (!groupIds.has(r.groupId)) problems.push(`group role assignment: unknown group ${r.groupId}`)
    const cloudId = cloudIdOfAri(r.resourceId)
    if (!(cloudId && cloudIds.has(cloudId)))
      problems.push(`group role assignment of ${r.groupId}: unknown resource ${r.resourceId}`)
  }

  const roleIds = new Set(state.spaceRoles.map((r) => r.id))
  unique(
    'space role id',
    state.spaceRoles.map((r) => r.id),
  )
  for (const s of state.spaces)
    if (!SPACE_TYPES.includes(s.type)) problems.push(`space ${s.key}: type must be one of ${SPACE_TYPES.join(', ')}`)
  for (const s of state.sites) {
    if (s.directoryId && !state.directories.some((d) => d.id === s.directoryId && d.orgId === s.orgId))
      problems.push(`site ${s.name}: directory ${s.directoryId} is not one of its org's`)
    if (s.roleMode && !['PRE_ROLES', 'ROLES', 'ROLES_TRANSITION'].includes(s.roleMode))
      problems.push(`site ${s.name}: roleMode must be PRE_ROLES, ROLES_TRANSITION or ROLES`)
    if (s.roleModeAnswer && !['PRE_ROLES', 'ROLES', 'ROLES_TRANSITION', 'missing'].includes(s.roleModeAnswer))
      problems.push(`site ${s.name}: roleModeAnswer must be PRE_ROLES, ROLES_TRANSITION, ROLES or missing`)
  }

  const seenHolders = new Set<string>()
  for (const a of state.spaceRoleAssignments) {
    const holder = `${a.spaceKey} ${a.principal.type} ${a.principal.id}`
    if (!spaceKeys.has(a.spaceKey)) problems.push(`space role assignment: unknown space ${a.spaceKey}`)
    if (!roleIds.has(a.roleId)) problems.push(`space role assignment on ${a.spaceKey}: unknown role ${a.roleId}`)
    const known =
      a.principal.type === 'access-class'
        ? ACCESS_CLASSES.has(a.principal.id)
        : (a.principal.type === 'user' ? accountIds : groupIds).has(a.principal.id)
    if (!known) problems.push(`space role assignment on ${a.spaceKey}: unknown ${a.principal.type} ${a.principal.id}`)
    if (seenHolders.has(holder)) problems.push(`space role assignment: ${holder} holds two roles`)
    seenHolders.add(holder)
    // §1d: a principal holds a role or custom access (individual permissions), never both.
    if (
      state.spacePermissions.some(
        (p) => p.spaceKey === a.spaceKey && p.principal.type === a.principal.type && p.principal.id === a.principal.id,
      )
    )
      problems.push(`space role assignment: ${holder} also has individual permissions (custom access)`)
  }

  for (const s of state.sites)
    if (s.licenceLimit !== undefined && !(s.licenceLimit >= 0))
      problems.push(`site ${s.name}: licenceLimit must be a number >= 0`)
  for (const t of state.oauthTokens) {
    if (!accountIds.has(t.accountId)) problems.push(`OAuth token: unknown account ${t.accountId}`)
    for (const c of t.cloudIds) if (!cloudIds.has(c)) problems.push(`OAuth token: unknown site ${c}`)
    if (t.grantId !== undefined && !state.oauthGrants.some((g) => g.id === t.grantId))
      problems.push(`OAuth token: unknown grant ${t.grantId}`)
  }

  problems.push(...oauthProblems(state, accountIds, cloudIds))
  for (const c of state.clientCredentials) {
    const name = `client credentials ${c.clientId}`
    if (!c.clientId || !c.clientSecret) problems.push(`${name}: clientId and clientSecret must not be empty`)
    if (state.oauthApps.some((a) => a.clientId === c.clientId)) problems.push(`${name}: also an OAuth app's client ID`)
    if (!accountIds.has(c.accountId)) problems.push(`${name}: unknown account ${c.accountId}`)
    for (const id of c.cloudIds ?? []) if (!cloudIds.has(id)) problems.push(`${name}: unknown site ${id}`)
  }
  unique(
    'client credentials clientId',
    state.clientCredentials.map((c) => c.clientId),
  )

  if (problems.length > 0) throw new Error(`fake-atlassian: bad seed:\n  ${problems.join('\n  ')}`)
}

/** What is wrong with the OAuth apps, grants and codes of a state (checkState's share for §1b). */
function oauthProblems(state: FakeState, accountIds: ReadonlySet<string>, cloudIds: ReadonlySet<string>): string[] {
  const problems: string[] = []
  const clientIds = new Set<string>()
  const strings = (value: unknown) => Array.isArray(value) && value.every((v) => typeof v === 'string' && v !== '')
  for (const app of state.oauthApps) {
    const name = `OAuth app ${app.clientId}`
    if (!app.clientId) problems.push('OAuth app without clientId')
    if (clientIds.has(app.clientId)) problems.push(`duplicate OAuth clientId ${app.clientId}`)
    clientIds.add(app.clientId)
    if (!app.clientSecret) problems.push(`${name}: clientSecret must not be empty`)
    if (!strings(app.callbackUrls)) problems.push(`${name}: callbackUrls must be a list of URLs`)
    else
      for (const url of app.callbackUrls)
        if (!URL.canParse(url) && !CALLBACK_WILDCARD.test(url))
          problems.push(`${name}: callback ${url} is neither a URL nor scheme://host:*`)
    if (!strings(app.scopes)) problems.push(`${name}: scopes must be a list of scope names`)
  }

  const grantIds = new Set<string>()
  const refreshTokens = new Set<string>()
  for (const grant of state.oauthGrants) {
    const name = `OAuth grant ${grant.id}`
    if (grantIds.has(grant.id)) problems.push(`duplicate OAuth grant id ${grant.id}`)
    grantIds.add(grant.id)
    if (!clientIds.has(grant.clientId)) problems.push(`${name}: unknown OAuth app ${grant.clientId}`)
    if (!accountIds.has(grant.accountId)) problems.push(`${name}: unknown account ${grant.accountId}`)
    for (const c of grant.cloudIds ?? []) if (!cloudIds.has(c)) problems.push(`${name}: unknown site ${c}`)
    if (!strings(grant.scopes)) problems.push(`${name}: scopes must be a list of scope names`)
    if (!Array.isArray(grant.refreshTokens)) problems.push(`${name}: refreshTokens must be a list`)
    else {
      for (const r of grant.refreshTokens) {
        if (refreshTokens.has(r.token)) problems.push(`duplicate OAuth refresh token ${r.token.slice(0, 4)}…`)
        refreshTokens.add(r.token)
      }

      const current = grant.refreshTokens.filter((r) => !r.rotatedAt)
      if (grant.refreshTokens.length > 0 && current.length !== 1)
        problems.push(`${name}: exactly one refresh token must be current (without rotatedAt)`)
    }
  }

  for (const code of state.oauthCodes) {
    if (!clientIds.has(code.clientId)) problems.push(`OAuth code: unknown OAuth app ${code.clientId}`)
    if (!accountIds.has(code.accountId)) problems.push(`OAuth code: unknown account ${code.accountId}`)
    for (const c of code.cloudIds) if (!cloudIds.has(c)) problems.push(`OAuth code: unknown site ${c}`)
  }

  const behaviour = state.behaviour
  if (!(behaviour.accessTokenTtlSeconds > 0)) problems.push('behaviour.accessTokenTtlSeconds must be a number > 0')
  if (!(behaviour.refreshTokenLeewayMs >= 0)) problems.push('behaviour.refreshTokenLeewayMs must be a number >= 0')
  return problems
}

/** The site served at the fake's own origin (the first one). */
export function primarySite(state: FakeState): FakeSite | undefined {
  return state.sites[0]
}

/** Replaces the contents of `target` with a fresh state from the seed, keeping the object (and its lists' owner) the same. */
export function resetState(target: FakeState, seed: FakeSeed): void {
  Object.assign(target, createState(seed))
}
