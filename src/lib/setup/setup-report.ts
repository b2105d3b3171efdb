/** The setup report, grouped by section (users, roles, groups, memberships, spaces, map), and the drift --verify lists. */
import type {OperationKind} from '../access/operation-keys.js'
import type {ItemResult, RunReport} from '../engine/operation.js'
import {type Plan, planReport} from '../engine/plan.js'
import {reportSummary} from '../engine/report.js'
import {type Column, renderTable} from '../output.js'

/** The report's sections in order, each the items of one operation kind. */
export const SECTIONS = [
  {kind: 'invite', title: 'Users'},
  {kind: 'access', title: 'Roles'},
  {kind: 'group', title: 'Groups'},
  {kind: 'member', title: 'Memberships'},
  {kind: 'view', title: 'Spaces'},
  {kind: 'map', title: 'Map'},
] as const satisfies ReadonlyArray<{kind: OperationKind; title: string}>

export type SectionTitle = (typeof SECTIONS)[number]['title']

/** The section of an item, by its kind. */
export const sectionOf = (item: Pick<ItemResult, 'kind'>): SectionTitle =>
  SECTIONS.find((s) => s.kind === item.kind)?.title ?? 'Users'

/** An item of the setup report: the section stands for the kind, which --json does not print. */
export interface SetupItem extends Omit<ItemResult, 'kind'> {
  section: SectionTitle
}

export interface SetupResult extends Omit<RunReport, 'items'> {
  plan: string
  mode: 'apply' | 'dry-run' | 'verify'
  items: SetupItem[]
  /** --verify: the items that are not as the plan says (or could not be checked). */
  drift?: SetupItem[]
}

/** What a verify counts as drift: would change, or could not be checked. */
const isDrift = (item: ItemResult) =>
  item.outcome === 'planned' || item.outcome === 'failed' || item.outcome === 'blocked'

export function setupResult(report: RunReport, plan: string, mode: SetupResult['mode']): SetupResult {
  const items = report.items.map(({kind, ...item}) => ({...item, section: sectionOf({kind})}))
  return {...report, items, mode, plan, ...(mode === 'verify' ? {drift: items.filter(isDrift)} : {})}
}

/** The plan shown before the question: as a dry run would report it. */
export function shownPlan(plan: Plan, label: string): SetupResult {
  return setupResult(planReport(plan), label, 'dry-run')
}

const OUTCOME_WORDS: Record<string, string> = {planned: 'to do'}

const COLUMNS: Column<SetupItem>[] = [
  {get: (item) => OUTCOME_WORDS[item.outcome] ?? item.outcome, header: 'Outcome'},
  {get: (item) => item.description, header: 'Item'},
  {get: (item) => item.reason ?? item.detail, header: 'Detail'},
]

/** One table per section that has items, under a heading with its counts. */
export function setupTables(items: readonly SetupItem[]): string {
  const parts: string[] = []
  for (const {title} of SECTIONS) {
    const rows = items.filter((item) => item.section === title)
    if (rows.length === 0) continue
    const counts = new Map<string, number>()
    for (const row of rows)
      counts.set(
        OUTCOME_WORDS[row.outcome] ?? row.outcome,
        (counts.get(OUTCOME_WORDS[row.outcome] ?? row.outcome) ?? 0) + 1,
      )
    const tally = [...counts].map(([outcome, n]) => `${n} ${outcome}`).join(', ')
    parts.push(`${title} (${tally})\n${renderTable(rows, COLUMNS)}`)
  }

  return parts.join('\n\n')
}

/** The summary line: the engine's, or for --verify whether the site matches the plan. */
export function setupSummary(result: SetupResult): string {
  if (result.mode !== 'verify') return reportSummary({...result, items: result.items})
  const drift = result.drift ?? []
  return drift.length === 0
    ? `The site matches ${result.plan}: ${result.items.length} items checked, no drift.`
    : `Drift: ${drift.length} of ${result.items.length} items are not as ${result.plan} says.`
}
