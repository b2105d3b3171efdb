import {addSpacePermission, type Space, type SpacePermission} from '../api/confluence.js'
import type {RunReport} from '../engine/operation.js'
import type {AccessContext} from './access-context.js'
import {failedItem, unresolvedUser} from './failed-item.js'
import {didYouMean, groupGuesses, type GroupRoute, groupRoute} from './group-route.js'
import {type AccessOperation, operationId, type ViewKeyPrincipal} from './operation-keys.js'
import type {ResolvedUser} from './resolve-users.js'
import {runAccessOperations, type RunControls} from './run-access.js'
import {
  canView,
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
 * or with the key of the operation that creates it in the same run.
 */
export type ViewTarget =
  {kind: 'user'; user: UserTarget} | {kind: 'group'; name: string; id?: string; createdBy?: string}

/**
 * Grants View (read space) on each chosen space to each principal. Each space's permissions are read
 * once (v2) and only what is missing is added (v1), so a re-run changes nothing; Atlassian's
 * "permission already exists" counts as already. Unknown spaces and groups fail their own items only.
 */
export async function grantView(
  selection: SpaceSelection,
  principals: ViewPrincipal[],
  context: AccessContext,
  controls: RunControls,
): Promise<RunReport & {spaces?: SpaceChoice}> {
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
        operations.push(viewOperation(space, target, context, {groups, permissionsOf}))
      }
    }
  }

  const report = await runAccessOperations(operations, context, controls, {
    principals: principals.map((p) => (p.kind === 'user' ? p.user.value : `group:${p.name}`)),
    selection,
  })
  return choice ? {...report, spaces: choice} : report
}

export interface ViewLookups {
  /** Each space's permissions, read once per run (spacePermissionsCache). */
  permissionsOf(space: Space): Promise<SpacePermission[]>
  /** Finds a group the same run created. */
  groups: GroupRoute
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
  const idNow = async (): Promise<string> => {
    if (knownId) return knownId
    if (target.kind === 'user') return accountIdOf(target.user)
    const group = await lookups.groups.find(target.name)
    if (!group) throw new Error(`group ${target.name} does not exist yet`)
    return group.id
  }

  return {
    async apply() {
      const identifier = await idNow()
      const result = await addSpacePermission(context.site, space.key, {identifier, type: target.kind}).catch(
        (error: unknown) => {
          throw notAdminOf(space.key, error, Boolean(context.adminKey))
        },
      )
      return result === 'already' ? {already: 'Atlassian says it already existed'} : undefined
    },
    async check() {
      if (!knownId) return 'todo'
      const permissions = await lookups.permissionsOf(space).catch((error: unknown) => {
        throw notAdminOf(space.key, error, Boolean(context.adminKey))
      })
      return canView(permissions, {id: knownId, type: target.kind}) ? 'done' : 'todo'
    },
    dependsOn: target.kind === 'user' ? dependenciesOf(target.user) : dependenciesOf(undefined, target.createdBy),
    describe: () => `grant View on ${space.key} to ${label}`,
    ...operationId.view(
      space.key,
      target.kind === 'user'
        ? {id: knownId, kind: 'user', label: target.user.label}
        : {id: knownId, kind: 'group', name: target.name},
    ),
    row,
  }
}
