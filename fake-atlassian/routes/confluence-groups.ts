import {currentUser, requireScopes, requireSite, requireSiteAdmin} from '../auth.js'
import {FakeHttpError} from '../errors.js'
import {
  addGroup,
  addMembership,
  billableSitesOfGroup,
  findDirectory,
  findGroup,
  findGroupsByName,
  findUser,
  groupIdsOf,
  groupRolesOf,
  licenceProblem,
  licenceExceeded,
  membersOf,
  orgDirectories,
  removeMembership,
  siteAri,
  siteDirectory,
} from '../model.js'
import {json, type Route, type RouteContext} from '../router.js'
import {knownToConfluence} from '../space-access.js'
import type {FakeGroup, FakeSite, FakeUser} from '../types.js'
import {confluenceGroup, confluenceMessages as msg, intQuery, v1Page} from './common.js'
import {confluenceUser} from './identity.js'

/**
 * Confluence v1 groups and users (atlassian-api.md §4c): Basic on the site, Bearer OAuth on the gateway (scopes from
 * §1b's table). Reads need only a signed-in user; creating groups and adding members need a site admin (403
 * PermissionException otherwise). The groups of a site are those of its org's directories.
 */

const MAX_LIMIT = 200
const READ_GROUPS = [['read:confluence-groups'], ['read:group:confluence']]
const WRITE_GROUPS = [['write:confluence-groups'], ['write:group:confluence']]
const CREATE_GROUP = [['write:confluence-groups'], ['read:group:confluence', 'write:group:confluence']]
const READ_MEMBERS = [['read:confluence-groups'], ['read:group:confluence', 'read:user:confluence']]
const READ_USER = [['read:confluence-user'], ['read:content-details:confluence']]
const READ_MEMBER_OF = [['read:confluence-user'], ['read:user:confluence', 'read:group:confluence']]

const siteDirectories = (ctx: RouteContext, site: FakeSite) =>
  new Set(orgDirectories(ctx.state, site.orgId).map((d) => d.id))

/** The groups of the site's org that Confluence knows yet (§3: Admin API groups arrive after a delay). */
function siteGroups(ctx: RouteContext, site: FakeSite): FakeGroup[] {
  const directories = siteDirectories(ctx, site)
  return ctx.state.groups.filter((g) => directories.has(g.directoryId) && knownToConfluence(ctx, g))
}

function siteGroup(ctx: RouteContext, site: FakeSite, groupId: string): FakeGroup | undefined {
  const group = findGroup(ctx.state, groupId)
  return group && findDirectory(ctx.state, group.directoryId)?.orgId === site.orgId && knownToConfluence(ctx, group)
    ? group
    : undefined
}

/** A group of the site by name (case-insensitive), if Confluence knows it yet. */
function siteGroupByName(ctx: RouteContext, site: FakeSite, name: string): FakeGroup | undefined {
  return findGroupsByName(ctx.state, name, siteDirectories(ctx, site)).find((g) => knownToConfluence(ctx, g))
}

/** A user of the site's org that Confluence knows yet, or undefined. */
export function siteUser(ctx: RouteContext, site: FakeSite, accountId: string | null): FakeUser | undefined {
  const user = accountId ? findUser(ctx.state, accountId) : undefined
  return user && findDirectory(ctx.state, user.directoryId)?.orgId === site.orgId && knownToConfluence(ctx, user)
    ? user
    : undefined
}

const ACCESS_TYPE_ROLES: Record<string, string> = {
  admin: 'atlassian/admin',
  'site-admin': 'atlassian/site-admin',
  user: 'atlassian/user',
}

/** start/limit of a v1 list; limit capped at 200 like Atlassian's group lists. */
const startLimit = (ctx: RouteContext, fallback = MAX_LIMIT) => ({
  limit: Math.min(intQuery(ctx, 'limit', fallback), MAX_LIMIT),
  start: intQuery(ctx, 'start', 0),
})

/** Adds a site user to a group (the v1 add-member rules); undefined: the answer has no body. */
function addToGroup(ctx: RouteContext, site: FakeSite, group: FakeGroup, accountId: string): undefined {
  const user = siteUser(ctx, site, accountId)
  // Spec: 400 "if the groupId or accountId are missing or invalid".
  if (!user) throw new FakeHttpError(400, msg.noUserFound(accountId))
  if (group.managedByIdp) throw new FakeHttpError(400, msg.groupManagedByIdp(group.name)) // UNCONFIRMED status and text
  if (groupIdsOf(ctx.state, accountId).has(group.id)) return undefined // already a member: 201 too (UNCONFIRMED)
  // §3b: "Group add fails with 400 LicenceExceededException when seats are exhausted".
  const full = licenceProblem(ctx.state, accountId, billableSitesOfGroup(ctx.state, group.id))
  if (full) throw new FakeHttpError(400, msg.licenceExceeded(licenceExceeded(full)))
  addMembership(ctx.state, group.id, accountId)
  return undefined
}

