/**
 * --fix: the spaces the principal cannot view go to the same grant path as `spaces grant-view` (its operations, the
 * engine, the journal, the role mode's route), and what each item did is written back onto the coverage.
 */
import type {AccessContext} from '../access/access-context.js'
import {grantView, type ViewPrincipal} from '../access/grant-view.js'
import type {RunControls} from '../access/run-access.js'
import type {RunReport} from '../engine/operation.js'
import {type Coverage, coverageCounts, type CoverageRow} from './read.js'

/** The keys of the spaces the principal cannot view (those whose access is unknown are not touched). */
export const spacesToFix = (coverage: Coverage): string[] =>
  coverage.spaces.filter((r) => r.view === 'no').map((r) => r.key)

/** Grants View on every space the principal cannot view; a dry run when `controls.dryRun`. */
export async function fixCoverage(
  coverage: Coverage,
  principal: ViewPrincipal,
  context: AccessContext,
  controls: RunControls,
): Promise<RunReport> {
  return grantView({keys: spacesToFix(coverage)}, [principal], context, controls)
}

/**
 * The coverage after the fix: each space's item says what was done (the principal now views it through the route the
 * grant took), planned (dry run) or why it failed; the counts follow.
 */
export function withFix(coverage: Coverage, report: RunReport): Coverage {
  const bySpace = new Map(report.items.map((item) => [item.row?.space, item]))
  const spaces = coverage.spaces.map((row): CoverageRow => {
    const item = row.view === 'no' ? bySpace.get(row.key) : undefined
    if (!item) return row
    switch (item.outcome) {
      case 'done':
      case 'already': {
        // done: what apply() returned ("role Viewer", "permission"); already: what the check found.
        const through = (item.outcome === 'done' ? item.detail : item.reason) ?? 'View'
        const fix = item.outcome === 'done' ? `given now: ${through}` : `already: ${through}`
        return {...row, fix, through, via: /^role\b/.test(through) ? 'role' : 'permission', view: 'yes'}
      }

      case 'planned':
        return {...row, fix: `to give: ${item.reason ?? item.detail ?? 'View'}`}
      default:
        return {...row, fix: `${item.outcome}: ${item.reason ?? ''}`.trim()}
    }
  })
  return {...coverage, counts: coverageCounts(spaces, coverage.counts.leftOut), spaces}
}
