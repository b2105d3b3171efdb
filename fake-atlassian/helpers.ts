import * as model from './model.js'
import type {FakeState, FakeUser, RecordedRequest} from './types.js'

/**
 * Read helpers for tests: what the fake's state says now, through the same indexes the routes use. Each takes the fake
 * or its state. Invites of Confluence v2 invite-by-email that are due are applied first (as the next request would).
 */

type HasState = FakeState | {state: FakeState}
const stateOf = (x: HasState): FakeState => {
  const state = 'state' in x ? x.state : x
  model.processPendingInvites(state)
  return state
}

/** Whether the account is a member of the group. */
export function isMember(fake: HasState, groupId: string, accountId: string): boolean {
  return model.isMember(stateOf(fake), groupId, accountId)
}

/**
 * Whether `principal` holds `key` (default read) on the space: a user through their own permission or a group's
 * (`{direct: true}`: their own only), a group by id or name.
 */
export function hasSpacePermission(
  fake: HasState,
  spaceKey: string,
  principal: {type: 'group' | 'user'; id: string},
  key = 'read',
  options: {direct?: boolean; target?: string} = {},
): boolean {
  return model.hasSpacePermission(
    stateOf(fake),
    spaceKey,
    principal,
    key,
    options.target ?? 'space',
    options.direct ?? false,
  )
}

/** The account with that email (exact, case-insensitive; hidden emails included). */
export function userByEmail(fake: HasState, email: string): FakeUser | undefined {
  return model.findUserByEmail(stateOf(fake), email)
}

/** Whether the account may use Confluence on the site (default: the first site). */
export function hasConfluenceAccess(fake: HasState, accountId: string, cloudId?: string): boolean {
  const state = stateOf(fake)
  const site = cloudId ?? state.sites[0]?.cloudId
  return site !== undefined && model.hasConfluenceAccess(state, accountId, site)
}

export type WriteFilter =
  | ((request: RecordedRequest) => boolean)
  | {
      method?: string
      /** Exact path, with or without the gateway prefix /ex/confluence/{cloudId}; or a RegExp tested on the path as requested. */
      path?: string | RegExp
      family?: RecordedRequest['family']
      /** Matched operation, e.g. "confluence-v1 addPermissionToSpace" or just "addPermissionToSpace". */
      operation?: string
    }

const withoutGateway = (path: string) => path.replace(/^\/ex\/confluence\/[^/]+/, '')

/**
 * The writes the fake accepted: non-GET/HEAD/OPTIONS requests answered 2xx, in order, optionally filtered. For
 * "no repeated POST" checks: `expect(writes(fake, {path: '/wiki/rest/api/space/ENG/permission'})).to.have.length(1)`.
 */
export function writes(fake: {requests: RecordedRequest[]}, filter?: WriteFilter): RecordedRequest[] {
  const accepted = fake.requests.filter(
    (r) => !['GET', 'HEAD', 'OPTIONS'].includes(r.method) && r.status >= 200 && r.status < 300,
  )
  if (!filter) return accepted
  if (typeof filter === 'function') return accepted.filter(filter)
  return accepted.filter(
    (r) =>
      (!filter.method || r.method === filter.method.toUpperCase()) &&
      (!filter.family || r.family === filter.family) &&
      (!filter.operation || r.operation === filter.operation || r.operation?.endsWith(` ${filter.operation}`)) &&
      (filter.path === undefined ||
        (typeof filter.path === 'string'
          ? r.path === filter.path || withoutGateway(r.path) === filter.path
          : filter.path.test(r.path))),
  )
}

const exportStatus = {active: 'Active', deactivated: 'Deactivated', suspended: 'Suspended'} as const
const exportField = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value)

/**
 * The "Export users" CSV admin.atlassian.com would give for a directory's users (default: every user): one row per
 * user with every email, hidden or not, and its status, for comparing a map made from it with one made otherwise.
 */
export function usersExportCsv(fake: HasState, directoryId?: string): string {
  let text = 'User id,User name,email,User status\n'
  for (const user of stateOf(fake).users) {
    if (directoryId && user.directoryId !== directoryId) continue
    text += `${[user.accountId, user.name, user.email].map(exportField).join(',')},${exportStatus[user.status]}\n`
  }

  return text
}
