import {requireDirectories, requireOrg} from '../auth.js'
import {FakeHttpError} from '../errors.js'
import {
  accountTypeOf,
  addMembership,
  addRoleAssignment,
  addUser,
  billableSitesOfGroup,
  cloudIdOfAri,
  findDirectory,
  findGroup,
  findSite,
  findUser,
  findUserByEmail,
  grantSiteRole,
  groupIdsOf,
  isEmail,
  isServiceAccountEmail,
  licenceExceeded,
  licenceProblem,
  orgDirectories,
  orgOfUser,
  rolesOf,
  siteDirectory,
} from '../model.js'
import {json, type Route, type RouteContext} from '../router.js'
import type {FakeGroup, FakeOrg, FakeRoleId, FakeSite, FakeState, FakeUser} from '../types.js'
import {inviteRoles} from '../../contracts/admin-v2-extras.js'
import {
  keyOf,
  nicknameOf,
  type OrderKey,
  positionAfter,
  type SortDirection,
  sortUsers,
  usersInOrder,
} from '../user-order.js'
import {decodeCursor, encodeCursor, page} from './paging.js'

/**
 * Admin API: users (atlassian-api.md §2a invite, §3a roles, §5 search). Bearer Admin API key; the org must be one the
 * key sees (404 ADMIN-404-2), the directory one of the org's ("-" = all of them).
 */

const SEARCH_DEFAULT_LIMIT = 50
const ROLES_DEFAULT_LIMIT = 100

/** The composite statuses of a directory user (jira.js MultiDirectoryUserSearchRequest.status). */
function statuses(user: FakeUser) {
  switch (user.status) {
    case 'suspended': {
      return {accountStatus: 'active', membershipStatus: 'suspended', status: 'suspended'} as const
    }

    case 'deactivated': {
      return {accountStatus: 'inactive', membershipStatus: 'active', status: 'deactivated'} as const
    }

    default: {
      // An invitee who has not accepted yet shows as active too (UNCONFIRMED: the enums have no "invited").
      return {accountStatus: 'active', membershipStatus: 'active', status: 'active'} as const
    }
  }
}

/**
 * A directory user as the Admin API shows it. The email is there unless `withoutEmail` (a hidden email the search
 * does not reveal: behaviour.adminSearchHiddenEmails); `groups` ({id, name, description}) with `expand: ["groups"]`.
 */
export function directoryUser(
  user: FakeUser,
  state: FakeState,
  options: {withoutEmail?: boolean; groups?: FakeGroup[]} = {},
) {
  return {
    accountId: user.accountId,
    accountType: accountTypeOf(state, user),
    addedToOrg: user.addedToOrg ?? '2024-01-01T00:00:00.000Z',
    ...(options.withoutEmail ? {} : {email: user.email}),
    emailVerified: true,
    name: user.name,
    nickname: nicknameOf(user),
    ...statuses(user),
    ...(options.groups
      ? {
          groups: options.groups.map((g) => ({description: g.description ?? null, id: g.id, name: g.name})),
        }
      : {}),
  }
}

/**
 * The filters users/search and users/count share (jira.js multiDirectoryUserSearchRequest.ts, getDirectoryUsersCount.ts).
 * The others they document (resourceIds, mfaEnabled, claimStatus, accountStatus, membershipStatus, roleIds,
 * emailDomains) are accepted and ignored by both alike.
 */
interface UserFilter {
  accountIds?: string[]
  directoryIds?: string[]
  groupIds?: string[]
  searchTerm?: string
  status?: string[]
}

interface UserSearch extends UserFilter {
  cursor?: string
  emails?: string[]
  expand?: string[]
  limit?: number
  sortBy?: {direction?: string; field?: string}[]
}

/** What a search cursor carries: the request, where the next page starts and, when sorted, the last key looked at. */
interface SearchCursor extends UserSearch {
  offset: number
  after?: OrderKey
}

/**
 * Whether a user is one a search or a count with `filter` takes: in one of the path's `directories` (and of
 * `directoryIds`), and matching every filter given. searchTerm: a part of the display name or the email, any case.
 */
