import {addSpacePermission} from '../api/confluence.js'
import type {Operation, RunReport} from '../engine/operation.js'
import type {AccessContext} from './access-context.js'
import {failedItem, unresolvedUser} from './failed-item.js'
import {groupRoute} from './group-route.js'
import type {ResolvedUser} from './resolve-users.js'
import {runAccessOperations, type RunControls} from './run-access.js'
import {canView, selectSpaces, type SpaceSelection, spacePermissionsCache} from './spaces.js'

/** A principal to grant View to: a resolved user, or a group by name. */
export type ViewPrincipal = {kind: 'user'; user: ResolvedUser} | {kind: 'group'; name: string}

/**
 * Grants View (read space) on each chosen space to each principal. Each space's permissions are read
 * once (v2) and only what is missing is added (v1), so a re-run changes nothing; Atlassian's
 * "permission already exists" counts as already. Unknown spaces and groups fail their own items only.
 */
export async function grantView(selection: SpaceSelection, principals: ViewPrincipal[], context: AccessContext, controls: RunControls): Promise<RunReport> {
  const {spaces, unknownKeys} = await selectSpaces(selection, context)
  const permissionsOf = spacePermissionsCache(context)
  const groups = groupRoute(context)
  const groupIds = new Map(await Promise.all(principals.filter((p) => p.kind === 'group').map(async (p) => [p.name, (await groups.find(p.name))?.id] as const)))
  const operations: Operation[] = []
  for (const principal of principals) {
    const label = principal.kind === 'user' ? principal.user.value : `group ${principal.name}`
    const id = principal.kind === 'user' ? principal.user.accountId : groupIds.get(principal.name)
    const rowFor = (space: string) => ({space, [principal.kind]: principal.kind === 'user' ? principal.user.value : principal.name})
    for (const key of unknownKeys) {
      operations.push(failedItem(`view:${key}:${label}`, `grant View on ${key} to ${label}`, `no space has the key ${key}`, rowFor(key)))
    }

    for (const space of spaces) {
      const opKey = `view:${space.key}:${principal.kind}:${id ?? label}`
      const row = rowFor(space.key)
      if (principal.kind === 'user' && !id) {
        operations.push(unresolvedUser(principal.user, opKey, `grant View on ${space.key}`, row))
        continue
      }

      if (principal.kind === 'group' && !id) {
        operations.push(failedItem(opKey, `grant View on ${space.key} to ${label}`, `no group named ${principal.name} on the site`, row))
        continue
      }

      const subject = {id: id!, type: principal.kind}
      operations.push({
        async apply() {
          const result = await addSpacePermission(context.site, space.key, {identifier: subject.id, type: subject.type})
          return result === 'already' ? {already: 'Atlassian says it already existed'} : undefined
        },
        check: async () => (canView(await permissionsOf(space), subject) ? 'done' : 'todo'),
        describe: () => `grant View on ${space.key} to ${label}`,
        key: opKey,
        row,
      })
    }
  }

  return runAccessOperations(operations, context, controls, {principals: principals.map((p) => (p.kind === 'user' ? p.user.value : `group:${p.name}`)), selection})
}
