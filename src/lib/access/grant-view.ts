import {addSpacePermission, type Space, type SpacePermission} from '../api/confluence.js'
import {assignSpaceRoles, isClassicPermissionsOff, type RolePrincipal} from '../api/space-roles.js'
import type {ApplyValue, RunReport} from '../engine/operation.js'
import type {AccessContext} from './access-context.js'
import {failedItem, unresolvedUser} from './failed-item.js'
import {didYouMean, groupGuesses, type GroupRoute, groupRoute} from './group-route.js'
import {type AccessOperation, operationId, type ViewKeyPrincipal} from './operation-keys.js'
import {waitForConfluence} from './propagation.js'
import type {ResolvedUser} from './resolve-users.js'
import {runAccessOperations, type RunControls} from './run-access.js'
import {heldRole, ownView, spaceRoles, viewRoute, type ViewRoute} from './space-roles.js'
import {
  notAdminOf,
  type SpaceChoice,
  selectSpaces,
  type SpaceSelection,
  spacePermissionsCache,
  unknownSpaceReasons,
} from './spaces.js'
import {accountIdOf, dependenciesOf, targetOf, type UserTarget} from './user-target.js'

/** A principal to grant View to: a resolved user, or a group by name. */
export type ViewPrincipal = {kind: 'user'; user: ResolvedUser} | {kind: 'group'; name: string}

/**
 * Who gets View, as the operation needs it: a user (maybe invited in the same run), or a group by name with its ID,
 * or with the key of the operation that creates it in the same run. `made`: the plan creates the group (this run or
 * an earlier run of it), so Confluence may not know it yet.
 */
export type ViewTarget =
  {kind: 'user'; user: UserTarget} | {kind: 'group'; name: string; id?: string; createdBy?: string; made?: boolean}

/**
 * Grants View (read space) on each chosen space to each principal, through the route the site's space role mode
 * gives (space-roles.ts): an individual permission (v1) or a role (v2, Viewer unless `options.role`). Each space's
 * permissions and role assignments are read once and only what is missing is added, so a re-run changes nothing; a
 * principal holding any role, or Atlassian's "permission already exists", counts as already. Unknown spaces and
 * groups fail their own items only; a role the site does not have ends the command (exit 2) before any change.
 */
export async function grantView(
  selection: SpaceSelection,
  principals: ViewPrincipal[],
  context: AccessContext,
  controls: RunControls,
  options: {role?: string} = {},
): Promise<RunReport & {spaces?: SpaceChoice}> {
  const roles = spaceRoles(context)
  if ((await roles.mode()) !== 'PRE_ROLES') await roles.role(options.role)
  const {choice, spaces, unknownKeys} = await selectSpaces(selection, context)
  const permissionsOf = spacePermissionsCache(context)
  const groups = groupRoute(context)
  const groupIds = new Map(
    await Promise.all(
      principals.filter((p) => p.kind === 'group').map(async (p) => [p.name, (await groups.find(p.name))?.id] as const),
    ),
  )
  // Only when something is unknown: one listing of the spaces or groups, for "did you mean".
  const spaceReasons = await unknownSpaceReasons(unknownKeys, context)
  const groupHints = await groupGuesses(
    [...groupIds].filter(([, id]) => id === undefined).map(([name]) => name),
    groups,
  )
  const operations: AccessOperation[] = []
  for (const principal of principals) {
    const label = principal.kind === 'user' ? principal.user.value : `group ${principal.name}`
    const id = principal.kind === 'user' ? principal.user.accountId : groupIds.get(principal.name)
    const named: ViewKeyPrincipal =
      principal.kind === 'user'
        ? {id, kind: 'user', label: principal.user.value}
        : {id, kind: 'group', name: principal.name}
    const rowFor = (space: string) => ({
      space,
      [principal.kind]: principal.kind === 'user' ? principal.user.value : principal.name,
    })
    for (const key of unknownKeys) {
      operations.push(
        failedItem(
          operationId.view(key, named, {unknownSpace: true}),
          `grant View on ${key} to ${label}`,
          spaceReasons.get(key)!,
          rowFor(key),
        ),
      )
    }

    for (const space of spaces) {
      const opId = operationId.view(space.key, named)
      if (principal.kind === 'user' && !id) {
        operations.push(unresolvedUser(principal.user, opId, `grant View on ${space.key}`, rowFor(space.key)))
      } else if (principal.kind === 'group' && !id) {
        operations.push(
          failedItem(
            opId,
            `grant View on ${space.key} to ${label}`,
            `no group named ${principal.name} on the site${didYouMean(groupHints.get(principal.name))}`,
            rowFor(space.key),
          ),
        )
      } else {
        const target: ViewTarget =
          principal.kind === 'user'
            ? {kind: 'user', user: targetOf(principal.user)}
            : {id, kind: 'group', name: principal.name}
        operations.push(viewOperation(space, target, context, {groups, permissionsOf, role: options.role}))
      }
    }
  }

  const report = await runAccessOperations(operations, context, controls, {
    principals: principals.map((p) => (p.kind === 'user' ? p.user.value : `group:${p.name}`)),
    selection,
    // The journal's run id: unchanged for runs without --role, as earlier versions named them.
    ...(options.role === undefined ? {} : {role: options.role}),
  })
  return choice ? {...report, spaces: choice} : report
}

