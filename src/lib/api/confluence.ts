/**
 * Confluence calls on the site (or gateway) client: users, groups, invite by email, spaces and space permissions.
 * Typed calls only; which route to take is the services' choice. Shapes follow the official v1 and v2 specs in
 * contracts/ (docs/atlassian-api.md §2b, §4c, §6). Writes are sent once: only read-only POSTs ask the HTTP
 * client for retries.
 */
import type {Got} from 'got'

import {isAtlassianError} from '../http/errors.js'
import {CfadminError, ExitCode} from '../errors.js'
import {paginateV1, paginateV2, type SearchParams} from '../http/paginate.js'
import {batches, uniqueIgnoringCase, withoutUndefined} from './shared.js'

/** Emails per invite-by-email / check-access-by-email request (the v2 spec's maxItems). */
export const CONFLUENCE_EMAIL_BATCH = 100
/** Keys per GET /spaces request and its page size (the v2 spec's maxima). */
export const SPACE_BATCH = 250
/** Page size of the v1 group lists (their documented default and maximum). */
export const GROUP_PAGE = 200

const enc = encodeURIComponent

export interface ConfluenceUser {
  accountId: string
  displayName: string
  /** Absent when the user hides it (Confluence then sends "" or null). */
  email?: string
  /** "atlassian" or "app". */
  accountType?: string
}

interface RawUser {
  accountId?: string
  displayName?: string | null
  publicName?: string
  email?: string | null
  accountType?: string
}

/** A user by account ID: GET wiki/rest/api/user?accountId= (v1 getUser); undefined when Confluence answers 404. */
export async function getUser(site: Got, accountId: string): Promise<ConfluenceUser | undefined> {
  const body = await undefinedOn404(site.get('wiki/rest/api/user', {searchParams: {accountId}}).json<RawUser>())
  return body ? toUser(body, accountId) : undefined
}

/** The groups a user belongs to: GET wiki/rest/api/user/memberof?accountId= (v1, paged). */
export async function getUserGroups(site: Got, accountId: string): Promise<Array<{id: string; name: string}>> {
  return collectGroups(paginateV1<RawGroup>(site, 'wiki/rest/api/user/memberof', {accountId}, GROUP_PAGE))
}

export interface ConfluenceGroup {
  id: string
  name: string
}

interface RawGroup {
  id?: string
  name?: string
}

/** Every group on the site: GET wiki/rest/api/group (v1, 200 a page). */
export async function listGroups(site: Got): Promise<ConfluenceGroup[]> {
  return collectGroups(paginateV1<RawGroup>(site, 'wiki/rest/api/group', {}, GROUP_PAGE))
}

/**
 * A group by its exact name, any case: GET wiki/rest/api/group/picker?query=NAME (v1; the by-name route is gone,
 * atlassian-2026.md §2), paged, until a group whose name equals NAME ignoring case; undefined when none does. The
 * picker matches parts of names, so an exact match is picked from its answer.
 */
export async function findGroupByName(site: Got, name: string): Promise<ConfluenceGroup | undefined> {
  const wanted = name.toLowerCase()
  for await (const raw of paginateV1<RawGroup>(site, 'wiki/rest/api/group/picker', {query: name}, GROUP_PAGE)) {
    const group = toGroup(raw)
    if (group && group.name.toLowerCase() === wanted) return group
  }

  return undefined
}

/** The Confluence access a group can give: GET wiki/rest/api/group?accessType= (v1 getGroups). */
export type GroupAccessType = 'user' | 'admin' | 'site-admin'

/**
 * The groups that give this Confluence access on the site: GET wiki/rest/api/group?accessType= (v1, paged). The
 * default groups may be renamed or carry no site suffix (atlassian-2026.md §2): this finds them by what they give.
 */
export async function listGroupsGiving(site: Got, accessType: GroupAccessType): Promise<ConfluenceGroup[]> {
  return collectGroups(paginateV1<RawGroup>(site, 'wiki/rest/api/group', {accessType}, GROUP_PAGE))
}

/** Create a group: POST wiki/rest/api/group `{name}` (v1, 201 Group; site admin), sent once. */
export async function createGroup(site: Got, name: string): Promise<ConfluenceGroup> {
  const body = await site.post('wiki/rest/api/group', {json: {name}}).json<RawGroup>()
  const group = toGroup(body, name)
  if (group) return group
  throw new CfadminError(`Confluence created the group "${name}" but its answer has no group ID.`, {
    code: 'UNEXPECTED_RESPONSE',
    // Atlassian's side, and worth running again: exit 5, not a cfadmin bug.
    exit: ExitCode.unreachable,
    hint: 'Run the command again: the group is looked up by name before it is created again.',
  })
}

