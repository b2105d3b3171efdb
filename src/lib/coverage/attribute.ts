/**
 * Through what a principal can view one space, from the space's holders of View (access/space-permissions.ts
 * readViewers): its own role, its own individual permission, one of its groups, or default access (a group that gives
 * Confluence product access, which new spaces' default access names and every licensed user belongs to, or for a user
 * an access class such as all licensed users).
 */
import {type Subject, type SpaceViewers, viewThroughAccessClass} from '../access/space-permissions.js'

/** The kinds of route, in the order they are preferred when several give View. */
export const COVERAGE_ROUTES = ['role', 'permission', 'group', 'default access'] as const
export type CoverageRoute = (typeof COVERAGE_ROUTES)[number]

export interface Attribution {
  via: CoverageRoute
  /** For people: "role Viewer", "permission", "group crawlers (role Viewer)", "default access: group x (permission)". */
  through: string
  /** The group that carries it (via group or default access). */
  group?: string
}

type Viewer = SpaceViewers['viewers'][number]

/** "role Viewer" before "permission": a role is what a roles site keeps. */
const strongest = (held: readonly Viewer[]): Viewer => held.find((v) => v.through !== 'permission') ?? held[0]

/**
 * The route that gives `subjects[0]` (the principal) View, or undefined when none does. `subjects` is the principal
 * followed by its groups (subjectsOf); `defaultGroupIds` the groups that give Confluence product access. The
 * principal's own role or permission comes first, then a group of its own, then default access: a named group is
 * what keeps a crawler's access when the default changes.
 */
export function attribute(
  subjects: readonly Subject[],
  viewers: readonly Viewer[],
  defaultGroupIds: ReadonlySet<string>,
): Attribution | undefined {
  const holding = (subject: Subject) => viewers.filter((v) => v.type === subject.type && v.id === subject.id)
  const [principal, ...groups] = subjects
  if (principal) {
    const own = holding(principal)
    if (own.length > 0) {
      const {through} = strongest(own)
      return {through, via: through === 'permission' ? 'permission' : 'role'}
    }
  }

  let fallback: Attribution | undefined
  for (const group of groups) {
    const held = holding(group)
    if (held.length === 0) continue
    const name = group.name ?? group.id
    if (!defaultGroupIds.has(group.id)) return {group: name, through: `group ${name} (${strongest(held).through})`, via: 'group'}
    fallback ??= {group: name, through: `default access: group ${name} (${strongest(held).through})`, via: 'default access'}
  }

  const byClass = !fallback && principal?.type === 'user' ? viewThroughAccessClass(viewers) : undefined
  return fallback ?? (byClass ? {through: `default access: ${byClass}`, via: 'default access'} : undefined)
}
