import {createHash} from 'node:crypto'

import type {FakeApiTokenRecord, FakeState} from './types.js'

const DAY_MS = 86_400_000
const RELATIVE = /^([+-]\d+)d$/

/** A seed's date: ISO 8601 as it is, or "+30d" / "-2d" (days from `now`), so a seed never goes stale. */
export function seedDate(value: string | undefined, now: number): string | undefined {
  if (value === undefined) return undefined
  const relative = RELATIVE.exec(value)
  if (relative) return new Date(now + Number(relative[1]) * DAY_MS).toISOString()
  if (Number.isNaN(Date.parse(value))) throw new Error(`fake-atlassian: "${value}" is not a date (ISO 8601 or +Nd/-Nd)`)
  return value
}

const shortId = (prefix: string, value: string) =>
  `${prefix}-${createHash('sha256').update(value).digest('hex').slice(0, 12)}`

/**
 * Gives every API token and Admin key the dates the API-access listing shows (atlassian-2026.md §4a, §4d): the seed's
 * records (relative dates resolved), and for a token or key the seed says nothing about, created 30 days ago and
 * expiring in a year (the longest Atlassian allows, so tests that do not look at expiry never meet it).
 */
export function fillCredentialDates(state: FakeState, seeded: FakeApiTokenRecord[] | undefined, now: number): void {
  const records: FakeApiTokenRecord[] = (seeded ?? []).map((r) => ({
    ...r,
    createdAt: seedDate(r.createdAt, now),
    expiresAt: seedDate(r.expiresAt, now) as string,
    lastActiveAt: seedDate(r.lastActiveAt, now),
  }))
  const known = new Set(records.map((r) => r.token))
  for (const user of state.users) {
    for (const apiToken of user.apiTokens) {
      const token = typeof apiToken === 'string' ? apiToken : apiToken.token
      if (known.has(token)) continue
      records.push({
        accountId: user.accountId,
        createdAt: new Date(now - 30 * DAY_MS).toISOString(),
        expiresAt: new Date(now + 365 * DAY_MS).toISOString(),
        id: shortId('token', token),
        label: `API token of ${user.name}`,
        token,
      })
    }
  }

  state.apiTokenRecords = records
  for (const [i, key] of state.adminKeys.entries()) {
    key.id ??= shortId('key', key.key)
    key.name ??= `Admin key ${i + 1}`
    key.createdAt = seedDate(key.createdAt, now) ?? new Date(now - 30 * DAY_MS).toISOString()
    key.expiresAt = seedDate(key.expiresAt, now) ?? new Date(now + 365 * DAY_MS).toISOString()
    key.lastActiveAt = seedDate(key.lastActiveAt, now)
  }
}

/** True when `expiresAt` is at or before `now` (the fake's clock). */
export function expired(expiresAt: string | undefined, now: number): boolean {
  return expiresAt !== undefined && Date.parse(expiresAt) <= now
}