export const confluenceGroupRoutes: Route[] = [
  {
    handler(ctx) {
      requireScopes(ctx, READ_GROUPS)
      currentUser(ctx)
      const site = requireSite(ctx)
      let groups = siteGroups(ctx, site)
      const accessType = ctx.query.get('accessType')
      if (accessType) {
        const role = ACCESS_TYPE_ROLES[accessType]
        groups = groups.filter((g) =>
          groupRolesOf(ctx.state, g.id).some((r) => r.roleId === role && r.resourceId === siteAri(site.cloudId)),
        )
      }

      const {limit, start} = startLimit(ctx)
      const body = v1Page(ctx, groups, start, limit, '/rest/api/group', accessType ? {accessType} : {})
      return json(200, {...body, results: body.results.map((g) => confluenceGroup(g, ctx))})
    },
    method: 'GET',
    path: '/wiki/rest/api/group',
  },
  {
    handler(ctx) {
      requireScopes(ctx, CREATE_GROUP)
      requireSiteAdmin(ctx)
      const site = requireSite(ctx)
      const name = ((ctx.body as {name: string}).name ?? '').trim()
      // The spec's 400 "if the name is missing or invalid" covers a taken name too: it documents no 409.
      if (!name) throw new FakeHttpError(400, msg.groupNameMissing)
      if (findGroupsByName(ctx.state, name, siteDirectories(ctx, site)).length > 0)
        throw new FakeHttpError(400, msg.groupExists(name))
      const directory = siteDirectory(ctx.state, site)
      if (!directory) throw new FakeHttpError(400, 'The site has no user directory.')
      return json(201, confluenceGroup(addGroup(ctx.state, {directoryId: directory.id, name}), ctx))
    },
    method: 'POST',
    path: '/wiki/rest/api/group',
  },
  {
    handler(ctx) {
      requireScopes(ctx, READ_GROUPS)
      currentUser(ctx)
      const site = requireSite(ctx)
      const name = ctx.query.get('name') ?? ''
      const group = siteGroupByName(ctx, site, name)
      if (!group) throw new FakeHttpError(404, msg.noGroupWithName(name))
      return json(200, confluenceGroup(group, ctx))
    },
    method: 'GET',
    path: '/wiki/rest/api/group/by-name',
  },
  {
    // §2: the replacement for by-name. Substring match on the name, case-insensitive.
    handler(ctx) {
      requireScopes(ctx, READ_GROUPS)
      currentUser(ctx)
      const site = requireSite(ctx)
      const query = (ctx.query.get('query') ?? '').toLowerCase()
      const groups = siteGroups(ctx, site).filter((g) => g.name.toLowerCase().includes(query))
      const {limit, start} = startLimit(ctx)
      const body = v1Page(ctx, groups, start, limit, '/rest/api/group/picker', {query: ctx.query.get('query') ?? ''})
      const totalSize = ctx.query.get('shouldReturnTotalSize') === 'true' ? {totalSize: groups.length} : {}
      return json(200, {...body, ...totalSize, results: body.results.map((g) => confluenceGroup(g, ctx))})
    },
    method: 'GET',
    path: '/wiki/rest/api/group/picker',
  },
  {
    // Removed from the published v1 API (§2); served only with behaviour.byNameGroups 'available' (server.ts gate).
    handler(ctx) {
      requireScopes(ctx, READ_MEMBERS)
      currentUser(ctx)
      const site = requireSite(ctx)
      const group = siteGroupByName(ctx, site, ctx.params.groupName)
      if (!group) throw new FakeHttpError(404, msg.noGroupWithName(ctx.params.groupName))
      const {body} = memberPage(ctx, group, `/rest/api/group/${encodeURIComponent(group.name)}/member`)
      return json(200, {...body, results: body.results.map((u) => confluenceUser(u, ctx, []))})
    },
    method: 'GET',
    path: '/wiki/rest/api/group/{groupName}/member',
  },
  {
    // Removed from the published v1 API (§2); served only with behaviour.byNameGroups 'available'.
    handler(ctx) {
      requireScopes(ctx, WRITE_GROUPS)
      requireSiteAdmin(ctx)
      const site = requireSite(ctx)
      const name = ctx.query.get('name') ?? ''
      const group = siteGroupByName(ctx, site, name)
      if (!group) throw new FakeHttpError(404, msg.noGroupWithName(name))
      const {accountId} = (ctx.body ?? {}) as {accountId?: string}
      return json(201, addToGroup(ctx, site, group, accountId ?? ''))
    },
    method: 'POST',
    path: '/wiki/rest/api/group/user',
  },
  {
    // Removed from the published v1 API (§2); served only with behaviour.byNameGroups 'available'.
    handler(ctx) {
      requireScopes(ctx, WRITE_GROUPS)
      requireSiteAdmin(ctx)
      const site = requireSite(ctx)
      const name = ctx.query.get('name') ?? ''
      const group = siteGroupByName(ctx, site, name)
      if (!group) throw new FakeHttpError(404, msg.noGroupWithName(name))
      const accountId = ctx.query.get('accountId') ?? ''
      if (!siteUser(ctx, site, accountId)) throw new FakeHttpError(400, msg.noUserFound(accountId))
      if (group.managedByIdp) throw new FakeHttpError(400, msg.groupManagedByIdp(group.name))
      removeMembership(ctx.state, group.id, accountId)
      return json(204)
    },
    method: 'DELETE',
    path: '/wiki/rest/api/group/user',
  },
  {
    handler(ctx) {
      requireScopes(ctx, WRITE_GROUPS)
      requireSiteAdmin(ctx)
      const site = requireSite(ctx)
      const groupId = ctx.query.get('groupId') ?? ''
      const group = siteGroup(ctx, site, groupId)
      if (!group) throw new FakeHttpError(404, msg.noGroupWithId(groupId))
      const {accountId} = ctx.body as {accountId: string}
      return json(201, addToGroup(ctx, site, group, accountId))
    },
    method: 'POST',
    path: '/wiki/rest/api/group/userByGroupId',
  },
  {
    handler(ctx) {
      requireScopes(ctx, READ_MEMBERS)
      currentUser(ctx)
      const site = requireSite(ctx)
      const group = siteGroup(ctx, site, ctx.params.groupId)
      if (!group) throw new FakeHttpError(404, msg.noGroupWithId(ctx.params.groupId))
      const expand = ctx.query.getAll('expand').flatMap((v) => v.split(','))
      const {body, members} = memberPage(ctx, group, `/rest/api/group/${encodeURIComponent(group.id)}/membersByGroupId`)
      const totalSize = ctx.query.get('shouldReturnTotalSize') === 'true' ? {totalSize: members.length} : {}
      return json(200, {...body, ...totalSize, results: body.results.map((u) => confluenceUser(u, ctx, expand))})
    },
    method: 'GET',
    path: '/wiki/rest/api/group/{groupId}/membersByGroupId',
  },
  {
    handler(ctx) {
      requireScopes(ctx, READ_USER)
      currentUser(ctx)
      const site = requireSite(ctx)
      const accountId = ctx.query.get('accountId') ?? ''
      const user = siteUser(ctx, site, accountId)
      if (!user) throw new FakeHttpError(404, msg.noUserWithAccountId(accountId))
      const expand = ctx.query.getAll('expand').flatMap((v) => v.split(','))
      return json(200, confluenceUser(user, ctx, expand))
    },
    method: 'GET',
    path: '/wiki/rest/api/user',
  },
  {
    handler(ctx) {
      requireScopes(ctx, READ_MEMBER_OF)
      currentUser(ctx)
      const site = requireSite(ctx)
      const accountId = ctx.query.get('accountId') ?? ''
      const user = siteUser(ctx, site, accountId)
      if (!user) throw new FakeHttpError(404, msg.noUserWithAccountId(accountId))
      const groups = [...groupIdsOf(ctx.state, user.accountId)]
        .map((id) => siteGroup(ctx, site, id))
        .filter((g): g is FakeGroup => g !== undefined)
      const {limit, start} = startLimit(ctx)
      const body = v1Page(ctx, groups, start, limit, '/rest/api/user/memberof', {accountId})
      return json(200, {...body, results: body.results.map((g) => confluenceGroup(g, ctx))})
    },
    method: 'GET',
    path: '/wiki/rest/api/user/memberof',
  },
]

/** One v1 page of a group's members (start, limit; the spec's 400 for a limit over 200), and all of them. */
function memberPage(ctx: RouteContext, group: {id: string}, path: string) {
  const limit = intQuery(ctx, 'limit', MAX_LIMIT)
  if (limit > MAX_LIMIT) throw new FakeHttpError(400, msg.limitTooLarge)
  const start = intQuery(ctx, 'start', 0)
  const members = [...membersOf(ctx.state, group.id)]
    .map((a) => findUser(ctx.state, a))
    .filter((u): u is FakeUser => u !== undefined)
  return {body: v1Page(ctx, members, start, limit, path), members}
}