function userMatcher(state: FakeState, directories: ReadonlySet<string>, filter: UserFilter) {
  const accountIds = filter.accountIds ? new Set(filter.accountIds) : undefined
  const term = filter.searchTerm?.toLowerCase()
  const {groupIds} = filter
  const wantedStatus = filter.status ? new Set(filter.status) : undefined
  const wantedDirectories = filter.directoryIds ? new Set(filter.directoryIds) : undefined
  return (u: FakeUser) =>
    directories.has(u.directoryId) &&
    (!wantedDirectories || wantedDirectories.has(u.directoryId)) &&
    (!accountIds || accountIds.has(u.accountId)) &&
    (!term || u.name.toLowerCase().includes(term) || u.email.toLowerCase().includes(term)) &&
    (!groupIds || groupIds.some((g) => groupIdsOf(state, u.accountId).has(g))) &&
    (!wantedStatus || wantedStatus.has(statuses(u).status))
}

/**
 * The direction a search lists in, from its `sortBy` (jira.js: "Currently, only a single field can be sorted by",
 * field "nick_name", direction "asc" | "desc"; none or an empty list: the default order). Another field, more than one
 * entry or another direction is off-contract. behaviour.userSearchSort 'refused': any sortBy is a 400; 'ignored': the
 * default order.
 */
function sortDirection(ctx: RouteContext, sortBy: UserSearch['sortBy']): SortDirection | undefined {
  if (!sortBy || sortBy.length === 0) return undefined
  const mode = ctx.state.behaviour.userSearchSort
  if (mode === 'refused')
    throw new FakeHttpError(
      400,
      'sortBy is not supported: users cannot be sorted by this search.',
      'ADMIN-400-24',
      {},
      'Unsupported sortBy',
    )
  if (sortBy.length > 1)
    throw ctx.offContract(`POST ${ctx.path}: sortBy takes one field only (jira.js), got ${sortBy.length}`)
  const [{direction, field}] = sortBy
  if (field !== 'nick_name')
    throw ctx.offContract(
      `POST ${ctx.path}: sortBy field ${JSON.stringify(field)} cannot be sorted by (only "nick_name")`,
    )
  if (direction !== 'asc' && direction !== 'desc')
    throw ctx.offContract(`POST ${ctx.path}: sortBy direction ${JSON.stringify(direction)} is not "asc" or "desc"`)
  return mode === 'ignored' ? undefined : direction
}

/** A sort key read back from a cursor; a cursor that does not hold one is refused as any bad cursor is. */
function cursorKey(cursor: string, after: unknown): OrderKey {
  const key = after as Partial<OrderKey> | undefined
  if (typeof key?.nickname === 'string' && typeof key.accountId === 'string')
    return {accountId: key.accountId, nickname: key.nickname}
  throw new FakeHttpError(400, `Invalid page cursor: ${cursor}`, 'ADMIN-400-1')
}

/** users/count's query parameters (jira.js getDirectoryUsersCount): lists as repeated parameters, the rest single. */
const COUNT_LISTS = [
  'accountIds',
  'accountStatus',
  'directoryIds',
  'emailDomains',
  'groupIds',
  'membershipStatus',
  'resourceIds',
  'roleIds',
  'status',
] as const
const COUNT_SINGLES = ['claimStatus', 'mfaEnabled', 'searchTerm'] as const

/**
 * The filter of a users/count request. A list is read from repeated parameters (`status=active&status=suspended`), a
 * value with a comma stays one value; `mfaEnabled` is "true" or "false". An unknown or repeated single parameter, or
 * another mfaEnabled, is off-contract: a misspelt filter would otherwise be dropped and the count silently wrong.
 */
function countFilter(ctx: RouteContext): UserFilter {
  const known = new Set<string>([...COUNT_LISTS, ...COUNT_SINGLES])
  for (const name of new Set(ctx.query.keys())) {
    if (!known.has(name)) throw ctx.offContract(`GET ${ctx.path}: unknown query parameter "${name}"`)
    if ((COUNT_SINGLES as readonly string[]).includes(name) && ctx.query.getAll(name).length > 1)
      throw ctx.offContract(`GET ${ctx.path}: query parameter "${name}" given more than once`)
  }

  const mfa = ctx.query.get('mfaEnabled')
  if (mfa !== null && mfa !== 'true' && mfa !== 'false')
    throw ctx.offContract(`GET ${ctx.path}: mfaEnabled must be "true" or "false", not ${JSON.stringify(mfa)}`)
  const list = (name: (typeof COUNT_LISTS)[number]) => {
    const values = ctx.query.getAll(name)
    return values.length > 0 ? values : undefined
  }

  return {
    accountIds: list('accountIds'),
    directoryIds: list('directoryIds'),
    groupIds: list('groupIds'),
    searchTerm: ctx.query.get('searchTerm') ?? undefined,
    status: list('status'),
  }
}