export interface ViewLookups {
  /** Each space's permissions, read once per run (spacePermissionsCache). */
  permissionsOf(space: Space): Promise<SpacePermission[]>
  /** Finds a group the same run created. */
  groups: GroupRoute
  /** The space role to give where View goes through a role (default Viewer). */
  role?: string
}

/**
 * View on one space for one principal (key `view:<space>:<user|group>:<id or label>`). A principal the same run
 * creates (an invited user, a new group) has no permission yet: checked as todo, granted after it exists.
 */
export function viewOperation(
  space: Space,
  target: ViewTarget,
  context: AccessContext,
  lookups: ViewLookups,
): AccessOperation {
  const label = target.kind === 'user' ? target.user.label : `group ${target.name}`
  const knownId = target.kind === 'user' ? target.user.accountId : target.id
  const row = {space: space.key, [target.kind]: target.kind === 'user' ? target.user.label : target.name}
  // An invited user or a group the plan creates may be unknown to Confluence for a while: the grant waits for it.
  const recent = target.kind === 'user' ? target.user.invitation !== undefined : target.made || target.createdBy
  const idNow = async (): Promise<string> => {
    if (knownId) return knownId
    if (target.kind === 'user') return accountIdOf(target.user)
    const group = await lookups.groups.find(target.name)
    if (!group) throw new Error(`group ${target.name} does not exist yet`)
    return group.id
  }

  const roles = spaceRoles(context)
  // A group this run created holds nothing on any space: no permission or role assignment to read first.
  const madeNow = () => target.kind === 'group' && lookups.groups.createdNow(target.name)
  // The route under the mode; a principal the run creates has no custom access (ROLES_TRANSITION: a role).
  const routeOf = async (principal?: RolePrincipal): Promise<ViewRoute> => {
    const mode = await roles.mode()
    const permissions = mode === 'ROLES_TRANSITION' && principal && !madeNow() ? await lookups.permissionsOf(space) : []
    return viewRoute(mode, permissions, principal ?? {id: '', type: target.kind})
  }

  // Never replaces a role: a principal holding any role can view already (every role includes viewing).
  const giveRole = async (principal: RolePrincipal): Promise<ApplyValue> => {
    const held = madeNow() ? undefined : heldRole(await roles.assignments(space), principal)
    if (held) return {already: `role ${await roles.roleName(held.roleId)}`}
    const role = await roles.role(lookups.role)
    // The assignments stay as read: sending the same role again (a retry after a lost answer) changes nothing.
    await assignSpaceRoles(context.site, space.id, [{principal, roleId: role.id}])
    return `role ${role.name}`
  }

  // A 403 or 404 on a space the login listed: it cannot administer that space (the item fails with the fix).
  const notAdmin = (error: unknown) => notAdminOf(space.key, error, Boolean(context.adminKey))

  return {
    async apply() {
      try {
        const principal: RolePrincipal = {id: await idNow(), type: target.kind}
        if ((await routeOf(principal)) === 'role') return await giveRole(principal)
        try {
          const result = await addSpacePermission(context.site, space.key, {
            identifier: principal.id,
            type: target.kind,
          })
          return result === 'already' ? {already: 'Atlassian says it already existed'} : 'permission'
        } catch (error) {
          // The site uses roles although its mode said otherwise: roles from now on, this item first.
          if (!isClassicPermissionsOff(error)) throw error
          roles.switchToRoles()
          return await giveRole(principal)
        }
      } catch (error) {
        throw notAdmin(error)
      }
    },
    async check() {
      const principal: RolePrincipal | undefined = knownId ? {id: knownId, type: target.kind} : undefined
      try {
        if (principal) {
          // One read after the other (each once per space and run), so a check holds one request slot, not two;
          // ownView finds the assignments remembered.
          const permissions = await lookups.permissionsOf(space)
          await roles.assignments(space)
          const how = await ownView(space, principal, permissions, roles)
          if (how) return {done: how}
        }

        return {
          todo: (await routeOf(principal)) === 'role' ? `role ${(await roles.role(lookups.role)).name}` : 'permission',
        }
      } catch (error) {
        throw notAdmin(error)
      }
    },
    dependsOn: target.kind === 'user' ? dependenciesOf(target.user) : dependenciesOf(undefined, target.createdBy),
    describe: () => `grant View on ${space.key} to ${label}`,
    ...(recent ? {waitsFor: waitForConfluence(label)} : {}),
    ...operationId.view(
      space.key,
      target.kind === 'user'
        ? {id: knownId, kind: 'user', label: target.user.label}
        : {id: knownId, kind: 'group', name: target.name},
    ),
    row,
  }
}
