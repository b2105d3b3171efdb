/**
 * The organization's service accounts through the Admin "API access" API (experimental, atlassian-2026.md §4b):
 * GET /admin/api-access/v1/orgs/{orgId}/service-accounts, scope read:service-accounts:admin, cursor pages with
 * `links.next`. Typed call only; what to do when the key may not read it is the caller's choice.
 *
 * UNCONFIRMED body: entries are read as `{id | accountId, name | displayName, email?}`; an entry is kept with what it
 * has of the three, and one with none of them is skipped.
 */
import type {Got} from 'got'

import {paginateAdmin} from '../http/paginate.js'
import {withoutUndefined} from './shared.js'

export interface ServiceAccount {
  id?: string
  name?: string
  email?: string
}

interface RawServiceAccount {
  accountId?: unknown
  displayName?: unknown
  email?: unknown
  id?: unknown
  name?: unknown
}

const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined)

export async function listServiceAccounts(admin: Got, orgId: string): Promise<ServiceAccount[]> {
  const accounts: ServiceAccount[] = []
  for await (const raw of paginateAdmin<RawServiceAccount>(
    admin,
    `api-access/v1/orgs/${encodeURIComponent(orgId)}/service-accounts`,
  )) {
    if (!raw || typeof raw !== 'object') continue
    const account = withoutUndefined({
      email: text(raw.email),
      id: text(raw.id) ?? text(raw.accountId),
      name: text(raw.name) ?? text(raw.displayName),
    })
    if (account.id || account.name || account.email) accounts.push(account)
  }

  return accounts
}
