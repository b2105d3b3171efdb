import {badInput} from '../errors.js'
import {excerpt} from '../text/safe-text.js'

/**
 * The header names Atlassian's user exports have used for the columns cfadmin reads, in order of
 * preference. Sources: docs/atlassian-api.md §7 (current "Export users" CSV, the pre-2021
 * one, and "Export managed accounts").
 */
export const COLUMN_ALIASES = {
  accountId: ['User id', 'Atlassian ID', 'Account ID', 'accountId', 'id'],
  email: ['email', 'Email', 'Email address'],
  status: ['User status', 'Status', 'active'],
} as const

/** Where the columns cfadmin needs sit in one export's records. */
export interface ExportColumns {
  accountId: number
  email: number
  /** Absent in exports that carry no status: every user then counts as active. */
  status?: number
}

/** Header names compared without case, spaces, underscores or hyphens: "User ID" = "user_id" = "userid". */
export function headerKey(name: string): string {
  return name.replaceAll(/[\s_-]+/g, '').toLowerCase()
}

function findColumn(keys: readonly string[], aliases: readonly string[]): number | undefined {
  for (const alias of aliases) {
    const index = keys.indexOf(headerKey(alias))
    if (index !== -1) return index
  }
  return undefined
}

const listNames = (names: readonly string[]) => names.map((n) => `"${n}"`).join(', ')

/** The header names an error shows at most: a header is the file's first line, and an error quotes no more of a file. */
export const HEADER_NAMES_SHOWN = 5

/** The first few header names, each a short escaped excerpt, and how many more there are. */
function headerExcerpt(header: readonly string[]): string {
  const shown = header.slice(0, HEADER_NAMES_SHOWN).map((name) => `"${excerpt(name.trim(), 40)}"`)
  const more = header.length - shown.length
  return shown.join(', ') + (more > 0 ? ` and ${more} more` : '')
}

/** Finds the account ID, email and status columns in an export's header row, or says what is missing. */
export function findExportColumns(header: readonly string[]): ExportColumns {
  const keys = header.map(headerKey)
  const accountId = findColumn(keys, COLUMN_ALIASES.accountId)
  const email = findColumn(keys, COLUMN_ALIASES.email)
  const status = findColumn(keys, COLUMN_ALIASES.status)
  const missing = [accountId === undefined ? 'account ID' : '', email === undefined ? 'email' : ''].filter(Boolean)
  if (missing.length > 0) {
    const accepted = [
      accountId === undefined ? `account ID: ${listNames(COLUMN_ALIASES.accountId)}` : '',
      email === undefined ? `email: ${listNames(COLUMN_ALIASES.email)}` : '',
    ].filter(Boolean)
    throw badInput(
      'EXPORT_COLUMNS_MISSING',
      `The export has no ${missing.join(' or ')} column. Headers found: ${headerExcerpt(header)}. ` +
        `Names accepted (any case and spacing): ${accepted.join('; ')}.`,
      'Use the CSV from admin.atlassian.com > Directory > Users > Export users, or rename the columns to one of the accepted names.',
    )
  }

  return {accountId: accountId!, email: email!, status}
}

const ACTIVE_VALUES = new Set(['active', 'yes', 'true', 'enabled'])

/** "Active" (current exports), "active" (managed accounts) and "Yes" (the old `active` column) mean active. */
export function isActiveStatus(value: string): boolean {
  return ACTIVE_VALUES.has(value.trim().toLowerCase())
}
