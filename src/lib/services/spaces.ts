import {getSpacePermissions, listSpaces, type Space, type SpacePermission} from '../api/confluence.js'
import type {AccessContext} from './access-context.js'

export interface SpaceSelection {
  keys?: string[]
  all?: boolean
  type?: 'global' | 'personal'
}

/** The spaces chosen, and the keys asked for that do not exist (reported per item, not fatal). */
export async function selectSpaces(selection: SpaceSelection, context: AccessContext): Promise<{spaces: Space[]; unknownKeys: string[]}> {
  if (selection.all) return {spaces: await listSpaces(context.site, {type: selection.type}), unknownKeys: []}
  const keys = [...new Set(selection.keys ?? [])]
  const spaces = keys.length === 0 ? [] : await listSpaces(context.site, {keys, type: selection.type})
  const found = new Set(spaces.map((s) => s.key))
  return {spaces, unknownKeys: keys.filter((key) => !found.has(key))}
}

/** Each space's permissions fetched once per run, however many principals ask. */
export function spacePermissionsCache(context: AccessContext): (space: Space) => Promise<SpacePermission[]> {
  const cache = new Map<string, Promise<SpacePermission[]>>()
  return (space) => {
    let permissions = cache.get(space.id)
    if (!permissions) {
      permissions = getSpacePermissions(context.site, space.id)
      permissions.catch(() => cache.delete(space.id))
      cache.set(space.id, permissions)
    }

    return permissions
  }
}

export const canView = (permissions: SpacePermission[], principal: {type: 'user' | 'group'; id: string}) =>
  permissions.some((p) => p.principalType === principal.type && p.principalId === principal.id && p.operation === 'read:space')
