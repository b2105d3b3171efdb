import {readFile} from 'node:fs/promises'

import {parse} from 'csv-parse/sync'

import {headerKey} from '../csv/export-columns.js'
import {badInput} from '../errors.js'
import {fromPeopleCsv} from '../output.js'
import {excerpt} from '../text/safe-text.js'
import {readStdinLines} from '../session/secret-input.js'

/** One user as given: an email or an account ID, and where it came from, for messages. */
export interface UserInput {
  value: string
  origin: string
}

// No control characters either: an email is shown in tables and messages.
// eslint-disable-next-line no-control-regex
export const EMAIL = /^[^\s@,;<>"'\u0000-\u001F\u007F]+@[^\s@,;<>"'\u0000-\u001F\u007F]+\.[^\s@,;<>"'\u0000-\u001F\u007F]+$/
/**
 * Atlassian's account ID shapes: `<number>:<id>` (557058:<uuid>, 712020:<uuid>), `qm:<id>:<id>` (service desk
 * customers) and the 24-character IDs of older accounts (5b10ac8d82e05b22cc7d4ef5). Anything else (`..`, `/x`,
 * `--dry-run`, a name) is refused before it reaches a URL.
 */
const ID_PART = '[0-9A-Za-z][0-9A-Za-z-]{0,63}'
export const ACCOUNT_ID = new RegExp(`^(?:\\d{1,10}:${ID_PART}|qm:${ID_PART}:${ID_PART}|[0-9A-Za-z]{24})$`)

export const isEmail = (value: string) => value.includes('@')

/**
 * Users from arguments, a file (a CSV with an `email` or `accountId` column, or one per line) and
 * standard input (`-`), in that order. Every value is checked before any call is made: a malformed
 * email or account ID is exit 2 with the line it came from.
 */
export async function readUserInputs(args: readonly string[], file?: string): Promise<UserInput[]> {
  const inputs: UserInput[] = []
  for (const [index, arg] of args.entries()) {
    if (arg === '-') inputs.push(...linesOf(await readStdinLines(), 'standard input'))
    else inputs.push({origin: `argument ${index + 1}`, value: arg.trim()})
  }

  if (file) {
    const text = file === '-' ? (await readStdinLines()).join('\n') : await readUserFile(file)
    inputs.push(...usersInText(text, file === '-' ? 'standard input' : file))
  }

  const bad = inputs.filter(({value}) => (isEmail(value) ? !EMAIL.test(value) : !ACCOUNT_ID.test(value)))
  if (bad.length > 0) {
    throw badInput(
      'USER_INVALID',
      `Not an email or account ID: ${bad.slice(0, MAX_NAMED).map((b) => `"${excerpt(b.value)}" (${b.origin})`).join(', ')}${bad.length > MAX_NAMED ? ` and ${bad.length - MAX_NAMED} more` : ''}.`,
      'Fix those entries; nothing was sent to Atlassian. An account ID looks like 557058:f58131cb-b67d-43c7-b30d-6b58d40bd077 or 5b10ac8d82e05b22cc7d4ef5.',
    )
  }

  if (inputs.length === 0) throw badInput('USERS_MISSING', 'No users given.', 'Name them as arguments, with --file users.csv, or with - to read standard input.')
  return dedupe(inputs)
}

/** Bad values named in one message at most; the rest are counted. */
const MAX_NAMED = 20

async function readUserFile(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw badInput('FILE_NOT_FOUND', `The file ${path} does not exist.`, 'Check the path.')
    throw error
  }
}

function linesOf(lines: string[], source: string): UserInput[] {
  return lines.map((value, index) => ({origin: `${source} line ${index + 1}`, value})).filter(({value}) => value !== '' && !value.startsWith('#'))
}

/** A CSV with an email or accountId column (found by header, any case), else one user per line. */
function usersInText(text: string, source: string): UserInput[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/)
  const header = parse(lines[0] ?? '', {relax_column_count: true})[0] as string[] | undefined
  const keys = (header ?? []).map(headerKey)
  const column = ['accountid', 'email', 'emailaddress', 'userid', 'user'].map((key) => keys.indexOf(key)).find((index) => index !== -1)
  if (column === undefined) return linesOf(lines.map((line) => line.trim()), source)
  const records = parse(text, {bom: true, from_line: 2, info: true, relax_column_count: true, skip_empty_lines: true}) as unknown as Array<{info: {lines: number}; record: string[]}>
  // A --failed-to file cfadmin wrote quotes cells that start like a formula ('=…): read back, the quote goes.
  return records.map(({info, record}) => ({origin: `${source} line ${info.lines}`, value: fromPeopleCsv((record[column] ?? '').trim())})).filter(({value}) => value !== '')
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
