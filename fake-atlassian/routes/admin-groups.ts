import {requireDirectories, requireOrg} from '../auth.js'
import {FakeHttpError} from '../errors.js'
import {
  addGroup,
  addMembership,
  billableSitesOfGroup,
  findGroup,
  findGroupsByName,
  findUser,
  groupIdsOf,
  licenceProblem,
  membersOf,
  orgOfUser,
} from '../model.js'
import {json, type Route, type RouteContext} from '../router.js'
import type {FakeGroup} from '../types.js'
import {licenceError} from './admin-users.js'
import {decodeCursor, page} from './paging.js'

/**
 * Admin API v2: directory groups (atlassian-api.md §4a). Bearer Admin API key; org must be the key's, directory the
 * org's ("-" = all of the org's directories, for search).
 */

const SEARCH_DEFAULT_LIMIT = 20

/** The group object of §4a (jira.js multiDirectoryGroup.ts); counts only with expand. */
export function directoryGroup(group: FakeGroup, ctx: RouteContext, counts = false) {
  return {
    description: group.description ?? '',
    directoryId: group.directoryId,
    externalSynced: Boolean(group.managedByIdp),
    id: group.id,
    managedBy: group.managedByIdp ? 'external' : 'admins',
    name: group.name,
    ...(counts ? {counts: {users: membersOf(ctx.state, group.id).size}} : {}),
  }
}

interface GroupSearch {
  accountIds?: string[]
  cursor?: string
  expand?: string[]
  groupIds?: string[]
  groupNames?: string[]
  limit?: number
  searchTerm?: string
}

/** A group of the directories `directoryId` stands for; 404 ADMIN-404-10 otherwise. */
function requireGroup(ctx: RouteContext, directoryIds: ReadonlySet<string>, groupId: string): FakeGroup {
  const group = findGroup(ctx.state, groupId)
  if (!group || !directoryIds.has(group.directoryId))
    throw new FakeHttpError(404, `Group ${groupId} not found`, 'ADMIN-404-10')
  return group
}

