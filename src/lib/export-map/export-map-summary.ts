import {formatCount, plural} from '../output.js'
import type {ExportMapSummary} from './export-map.js'

/** The human summary of an export-map run, one line per fact that matters, for stderr. */
export function exportMapSummaryLines(
  summary: ExportMapSummary,
  where: {output?: string; reportSkipped?: string},
): string[] {
  const lines = [
    `Read ${plural(summary.rowsRead, 'row')} in ${summary.seconds.toFixed(2)} s (${formatCount(summary.rowsPerSecond)} rows/s).`,
    `Mapped ${plural(summary.usersMapped, 'user')} to an email${where.output ? ` in ${where.output}` : ''}.`,
  ]
  if (summary.skippedInactive > 0) {
    lines.push(`Skipped ${plural(summary.skippedInactive, 'inactive user')} (keep them with --include-inactive).`)
  }

  if (summary.skippedWithoutEmail > 0) {
    const list = where.reportSkipped ? `listed in ${where.reportSkipped}` : 'list them with --report-skipped FILE'
    lines.push(
      `Skipped ${plural(summary.skippedWithoutEmail, 'user')} without an email in the export: a crawler cannot resolve their ACLs by email (${list}).`,
    )
  }

  if (summary.rowsWithoutAccountId > 0)
    lines.push(`Ignored ${plural(summary.rowsWithoutAccountId, 'row')} without an account ID.`)
  if (summary.duplicateRows > 0)
    lines.push(`Merged ${plural(summary.duplicateRows, 'repeated row')} for users already mapped.`)
  if (summary.conflicts > 0)
    lines.push(
      `Found ${plural(summary.conflicts, 'account ID')} with a second, different email: kept the first (see the warnings above; --strict makes this an error).`,
    )
  return lines
}