/** The groups of the user's own directory it is a member of (§5 expand "groups": "within the requested directory"). */
function directoryGroupsOf(ctx: RouteContext, user: FakeUser): FakeGroup[] {
  const groups: FakeGroup[] = []
  for (const id of groupIdsOf(ctx.state, user.accountId)) {
    const group = findGroup(ctx.state, id)
    if (group && group.directoryId === user.directoryId) groups.push(group)
  }

  return groups
}

/** A Confluence site ARI of one of the org's sites; undefined otherwise (a Jira ARI, another org's site, garbage). */
function orgSite(ctx: RouteContext, org: FakeOrg, resource: string | undefined): FakeSite | undefined {
  const site = findSite(ctx.state, cloudIdOfAri(resource))
  return site && site.orgId === org.id ? site : undefined
}

/** The user `accountId` if it belongs to one of the org's directories; 404 ADMIN-404-8 otherwise. */
function requireOrgUser(
  ctx: RouteContext,
  org: FakeOrg,
  accountId: string,
  directoryIds?: ReadonlySet<string>,
): FakeUser {
  const user = findUser(ctx.state, accountId)
  if (!user || orgOfUser(ctx.state, user) !== org.id || (directoryIds && !directoryIds.has(user.directoryId))) {
    throw new FakeHttpError(404, `User ${accountId} not found`, 'ADMIN-404-8')
  }

  return user
}

/** What a licence error looks like on the Admin API (title and detail carry the LicenceExceededException; code UNCONFIRMED). */
export const licenceError = (cloudId: string) =>
  new FakeHttpError(400, licenceExceeded(cloudId), 'ADMIN-400-LICENCE', {}, 'LicenceExceededException')

