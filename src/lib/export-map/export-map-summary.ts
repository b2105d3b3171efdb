import {formatCount, plural} from '../output.js'
import type {ExportMapSummary} from './export-map.js'

/** Where an admin exports the users' CSV. */
const CSV_EXPORT_PLACE = 'admin.atlassian.com > Directory > Users > Export users'

/** The human summary of an export-map run, one line per fact that matters, for stderr. */
export function exportMapSummaryLines(
  summary: ExportMapSummary,
  where: {output?: string; reportSkipped?: string; fromApi?: boolean},
): string[] {
  const lines = [
    where.fromApi
      ? `Read ${plural(summary.rowsRead, 'user')} of the directory in ${summary.seconds.toFixed(2)} s (${formatCount(summary.rowsPerSecond)} users/s).`
      : `Read ${plural(summary.rowsRead, 'row')} in ${summary.seconds.toFixed(2)} s (${formatCount(summary.rowsPerSecond)} rows/s).`,
    `Mapped ${plural(summary.usersMapped, 'user')} to an email${where.output ? ` in ${where.output}` : ''}.`,
  ]
  if (summary.skippedInactive > 0) {
    lines.push(`Skipped ${plural(summary.skippedInactive, 'inactive user')} (keep them with --include-inactive).`)
  }

  if (summary.skippedWithoutEmail > 0) {
    const list = where.reportSkipped ? `listed in ${where.reportSkipped}` : 'list them with --report-skipped FILE'
    lines.push(
      where.fromApi
        ? `Skipped ${plural(summary.skippedWithoutEmail, 'user')} the Admin API gave without an email: a crawler cannot resolve their ACLs by email (${list}). The API may leave out the emails users hide; the CSV export (${CSV_EXPORT_PLACE}) has them: compare with --compare export.csv.`
        : `Skipped ${plural(summary.skippedWithoutEmail, 'user')} without an email in the export: a crawler cannot resolve their ACLs by email (${list}).`,
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