export const adminGroupRoutes: Route[] = [
  {
    handler(ctx) {
      const org = requireOrg(ctx, ctx.params.orgId)
      const directories = new Set(requireDirectories(ctx, org, ctx.params.directoryId).map((d) => d.id))
      const body = (ctx.body ?? {}) as GroupSearch
      // jira.js MultiDirectoryGroupSearchRequest: groupNames is "mutually exclusive with searchTerm and groupIds —
      // providing either combination returns a 400 Bad Request". Other filters combine with AND.
      if (body.groupNames && (body.searchTerm !== undefined || body.groupIds)) {
        throw ctx.offContract(`POST ${ctx.path}: "groupNames" may not be sent with "searchTerm" or "groupIds"`)
      }

      const request: GroupSearch & {offset: number} = body.cursor
        ? decodeCursor<GroupSearch & {offset: number}>(body.cursor)
        : {...body, offset: 0}
      const limit = body.limit ?? request.limit ?? SEARCH_DEFAULT_LIMIT
      const {state} = ctx
      const candidates: FakeGroup[] = request.groupNames
        ? [...new Set(request.groupNames.flatMap((n) => findGroupsByName(state, n, directories)))]
        : request.groupIds
          ? request.groupIds.map((id) => findGroup(state, id)).filter((g): g is FakeGroup => g !== undefined)
          : state.groups
      const groupIds = request.groupIds ? new Set(request.groupIds) : undefined
      const ofAccounts = request.accountIds
        ? new Set(request.accountIds.flatMap((a) => [...groupIdsOf(state, a)]))
        : undefined
      const term = request.searchTerm?.toLowerCase()
      const groups = candidates.filter(
        (g) =>
          directories.has(g.directoryId) &&
          (!groupIds || groupIds.has(g.id)) &&
          (!ofAccounts || ofAccounts.has(g.id)) &&
          (!term || g.name.toLowerCase().includes(term)),
      )
      const {cursor: _cursor, offset: _offset, ...filter} = request
      const {items, next} = page(groups, request.offset, limit, {...filter, limit})
      const counts = Boolean(request.expand?.includes('counts.users'))
      return json(200, {data: items.map((g) => directoryGroup(g, ctx, counts)), links: next ? {next} : {}})
    },
    method: 'POST',
    path: '/admin/v2/orgs/{orgId}/directories/{directoryId}/groups/search',
  },
  {
    handler(ctx) {
      const org = requireOrg(ctx, ctx.params.orgId)
      if (ctx.params.directoryId === '-')
        throw new FakeHttpError(400, 'Name one directory to create a group in, not "-"', 'ADMIN-400-24')
      const [directory] = requireDirectories(ctx, org, ctx.params.directoryId)
      const {description, name} = ctx.body as {name: string; description?: string}
      // Organizations spec (v1 create group): "The creation of new groups using existing group names is not permitted."
      // Answered 400, the status that operation documents (it lists no 409).
      if (findGroupsByName(ctx.state, name, new Set([directory.id])).length > 0) {
        throw new FakeHttpError(
          400,
          `A group named ${name} already exists in directory ${directory.id}`,
          'ADMIN-400-24',
          {},
          'Group already exists',
        )
      }

      const group = addGroup(ctx.state, {description, directoryId: directory.id, name})
      // §3: Confluence learns of a group the Admin API made only after a while.
      const delay = ctx.state.behaviour.propagationDelayMs
      if (delay > 0) group.confluenceKnownAt = ctx.now() + delay
      return json(201, directoryGroup(group, ctx, true))
    },
    method: 'POST',
    path: '/admin/v2/orgs/{orgId}/directories/{directoryId}/groups',
  },
  {
    handler(ctx) {
      const org = requireOrg(ctx, ctx.params.orgId)
      const directories = new Set(requireDirectories(ctx, org, ctx.params.directoryId).map((d) => d.id))
      const group = requireGroup(ctx, directories, ctx.params.groupId)
      const {accountId} = ctx.body as {accountId: string}
      const {state} = ctx
      const user = findUser(state, accountId)
      if (!user || orgOfUser(state, user) !== org.id)
        throw new FakeHttpError(404, `User ${accountId} not found`, 'ADMIN-404-8')
      // §4a: "cannot modify IdP-synced groups"; ADMIN-403-5 is the Organizations spec's "Not allowed to manage the group".
      if (group.managedByIdp) {
        throw new FakeHttpError(
          403,
          `Group ${group.name} is synced from an identity provider; change its members there.`,
          'ADMIN-403-5',
          {},
          'Group is managed by an identity provider',
        )
      }

      // §4a: "user must be in the same directory as the group".
      if (user.directoryId !== group.directoryId) {
        throw new FakeHttpError(
          400,
          `User ${accountId} is not in directory ${group.directoryId} of group ${group.name}`,
          'ADMIN-400-24',
          {},
          "User is not in the group's directory",
        )
      }

      if (groupIdsOf(state, accountId).has(group.id)) return json(204) // already a member: 204 too (UNCONFIRMED)
      // jira.js addUserToGroup: "Adding a user to the org-admin group through this API will return an error after the
      // Units rollout … This applies to all organizations" (atlassian-2026.md §5): refused unless the org says
      // `unitsRollout: false` (lenient). Status 400 and text UNCONFIRMED.
      if (
        group.name.toLowerCase() === 'org-admins' &&
        state.orgs.find((o) => o.id === org.id)?.unitsRollout !== false
      ) {
        throw new FakeHttpError(
          400,
          'Adding users to org-admins is no longer supported; assign the atlassian/org-admin role instead.',
          'ADMIN-400-24',
          {},
          'org-admins group is not supported after the Units rollout',
        )
      }

      // §4a: "adding fails if the app's user limit is exceeded" (the group gives a billable role on a full site).
      const full = licenceProblem(state, accountId, billableSitesOfGroup(state, group.id))
      if (full) throw licenceError(full)
      addMembership(state, group.id, accountId)
      return json(204)
    },
    method: 'POST',
    path: '/admin/v2/orgs/{orgId}/directories/{directoryId}/groups/{groupId}/memberships',
  },
]