/** Add a user to a group: POST wiki/rest/api/group/userByGroupId?groupId= `{accountId}` (v1, 201; site admin), sent once. */
export async function addGroupMember(site: Got, groupId: string, accountId: string): Promise<void> {
  // Safe to resend: adding a member twice changes nothing, and the engine checked first.
  await site.post('wiki/rest/api/group/userByGroupId', {
    context: {retry: true},
    json: {accountId},
    searchParams: {groupId},
  })
}

/** A group's members: GET wiki/rest/api/group/{groupId}/membersByGroupId (v1, paged). */
export async function listGroupMembers(site: Got, groupId: string): Promise<ConfluenceUser[]> {
  const members: ConfluenceUser[] = []
  for await (const user of paginateV1<RawUser>(
    site,
    `wiki/rest/api/group/${enc(groupId)}/membersByGroupId`,
    {},
    GROUP_PAGE,
  )) {
    const member = toUser(user)
    if (member) members.push(member)
  }

  return members
}

/**
 * Invite people to the site by email: POST wiki/api/v2/user/access/invite-by-email `{emails}` (§2b; experimental,
 * asynchronous), 100 emails a request, each sent once. Confluence ignores invalid emails and people who already
 * have access; what access the invitees get follows the site's invite settings (UNCONFIRMED).
 */
export async function inviteByEmail(site: Got, emails: string[]): Promise<void> {
  for (const batch of batches(uniqueIgnoringCase(emails), CONFLUENCE_EMAIL_BATCH)) {
    await site.post('wiki/api/v2/user/access/invite-by-email', {json: {emails: batch}})
  }
}

/**
 * Which of these emails have no access to the site, and which Confluence calls invalid:
 * POST wiki/api/v2/user/access/check-access-by-email `{emails}` (§2b), 100 emails a request (read-only: retried).
 */
export async function emailsWithoutAccess(
  site: Got,
  emails: string[],
): Promise<{withoutAccess: string[]; invalid: string[]}> {
  const withoutAccess: string[] = []
  const invalid: string[] = []
  for (const batch of batches(uniqueIgnoringCase(emails), CONFLUENCE_EMAIL_BATCH)) {
    const body = await site
      .post('wiki/api/v2/user/access/check-access-by-email', {context: {retry: true}, json: {emails: batch}})
      .json<{emailsWithoutAccess?: unknown; invalidEmails?: unknown}>()
    withoutAccess.push(...strings(body?.emailsWithoutAccess))
    invalid.push(...strings(body?.invalidEmails))
  }

  return {invalid, withoutAccess}
}

export interface Space {
  id: string
  key: string
  name: string
  /** One of SPACE_TYPES as the list call reports it (the by-id read may say otherwise, atlassian-2026.md §1a). */
  type: string
  /** current | archived ('' when Confluence did not say). */
  status: string
}

export interface SpaceFilter {
  /** Only these keys; an empty list asks nothing and gives no spaces. */
  keys?: string[]
  /** Only current or only archived spaces; absent: both. */
  status?: 'current' | 'archived'
}

interface RawSpace {
  id?: string | number
  key?: string
  name?: string
  type?: string
  status?: string
}

/**
 * Spaces, optionally only some keys or one status: GET wiki/api/v2/spaces?keys=A,B&status=&limit=250 (§6c; keys as
 * the spec's comma-separated list), 250 keys a request, following the cursor. Types are not asked for: the spec's
 * `type` takes one value, so the callers filter the one listing by type. With keys, a space whose key was not asked
 * for is dropped, whatever the server sent: only the spaces named are ever acted on.
 */
export async function listSpaces(site: Got, filter: SpaceFilter = {}): Promise<Space[]> {
  const asked = filter.keys === undefined ? undefined : new Set(filter.keys)
  const keyBatches = asked === undefined ? [undefined] : batches([...asked], SPACE_BATCH)
  const spaces: Space[] = []
  for (const keys of keyBatches) {
    const params: SearchParams = {}
    if (keys) params.keys = keys.join(',')
    if (filter.status) params.status = filter.status
    for await (const space of paginateV2<RawSpace>(site, 'wiki/api/v2/spaces', params, SPACE_BATCH)) {
      if (space.id === undefined || space.id === null || typeof space.key !== 'string') continue
      if (asked && !asked.has(space.key)) continue
      spaces.push({
        id: String(space.id),
        key: space.key,
        name: space.name ?? space.key,
        status: space.status ?? '',
        type: space.type ?? '',
      })
    }
  }

  return spaces
}

export interface SpacePermission {
  principalType: 'user' | 'group' | 'role'
  principalId: string
  /** "<key>:<targetType>", e.g. "read:space". */
  operation: string
}

interface RawSpacePermission {
  principal?: {type?: string; id?: string}
  operation?: {key?: string; targetType?: string}
}

