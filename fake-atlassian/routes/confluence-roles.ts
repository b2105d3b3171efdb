import {currentUser, requireScopes, requireSite} from '../auth.js'
import {FakeHttpError} from '../errors.js'
import {ACCESS_CLASSES, findSpaceById, spaceCloudId, type SpacePrincipal} from '../model.js'
import {json, type Route, type RouteContext} from '../router.js'
import {
  assignmentsOf,
  canAdministerSpace,
  canViewSpace,
  hasAdminKeyFeature,
  hasCustomAccess,
  roleModeOf,
  rolesOfSite,
} from '../space-access.js'
import type {FakeSite, FakeSpace, FakeSpaceRoleAssignment, FakeUser} from '../types.js'
import {confluenceMessages as msg} from './common.js'
import {decodeCursor, encodeCursor} from './paging.js'
import {resolveSubject} from './confluence-spaces.js'

/**
 * Space roles and the admin key (Confluence v2, atlassian-2026.md §1c, §1d): GET /space-role-mode, GET /space-roles,
 * GET|POST /spaces/{id}/role-assignments, GET|POST|DELETE /admin-key. Gateway scopes for these are UNCONFIRMED: the
 * fake asks for the space-permission scopes for role assignments and the configuration scope for the rest.
 */

const DEFAULT_LIMIT = 25
const READ_CONFIG = [['read:configuration:confluence']]
const READ_ROLES = [['read:space.permission:confluence'], ['read:configuration:confluence']]
const WRITE_ROLES = [['read:space.permission:confluence', 'write:space.permission:confluence']]
const ADMIN_KEY_DEFAULT_MINUTES = 10
const ADMIN_KEY_MAX_MINUTES = 60

type WirePrincipal = {principalType: 'ACCESS_CLASS' | 'GROUP' | 'USER'; principalId: string}

/** A v2 cursor page with `_links.next` and the Link header (as GET /spaces). */
function page<T>(ctx: RouteContext, all: T[], path: string, rest: Record<string, unknown>) {
  const cursor = ctx.query.get('cursor')
  const offset = cursor ? decodeCursor(cursor, 'confluence').offset : 0
  const limit = Number(ctx.query.get('limit') ?? DEFAULT_LIMIT)
  const results = all.slice(offset, offset + limit)
  const links: Record<string, string> = {base: `${ctx.apiBase}/wiki`}
  const headers: Record<string, string> = {}
  if (offset + results.length < all.length) {
    const query = new URLSearchParams({
      ...Object.fromEntries(Object.entries(rest).filter(([, v]) => typeof v === 'string') as [string, string][]),
      cursor: encodeCursor({offset: offset + results.length}),
      limit: String(limit),
    })
    links.next = `/wiki/api/v2${path}?${query}`
    headers.Link = `<${links.next}>; rel="next", <${links.base}>; rel="base"`
  }

  return json(200, {_links: links, results}, headers)
}

/** principal-type and principal-id come together (spec); undefined when neither is given. */
function principalFilter(ctx: RouteContext): WirePrincipal | undefined {
  const type = ctx.query.get('principal-type')
  const id = ctx.query.get('principal-id')
  if (!type && !id) return undefined
  if (!type || !id) throw new FakeHttpError(400, 'principal-type and principal-id must be given together')
  return {principalId: id, principalType: type as WirePrincipal['principalType']}
}

function roleTypeFilter(ctx: RouteContext): 'CUSTOM' | 'SYSTEM' | undefined {
  const type = ctx.query.get('role-type')
  if (type === null) return undefined
  if (type !== 'SYSTEM' && type !== 'CUSTOM') throw new FakeHttpError(400, `Invalid role-type: ${type}`)
  return type
}

const WIRE_TYPE = {'access-class': 'ACCESS_CLASS', group: 'GROUP', user: 'USER'} as const

const wire = (a: FakeSpaceRoleAssignment) => ({
  principal: {principalId: a.principal.id, principalType: WIRE_TYPE[a.principal.type]},
  roleId: a.roleId,
})

const samePrincipal = (a: FakeSpaceRoleAssignment, p: WirePrincipal) =>
  a.principal.id === p.principalId && WIRE_TYPE[a.principal.type] === p.principalType

/** A space of the site the caller can view; else 404 (the spec's answer for both). */
function viewableSpace(ctx: RouteContext, user: FakeUser, site: FakeSite, id: string): FakeSpace {
  const space = /^\d+$/.test(id) ? findSpaceById(ctx.state, id) : undefined
  if (!space || spaceCloudId(ctx.state, space) !== site.cloudId || !canViewSpace(ctx, user, space))
    throw new FakeHttpError(404, `No space with id ${id}`)
  return space
}

