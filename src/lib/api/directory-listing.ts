/**
 * Every user of a directory (`users export-map --from-api`), read from POST v2/orgs/{orgId}/directories/{directoryId}/
 * users/search page by page. The pages are chained by a cursor, so one listing waits a round trip per page whatever
 * the rate allows. When the directory's count is known (GET …/users/count, jira.js getDirectoryUsersCount) and the
 * search sorts by nick_name (jira.js multiDirectoryUserSearchRequest: the one sort field), it is read from both ends
 * at once, ascending and descending, until as many distinct users as the count have come: half the round trips.
 * Without the count, with a sort refused (400) or ignored (both ends start with the same page), it is one listing.
 */
import type {Got} from 'got'

import {AccountTable} from '../account-table.js'
import {debugHttp} from '../http/debug-log.js'
import {isAtlassianError} from '../http/errors.js'
import {paginateAdminPages} from '../http/paginate.js'
import {readAhead} from '../http/read-ahead.js'
import {directoryPath, type DirectoryUser, type RawDirectoryUser} from './directory.js'
import {withoutUndefined} from './shared.js'

/**
 * Users per page when listing a directory. Atlassian documents the default (50) but no maximum, nor does the contract
 * (contracts/admin-v2-extras.ts); 100 is what the email search already sends. UNCONFIRMED that more is accepted.
 */
export const USER_LIST_PAGE = 100

/** A listed user, with the names of its groups in the directory when asked for. */
export interface ListedDirectoryUser extends DirectoryUser {
  groups?: string[]
}

type RawListedUser = RawDirectoryUser & {groups?: unknown}
type Page = RawListedUser[]

/**
 * How many users the directory has: GET v2/orgs/{orgId}/directories/{directoryId}/users/count `{count}`, counted in
 * this directory only (`directoryIds`: by default the count also takes in managed accounts outside any directory).
 * undefined when Atlassian will not say (refused, missing, not a whole number): the listing then reads one way.
 */
export async function countDirectoryUsers(admin: Got, orgId: string, directoryId: string): Promise<number | undefined> {
  try {
    const body = await admin
      .get(`${directoryPath(orgId, directoryId)}/users/count`, {searchParams: {directoryIds: directoryId}})
      .json<{count?: unknown} | null>()
    const count = body?.count
    return typeof count === 'number' && Number.isSafeInteger(count) && count >= 0 ? count : undefined
  } catch (error) {
    // A key that is refused is refused by the listing too, which says so; anything else only costs the fast path.
    if (!isAtlassianError(error) || error.status === 401) throw error
    debugHttp(`no user count for directory ${directoryId} (${error.status ?? error.code}): listing it one way`)
    return undefined
  }
}

/**
 * Every user of the directory (with `expand: ["groups"]` for `groups`), a page at a time, each page read ahead, so
 * memory holds a few pages and, when read from both ends, the account IDs seen. A user whose email the answer leaves
 * out (§5: hidden emails, UNCONFIRMED) comes without `email`; an entry without an account ID is dropped.
 */
export async function* directoryUserPages(
  admin: Got,
  orgId: string,
  directoryId: string,
  options: {groups?: boolean} = {},
): AsyncGenerator<ListedDirectoryUser[]> {
  const path = `${directoryPath(orgId, directoryId)}/users/search`
  const body = withoutUndefined({expand: options.groups ? ['groups'] : undefined, limit: USER_LIST_PAGE})
  const total = await countDirectoryUsers(admin, orgId, directoryId)
  const pages =
    total !== undefined && total > 2 * USER_LIST_PAGE
      ? fromBothEnds(admin, path, body, total)
      : readAhead(paginateAdminPages<RawListedUser>(admin, path, {json: body, method: 'POST', paceOnBudget: true}), 2)
  for await (const page of pages) {
    const users: ListedDirectoryUser[] = []
    for (const user of page) {
      if (!hasAccountId(user)) continue
      const listed: ListedDirectoryUser = {accountId: user.accountId}
      if (typeof user.email === 'string' && user.email !== '') listed.email = user.email
      if (options.groups) listed.groups = groupNames(user.groups)
      if (user.name !== undefined) listed.name = user.name
      if (user.status !== undefined) listed.status = user.status
      users.push(listed)
    }

    if (users.length > 0) yield users
  }
}

