/**
 * What changed since the last run: spaces that appeared, disappeared, lost or gained the principal's access. Only
 * spaces both runs chose are compared: a space of a type one run left out did not disappear.
 */
import type {Coverage, CoverageRow, CoverageSelection} from './read.js'
import type {SavedCoverage} from './saved.js'

type Listed = Pick<CoverageRow, 'archived' | 'id' | 'key' | 'name' | 'through' | 'type' | 'view'>

export interface SinceLastSpace {
  key: string
  name: string
  type: string
  archived: boolean
  /** How it could be viewed before (lost access, disappeared) or now (appeared, gained access). */
  through?: string
}

export interface SinceLast {
  /** When the run compared with was read. */
  since: string
  appeared: SinceLastSpace[]
  disappeared: SinceLastSpace[]
  lostAccess: SinceLastSpace[]
  gainedAccess: SinceLastSpace[]
  /** Said when the two runs chose different types or archived spaces: what was left out of the comparison. */
  note?: string
}

const chosenBy = (selection: CoverageSelection) => (space: Listed) =>
  selection.types.includes(space.type) && (selection.includeArchived || !space.archived)

const entry = (space: Listed): SinceLastSpace => ({
  archived: space.archived,
  key: space.key,
  name: space.name,
  type: space.type,
  ...(space.through === undefined ? {} : {through: space.through}),
})

/** Compares by space ID (a key can change with a rename); a space whose access was not readable either time is not counted. */
export function compareCoverage(last: SavedCoverage, now: Pick<Coverage, 'selection' | 'spaces'>): SinceLast {
  const inBoth = (space: Listed) => chosenBy(last.selection)(space) && chosenBy(now.selection)(space)
  const before = new Map(last.spaces.filter(inBoth).map((s) => [s.id, s]))
  const after = new Map(now.spaces.filter(inBoth).map((s) => [s.id, s]))
  const result: SinceLast = {appeared: [], disappeared: [], gainedAccess: [], lostAccess: [], since: last.at}
  for (const [id, space] of after) {
    const old = before.get(id)
    if (!old) result.appeared.push(entry(space))
    else if (old.view === 'yes' && space.view === 'no') result.lostAccess.push(entry(old))
    else if (old.view === 'no' && space.view === 'yes') result.gainedAccess.push(entry(space))
  }

  for (const [id, space] of before) if (!after.has(id)) result.disappeared.push(entry(space))
  const notes: string[] = []
  // The admin key may list spaces the login cannot see without it: a space only one run could list did not come or go.
  if (Boolean(last.selection.adminKey) !== Boolean(now.selection.adminKey)) {
    const [gone, which] = last.selection.adminKey ? (['disappeared', 'the last'] as const) : (['appeared', 'this'] as const)
    if (result[gone].length > 0)
      notes.push(
        `Only ${which} run used --admin-key, which lists spaces the login cannot see otherwise: ${result[gone].length} space(s) that ${gone} are not counted.`,
      )
    result[gone] = []
  }

  const sameChoice =
    last.selection.includeArchived === now.selection.includeArchived &&
    [...last.selection.types].sort().join() === [...now.selection.types].sort().join()
  if (!sameChoice)
    notes.push(
      `The last run chose ${describe(last.selection)}, this one ${describe(now.selection)}: only spaces both chose are compared.`,
    )
  return notes.length > 0 ? {...result, note: notes.join(' ')} : result
}

const describe = (selection: CoverageSelection) =>
  `${selection.types.join(', ')}${selection.includeArchived ? ' (archived too)' : ''}`
