/**
 * One report for every changing command: a table or CSV for stdout, a one-line summary for stderr, and the
 * rows that did not go through, written back as CSV so they can be fixed and fed in again (--failed-to).
 */

import {createAtomicFile, type TextSink} from '../files/text-sink.js'
import {type Column, formatCount, peopleCsvLine, renderCsv, renderTable} from '../output.js'
import type {ItemResult, RunReport} from './operation.js'

const TABLE_COLUMNS: Column<ItemResult>[] = [
  {get: (item) => item.outcome, header: 'Outcome'},
  {get: (item) => item.description, header: 'Item'},
  {get: (item) => item.reason ?? item.detail, header: 'Detail'},
]

const CSV_COLUMNS: Column<ItemResult>[] = [
  {get: (item) => item.key, header: 'key'},
  {get: (item) => item.description, header: 'description'},
  {get: (item) => item.outcome, header: 'outcome'},
  {get: (item) => item.reason, header: 'reason'},
  {get: (item) => item.detail, header: 'detail'},
]

/** Columns outcome, item (the description) and detail (the reason, else what apply returned). */
export function reportTable(report: RunReport): string {
  return renderTable(report.items, TABLE_COLUMNS)
}

/** key,description,outcome,reason,detail — one record per item. */
export function reportCsv(report: RunReport): string {
  return renderCsv(report.items, CSV_COLUMNS)
}

/** "3 done, 5 already, 1 failed (2.1 s)"; dry run: "would change 3, already 5". Failed and blocked only when any. */
export function reportSummary(report: RunReport): string {
  const {counts} = report
  const parts = report.dryRun
    ? [`would change ${formatCount(counts.planned)}`, `already ${formatCount(counts.already)}`]
    : [`${formatCount(counts.done)} done`, `${formatCount(counts.already)} already`]
  if (counts.failed > 0) parts.push(`${formatCount(counts.failed)} failed`)
  if (counts.blocked > 0) parts.push(`${formatCount(counts.blocked)} blocked`)
  const text = parts.join(', ')
  return report.dryRun ? text : `${text} (${report.seconds.toFixed(1)} s)`
}

/**
 * Writes the input rows of the items that did not go through (failed, and blocked behind a failure) as CSV,
 * through a temp file renamed into place (`target`: a path, or a file opened before the run). Header:
 * `columns`, else every row key in first-seen order. A row shared by several items is written once. Cells
 * that a spreadsheet would run as a formula are quoted (peopleCsvLine); reading the file back with --file
 * takes the quote off. Returns the number of rows written.
 */
export async function writeFailedRows(
  report: RunReport,
  target: string | TextSink,
  columns?: string[],
): Promise<number> {
  const rows: Record<string, string>[] = []
  const seen = new Set<Record<string, string>>()
  for (const item of report.items) {
    if ((item.outcome !== 'failed' && item.outcome !== 'blocked') || !item.row || seen.has(item.row)) continue
    seen.add(item.row)
    rows.push(item.row)
  }

  const header = columns ?? [...new Set(rows.flatMap((row) => Object.keys(row)))]
  const lines = new Set<string>()
  for (const row of rows) lines.add(peopleCsvLine(header.map((column) => row[column])))
  const sink = typeof target === 'string' ? await createAtomicFile(target) : target
  try {
    if (header.length > 0) await sink.write(peopleCsvLine(header))
    for (const line of lines) await sink.write(line)
    await sink.commit()
  } catch (error) {
    await sink.abort()
    throw error
  }

  return lines.size
}
