import type {Space, SpacePermission} from '../api/confluence.js'
import type {SpaceRoleAssignment} from '../api/space-roles.js'
import {badInput} from '../errors.js'
import {terminalSafe} from '../text/safe-text.js'
import type {AccessContext} from './access-context.js'
import {didYouMean, groupGuesses, type GroupRoute, groupRoute} from './group-route.js'
import {notAdminOf, type SpaceChoice, selectSpaces, type SpaceSelection, spacePermissionsCache} from './spaces.js'
import {type SpaceRoles, spaceRoles} from './space-roles.js'

export interface SpaceViewers {
  key: string
  name: string
  /**
   * Principals that can view: users, groups and (a role given to) access classes such as "all-licensed-users", with
   * `through` what gives it: "permission" (an individual View permission) or "role <name>" (any space role includes
   * viewing).
   */
  viewers: Array<{type: string; id: string; through: string}>
}

export interface PrincipalAccess {
  principal: string
  /** Spaces it can NOT view: what a crawler would miss. */
  cannotView: Array<{key: string; name: string}>
  canView: number
  /** The spaces it can view and through what: "role Viewer", "permission", or "group <name>" (a group's role or permission). */
  views: Array<{key: string; name: string; through: string}>
}

async function missingGroup(name: string, route: GroupRoute): Promise<never> {
  const guess = (await groupGuesses([name], route)).get(name)
  throw badInput(
    'GROUP_UNKNOWN',
    `No group named ${terminalSafe(name)} on the site${didYouMean(guess)}.`,
    'Check the name: cfadmin groups list --search <part of it>.',
  )
}

/** Holders of View: the individual View permissions, then the role holders (every role includes viewing). */
async function viewersOf(
  permissions: SpacePermission[],
  assignments: SpaceRoleAssignment[],
  roles: SpaceRoles,
): Promise<SpaceViewers['viewers']> {
  return [
    ...permissions
      .filter((p) => p.operation === 'read:space')
      .map((p) => ({id: p.principalId, through: 'permission', type: p.principalType})),
    ...(await Promise.all(
      assignments.map(async (a) => ({
        id: a.principal.id,
        through: `role ${await roles.roleName(a.roleId)}`,
        type: a.principal.type,
      })),
    )),
  ]
}

/**
 * Who can view which space (every space's permissions and, on a site with space roles, role assignments read); with
 * a principal, through what it can view each space and which it cannot. Reads only: the principal is looked up
 * first (a mistyped group ends the command before thousands of reads), then the spaces, as many at once as the
 * context's throttle allows, `onProgress` told after each space.
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
  const subjects = principal ? await subjectsOf(principal, groupRoute(context)) : undefined
  const roles = spaceRoles(context)
  await roles.mode()
  const {choice, spaces, unknownKeys} = await selectSpaces(selection, context)
  const {read: all, unreadable} = await readViewers(spaces, context, onProgress)
  const result = {
    ...(choice ? {choice} : {}),
    spaces: all.map(({space, viewers}) => ({key: space.key, name: space.name, viewers})),
    unknownKeys,
    unreadable,
  }
  if (!principal || !subjects) return result
  const views: PrincipalAccess['views'] = []
  const cannot: PrincipalAccess['cannotView'] = []
  for (const {space, viewers} of all) {
    const through = throughWhich(subjects, viewers)
    if (through) views.push({key: space.key, name: space.name, through})
    else cannot.push({key: space.key, name: space.name})
  }

  return {
    ...result,
    principal: {
      canView: views.length,
      cannotView: cannot,
      principal: principal.type === 'user' ? principal.label : `group ${principal.name}`,
      views,
    },
  }
}

/** A principal and, for a user, each of its groups: what can carry View to it (a user views through its groups too). */
export type Subject = {type: 'user' | 'group'; id: string; name?: string}

/**
 * The subjects whose View counts for the principal: the group itself (looked up by name; an unknown name is exit 2
 * with a guess), or the user followed by its groups.
 */
