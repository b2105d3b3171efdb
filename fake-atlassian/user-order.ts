import type {FakeState, FakeUser} from './types.js'

/**
 * The Admin API users/search order `sortBy: [{field: "nick_name", direction}]` (jira.js
 * multiDirectoryUserSearchRequest.ts): by nickname, case- and accent-insensitive (the fake's choice: how Atlassian
 * collates nicknames is UNCONFIRMED), then by account ID ascending in BOTH directions, so a descending listing is not
 * the ascending one reversed where nicknames tie.
 *
 * Sorting 100,000 users for each page would cost far more than the page, so each direction's order is sorted once
 * and kept until `state.users` is replaced or changes length (as model.ts's indexes are). Renaming a user in place is
 * an edit this cannot notice: call reindex(state) (model.ts) after it, which forgets these orders too.
 */

export type SortDirection = 'asc' | 'desc'

/** The nickname the Admin API answers for a user: the seed's `nickname`, else the display name. */
export const nicknameOf = (user: FakeUser): string => user.nickname ?? user.name

/** Where a sorted listing stopped: the sort key of the last user it looked at. */
export interface OrderKey {
  nickname: string
  accountId: string
}

const collator = new Intl.Collator('en', {sensitivity: 'base'})

const byAccountId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

/** Compares two sort keys in `direction`: nicknames in that direction, ties by account ID ascending. */
export function compareKeys(direction: SortDirection, a: OrderKey, b: OrderKey): number {
  const byNickname = collator.compare(a.nickname, b.nickname)
  return (direction === 'asc' ? byNickname : -byNickname) || byAccountId(a.accountId, b.accountId)
}

export const keyOf = (user: FakeUser): OrderKey => ({accountId: user.accountId, nickname: nicknameOf(user)})

/** `users` in `direction` (a new array). */
export function sortUsers(users: readonly FakeUser[], direction: SortDirection): FakeUser[] {
  // The keys once per user, not once per comparison.
  const keyed = users.map((user) => ({key: keyOf(user), user}))
  keyed.sort((a, b) => compareKeys(direction, a.key, b.key))
  return keyed.map((k) => k.user)
}

interface Orders {
  users: FakeUser[]
  length: number
  sorted: Partial<Record<SortDirection, FakeUser[]>>
}

const orders = new WeakMap<FakeState, Orders>()

/** Every user of the state in `direction`, sorted on first use and kept while `state.users` has not changed. */
export function usersInOrder(state: FakeState, direction: SortDirection): readonly FakeUser[] {
  let cached = orders.get(state)
  if (!cached || cached.users !== state.users || cached.length !== state.users.length) {
    cached = {length: state.users.length, sorted: {}, users: state.users}
    orders.set(state, cached)
  }

  cached.sorted[direction] ??= sortUsers(state.users, direction)
  return cached.sorted[direction]
}

/** Forgets the kept orders (model.ts reindex: after a user was renamed in place). */
export function forgetUserOrders(state: FakeState): void {
  orders.delete(state)
}

/** The position of the first user of `order` (sorted in `direction`) that comes after `key`: binary search. */
export function positionAfter(order: readonly FakeUser[], direction: SortDirection, key: OrderKey): number {
  let low = 0
  let high = order.length
  while (low < high) {
    const middle = (low + high) >>> 1
    if (compareKeys(direction, keyOf(order[middle]), key) <= 0) low = middle + 1
    else high = middle
  }

  return low
}
