import {readFile} from 'node:fs/promises'

import {parse} from 'csv-parse/sync'

import {headerKey} from '../csv/export-columns.js'
import {badInput} from '../errors.js'
import {readStdinLines} from '../session/secret-input.js'

/** One user as given: an email or an account ID, and where it came from, for messages. */
export interface UserInput {
  value: string
  origin: string
}

export const EMAIL = /^[^\s@,;<>"']+@[^\s@,;<>"']+\.[^\s@,;<>"']+$/
export const ACCOUNT_ID = /^[\w:.-]+$/

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
      `Not an email or account ID: ${bad.map((b) => `"${b.value}" (${b.origin})`).join(', ')}.`,
      'Fix those entries; nothing was sent to Atlassian.',
    )
  }

  if (inputs.length === 0) throw badInput('USERS_MISSING', 'No users given.', 'Name them as arguments, with --file users.csv, or with - to read standard input.')
  return dedupe(inputs)
}

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
  return records.map(({info, record}) => ({origin: `${source} line ${info.lines}`, value: (record[column] ?? '').trim()})).filter(({value}) => value !== '')
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