export async function subjectsOf(
  principal: {type: 'user'; accountId: string} | {type: 'group'; name: string},
  route: GroupRoute,
): Promise<Subject[]> {
  if (principal.type === 'group')
    return [
      {
        id: (await route.find(principal.name))?.id ?? (await missingGroup(principal.name, route)),
        name: principal.name,
        type: 'group',
      },
    ]
  return [
    {id: principal.accountId, type: 'user'},
    ...(await route.groupsOf(principal.accountId)).map((g) => ({id: g.id, name: g.name, type: 'group' as const})),
  ]
}

/**
 * Each space's holders of View (its permissions and, on a site with space roles, its role assignments), as many
 * spaces at once as the context's throttle allows, `onProgress` told after each. A space whose permissions the login
 * may not read (403/404) is left out of `read` and named in `unreadable` with the reason and the fix.
 */
export async function readViewers(
  spaces: readonly Space[],
  context: AccessContext,
  onProgress?: (read: number, total: number) => void,
): Promise<{
  read: Array<{space: Space; viewers: SpaceViewers['viewers']}>
  unreadable: Array<{key: string; reason: string}>
}> {
  const roles = spaceRoles(context)
  const permissionsOf = spacePermissionsCache(context)
  let done = 0
  onProgress?.(0, spaces.length)
  const unreadable: Array<{key: string; reason: string}> = []
  const results = await Promise.all(
    spaces.map(async (space) => {
      const release = await context.throttle.acquire()
      try {
        const reads = await Promise.all([permissionsOf(space), roles.assignments(space)]).catch((error: unknown) => {
          const failure = notAdminOf(space.key, error, Boolean(context.adminKey))
          if (failure === error) throw error
          unreadable.push({key: space.key, reason: (failure as Error).message})
        })
        onProgress?.(++done, spaces.length)
        return reads && {space, viewers: await viewersOf(reads[0], reads[1], roles)}
      } finally {
        release()
      }
    }),
  )
  return {read: results.filter((r) => r !== undefined), unreadable}
}

/**
 * The access classes whose role reaches a Confluence user, broadest last: every account with Confluence access, every
 * logged-in account, anyone. (jsm-project-admins and all-product-admins reach only admins.)
 */
const USER_CLASSES = [
  ['all-licensed-users', 'all licensed users'],
  ['authenticated-users', 'all logged-in users'],
  ['anonymous-users', 'anyone (anonymous access)'],
] as const

/**
 * A user's View through an access class the space's default access names (atlassian-2026.md §1d: "groups and user
 * classes"): "all licensed users (role Viewer)", or undefined when no such class can view. Assumes the user has
 * Confluence access (doctor checks that).
 */
export function viewThroughAccessClass(viewers: Readonly<SpaceViewers['viewers']>): string | undefined {
  for (const [id, label] of USER_CLASSES) {
    const held = viewers.filter((v) => v.type === 'access-class' && v.id === id)
    if (held.length > 0) return `${label} (${(held.find((v) => v.through !== 'permission') ?? held[0]).through})`
  }

  return undefined
}

/**
 * The principal's own route first ("role Viewer", "permission"), else the first of its groups that can view, else (a
 * user) an access class.
 */
function throughWhich(
  subjects: Array<{type: 'user' | 'group'; id: string; name?: string}>,
  viewers: SpaceViewers['viewers'],
): string | undefined {
  for (const [i, subject] of subjects.entries()) {
    const held = viewers.filter((v) => v.type === subject.type && v.id === subject.id)
    if (held.length === 0) continue
    if (i === 0) return (held.find((v) => v.through !== 'permission') ?? held[0]).through
    return `group ${subject.name ?? subject.id}`
  }

  const byClass = subjects[0]?.type === 'user' ? viewThroughAccessClass(viewers) : undefined
  return byClass && `default access: ${byClass}`
}
