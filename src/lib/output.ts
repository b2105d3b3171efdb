/**
 * Rendering for stdout: human tables, CSV and JSON. Nothing here writes; callers decide the stream,
 * so data stays on stdout and progress or warnings go to stderr.
 */

export interface Column<Row> {
  header: string
  get(row: Row): string | number | boolean | undefined | null
  align?: 'left' | 'right'
}

const cellText = (value: unknown): string => (value === undefined || value === null ? '' : String(value))

/** A plain-text table: a header, a rule, and one line per row, columns padded to their widest cell. */
export function renderTable<Row>(rows: readonly Row[], columns: readonly Column<Row>[]): string {
  const cells = rows.map((row) => columns.map((column) => cellText(column.get(row))))
  const widths = columns.map((column, i) => Math.max(column.header.length, ...cells.map((line) => line[i].length)))
  const format = (line: readonly string[]) =>
    line
      .map((cell, i) => (columns[i].align === 'right' ? cell.padStart(widths[i]) : cell.padEnd(widths[i])))
      .join('  ')
      .trimEnd()
  return [format(columns.map((c) => c.header)), format(widths.map((w) => '-'.repeat(w))), ...cells.map(format)].join('\n')
}

const NEEDS_QUOTES = /[",\r\n]/

/** One CSV field, quoted only when it has to be (RFC 4180). */
export function csvField(value: unknown): string {
  const text = cellText(value)
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

/** One CSV record with its line end. */
export function csvLine(fields: readonly unknown[]): string {
  return fields.map(csvField).join(',') + '\n'
}

/** A whole CSV document: header from the columns, one record per row. */
export function renderCsv<Row>(rows: readonly Row[], columns: readonly Column<Row>[]): string {
  return csvLine(columns.map((c) => c.header)) + rows.map((row) => csvLine(columns.map((c) => c.get(row)))).join('')
}

export function renderJson(value: unknown): string {
  return JSON.stringify(value, null, 2) + '\n'
}

/** 1234567 -> "1,234,567": counts in summaries are read by people. */
export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US')
}

/** Singular or plural noun with its count: plural(1, 'row') -> "1 row". */
export function plural(n: number, noun: string, nounPlural = `${noun}s`): string {
  return `${formatCount(n)} ${n === 1 ? noun : nounPlural}`
}