export const adminUserRoutes: Route[] = [
  {
    handler(ctx) {
      const org = requireOrg(ctx, ctx.params.orgId)
      const directories = new Set(requireDirectories(ctx, org, ctx.params.directoryId).map((d) => d.id))
      const body = (ctx.body ?? {}) as UserSearch
      // §5: "emails and searchTerm are mutually exclusive (400 if both)".
      if (body.emails && body.searchTerm !== undefined)
        throw ctx.offContract(
          `POST ${ctx.path}: "emails" and "searchTerm" may not be sent together (atlassian-api.md §5)`,
        )
      const request: SearchCursor = body.cursor ? decodeCursor<SearchCursor>(body.cursor) : {...body, offset: 0}
      const limit = body.limit ?? request.limit ?? SEARCH_DEFAULT_LIMIT
      const direction = sortDirection(ctx, request.sortBy)
      const {state} = ctx
      // Exact email match, case-insensitive, through the index; hidden emails match too (the Admin API sees them).
      let candidates: readonly FakeUser[]
      if (request.emails) {
        const seen = new Set<FakeUser>()
        for (const e of request.emails) {
          const u = findUserByEmail(state, e)
          if (u) seen.add(u)
        }

        candidates = direction ? sortUsers([...seen], direction) : [...seen]
      } else {
        candidates = direction ? usersInOrder(state, direction) : state.users
      }

      const matches = userMatcher(state, directories, request)
      // The cursor's offset is a position among the candidates, not among the matches: a page reads about `limit`
      // users, not the whole directory (100,000 users in the benchmark), and the next page starts where it stopped.
      // Sorted, the next page starts after the last key looked at (found by binary search), so users added or removed
      // meanwhile shift no one into or out of the rest of the listing.
      let position =
        direction && body.cursor && request.after
          ? positionAfter(candidates, direction, cursorKey(body.cursor, request.after))
          : request.offset
      const items: FakeUser[] = []
      for (; position < candidates.length && items.length < limit; position++)
        if (matches(candidates[position])) items.push(candidates[position])
      let more = false
      for (let i = position; i < candidates.length && !more; i++) more = matches(candidates[i])
      const {after: _after, cursor: _cursor, offset: _offset, ...filter} = request
      const next = more
        ? encodeCursor({
            ...filter,
            limit,
            offset: position,
            ...(direction && position > 0 ? {after: keyOf(candidates[position - 1])} : {}),
          })
        : undefined
      // §5 UNCONFIRMED: whether a search that does not name the email shows a hidden one (`emails` names it).
      const hideHidden = !request.emails && state.behaviour.adminSearchHiddenEmails === 'omitted'
      const expand = body.expand ?? request.expand
      const withGroups = expand?.includes('groups') ?? false
      const data = items.map((u) =>
        directoryUser(u, state, {
          groups: withGroups ? directoryGroupsOf(ctx, u) : undefined,
          withoutEmail: hideHidden && !u.emailVisible,
        }),
      )
      return json(200, {data, links: next ? {next} : {}})
    },
    method: 'POST',
    path: '/admin/v2/orgs/{orgId}/directories/{directoryId}/users/search',
  },
  {
    handler(ctx) {
      if (ctx.state.behaviour.userCount === 'missing')
        throw new FakeHttpError(404, `Nothing at GET ${ctx.path} on this fake Atlassian.`)
      const org = requireOrg(ctx, ctx.params.orgId)
      const directories = new Set(requireDirectories(ctx, org, ctx.params.directoryId).map((d) => d.id))
      const matches = userMatcher(ctx.state, directories, countFilter(ctx))
      let count = 0
      for (const u of ctx.state.users) if (matches(u)) count++
      // 'off-by-one': one account the search cannot list, as a managed account outside every directory would be.
      if (ctx.state.behaviour.userCount === 'off-by-one') count++
      return json(200, {count})
    },
    method: 'GET',
    path: '/admin/v2/orgs/{orgId}/directories/{directoryId}/users/count',
  },
  {
    handler(ctx) {
      const org = requireOrg(ctx, ctx.params.orgId)
      // §2a: "Only available to orgs with at least one paid subscription." Answered in the proxy shape {code, message}.
      if (org.paidSubscription === false) {
        return json(402, {
          code: 402,
          message: 'The invite API is only available to organizations with at least one paid subscription.',
        })
      }

      const body = ctx.body as {
        emails: string[]
        permissionRules?: {resource: string; role: FakeRoleId}[]
        additionalGroups?: string[]
        sendNotification?: boolean
        notificationText?: string
      }
      const {behaviour} = ctx.state
      // §5: a wrapper caps a request at 25 emails (UNCONFIRMED); over the cap the whole request is refused.
      if (body.emails.length > behaviour.inviteEmailCap)
        throw new FakeHttpError(
          400,
          `At most ${behaviour.inviteEmailCap} emails can be invited in one request (got ${body.emails.length}).`,
          'ADMIN-400-24',
          {},
          'Too many emails',
        )
      // §5: atlassian/user-access-admin (or any role outside the invite roles) refuses the whole batch.
      const badRoles = (body.permissionRules ?? []).map((r) => r.role).filter((r) => !inviteRoles.includes(r))
      if (behaviour.inviteRoleValidation && badRoles.length > 0)
        throw new FakeHttpError(
          400,
          `Invalid role for an invitation: ${badRoles.join(', ')}. Valid roles: ${inviteRoles.join(', ')}.`,
          'ADMIN-400-24',
          {},
          'Invalid role',
        )
      // §4b: a service account is created in admin.atlassian.com, never invited. How Atlassian refuses one is
      // UNCONFIRMED; here the whole request is refused, so a client that sends one learns it at once.
      const serviceAccounts = body.emails.filter((e) => isServiceAccountEmail(e))
      if (serviceAccounts.length > 0)
        throw new FakeHttpError(
          400,
          `Service accounts cannot be invited: ${serviceAccounts.join(', ')}. Create service accounts in admin.atlassian.com > Directory > Service accounts.`,
          'ADMIN-400-24',
          {},
          'Invalid email',
        )
      const invalid = body.emails.filter((e) => !isEmail(e))
      if (invalid.length > 0)
        throw new FakeHttpError(
          400,
          `Invalid email address: ${invalid.join(', ')}`,
          'ADMIN-400-24',
          {},
          'Invalid email',
        )
      // §5: the directory that holds the site's users (of the first rule's site, else the org's first site).
      const firstSite =
        orgSite(ctx, org, body.permissionRules?.[0]?.resource) ?? ctx.state.sites.find((s) => s.orgId === org.id)
      const directory = (firstSite && siteDirectory(ctx.state, firstSite)) ?? orgDirectories(ctx.state, org.id)[0]
      if (!directory)
        throw new FakeHttpError(400, `Organization ${org.id} has no directory to invite users into`, 'ADMIN-400-24')
      const {state} = ctx
      const seen = new Set<string>()
      const data = []
      for (const email of body.emails) {
        const key = email.toLowerCase()
        if (seen.has(key)) continue
        seen.add(key)
        const user = findUserByEmail(state, email) ?? newAccount(ctx, directory.id, email)
        // §5: the invitee gets an email only with sendNotification and a notificationText.
        if (body.sendNotification && body.notificationText)
          state.sentInviteEmails.push({email: user.email, orgId: org.id, text: body.notificationText})
        const roleAssignmentResult = (body.permissionRules ?? []).map(({resource, role}) => {
          const site = orgSite(ctx, org, resource)
          if (!site) return {resource, role, status: 'ERROR', statusReason: 'Empty/Invalid Resource'}
          const granted = grantSiteRole(state, user.accountId, site.cloudId, role)
          return granted.ok
            ? {resource, role, status: 'INVITED', statusReason: null}
            : {resource, role, status: 'ERROR', statusReason: granted.reason}
        })
        const groupAssignmentResult = (body.additionalGroups ?? []).map((groupId) => {
          const group = findGroup(state, groupId)
          if (!group || findDirectoryOrg(ctx, group.directoryId) !== org.id)
            return {group: groupId, status: 'ERROR', statusReason: 'Group not found'}
          if (group.managedByIdp)
            return {group: groupId, status: 'ERROR', statusReason: 'Group is managed by an identity provider'}
          const full = licenceProblem(state, user.accountId, billableSitesOfGroup(state, groupId))
          if (full) return {group: groupId, status: 'ERROR', statusReason: licenceExceeded(full)}
          addMembership(state, groupId, user.accountId)
          return {group: groupId, status: 'INVITED', statusReason: null}
        })
        data.push({email: user.email, id: user.accountId, results: [{groupAssignmentResult, roleAssignmentResult}]})
      }

      return json(200, {data})
    },
    method: 'POST',
    path: '/admin/v2/orgs/{orgId}/users/invite',
  },
  {
    handler(ctx) {
      const org = requireOrg(ctx, ctx.params.orgId)
      const directories = new Set(requireDirectories(ctx, org, ctx.params.directoryId).map((d) => d.id))
      const user = requireOrgUser(ctx, org, ctx.params.accountId, directories)
      const cursor = ctx.query.get('cursor')
      const offset = cursor ? decodeCursor(cursor).offset : 0
      const limit = Number(ctx.query.get('limit') ?? ROLES_DEFAULT_LIMIT)
      const list = (name: string) => {
        const values = ctx.query
          .getAll(name)
          .flatMap((v) => v.split(','))
          .filter(Boolean)
        return values.length > 0 ? new Set(values) : undefined
      }

      const resourceIds = list('resourceIds')
      const roleIds = list('roleIds')
      const assignments = rolesOf(ctx.state, user.accountId).filter(
        (r) =>
          r.resourceId !== '' &&
          orgSite(ctx, org, r.resourceId) &&
          (!resourceIds || resourceIds.has(r.resourceId)) &&
          (!roleIds || roleIds.has(r.roleId)),
      )
      const {items, next} = page(assignments, offset, limit)
      return json(200, {data: items, links: next ? {next} : {}})
    },
    method: 'GET',
    path: '/admin/v2/orgs/{orgId}/directories/{directoryId}/users/{accountId}/role-assignments',
  },
  {
    handler(ctx) {
      const org = requireOrg(ctx, ctx.params.orgId)
      const user = requireOrgUser(ctx, org, ctx.params.accountId)
      const {resource, role} = ctx.body as {role: FakeRoleId; resource?: string}
      if (role === 'atlassian/org-admin') {
        addRoleAssignment(ctx.state, user.accountId, '', role)
        return json(204)
      }

      // §3a, ID-8887: the exact error Atlassian gives for a resource it does not know.
      const site = orgSite(ctx, org, resource)
      if (!site)
        throw new FakeHttpError(400, 'Cloud Resource is invalid', 'ADMIN-UAM-400-5', {}, 'Empty/Invalid Resource')
      const granted = grantSiteRole(ctx.state, user.accountId, site.cloudId, role)
      if (!granted.ok) throw licenceError(site.cloudId)
      return json(204)
    },
    method: 'POST',
    path: '/admin/v1/orgs/{orgId}/users/{accountId}/roles/assign',
  },
]

/** An account an Admin API invite created: Confluence learns of it after behaviour.propagationDelayMs (§3). */
function newAccount(ctx: RouteContext, directoryId: string, email: string) {
  const user = addUser(ctx.state, {directoryId, email})
  const delay = ctx.state.behaviour.propagationDelayMs
  if (delay > 0) user.confluenceKnownAt = ctx.now() + delay
  return user
}

const findDirectoryOrg = (ctx: RouteContext, directoryId: string) => findDirectory(ctx.state, directoryId)?.orgId