interface End {
  direction: 'asc' | 'desc'
  pages: AsyncGenerator<Page>
  next: Promise<Turn>
  /** Account IDs of its first page, to tell a sort that was ignored. */
  first?: string[]
  /** Its last page held nobody new. */
  caughtUp: boolean
}

type Turn = {end: End; page?: Page; done?: boolean; error?: unknown}

/**
 * The directory's pages from both ends, each user once, until `total` distinct users have come or one end has read
 * the whole listing. Each end reads ahead while the other's page is written. Both ends catching up with what the other read without reaching the count (a count that takes in
 * more than the search lists) leaves the ascending end to finish alone.
 */
async function* fromBothEnds(
  admin: Got,
  path: string,
  body: Record<string, unknown>,
  total: number,
): AsyncGenerator<Page> {
  const open = (direction: 'asc' | 'desc'): End => {
    const json = {...body, sortBy: [{direction, field: 'nick_name'}]}
    const end = {
      caughtUp: false,
      direction,
      pages: readAhead(paginateAdminPages<RawListedUser>(admin, path, {json, method: 'POST', paceOnBudget: true}), 2),
    } as End
    end.next = turn(end)
    return end
  }

  let ends = [open('asc'), open('desc')]
  // The account IDs read, compactly: a directory of 100,000 users costs a few MB, not a Set's tens.
  const seen = new AccountTable()
  const stop = async (which: End[]) => {
    ends = ends.filter((end) => !which.includes(end))
    // A page already asked for is let finish (it is cheaper than a connection torn down mid-answer).
    await Promise.all(which.map(async (end) => (await end.next, end.pages.return(undefined))))
  }

  try {
    // The ends take turns, a page each, whichever answers first: the map comes out in the same order every run.
    for (let turns = 0; ends.length > 0 && seen.size < total; turns++) {
      const {end, page, done, error} = await ends[turns % ends.length].next
      if (error !== undefined) {
        if (!(isAtlassianError(error, 400) && end.first === undefined)) throw error
        debugHttp(`users/search refused sortBy (400): listing the directory one way`)
        await stop(ends)
        const plain = readAhead(
          paginateAdminPages<RawListedUser>(admin, path, {json: body, method: 'POST', paceOnBudget: true}),
          1,
        )
        for await (const rest of plain) yield unseen(rest, seen)
        return
      }

      if (done || page === undefined) return // this end has read the whole listing
      const fresh = unseen(page, seen)
      end.caughtUp = fresh.length === 0
      if (end.first === undefined) end.first = page.filter(hasAccountId).map((user) => user.accountId)
      if (fresh.length > 0) yield fresh
      end.next = turn(end)
      const [ascending, descending] = ends
      if (descending === undefined) continue
      if (ascending.first && descending.first && sameIds(ascending.first, descending.first)) {
        debugHttp(`users/search ignored sortBy (both ends start alike): listing the directory one way`)
        await stop([descending])
      } else if (ascending.caughtUp && descending.caughtUp) {
        debugHttp(`both ends of the directory met at ${seen.size} users of ${total} counted: the ascending end goes on`)
        await stop([descending])
      }
    }
  } finally {
    await stop(ends)
  }
}

async function turn(end: End): Promise<Turn> {
  try {
    const result = await end.pages.next()
    return result.done ? {done: true, end} : {end, page: result.value}
  } catch (error) {
    return {end, error}
  }
}

/** The users of `page` not seen before, now marked seen. */
function unseen(page: Page, seen: AccountTable): Page {
  const fresh: Page = []
  for (const user of page) {
    if (!hasAccountId(user) || seen.get(user.accountId) !== undefined) continue
    seen.set(user.accountId, 1)
    fresh.push(user)
  }

  return fresh
}

function sameIds(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i])
}

function hasAccountId(user: RawListedUser | null | undefined): user is RawListedUser & {accountId: string} {
  return typeof user?.accountId === 'string' && user.accountId !== ''
}

function groupNames(groups: unknown): string[] {
  if (!Array.isArray(groups)) return []
  const names: string[] = []
  for (const group of groups as Array<{name?: unknown} | null>)
    if (typeof group?.name === 'string' && group.name !== '') names.push(group.name)
  return names
}
