/**
 * Reads a principal's coverage: every space the login can see (of the chosen types), whether the principal can view
 * it and through what, and what the login could not read. Reads only, through the same readers as `spaces
 * permissions` (access/space-permissions.ts).
 */
import type {AccessContext} from '../access/access-context.js'
import {groupRoute} from '../access/group-route.js'
import {readViewers, subjectsOf} from '../access/space-permissions.js'
import {spaceRoles} from '../access/space-roles.js'
import {ALL_SPACES_NOTE, selectSpaces} from '../access/spaces.js'
import {CONTENT_SPACE_TYPES, type SpaceType} from '../domain.js'
import {attribute, type CoverageRoute} from './attribute.js'

/** Who the coverage is of: a user by account ID (label: what was typed) or a group by name (its ID as found). */
export interface CoveragePrincipal {
  type: 'user' | 'group'
  id: string
  label: string
}

export type CoverageView = 'yes' | 'no' | 'unknown'

export interface CoverageRow {
  id: string
  key: string
  name: string
  type: string
  archived: boolean
  /** unknown: the login may not read the space's permissions (see `reason`). */
  view: CoverageView
  via?: CoverageRoute
  through?: string
  reason?: string
  /** What --fix did or would do for this space ("given now: role Viewer", "to give: permission", a failure). */
  fix?: string
}

export interface CoverageCounts {
  spaces: number
  viewable: number
  notViewable: number
  /** Spaces whose permissions the login may not read: it cannot administer them. */
  notAdministered: number
  /** Per space type: how many the principal can and cannot view (unknown ones apart). */
  byType: Record<string, {viewable: number; notViewable: number; unknown: number}>
  /** Listed but not taken: of another type, or archived. */
  leftOut: {byType: Record<string, number>; archived: number}
}

export interface CoverageSelection {
  types: string[]
  includeArchived: boolean
  /** The run used the admin key, which may list spaces the login cannot see otherwise. */
  adminKey?: boolean
}

export interface Coverage {
  site: string
  cloudId: string
  principal: CoveragePrincipal
  /** When it was read (ISO 8601). */
  at: string
  selection: CoverageSelection
  spaces: CoverageRow[]
  counts: CoverageCounts
  notes: string[]
}

/** Counts of a set of rows (again after --fix changed some). */
export function coverageCounts(rows: readonly CoverageRow[], leftOut: CoverageCounts['leftOut']): CoverageCounts {
  const byType: CoverageCounts['byType'] = {}
  for (const row of rows) {
    const counts = (byType[row.type] ??= {notViewable: 0, unknown: 0, viewable: 0})
    if (row.view === 'yes') counts.viewable++
    else if (row.view === 'no') counts.notViewable++
    else counts.unknown++
  }

  return {
    byType,
    leftOut,
    notAdministered: rows.filter((r) => r.view === 'unknown').length,
    notViewable: rows.filter((r) => r.view === 'no').length,
    spaces: rows.length,
    viewable: rows.filter((r) => r.view === 'yes').length,
  }
}

/**
 * The coverage of `principal` (a user by account ID, or a group by name: an unknown group is exit 2 before any space
 * is read), over every space the login lists of `types` (default global, collaboration, knowledge_base), archived
 * ones only with `includeArchived`. The groups that give Confluence product access are read once, to tell default
 * access apart; a site that does not say them leaves that route out (said in `notes`).
 */
export async function readCoverage(
  principal: {type: 'user'; accountId: string; label: string} | {type: 'group'; name: string},
  selection: {types?: SpaceType[]; includeArchived?: boolean},
  context: AccessContext,
  onProgress?: (read: number, total: number) => void,
): Promise<Coverage> {
  const route = groupRoute(context)
  const subjects = await subjectsOf(principal, route)
  const notes: string[] = []
  let defaultGroupIds = new Set<string>()
  try {
    defaultGroupIds = new Set((await route.giving('user')).map((g) => g.id))
  } catch {
    notes.push('The site did not say which groups give Confluence access: access through them shows as a group.')
  }

  await spaceRoles(context).mode()
  const types = selection.types ?? [...CONTENT_SPACE_TYPES]
  const includeArchived = Boolean(selection.includeArchived)
  const {choice, spaces} = await selectSpaces({all: true, includeArchived, types}, context)
  const {read, unreadable} = await readViewers(spaces, context, onProgress)
  const viewersOf = new Map(read.map(({space, viewers}) => [space.id, viewers]))
  const reasons = new Map(unreadable.map(({key, reason}) => [key, reason]))
  const rows = spaces.map((space): CoverageRow => {
    const base = {archived: space.status === 'archived', id: space.id, key: space.key, name: space.name, type: space.type}
    const viewers = viewersOf.get(space.id)
    if (!viewers) return {...base, reason: reasons.get(space.key), view: 'unknown'}
    const found = attribute(subjects, viewers, defaultGroupIds)
    return found ? {...base, through: found.through, via: found.via, view: 'yes'} : {...base, view: 'no'}
  })
  rows.sort((a, b) => a.key.localeCompare(b.key))
  notes.push(ALL_SPACES_NOTE)
  return {
    at: new Date().toISOString(),
    cloudId: context.cloudId,
    counts: coverageCounts(rows, {archived: choice?.archived ?? 0, byType: {...choice?.typeNotChosen}}),
    notes,
    principal:
      principal.type === 'user'
        ? {id: principal.accountId, label: principal.label, type: 'user'}
        : {id: subjects[0].id, label: principal.name, type: 'group'},
    selection: {includeArchived, types, ...(context.adminKey ? {adminKey: true} : {})},
    site: context.session.site?.url ?? '',
    spaces: rows,
  }
}
