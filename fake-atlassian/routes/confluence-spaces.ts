import {currentUser, requireScopes, requireSite} from '../auth.js'
import {FakeHttpError} from '../errors.js'
import {
  addSpacePermission,
  findDirectory,
  findGroup,
  findGroupsByName,
  findSpace,
  findSpaceById,
  findUser,
  hasSpacePermission,
  orgDirectories,
  spaceCloudId,
  spacePermissionsOf,
  type SpacePrincipal,
} from '../model.js'
import {json, type Route, type RouteContext} from '../router.js'
import {
  canAdministerSpace,
  canViewSpace,
  directRole,
  hasCustomAccess,
  knownToConfluence,
  listsSpace,
  roleModeOf,
} from '../space-access.js'
import type {FakeSite, FakeSpace, FakeState} from '../types.js'
import {confluenceMessages as msg, listQuery, v1Links} from './common.js'
import {decodeCursor, encodeCursor} from './paging.js'

/**
 * Spaces and space permissions (atlassian-api.md §6): v2 GET /spaces and /spaces/{id}/permissions (cursor pages,
 * `_links.next` and a Link header), v1 POST /space/{key}/permission (one permission per request).
 *
 * Who sees what (space-access.ts, atlassian-2026.md §1c): a user sees the spaces they may read (an individual
 * permission of theirs or of one of their groups, or any space role); a site admin is no exception unless
 * behaviour.siteAdminSeesAllSpaces is set or the request uses an admin key. GET /spaces/{id}/permissions lists the
 * individual permissions (custom access) only: role holders are read at /spaces/{id}/role-assignments, so "who can
 * view" is the union of both (§1d).
 */

const V2_DEFAULT_LIMIT = 25
const READ_SPACE = [['read:space:confluence']]
const WRITE_PERMISSION = [['read:space.permission:confluence', 'write:space.permission:confluence']]

/** Valid operation key/target pairs of a space permission (v1 spec, SpacePermissionRequest; §6a). */
const VALID_OPERATIONS = new Set([
  'read:space',
  'create:page',
  'create:blogpost',
  'create:comment',
  'create:attachment',
  'delete:page',
  'delete:blogpost',
  'delete:comment',
  'delete:attachment',
  'delete:space',
  'export:space',
  'administer:space',
  'archive:page',
  'restrict_content:space',
])

const canView = canViewSpace
const isSpaceAdmin = canAdministerSpace
const onSite = (ctx: RouteContext, site: FakeSite, space: FakeSpace | undefined): space is FakeSpace =>
  Boolean(space && spaceCloudId(ctx.state, space) === site.cloudId)

/** A v2 SpaceBulk. */
function spaceBulk(space: FakeSpace) {
  return {
    _links: {webui: `/spaces/${encodeURIComponent(space.key)}`},
    createdAt: '2024-01-01T00:00:00.000Z',
    homepageId: String(Number(space.id) + 1_000_000),
    id: space.id,
    key: space.key,
    name: space.name,
    status: space.status ?? 'current',
    type: space.type,
  }
}

/** A v2 cursor page: `_links.next` relative to the site (/wiki/api/v2/...) and the same link in a Link header (§8). */
function v2Page<T>(
  ctx: RouteContext,
  all: T[],
  offset: number,
  limit: number,
  path: string,
  rest: Record<string, unknown> = {},
) {
  const results = all.slice(offset, offset + limit)
  const end = offset + results.length
  const links: Record<string, string> = {base: `${ctx.apiBase}/wiki`}
  const headers: Record<string, string> = {}
  if (end < all.length) {
    const next = `/wiki/api/v2${path}?${new URLSearchParams({cursor: encodeCursor({...rest, offset: end}), limit: String(limit)})}`
    links.next = next
    headers.Link = `<${next}>; rel="next", <${links.base}>; rel="base"`
  }

  return {body: {_links: links, results}, headers}
}

/** The filter without empty parts (it travels in the cursor). */
function compact(f: {
  ids: string[]
  keys: string[]
  offset: number
  status: string | null
  type: string | null
}): SpaceFilter {
  const out: SpaceFilter = {offset: f.offset}
  if (f.ids.length > 0) out.ids = f.ids
  if (f.keys.length > 0) out.keys = f.keys
  if (f.status) out.status = f.status
  if (f.type) out.type = f.type
  return out
}

interface SpaceFilter {
  ids?: string[]
  keys?: string[]
  offset: number
  status?: string
  type?: string
}

export {resolveSubject}

