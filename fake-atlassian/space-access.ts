import {findSite, hasSpacePermission, spaceCloudId, type SpacePrincipal} from './model.js'
import type {RouteContext} from './router.js'
import type {
  FakeGroup,
  FakeSite,
  FakeSpace,
  FakeSpaceRole,
  FakeSpaceRoleAssignment,
  FakeSpaceRoleMode,
  FakeState,
  FakeUser,
} from './types.js'

/**
 * Who may see and administer a space in the 2026 model (atlassian-2026.md §1c, §1d), the space roles of a site, and
 * what Confluence knows yet of things the Admin API made (§3). Routes of the Confluence family read these.
 */

/** The header that makes a request use the caller's admin key (§1c). */
export const ADMIN_KEY_HEADER = 'atl-confluence-with-admin-key'

export const roleModeOf = (site: FakeSite | undefined): FakeSpaceRoleMode => site?.roleMode ?? 'ROLES'

/** Premium and Enterprise sites have the admin key (§1c). */
export const hasAdminKeyFeature = (site: FakeSite): boolean =>
  site.edition === 'premium' || site.edition === 'enterprise'

/** The space roles of a site. */
export function rolesOfSite(state: FakeState, cloudId: string): FakeSpaceRole[] {
  const first = state.sites[0]?.cloudId
  return state.spaceRoles.filter((r) => (r.cloudId ?? first) === cloudId)
}

/** The role assignments on a space. */
export const assignmentsOf = (state: FakeState, spaceKey: string): FakeSpaceRoleAssignment[] =>
  state.spaceRoleAssignments.filter((a) => a.spaceKey === spaceKey)

/** The role a principal holds directly on a space (at most one, §1d). */
export function directRole(
  state: FakeState,
  spaceKey: string,
  principal: SpacePrincipal,
): FakeSpaceRoleAssignment | undefined {
  return state.spaceRoleAssignments.find(
    (a) => a.spaceKey === spaceKey && a.principal.type === principal.type && a.principal.id === principal.id,
  )
}

/** Custom access (§1d): the principal holds individual space permissions of its own on the space. */
export function hasCustomAccess(state: FakeState, spaceKey: string, principal: SpacePrincipal): boolean {
  return state.spacePermissions.some(
    (p) => p.spaceKey === spaceKey && p.principal.type === principal.type && p.principal.id === principal.id,
  )
}

/**
 * Whether the request runs with the caller's admin key (§1c): the header says so and a key of the caller's is on for
 * the site (by the fake's clock).
 */
export function usesAdminKey(ctx: RouteContext, user: FakeUser, site: FakeSite): boolean {
  if (String(ctx.req.headers[ADMIN_KEY_HEADER] ?? '').toLowerCase() !== 'true') return false
  const now = ctx.now()
  return ctx.state.adminKeySessions.some(
    (k) => k.accountId === user.accountId && k.cloudId === site.cloudId && k.expiresAt > now,
  )
}

/** Bypass of the space's own permissions: the lenient "site admins see everything" knob, or the admin key. */
function bypass(ctx: RouteContext, user: FakeUser, space: FakeSpace): boolean {
  if (user.siteAdmin && ctx.state.behaviour.siteAdminSeesAllSpaces) return true
  const site = findSite(ctx.state, spaceCloudId(ctx.state, space))
  return Boolean(site && usesAdminKey(ctx, user, site))
}

const asPrincipal = (user: FakeUser): SpacePrincipal => ({id: user.accountId, type: 'user'})

/** View: an individual read permission (own or a group's), any role (a role always includes viewing), or a bypass. */
export const canViewSpace = (ctx: RouteContext, user: FakeUser, space: FakeSpace): boolean =>
  bypass(ctx, user, space) || hasSpacePermission(ctx.state, space.key, asPrincipal(user), 'read')

/** List on GET /spaces: what the caller can view; with the admin key, hidden spaces too unless the knob says no. */
export function listsSpace(ctx: RouteContext, user: FakeUser, space: FakeSpace): boolean {
  if (hasSpacePermission(ctx.state, space.key, asPrincipal(user), 'read')) return true
  if (user.siteAdmin && ctx.state.behaviour.siteAdminSeesAllSpaces) return true
  return ctx.state.behaviour.adminKeyListsHiddenSpaces && bypass(ctx, user, space)
}

/** Administer (v1 permission writes, managing roles): the administer permission or a role holding it, or a bypass. */
export const canAdministerSpace = (ctx: RouteContext, user: FakeUser, space: FakeSpace): boolean =>
  bypass(ctx, user, space) || hasSpacePermission(ctx.state, space.key, asPrincipal(user), 'administer')

/** Whether Confluence knows an account or group yet (§3): Admin API creations become known after a delay. */
export const knownToConfluence = (ctx: RouteContext, entity: FakeGroup | FakeUser | undefined): boolean =>
  Boolean(entity && (entity.confluenceKnownAt === undefined || entity.confluenceKnownAt <= ctx.now()))