/** The caller's admin key on the site; 404 where the spec says so (no such feature, not an admin). */
function requireAdminKeyFeature(ctx: RouteContext): {site: FakeSite; user: FakeUser} {
  const user = currentUser(ctx)
  const site = requireSite(ctx)
  // Spec: 404 "if the calling user does not have permission to use admin keys or if the site is not a Confluence
  // Cloud Premium or Enterprise instance". Org admins also may (spec); the fake lets site admins only.
  if (!hasAdminKeyFeature(site) || !user.siteAdmin)
    throw new FakeHttpError(404, 'Admin key is not available for this user or site (Premium and Enterprise only).')
  return {site, user}
}

function keyOf(ctx: RouteContext, user: FakeUser, site: FakeSite) {
  const now = ctx.now()
  return ctx.state.adminKeySessions.find(
    (k) => k.accountId === user.accountId && k.cloudId === site.cloudId && k.expiresAt > now,
  )
}

export const confluenceRoleRoutes: Route[] = [
  {
    handler(ctx) {
      requireScopes(ctx, READ_CONFIG)
      currentUser(ctx)
      const site = requireSite(ctx)
      // A test may make the answer differ from what writes enforce (roleModeAnswer), or the endpoint absent.
      const answer = site.roleModeAnswer ?? roleModeOf(site)
      if (answer === 'missing') throw new FakeHttpError(404, 'Not found')
      return json(200, {mode: answer})
    },
    method: 'GET',
    path: '/wiki/api/v2/space-role-mode',
  },
  {
    handler(ctx) {
      requireScopes(ctx, READ_ROLES)
      const user = currentUser(ctx)
      const site = requireSite(ctx)
      const type = roleTypeFilter(ctx)
      const principal = principalFilter(ctx)
      const spaceId = ctx.query.get('space-id')
      const space = spaceId === null ? undefined : viewableSpace(ctx, user, site, spaceId)
      let roles = rolesOfSite(ctx.state, site.cloudId).filter((r) => !type || r.type === type)
      if (principal) {
        // The roles the principal holds (on that space, if one is named).
        const held = new Set(
          ctx.state.spaceRoleAssignments
            .filter((a) => (!space || a.spaceKey === space.key) && samePrincipal(a, principal))
            .map((a) => a.roleId),
        )
        roles = roles.filter((r) => held.has(r.id))
      }

      const out = roles.map(({description, id, name, spacePermissions, type}) => ({
        description,
        id,
        name,
        spacePermissions,
        type,
      }))
      return page(ctx, out, '/space-roles', Object.fromEntries(new URLSearchParams(ctx.query)))
    },
    method: 'GET',
    path: '/wiki/api/v2/space-roles',
  },
  {
    handler(ctx) {
      requireScopes(ctx, READ_ROLES)
      const user = currentUser(ctx)
      const site = requireSite(ctx)
      const space = viewableSpace(ctx, user, site, ctx.params.id)
      const roleId = ctx.query.get('role-id')
      const type = roleTypeFilter(ctx)
      const principal = principalFilter(ctx)
      const roles = rolesOfSite(ctx.state, site.cloudId)
      const list = assignmentsOf(ctx.state, space.key).filter(
        (a) =>
          (!roleId || a.roleId === roleId) &&
          (!type || roles.find((r) => r.id === a.roleId)?.type === type) &&
          (!principal || samePrincipal(a, principal)),
      )
      return page(
        ctx,
        list.map(wire),
        `/spaces/${space.id}/role-assignments`,
        Object.fromEntries(new URLSearchParams(ctx.query)),
      )
    },
    method: 'GET',
    path: '/wiki/api/v2/spaces/{id}/role-assignments',
  },
  {
    handler(ctx) {
      requireScopes(ctx, WRITE_ROLES)
      const user = currentUser(ctx)
      const site = requireSite(ctx)
      const space = viewableSpace(ctx, user, site, ctx.params.id)
      const {state} = ctx
      // Spec: "Permission to manage roles in the space", else 404; behaviour.roleAssignmentDeniedStatus may say 403.
      if (!canAdministerSpace(ctx, user, space))
        throw new FakeHttpError(state.behaviour.roleAssignmentDeniedStatus, msg.notSpaceAdmin)
      if (roleModeOf(site) === 'PRE_ROLES')
        throw new FakeHttpError(400, 'Space roles are not enabled on this site (space role mode PRE_ROLES).') // UNCONFIRMED
      const entries = ctx.body as {principal: WirePrincipal; roleId?: string}[]
      const roles = rolesOfSite(state, site.cloudId)
      // All or nothing (spec: 200 "if the requested update … succeeds in its entirety"): check every entry first.
      const planned: {principal: SpacePrincipal; roleId?: string}[] = []
      for (const entry of entries) {
        const {principalId, principalType} = entry.principal ?? {}
        if (principalType === 'ACCESS_CLASS') {
          if (!ACCESS_CLASSES.has(principalId)) throw new FakeHttpError(400, `Unknown access class: ${principalId}`)
          throw new FakeHttpError(400, 'The fake does not model access-class role assignments.')
        }

        const principal = resolveSubject(ctx, site, {
          identifier: principalId,
          type: principalType === 'GROUP' ? 'group' : 'user',
        })
        if (principalType === 'USER' && principal.id === 'anonymous')
          throw new FakeHttpError(400, msg.noUserFound(principalId))
        if (entry.roleId !== undefined) {
          if (!roles.some((r) => r.id === entry.roleId))
            throw new FakeHttpError(400, `No space role with id ${entry.roleId}`)
          // §1d: role and custom access never mix; terraform-provider-atlassian refuses to convert between them. The
          // real answer to this request is UNCONFIRMED: the fake refuses with 400.
          if (hasCustomAccess(state, space.key, principal))
            throw new FakeHttpError(
              400,
              `The ${principal.type} ${principalId} has custom access (individual permissions) on this space; a role cannot be assigned to it.`,
            )
        }

        planned.push({principal, roleId: entry.roleId})
      }

      for (const {principal, roleId} of planned) {
        state.spaceRoleAssignments = state.spaceRoleAssignments.filter(
          (a) => !(a.spaceKey === space.key && a.principal.type === principal.type && a.principal.id === principal.id),
        )
        // An entry without roleId removes the principal's role (spec).
        if (roleId) state.spaceRoleAssignments.push({principal, roleId, spaceKey: space.key})
      }

      const touched = assignmentsOf(state, space.key).filter((a) =>
        planned.some((p) => p.principal.type === a.principal.type && p.principal.id === a.principal.id),
      )
      return json(200, {_links: {base: `${ctx.apiBase}/wiki`}, results: touched.map(wire)})
    },
    method: 'POST',
    path: '/wiki/api/v2/spaces/{id}/role-assignments',
  },
  {
    handler(ctx) {
      const {site, user} = requireAdminKeyFeature(ctx)
      const key = keyOf(ctx, user, site)
      // Spec: 404 "if the calling user does not currently have an admin key".
      if (!key) throw new FakeHttpError(404, 'No admin key is enabled for the calling user.')
      return json(200, {accountId: user.accountId, expirationTime: new Date(key.expiresAt).toISOString()})
    },
    method: 'GET',
    path: '/wiki/api/v2/admin-key',
  },
  {
    handler(ctx) {
      const {site, user} = requireAdminKeyFeature(ctx)
      const requested = (ctx.body as {durationInMinutes?: number} | undefined)?.durationInMinutes ?? 0
      // Spec: 0 or no body gives the default 10 minutes; "up to a maximum of 60 minutes"; 400 for an invalid value.
      if (requested < 0 || requested > ADMIN_KEY_MAX_MINUTES)
        throw new FakeHttpError(400, `durationInMinutes must be between 0 and ${ADMIN_KEY_MAX_MINUTES}`)
      const minutes = requested === 0 ? ADMIN_KEY_DEFAULT_MINUTES : requested
      const expiresAt = ctx.now() + minutes * 60_000
      ctx.state.adminKeySessions = ctx.state.adminKeySessions.filter(
        (k) => !(k.accountId === user.accountId && k.cloudId === site.cloudId),
      )
      ctx.state.adminKeySessions.push({accountId: user.accountId, cloudId: site.cloudId, expiresAt})
      return json(200, {accountId: user.accountId, expirationTime: new Date(expiresAt).toISOString()})
    },
    method: 'POST',
    path: '/wiki/api/v2/admin-key',
  },
  {
    handler(ctx) {
      const {site, user} = requireAdminKeyFeature(ctx)
      ctx.state.adminKeySessions = ctx.state.adminKeySessions.filter(
        (k) => !(k.accountId === user.accountId && k.cloudId === site.cloudId),
      )
      return json(204)
    },
    method: 'DELETE',
    path: '/wiki/api/v2/admin-key',
  },
]