export const confluenceSpaceRoutes: Route[] = [
  {
    handler(ctx) {
      requireScopes(ctx, READ_SPACE)
      const user = currentUser(ctx)
      const site = requireSite(ctx)
      const cursor = ctx.query.get('cursor')
      // The cursor carries the filters, so a client that sends only the cursor (or the whole next link) gets the same list.
      const filter: SpaceFilter = cursor
        ? decodeCursor<SpaceFilter>(cursor, 'confluence')
        : compact({
            ids: listQuery(ctx, 'ids'),
            keys: listQuery(ctx, 'keys'),
            offset: 0,
            status: ctx.query.get('status'),
            type: ctx.query.get('type'),
          })
      const limit = Number(ctx.query.get('limit') ?? V2_DEFAULT_LIMIT)
      const {state} = ctx
      const candidates = filter.keys?.length
        ? [...new Set(filter.keys.map((k) => findSpace(state, k)))]
        : filter.ids?.length
          ? [...new Set(filter.ids.map((id) => findSpaceById(state, id)))]
          : state.spaces
      const spaces = candidates.filter(
        (s): s is FakeSpace =>
          onSite(ctx, site, s) &&
          (!filter.type || s.type === filter.type) &&
          (!filter.status || (s.status ?? 'current') === filter.status) &&
          listsSpace(ctx, user, s),
      )
      const {offset: _offset, ...rest} = filter
      const {body, headers} = v2Page(ctx, spaces, filter.offset, limit, '/spaces', rest)
      return json(200, {...body, results: body.results.map(spaceBulk)}, headers)
    },
    method: 'GET',
    path: '/wiki/api/v2/spaces',
  },
  {
    handler(ctx) {
      requireScopes(ctx, READ_SPACE)
      const user = currentUser(ctx)
      const site = requireSite(ctx)
      const space = findSpaceById(ctx.state, ctx.params.id)
      // Spec: 404 if "the calling user does not have permission to view the requested space permission assignments or
      // the space was not found".
      if (!onSite(ctx, site, space) || !canView(ctx, user, space))
        throw new FakeHttpError(404, `No space with id ${ctx.params.id}`)
      const cursor = ctx.query.get('cursor')
      const offset = cursor ? decodeCursor(cursor, 'confluence').offset : 0
      const limit = Number(ctx.query.get('limit') ?? V2_DEFAULT_LIMIT)
      const assignments = spacePermissionsOf(ctx.state, space.key).map((p) => ({
        id: String(p.id),
        operation: {key: p.operation.key, targetType: p.operation.target},
        principal: {id: p.principal.id, type: p.principal.type},
      }))
      const {body, headers} = v2Page(
        ctx,
        assignments,
        offset,
        limit,
        `/spaces/${encodeURIComponent(space.id)}/permissions`,
      )
      return json(200, body, headers)
    },
    method: 'GET',
    path: '/wiki/api/v2/spaces/{id}/permissions',
  },
  {
    // The fake keeps no content but each space's home page (homePageOf), behind the same checks as a real read.
    handler(ctx) {
      requireScopes(ctx, [['read:page:confluence']])
      const user = currentUser(ctx)
      const site = requireSite(ctx)
      const space = findSpaceById(ctx.state, ctx.params.id)
      if (!onSite(ctx, site, space) || !canView(ctx, user, space))
        throw new FakeHttpError(404, `No space with id ${ctx.params.id}`)
      const limit = Number(ctx.query.get('limit') ?? V2_DEFAULT_LIMIT)
      const home = homePageOf(space)
      const page = {id: home.id, spaceId: space.id, status: 'current', title: home.title}
      const {body, headers} = v2Page(ctx, [page], 0, limit, `/spaces/${encodeURIComponent(space.id)}/pages`)
      return json(200, body, headers)
    },
    method: 'GET',
    path: '/wiki/api/v2/spaces/{id}/pages',
  },
  {
    // A page's restrictions by operation (read, update): the fake's home pages have none. Scopes as the v1 document
    // gives them (read:confluence-content.all, or the granular read:content-details:confluence); 404 for a page the
    // caller cannot view, as for one that does not exist.
    handler(ctx) {
      requireScopes(ctx, [['read:confluence-content.all'], ['read:content-details:confluence']])
      const user = currentUser(ctx)
      const site = requireSite(ctx)
      const space = spaceOfHomePage(ctx.state, ctx.params.id)
      if (!onSite(ctx, site, space) || !canView(ctx, user, space))
        throw new FakeHttpError(404, `No content with id ${ctx.params.id}`)
      const base = `${ctx.apiBase}/wiki/rest/api/content/${encodeURIComponent(ctx.params.id)}/restriction/byOperation`
      const none = (operation: 'read' | 'update') => ({
        _expandable: {content: `/rest/api/content/${ctx.params.id}`},
        _links: {...v1Links(ctx), self: `${base}/${operation}`},
        operation,
        restrictions: {
          group: {limit: 200, results: [], size: 0, start: 0},
          user: {limit: 200, results: [], size: 0, start: 0},
        },
      })
      return json(200, {read: none('read'), update: none('update')})
    },
    method: 'GET',
    path: '/wiki/rest/api/content/{id}/restriction/byOperation',
  },
  {
    handler(ctx) {
      const user = currentUser(ctx)
      const {state} = ctx
      if (ctx.principal.kind === 'user' && ctx.principal.via === 'oauth') {
        // §6a: whether a 3LO token works here is UNCONFIRMED; refused by default, with a message naming the fix.
        const rule = state.behaviour.oauthSpacePermissionWrite
        if (rule !== 'allow') throw new FakeHttpError(rule, msg.oauthNotSupported)
        requireScopes(ctx, WRITE_PERMISSION)
      }

      requireScopes(ctx, WRITE_PERMISSION) // a scoped API token's scopes (§4a); other credentials pass here
      const site = requireSite(ctx)
      const key = ctx.params.spaceKey
      const space = findSpace(state, key)
      // Spec: 404 when there is no such space or the caller cannot view it.
      if (!onSite(ctx, site, space) || !canView(ctx, user, space)) throw new FakeHttpError(404, msg.noSpace(key))
      if (!isSpaceAdmin(ctx, user, space)) throw new FakeHttpError(403, msg.notSpaceAdmin)
      const {operation, subject} = ctx.body as {
        subject: {type: 'group' | 'user'; identifier: string}
        operation: {key: string; target: string}
      }
      if (!VALID_OPERATIONS.has(`${operation.key}:${operation.target}`))
        throw new FakeHttpError(400, msg.invalidOperation(operation.key, operation.target))
      const principal = resolveSubject(ctx, site, subject)
      requireClassicPermissions(ctx, site, space, principal)
      const direct = true
      const individualOnly = true
      if (
        operation.key !== 'read' &&
        !hasSpacePermission(state, space.key, principal, 'read', 'space', direct, individualOnly)
      )
        throw new FakeHttpError(400, msg.readSpaceMissing)
      if (hasSpacePermission(state, space.key, principal, operation.key, operation.target, direct, individualOnly))
        throw new FakeHttpError(400, msg.permissionAlreadyExists)
      const permission = addSpacePermission(state, space.key, principal, operation)
      return json(200, {
        _links: {
          ...v1Links(ctx),
          self: `${ctx.apiBase}/wiki/rest/api/space/${encodeURIComponent(space.key)}/permission/${permission.id}`,
        },
        id: permission.id,
        operation: {key: operation.key, target: operation.target},
        // The group is named by its id in the answer, whichever identifier was sent (UNCONFIRMED).
        subject: {identifier: principal.id, type: principal.type},
      })
    },
    method: 'POST',
    path: '/wiki/rest/api/space/{spaceKey}/permission',
  },
]

