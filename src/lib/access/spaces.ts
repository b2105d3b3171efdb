import {getSpacePermissions, listSpaces, type Space, type SpacePermission} from '../api/confluence.js'
import {badInput} from '../errors.js'
import {closest} from '../text/suggest.js'
import {excerpt} from '../text/safe-text.js'
import type {AccessContext} from './access-context.js'
import {isSpaceKey} from '../domain.js'

export interface SpaceSelection {
  keys?: string[]
  all?: boolean
  type?: 'global' | 'personal'
}

/**
 * Checks the space keys a user typed before any request: a comma is refused (Confluence would read two keys and
 * grant on both), and so is anything that is not a space key. `how` says how to give several keys (exit 2).
 */
export function checkSpaceKeys(keys: readonly string[], how: string): void {
  const listed = keys.find((key) => key.includes(','))
  if (listed !== undefined) {
    throw badInput(
      'SPACE_KEY_LIST',
      `"${excerpt(listed)}" is several space keys in one: a space key has no comma.`,
      `${how}.`,
    )
  }

  const bad = keys.filter((key) => !isSpaceKey(key))
  if (bad.length > 0) {
    throw badInput(
      'SPACE_KEY_INVALID',
      `Not a space key: ${bad
        .slice(0, 10)
        .map((key) => `"${excerpt(key)}"`)
        .join(', ')}.`,
      'A space key is letters and digits (ENG), or ~ and the owner for a personal space; find them with cfadmin spaces permissions --all-spaces.',
    )
  }
}

/** The spaces chosen, and the keys asked for that do not exist (reported per item, not fatal). */
export async function selectSpaces(
  selection: SpaceSelection,
  context: AccessContext,
): Promise<{spaces: Space[]; unknownKeys: string[]}> {
  if (selection.all) return {spaces: await listSpaces(context.site, {type: selection.type}), unknownKeys: []}
  const keys = [...new Set(selection.keys ?? [])]
  const spaces = keys.length === 0 ? [] : await listSpaces(context.site, {keys, type: selection.type})
  const found = new Set(spaces.map((s) => s.key))
  return {spaces, unknownKeys: keys.filter((key) => !found.has(key))}
}

/**
 * "no space has the key ENGG (did you mean ENG?)" for each unknown key, the guess from one listing of the spaces the
 * login can see, made only when some key is unknown. A listing that fails gives no guess, not an error.
 */
export async function unknownSpaceReasons(
  unknownKeys: readonly string[],
  context: AccessContext,
): Promise<Map<string, string>> {
  let known: string[] = []
  if (unknownKeys.length > 0) {
    try {
      known = (await listSpaces(context.site)).map((s) => s.key)
    } catch {
      known = []
    }
  }

  return new Map(unknownKeys.map((key) => [key, unknownSpaceReason(key, known)]))
}

/** "no space has the key X", with the closest known key when there is one. */
export function unknownSpaceReason(key: string, known: readonly string[]): string {
  const guess = closest(key, known)
  return `no space has the key ${excerpt(key)}${guess ? ` (did you mean ${excerpt(guess)}?)` : ''}`
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
