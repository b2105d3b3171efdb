/**
 * How a principal gets and holds View on a space, as the site's space role mode says (atlassian-2026.md §1d):
 * PRE_ROLES through an individual permission, ROLES through a role (Viewer unless told another), ROLES_TRANSITION
 * through an individual permission for a principal that has custom access, else a role. One per access context: the
 * mode is read once a run, each space's role assignments once, the roles once.
 */
import type {Space, SpacePermission} from '../api/confluence.js'
import {
  getSpaceRoleAssignments,
  getSpaceRoleMode,
  listSpaceRoles,
  type RolePrincipal,
  type SpaceRole,
  type SpaceRoleAssignment,
  type SpaceRoleMode,
} from '../api/space-roles.js'
import {badInput} from '../errors.js'
import {excerpt} from '../text/safe-text.js'
import {closest} from '../text/suggest.js'
import type {AccessContext} from './access-context.js'
import {memo} from './memo.js'

/** The role a View grant gives when none is named. */
export const DEFAULT_VIEW_ROLE = 'Viewer'

/** Through which route a principal gets View. */
export type ViewRoute = 'permission' | 'role'

export interface SpaceRoles {
  /** The site's mode: read once (a 404, a site without the endpoint, counts as PRE_ROLES); ROLES once switched. */
  mode(): Promise<SpaceRoleMode>
  /**
   * The site refused an individual permission because it uses roles: from now on this run gives roles. Says so
   * once (on stderr); true the first time.
   */
  switchToRoles(): boolean
  /** The role named (any case): system roles first, then custom ones; exit 2 when the site has none of that name. */
  role(name?: string): Promise<SpaceRole>
  /** A role's name by its ID ("role <id>" when the site does not list it). */
  roleName(id: string): Promise<string>
  /** The space's role assignments, read once (none on a PRE_ROLES site: roles do not apply there). */
  assignments(space: Space): Promise<SpaceRoleAssignment[]>
}

const contexts = new WeakMap<AccessContext, SpaceRoles>()

/** The run's space roles, one per access context. */
export function spaceRoles(context: AccessContext, say = (line: string) => process.stderr.write(`${line}\n`)) {
  let roles = contexts.get(context)
  if (!roles) {
    roles = createSpaceRoles(context, say)
    contexts.set(context, roles)
  }

  return roles
}

function createSpaceRoles(context: AccessContext, say: (line: string) => void): SpaceRoles {
  let switched = false
  let modeRead: Promise<SpaceRoleMode> | undefined
  let all: Promise<SpaceRole[]> | undefined
  const readMode = () => {
    modeRead ??= getSpaceRoleMode(context.site).then((mode) => mode ?? 'PRE_ROLES')
    modeRead.catch(() => {
      modeRead = undefined
    })
    return modeRead
  }

  const listRoles = () => {
    all ??= listSpaceRoles(context.site)
    all.catch(() => {
      all = undefined
    })
    return all
  }

  const mode = async (): Promise<SpaceRoleMode> => (switched ? 'ROLES' : readMode())
  const readAssignments = () =>
    memo(async (spaceId: string) =>
      (await mode()) === 'PRE_ROLES' ? [] : getSpaceRoleAssignments(context.site, spaceId),
    )
  let assignments = readAssignments()
  return {
    assignments: (space) => assignments.get(space.id),
    mode,
    async role(name = DEFAULT_VIEW_ROLE) {
      const roles = await listRoles()
      const same = (r: SpaceRole) => r.name.toLowerCase() === name.toLowerCase()
      const found = roles.find((r) => r.type === 'SYSTEM' && same(r)) ?? roles.find((r) => same(r))
      if (found) return found
      const guess = closest(
        name,
        roles.map((r) => r.name),
      )
      throw badInput(
        'ROLE_UNKNOWN',
        `No space role named ${excerpt(name)} on the site${guess ? ` (did you mean ${excerpt(guess)}?)` : ''}.`,
        `Give one of the site's space roles with --role: ${roles.map((r) => r.name).join(', ') || 'none listed'}.`,
      )
    },
    async roleName(id) {
      return (await listRoles()).find((r) => r.id === id)?.name ?? `role ${id}`
    },
    switchToRoles() {
      if (switched) return false
      switched = true
      // The assignments read while the site looked classic are empty: read them again.
      assignments = readAssignments()
      say(
        'Warning: Confluence refused an individual space permission because this site uses space roles: giving roles instead for the rest of this run.',
      )
      return true
    },
  }
}

const sameAs = (principal: RolePrincipal) => (p: {principalType: string; principalId: string}) =>
  p.principalType === principal.type && p.principalId === principal.id

/** The principal's own individual permissions on the space ("custom access" once roles came). */
export const hasCustomAccess = (permissions: SpacePermission[], principal: RolePrincipal): boolean =>
  permissions.some(sameAs(principal))

/** The principal holds its own View permission on the space. */
export const hasViewPermission = (permissions: SpacePermission[], principal: RolePrincipal): boolean =>
  permissions.some((p) => sameAs(principal)(p) && p.operation === 'read:space')

/** The role the principal holds itself on the space (at most one, §1d). */
export const heldRole = (assignments: SpaceRoleAssignment[], principal: RolePrincipal) =>
  assignments.find((a) => a.principal.type === principal.type && a.principal.id === principal.id)

/**
 * How the principal itself can view the space: "role <name>" (every role includes viewing), "permission", or
 * undefined when it cannot on its own.
 */
export async function ownView(
  space: Space,
  principal: RolePrincipal,
  permissions: SpacePermission[],
  roles: SpaceRoles,
): Promise<string | undefined> {
  const held = heldRole(await roles.assignments(space), principal)
  if (held) return `role ${await roles.roleName(held.roleId)}`
  return hasViewPermission(permissions, principal) ? 'permission' : undefined
}

/** The route a grant to this principal takes under the mode (custom access decides in ROLES_TRANSITION). */
export function viewRoute(mode: SpaceRoleMode, permissions: SpacePermission[], principal: RolePrincipal): ViewRoute {
  if (mode === 'PRE_ROLES') return 'permission'
  if (mode === 'ROLES') return 'role'
  return hasCustomAccess(permissions, principal) ? 'permission' : 'role'
}
