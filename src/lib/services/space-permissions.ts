import type {SpacePermission} from '../api/confluence.js'
import {badInput} from '../errors.js'
import type {AccessContext} from './access-context.js'
import {groupRoute} from './group-route.js'
import {canView, selectSpaces, type SpaceSelection, spacePermissionsCache} from './spaces.js'

export interface SpaceViewers {
  key: string
  name: string
  /** Principals with View: "user:<accountId>" / "group:<id>". */
  viewers: Array<{type: string; id: string}>
}

export interface PrincipalAccess {
  principal: string
  /** Spaces it can NOT view: what a crawler would miss. */
  cannotView: Array<{key: string; name: string}>
  canView: number
}

function missingGroup(name: string): never {
  throw badInput('GROUP_UNKNOWN', `No group named ${name} on the site.`, 'Check the name: cfadmin groups list --search <part of it>.')
}

const viewersOf = (permissions: SpacePermission[]) => permissions.filter((p) => p.operation === 'read:space').map((p) => ({id: p.principalId, type: p.principalType}))

/**
 * Who can view which space (every space and permission page read); with a principal, the spaces it
 * cannot view. Reads only.
 */
export async function spacePermissions(
  selection: SpaceSelection,
  context: AccessContext,
  principal?: {type: 'user'; accountId: string; label: string} | {type: 'group'; name: string},
): Promise<{spaces: SpaceViewers[]; unknownKeys: string[]; principal?: PrincipalAccess}> {
  const {spaces, unknownKeys} = await selectSpaces(selection, context)
  const permissionsOf = spacePermissionsCache(context)
  const all = await Promise.all(spaces.map(async (space) => ({permissions: await permissionsOf(space), space})))
  const result = {spaces: all.map(({permissions, space}) => ({key: space.key, name: space.name, viewers: viewersOf(permissions)})), unknownKeys}
  if (!principal) return result
  // A user can view a space through any of their groups too.
  const route = groupRoute(context)
  const subjects: Array<{type: 'user' | 'group'; id: string}> =
    principal.type === 'user'
      ? [{id: principal.accountId, type: 'user'}, ...(await route.groupsOf(principal.accountId)).map((g) => ({id: g.id, type: 'group' as const}))]
      : [{id: (await route.find(principal.name))?.id ?? missingGroup(principal.name), type: 'group'}]
  const cannot = all.filter(({permissions}) => !subjects.some((s) => s.id && canView(permissions, s))).map(({space}) => ({key: space.key, name: space.name}))
  return {
    ...result,
    principal: {canView: all.length - cannot.length, cannotView: cannot, principal: principal.type === 'user' ? principal.label : `group ${principal.name}`},
  }
}
