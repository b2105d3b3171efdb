import {renderTable} from '../output.js'
import type {AllTokensResult} from './all-tokens.js'

const KIND = {'admin-key': 'Admin key', 'api-token': 'API token'} as const

/** `auth status --all-tokens` for people: a table, soonest first, or one line saying there is none. */
export function allTokensLines(result: AllTokensResult): string[] {
  const until = result.until.slice(0, 10)
  if (result.credentials.length === 0)
    return [
      `No API token or Admin key of organization ${result.orgId} expires within ${result.withinDays} days (by ${until}).`,
    ]
  const table = renderTable(result.credentials, [
    {get: (c) => c.expiresAt.slice(0, 10), header: 'EXPIRES'},
    {get: (c) => KIND[c.kind], header: 'KIND'},
    {get: (c) => c.owner ?? '', header: 'OWNER'},
    {get: (c) => c.label ?? c.id ?? '', header: 'NAME'},
    {get: (c) => c.lastActiveAt?.slice(0, 10) ?? '-', header: 'LAST USED'},
  ])
  return [
    `${result.credentials.length} of organization ${result.orgId} expire within ${result.withinDays} days (by ${until}):`,
    ...table.split('\n'),
  ]
}
