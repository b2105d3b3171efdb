/**
 * Rendering for stdout: human tables and CSV (oclif renders --json). Nothing here writes; callers decide the stream,
 * so data stays on stdout and progress or warnings go to stderr.
 */

import {terminalSafe} from './text/safe-text.js'

export interface Column<Row> {
  header: string
  get(row: Row): string | number | boolean | undefined | null
  align?: 'left' | 'right'
}

const cellText = (value: unknown): string => (value === undefined || value === null ? '' : String(value))

/**
 * A plain-text table for a terminal: a header, a rule, and one line per row, columns padded to their widest
 * cell. Cells come from Atlassian or the user (group and space names), so control characters are shown
 * escaped: a name cannot retitle or clear the terminal. Widths are found in a loop, not by spreading the
 * cells into Math.max, which throws past about 100,000 arguments.
 */
export function renderTable<Row>(rows: readonly Row[], columns: readonly Column<Row>[]): string {
  const cells = rows.map((row) => columns.map((column) => terminalSafe(cellText(column.get(row)))))
  const widths = columns.map((column) => column.header.length)
  for (const line of cells) {
    for (const [i, cell] of line.entries()) if (cell.length > widths[i]) widths[i] = cell.length
  }

  const format = (line: readonly string[]) =>
    line
      .map((cell, i) => (columns[i].align === 'right' ? cell.padStart(widths[i]) : cell.padEnd(widths[i])))
      .join('  ')
      .trimEnd()
  return [format(columns.map((c) => c.header)), format(widths.map((w) => '-'.repeat(w))), ...cells.map(format)].join(
    '\n',
  )
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

// A spreadsheet reads a cell that starts with one of these as a formula (or, for TAB and CR, may drop
// what hides it from that check). Quotes already in front count too, so that taking one quote off
// (fromPeopleCsv) always gives the value back: "'=x" is written "''=x".
const FORMULA_START = /^'*[=+\-@\t\r]/
const QUOTED_FORMULA = /^'+[=+\-@\t\r]/

/**
 * One CSV field for a file people open in a spreadsheet (reports, --failed-to, skipped users): a cell
 * starting with = + - @ TAB or CR gets a leading single quote so it is shown as text, never run as a
 * formula (OWASP's advice for CSV injection). Files machines read back (the account map) use csvField.
 */
export function peopleCsvField(value: unknown): string {
  const text = cellText(value)
  return csvField(FORMULA_START.test(text) ? `'${text}` : text)
}

/** One CSV record of peopleCsvField fields, with its line end. */
export function peopleCsvLine(fields: readonly unknown[]): string {
  return fields.map(peopleCsvField).join(',') + '\n'
}

/**
 * What peopleCsvField added, taken off again, for a value read back from a file cfadmin wrote for people
 * ("'=x" -> "=x"; "'x" stays as it is).
 */
export function fromPeopleCsv(text: string): string {
  return QUOTED_FORMULA.test(text) ? text.slice(1) : text
}

/** A whole CSV document for people: header from the columns, one record per row, formula starts neutralised. */
export function renderCsv<Row>(rows: readonly Row[], columns: readonly Column<Row>[]): string {
  return (
    peopleCsvLine(columns.map((c) => c.header)) +
    rows.map((row) => peopleCsvLine(columns.map((c) => c.get(row)))).join('')
  )
}

/** 1234567 -> "1,234,567": counts in summaries are read by people. */
export function formatCount(n: number): string {
  // Grouped by hand: toLocaleString loads ICU's number formats, about 20 ms of every command that prints a count.
  const rounded = Math.round(n)
  if (!Number.isSafeInteger(rounded)) return String(rounded)
  const grouped = String(Math.abs(rounded)).replaceAll(/\B(?=(\d{3})+$)/g, ',')
  return rounded < 0 ? `-${grouped}` : grouped
}

/** Singular or plural noun with its count: plural(1, 'row') -> "1 row". */
export function plural(n: number, noun: string, nounPlural = `${noun}s`): string {
  return `${formatCount(n)} ${n === 1 ? noun : nounPlural}`
}