/**
 * Space roles and individual permissions do not mix (§1d): on a ROLES site every v1 permission write is refused; in
 * ROLES_TRANSITION only a principal that already has custom access on the space may get more individual permissions;
 * a principal holding a role never does. Status 400 measured (confluence.js guide), exact text UNCONFIRMED.
 */
function requireClassicPermissions(ctx: RouteContext, site: FakeSite, space: FakeSpace, principal: SpacePrincipal) {
  const mode = roleModeOf(site)
  if (mode === 'PRE_ROLES' && !directRole(ctx.state, space.key, principal)) return
  if (mode === 'ROLES_TRANSITION' && hasCustomAccess(ctx.state, space.key, principal)) return
  throw new FakeHttpError(400, msg.classicPermissionsOff)
}

/** The permission's subject: a user by accountId (or "anonymous"), a group by id or name (§6a); 400 when unknown. */
function resolveSubject(
  ctx: RouteContext,
  site: FakeSite,
  subject: {type: 'group' | 'user'; identifier: string},
): SpacePrincipal {
  const {state} = ctx
  const inOrg = (directoryId: string) => findDirectory(state, directoryId)?.orgId === site.orgId
  if (subject.type === 'user') {
    if (subject.identifier === 'anonymous') return {id: 'anonymous', type: 'user'}
    const user = findUser(state, subject.identifier)
    if (!user || !inOrg(user.directoryId) || !knownToConfluence(ctx, user))
      throw new FakeHttpError(400, msg.noUserFound(subject.identifier))
    return {id: user.accountId, type: 'user'}
  }

  const byId = findGroup(state, subject.identifier)
  const group =
    byId && inOrg(byId.directoryId)
      ? byId
      : findGroupsByName(state, subject.identifier, new Set(orgDirectories(state, site.orgId).map((d) => d.id)))[0]
  if (!group || !knownToConfluence(ctx, group)) throw new FakeHttpError(400, msg.noGroupFound)
  return {id: group.id, type: 'group'}
}

/** The one page the fake keeps of a space: its home page, whose id is the space's with "0001" after it. */
export function homePageOf(space: FakeSpace): {id: string; title: string} {
  return {id: `${space.id}0001`, title: `${space.name} Home`}
}

/** The space whose home page has this id. */
function spaceOfHomePage(state: FakeState, pageId: string): FakeSpace | undefined {
  const match = /^(\d+)0001$/.exec(pageId)
  return match ? findSpaceById(state, match[1]) : undefined
}
