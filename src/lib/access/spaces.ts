import {getSpacePermissions, listSpaces, type Space, type SpacePermission} from '../api/confluence.js'
import {badInput, CfadminError, ExitCode} from '../errors.js'
import {isAtlassianError} from '../http/errors.js'
import {closest} from '../text/suggest.js'
import {excerpt} from '../text/safe-text.js'
import type {AccessContext} from './access-context.js'
import {CONTENT_SPACE_TYPES, isSpaceKey, type SpaceType} from '../domain.js'
import {unknownPrincipal} from './propagation.js'

export interface SpaceSelection {
  keys?: string[]
  all?: boolean
  /** With `all`: the types to take; absent, the spaces teams work in (CONTENT_SPACE_TYPES). Named keys: any type. */
  types?: SpaceType[]
  /** With `all`: archived spaces too (a named key is taken whether archived or not). */
  includeArchived?: boolean
}

/** What an all-spaces selection took and left out, per type, for the summary. */
export interface SpaceChoice {
  chosen: Record<string, number>
  /** Left out because their type was not chosen. */
  typeNotChosen: Record<string, number>
  /** Left out because they are archived (not counted under typeNotChosen). */
  archived: number
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

/**
 * The spaces chosen, and the keys asked for that do not exist (reported per item, not fatal). With `all`, current and
 * archived spaces are listed apart (the spec states no default for `status`) and filtered here by type, since the
 * spec's `type` takes one value a request; `choice` counts what was taken and left out.
 */
export async function selectSpaces(
  selection: SpaceSelection,
  context: AccessContext,
): Promise<{spaces: Space[]; unknownKeys: string[]; choice?: SpaceChoice}> {
  if (selection.all) {
    const current = await listSpaces(context.site, {status: 'current'})
    const archived = await listSpaces(context.site, {status: 'archived'})
    return chooseSpaces([...current, ...archived], selection)
  }

  // A space named by its key is taken whatever its type and status: the user chose it.
  const keys = [...new Set(selection.keys ?? [])]
  const spaces = keys.length === 0 ? [] : await listSpaces(context.site, {keys})
  const found = new Set(spaces.map((s) => s.key))
  return {spaces, unknownKeys: keys.filter((key) => !found.has(key))}
}

/**
 * Every listed space, narrowed to the chosen types (default CONTENT_SPACE_TYPES) and, unless asked, to current ones.
 * A space listed twice (current and archived listings overlapping) counts once. The type is the list call's
 * (atlassian-2026.md §1a: the by-id read has been seen to disagree).
 */
export function chooseSpaces(
  listed: readonly Space[],
  selection: Pick<SpaceSelection, 'includeArchived' | 'types'>,
): {spaces: Space[]; unknownKeys: string[]; choice: SpaceChoice} {
  const types = new Set<string>(selection.types ?? CONTENT_SPACE_TYPES)
  const choice: SpaceChoice = {archived: 0, chosen: {}, typeNotChosen: {}}
  const spaces: Space[] = []
  const seen = new Set<string>()
  for (const space of listed) {
    if (seen.has(space.id)) continue
    seen.add(space.id)
    if (!types.has(space.type)) {
      choice.typeNotChosen[space.type] = (choice.typeNotChosen[space.type] ?? 0) + 1
    } else if (space.status === 'archived' && !selection.includeArchived) {
      choice.archived++
    } else {
      choice.chosen[space.type] = (choice.chosen[space.type] ?? 0) + 1
      spaces.push(space)
    }
  }

  return {choice, spaces, unknownKeys: []}
}

const countOf = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0)
const perType = (counts: Record<string, number>) =>
  Object.entries(counts)
    .map(([type, n]) => `${n} ${type || 'of no type'}`)
    .join(', ')

/**
 * The lines that say what an all-spaces run took: "Spaces: 3 chosen (1 global, 2 collaboration); 4 left out: 3 of a
 * type not chosen (1 personal, 2 system; add --type to take them), 1 archived (--include-archived)", and that "all
 * spaces" is what this login can see. `how` names the switches (flags, or the plan's fields).
 */
export function spaceChoiceSummary(
  choice: SpaceChoice,
  how: {types: string; archived: string} = {archived: '--include-archived', types: '--type'},
): string[] {
  const chosen = countOf(choice.chosen)
  const otherType = countOf(choice.typeNotChosen)
  const left: string[] = []
  if (otherType > 0)
    left.push(`${otherType} of a type not chosen (${perType(choice.typeNotChosen)}; name it with ${how.types})`)
  if (choice.archived > 0) left.push(`${choice.archived} archived (${how.archived} takes them)`)
  const leftOut = otherType + choice.archived
  return [
    `Spaces: ${chosen} chosen${chosen > 0 ? ` (${perType(choice.chosen)})` : ''}${leftOut > 0 ? `; ${leftOut} left out: ${left.join(', ')}` : ''}.`,
    ALL_SPACES_NOTE,
  ]
}

/** What "all spaces" means (atlassian-2026.md §1c). */
export const ALL_SPACES_NOTE =
  '"All spaces" means the spaces this login can see: a space it was never given access to is not listed (on Premium and Enterprise, --admin-key may list it).'

/**
 * A 403 or 404 from a space the login listed means it cannot administer (or read the permissions of) that space:
 * that item's failure, with the fix (atlassian-2026.md §1c). Any other error is returned as it is.
 */
export function notAdminOf(spaceKey: string, error: unknown, withAdminKey = false): unknown {
  if (!isAtlassianError(error) || (error.status !== 403 && error.status !== 404)) return error
  // Not about the space: a refused XSRF check, or a user or group Confluence does not know (yet: see propagation.ts).
  if (/xsrf/i.test(error.atlassianMessage ?? '') || unknownPrincipal(error)) return error
  const fix = withAdminKey
    ? 'give yourself space admin, or use Recover permissions in Confluence administration (the admin key did not open it)'
    : 'give yourself space admin, or use Recover permissions in Confluence administration; on Premium/Enterprise try --admin-key'
  return new CfadminError(`you are not an admin of space ${excerpt(spaceKey)}: ${fix}`, {
    cause: error,
    code: 'SPACE_NOT_ADMIN',
    exit: ExitCode.partial,
    hint: 'Atlassian answered ' + error.status + ' for this space, which the login can list.',
  })
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
