import type {SpacePermission} from '../api/confluence.js'
import {badInput} from '../errors.js'
import {terminalSafe} from '../text/safe-text.js'
import type {AccessContext} from './access-context.js'
import {didYouMean, groupGuesses, type GroupRoute, groupRoute} from './group-route.js'
import {
  canView,
  notAdminOf,
  type SpaceChoice,
  selectSpaces,
  type SpaceSelection,
  spacePermissionsCache,
} from './spaces.js'

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

async function missingGroup(name: string, route: GroupRoute): Promise<never> {
  const guess = (await groupGuesses([name], route)).get(name)
  throw badInput(
    'GROUP_UNKNOWN',
    `No group named ${terminalSafe(name)} on the site${didYouMean(guess)}.`,
    'Check the name: cfadmin groups list --search <part of it>.',
  )
}

const viewersOf = (permissions: SpacePermission[]) =>
  permissions.filter((p) => p.operation === 'read:space').map((p) => ({id: p.principalId, type: p.principalType}))

/**
 * Who can view which space (every space and permission page read); with a principal, the spaces it
 * cannot view. Reads only: the principal is looked up first (a mistyped group ends the command before
 * thousands of reads), then the spaces' permissions, as many at once as the context's throttle allows,
 * `onProgress` told after each space.
 */
export async function spacePermissions(
  selection: SpaceSelection,
  context: AccessContext,
  principal?: {type: 'user'; accountId: string; label: string} | {type: 'group'; name: string},
  onProgress?: (read: number, total: number) => void,
): Promise<{
  spaces: SpaceViewers[]
  unknownKeys: string[]
  principal?: PrincipalAccess
  /** Spaces listed whose permissions could not be read (403/404), each with the reason and the fix. */
  unreadable: Array<{key: string; reason: string}>
  /** With all spaces: what was taken and left out. */
  choice?: SpaceChoice
}> {
  // A user can view a space through any of their groups too.
  const route = groupRoute(context)
  let subjects: Array<{type: 'user' | 'group'; id: string}> | undefined
  if (principal?.type === 'group')
    subjects = [
      {id: (await route.find(principal.name))?.id ?? (await missingGroup(principal.name, route)), type: 'group'},
    ]
  else if (principal)
    subjects = [
      {id: principal.accountId, type: 'user'},
      ...(await route.groupsOf(principal.accountId)).map((g) => ({id: g.id, type: 'group' as const})),
    ]
  const {choice, spaces, unknownKeys} = await selectSpaces(selection, context)
  const permissionsOf = spacePermissionsCache(context)
  let read = 0
  onProgress?.(0, spaces.length)
  const unreadable: Array<{key: string; reason: string}> = []
  const results = await Promise.all(
    spaces.map(async (space) => {
      const release = await context.throttle.acquire()
      try {
        const permissions = await permissionsOf(space).catch((error: unknown) => {
          const failure = notAdminOf(space.key, error, Boolean(context.adminKey))
          if (failure === error) throw error
          unreadable.push({key: space.key, reason: (failure as Error).message})
        })
        onProgress?.(++read, spaces.length)
        return permissions && {permissions, space}
      } finally {
        release()
      }
    }),
  )
  const all = results.filter((r) => r !== undefined)
  const result = {
    ...(choice ? {choice} : {}),
    spaces: all.map(({permissions, space}) => ({key: space.key, name: space.name, viewers: viewersOf(permissions)})),
    unknownKeys,
    unreadable,
  }
  if (!principal || !subjects) return result
  const cannot = all
    .filter(({permissions}) => !subjects.some((s) => s.id && canView(permissions, s)))
    .map(({space}) => ({key: space.key, name: space.name}))
  return {
    ...result,
    principal: {
      canView: all.length - cannot.length,
      cannotView: cannot,
      principal: principal.type === 'user' ? principal.label : `group ${principal.name}`,
    },
  }
}
