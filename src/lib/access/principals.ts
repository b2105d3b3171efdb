import type {Readable} from 'node:stream'

// CsvError from the module that throws it: under CommonJS, csv-parse and csv-parse/sync are separate bundles.
import {CsvError, parse} from 'csv-parse/sync'

import {headerKey} from '../csv/export-columns.js'
import {csvErrorDetail} from '../csv/export-parser.js'
import {badInput} from '../errors.js'
import {openInputFile, readTextInput, TEXT_INPUT_LIMITS} from '../files/input-file.js'
import {fromPeopleCsv} from '../output.js'
import {excerpt} from '../text/safe-text.js'
import {ACCOUNT_ID, EMAIL, isEmail} from '../domain.js'

/** One user as given: an email or an account ID, and where it came from, for messages. */
export interface UserInput {
  value: string
  origin: string
}

/** The bad entries an error names at most; the count of the others follows. */
const BAD_ENTRIES_SHOWN = 5

/**
 * Users from arguments, a file (a CSV with an `email` or `accountId` column, or one per line) and
 * standard input (`-`), in that order. Every value is checked before any call is made: a malformed
 * email or account ID is exit 2 with the line it came from. A file or standard input is read within
 * TEXT_INPUT_LIMITS and must be UTF-8.
 */
export async function readUserInputs(
  args: readonly string[],
  file?: string,
  stdin: Readable = process.stdin,
): Promise<UserInput[]> {
  const standardInput = () => readTextInput({name: 'standard input', stream: stdin}, TEXT_INPUT_LIMITS)
  const inputs: UserInput[] = []
  for (const [index, arg] of args.entries()) {
    if (arg === '-')
      inputs.push(
        ...linesOf(
          (await standardInput()).split(/\r?\n/).map((line) => line.trim()),
          'standard input',
        ),
      )
    else inputs.push({origin: `argument ${index + 1}`, value: arg.trim()})
  }

  if (file) {
    const text =
      file === '-' ? await standardInput() : await readTextInput(await openInputFile(file), TEXT_INPUT_LIMITS)
    inputs.push(...usersInText(text, file === '-' ? 'standard input' : file))
  }

  const bad = inputs.filter(({value}) => (isEmail(value) ? !EMAIL.test(value) : !ACCOUNT_ID.test(value)))
  if (bad.length > 0) {
    const shown = bad.slice(0, BAD_ENTRIES_SHOWN).map((b) => `"${excerpt(b.value)}" (${b.origin})`)
    const more = bad.length > shown.length ? ` and ${bad.length - shown.length} more` : ''
    throw badInput(
      'USER_INVALID',
      `Not an email or account ID: ${shown.join(', ')}${more}.`,
      'Fix those entries; nothing was sent to Atlassian. An account ID looks like 557058:f58131cb-b67d-43c7-b30d-6b58d40bd077 or 5b10ac8d82e05b22cc7d4ef5.',
    )
  }

  if (inputs.length === 0)
    throw badInput(
      'USERS_MISSING',
      'No users given.',
      'Name them as arguments, with --file users.csv, or with - to read standard input.',
    )
  return dedupe(inputs)
}

function linesOf(lines: string[], source: string): UserInput[] {
  return lines
    .map((value, index) => ({origin: `${source} line ${index + 1}`, value}))
    .filter(({value}) => value !== '' && !value.startsWith('#'))
}

/** The first line's fields, or undefined when it is not a CSV line (then the input is one user per line). */
function headerOf(line: string): string[] | undefined {
  try {
    return parse(line, {relax_column_count: true})[0] as string[] | undefined
  } catch {
    return undefined
  }
}

/** A CSV with an email or accountId column (found by header, any case), else one user per line. */
function usersInText(text: string, source: string): UserInput[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/)
  const keys = (headerOf(lines[0] ?? '') ?? []).map(headerKey)
  const column = ['accountid', 'email', 'emailaddress', 'userid', 'user']
    .map((key) => keys.indexOf(key))
    .find((index) => index !== -1)
  if (column === undefined)
    return linesOf(
      lines.map((line) => line.trim()),
      source,
    )
  let records: Array<{info: {lines: number}; record: string[]}>
  try {
    records = parse(text, {
      bom: true,
      from_line: 2,
      info: true,
      max_record_size: TEXT_INPUT_LIMITS.lineBytes,
      relax_column_count: true,
      skip_empty_lines: true,
    }) as unknown as typeof records
  } catch (error) {
    if (!(error instanceof CsvError)) throw error
    throw badInput(
      'MALFORMED_CSV',
      `${source} is not valid CSV at line ${Number(error.lines ?? 1)}: ${csvErrorDetail(error.message)}`,
      'Fix that line (a field with a comma, quote or line break must be in double quotes, with inner quotes doubled), or give one user per line.',
    )
  }

  // A --failed-to file cfadmin wrote quotes cells that start like a formula ('=…): read back, the quote goes.
  return records
    .map(({info, record}) => ({
      origin: `${source} line ${info.lines}`,
      value: fromPeopleCsv((record[column] ?? '').trim()),
    }))
    .filter(({value}) => value !== '')
}

/** The same user named twice (in any case, for emails) is one item. */
function dedupe(inputs: UserInput[]): UserInput[] {
  const seen = new Set<string>()
  return inputs.filter(({value}) => {
    const key = isEmail(value) ? value.toLowerCase() : value
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}
