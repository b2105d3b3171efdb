import type {Got} from 'got'

import {paginateAdmin} from '../http/paginate.js'

/** One API token or Admin key as the Admin "API access" API lists it (atlassian-2026.md §4d). */
export interface ListedCredential {
  kind: 'api-token' | 'admin-key'
  id?: string
  /** The token's label or the key's name. */
  label?: string
  expiresAt?: string
  lastActiveAt?: string
  status?: string
  /** The token's owner, or the key's creator, as far as the entry says. */
  owner?: {accountId?: string; email?: string; name?: string}
}

interface ListedUser {
  id?: string
  accountId?: string
  email?: string
  name?: string
}

/**
 * The entry's fields, each only when it is a string: beyond expiresAt and lastActiveAt the schema is UNCONFIRMED
 * (Atlassian's reference shows id, label, status, createdAt and user {id, email, name} for tokens), so a missing
 * or odd field is left out instead of failing the read.
 */
function listed(kind: ListedCredential['kind'], entry: Record<string, unknown>): ListedCredential {
  const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined)
  const person = (entry.user ?? entry.owner ?? entry.createdBy) as ListedUser | undefined
  const owner =
    person && typeof person === 'object'
      ? {accountId: text(person.id) ?? text(person.accountId), email: text(person.email), name: text(person.name)}
      : text(entry.accountId)
        ? {accountId: text(entry.accountId)}
        : undefined
  return {
    expiresAt: text(entry.expiresAt),
    id: text(entry.id),
    kind,
    label: text(entry.label) ?? text(entry.name),
    lastActiveAt: text(entry.lastActiveAt),
    owner,
    status: text(entry.status),
  }
}

async function listAll(admin: Got, orgId: string, what: 'api-keys' | 'api-tokens'): Promise<ListedCredential[]> {
  const kind = what === 'api-keys' ? 'admin-key' : 'api-token'
  const found: ListedCredential[] = []
  for await (const entry of paginateAdmin<Record<string, unknown>>(
    admin,
    `api-access/v1/orgs/${encodeURIComponent(orgId)}/${what}`,
  )) {
    if (entry && typeof entry === 'object') found.push(listed(kind, entry))
  }

  return found
}

/** The org's user API tokens: GET /admin/api-access/v1/orgs/{orgId}/api-tokens (read:tokens:admin). */
export async function listApiTokens(admin: Got, orgId: string): Promise<ListedCredential[]> {
  return listAll(admin, orgId, 'api-tokens')
}

/** The org's Admin API keys: GET /admin/api-access/v1/orgs/{orgId}/api-keys (read:keys:admin). */
export async function listApiKeys(admin: Got, orgId: string): Promise<ListedCredential[]> {
  return listAll(admin, orgId, 'api-keys')
}
