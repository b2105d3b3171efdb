/** Coverage for people: a table for the terminal, a CSV for a spreadsheet, and the summary and since-last lines. */
import {type Column, plural, renderCsv, renderTable} from '../output.js'
import type {SinceLast, SinceLastSpace} from './compare.js'
import type {Coverage, CoverageRow} from './read.js'

const VIEW_TEXT = {no: 'no', unknown: 'unknown', yes: 'yes'} as const

function columns(rows: readonly CoverageRow[], csv: boolean): Array<Column<CoverageRow>> {
  const all: Array<Column<CoverageRow>> = [
    {get: (r) => r.key, header: csv ? 'space' : 'Space'},
    {get: (r) => r.name, header: csv ? 'name' : 'Name'},
    {get: (r) => r.type, header: csv ? 'type' : 'Type'},
    {get: (r) => (r.archived ? 'yes' : csv ? 'no' : ''), header: csv ? 'archived' : 'Archived'},
    {get: (r) => VIEW_TEXT[r.view], header: csv ? 'can_view' : 'Can view'},
  ]
  if (csv) {
    all.push(
      {get: (r) => r.via, header: 'via'},
      {get: (r) => r.through, header: 'through'},
      {get: (r) => r.reason, header: 'reason'},
    )
  } else {
    all.push({get: (r) => r.through ?? r.reason, header: 'Through'})
  }

  if (rows.some((r) => r.fix !== undefined)) all.push({get: (r) => r.fix, header: csv ? 'fix' : 'Fix'})
  return all
}

/** The spaces as a terminal table. */
export const coverageTable = (coverage: Coverage): string =>
  renderTable(coverage.spaces, columns(coverage.spaces, false))

/** The spaces as a CSV for people (formula-looking cells quoted by the one CSV writer). */
export const coverageCsv = (coverage: Coverage): string => renderCsv(coverage.spaces, columns(coverage.spaces, true))

const perType = (counts: Record<string, number>) =>
  Object.entries(counts)
    .map(([type, n]) => `${n} ${type || 'of no type'}`)
    .join(', ')

/** "group crawlers can view 5 of 7 spaces; cannot view 2: ENG, KB", then what the login could not read or left out. */
export function coverageSummary(coverage: Coverage): string[] {
  const {counts, principal} = coverage
  const who = principal.type === 'group' ? `group ${principal.label}` : principal.label
  const readable = counts.viewable + counts.notViewable
  const missing = coverage.spaces.filter((r) => r.view === 'no').map((r) => r.key)
  const lines = [
    missing.length === 0
      ? `${who} can view all ${plural(readable, 'space')} whose access the login could read.`
      : `${who} can view ${counts.viewable} of ${plural(readable, 'space')}; cannot view ${missing.length}: ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ', …' : ''}.`,
  ]
  if (counts.notAdministered > 0)
    lines.push(
      `${plural(counts.notAdministered, 'space')} the login cannot administer: access unknown (on Premium and Enterprise --admin-key may read them).`,
    )
  const otherType = Object.values(counts.leftOut.byType).reduce((a, b) => a + b, 0)
  if (otherType > 0) lines.push(`Left out, of a type not chosen: ${perType(counts.leftOut.byType)} (name it with --type).`)
  if (counts.leftOut.archived > 0)
    lines.push(`Left out: ${plural(counts.leftOut.archived, 'archived space')} (--include-archived takes them).`)
  return lines
}

const listed = (spaces: readonly SinceLastSpace[]) =>
  spaces
    .slice(0, 20)
    .map((s) => `${s.key}${s.through ? ` (${s.through})` : ''}`)
    .join(', ') + (spaces.length > 20 ? `, and ${spaces.length - 20} more` : '')

/** The since-last lines: nothing to compare with, no change, or each kind of change with its spaces. */
export function sinceLastLines(since: SinceLast | undefined): string[] {
  if (!since) return ['Since last run: nothing to compare with (this is the first run for this principal on this site).']
  const lines: string[] = []
  if (since.note) lines.push(since.note)
  const changes: Array<[string, SinceLastSpace[]]> = [
    ['appeared', since.appeared],
    ['disappeared', since.disappeared],
    ['lost access', since.lostAccess],
    ['gained access', since.gainedAccess],
  ]
  const any = changes.filter(([, spaces]) => spaces.length > 0)
  if (any.length === 0) return [...lines, `Since last run (${since.since}): no space appeared, disappeared or changed access.`]
  lines.push(`Since last run (${since.since}):`)
  for (const [what, spaces] of any) lines.push(`  ${plural(spaces.length, 'space')} ${what}: ${listed(spaces)}`)
  return lines
}