/** Who holds which permission on a space: GET wiki/api/v2/spaces/{id}/permissions (§6b, 250 a page). */
export async function getSpacePermissions(site: Got, spaceId: string): Promise<SpacePermission[]> {
  const permissions: SpacePermission[] = []
  for await (const p of paginateV2<RawSpacePermission>(
    site,
    `wiki/api/v2/spaces/${enc(spaceId)}/permissions`,
    {},
    SPACE_BATCH,
  )) {
    const type = p.principal?.type
    if ((type !== 'user' && type !== 'group' && type !== 'role') || typeof p.principal?.id !== 'string') continue
    permissions.push({
      operation: `${p.operation?.key ?? ''}:${p.operation?.targetType ?? ''}`,
      principalId: p.principal.id,
      principalType: type,
    })
  }

  return permissions
}

export interface PermissionSubject {
  type: 'user' | 'group'
  /** accountId (or "anonymous") for a user; group ID (or, deprecated, name) for a group. */
  identifier: string
}

export const VIEW_SPACE = {key: 'read', target: 'space'} as const

/**
 * Grant one permission on a space (default: View, read:space): POST wiki/rest/api/space/{key}/permission
 * `{subject, operation}` (§6a; space admin), sent once. 'already' when Confluence answers 400 saying the permission
 * already exists (message text UNCONFIRMED: matched on "already exist", any case); every other error is thrown.
 */
export async function addSpacePermission(
  site: Got,
  spaceKey: string,
  subject: PermissionSubject,
  operation: {key: string; target: string} = VIEW_SPACE,
): Promise<'added' | 'already'> {
  const json = {
    operation: {key: operation.key, target: operation.target},
    subject: {identifier: subject.identifier, type: subject.type},
  }
  try {
    // Safe to resend: a second add answers "already exists", which counts as done.
    await site.post(`wiki/rest/api/space/${enc(spaceKey)}/permission`, {context: {retry: true}, json})
    return 'added'
  } catch (error) {
    if (isAtlassianError(error, 400) && /already exist/i.test(error.atlassianMessage ?? error.message)) return 'already'
    if (isAtlassianError(error) && error.family === 'gateway' && (error.status === 401 || error.status === 403)) {
      // §6a: this endpoint lists 3LO scopes, yet is reported to refuse OAuth tokens (UNCONFIRMED); say what works.
      throw new CfadminError(`${error.message} (space permissions may not accept OAuth logins)`, {
        cause: error,
        code: error.code,
        exit: error.exit,
        hint: 'Add an API token of a space or site admin to the profile, which cfadmin then uses here: cfadmin auth login --email <you@example.com>.',
      })
    }

    throw error
  }
}

/** The caller's admin key on the site (v2 admin-key, §1c): its expiry, or undefined when none is on (404). */
export async function getAdminKey(site: Got): Promise<{expirationTime?: string} | undefined> {
  return undefinedOn404(site.get('wiki/api/v2/admin-key').json<{expirationTime?: string}>())
}

/**
 * Switch the caller's admin key on for `minutes` (POST wiki/api/v2/admin-key `{durationInMinutes}`; the spec allows up
 * to 60). A 404 means the site or the caller cannot have one (not Premium/Enterprise, not an admin).
 */
export async function enableAdminKey(site: Got, minutes: number): Promise<{expirationTime?: string}> {
  return site.post('wiki/api/v2/admin-key', {json: {durationInMinutes: minutes}}).json<{expirationTime?: string}>()
}

/** Switch the caller's admin key off: DELETE wiki/api/v2/admin-key (204, also when none was on). */
export async function disableAdminKey(site: Got): Promise<void> {
  await site.delete('wiki/api/v2/admin-key')
}

async function undefinedOn404<T>(request: Promise<T>): Promise<T | undefined> {
  try {
    return await request
  } catch (error) {
    if (isAtlassianError(error, 404)) return undefined
    throw error
  }
}

async function collectGroups(pages: AsyncIterable<RawGroup>): Promise<ConfluenceGroup[]> {
  const groups: ConfluenceGroup[] = []
  for await (const raw of pages) {
    const group = toGroup(raw)
    if (group) groups.push(group)
  }

  return groups
}

function toGroup(raw: RawGroup | undefined, fallbackName?: string): ConfluenceGroup | undefined {
  if (!raw || typeof raw.id !== 'string' || raw.id === '') return undefined
  const name = typeof raw.name === 'string' && raw.name !== '' ? raw.name : fallbackName
  return name === undefined ? undefined : {id: raw.id, name}
}

function toUser(raw: RawUser | undefined, fallbackAccountId?: string): ConfluenceUser | undefined {
  const accountId = typeof raw?.accountId === 'string' && raw.accountId !== '' ? raw.accountId : fallbackAccountId
  if (!raw || accountId === undefined) return undefined
  return withoutUndefined({
    accountId,
    accountType: raw.accountType || undefined,
    displayName: raw.displayName || raw.publicName || accountId,
    email: raw.email || undefined,
  })
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []
}
