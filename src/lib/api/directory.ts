/**
 * Admin API calls on an organization's directory: users (find by email, roles, invite, role assignment) and
 * directory groups (search, create, add member). Typed calls only; which route to take is the services' choice.
 *
 * None of these endpoints is in the copied Organizations spec (contracts/README.md); their shapes come from
 * docs/atlassian-api.md §2a, §3a, §4a and §5 (jira.js, generated from the current Organizations spec). Writes are
 * sent once: the HTTP client retries a POST only when asked to, and only the searches (read-only) ask.
 */
import type {Got} from 'got'

import {CfadminError, ExitCode} from '../errors.js'
import {isAtlassianError} from '../http/errors.js'
import {paginateAdmin} from '../http/paginate.js'
import {batches, uniqueIgnoringCase, withoutUndefined} from './shared.js'

/** Emails per users/search request. */
export const ADMIN_EMAIL_BATCH = 100
/**
 * Emails per invite request: a third-party wrapper caps it at 25 (atlassian-2026.md §5, UNCONFIRMED), and 25 is safe
 * whichever is true.
 */
export const INVITE_EMAIL_BATCH = 25
/**
 * The roles an invitation may carry (atlassian-2026.md §5, from the spec via jira.js); any other role
 * (`atlassian/user-access-admin`) makes Atlassian refuse the whole batch, so it is given with roles/assign after.
 */
export const INVITE_ROLES: readonly string[] = [
  'atlassian/user',
  'atlassian/admin',
  'atlassian/guest',
  'atlassian/contributor',
  'atlassian/customer',
  'atlassian/basic',
  'atlassian/stakeholder',
  'atlassian/viewer',
]
/** Page size for groups/search: the doc's example value (§4a); the documented default is 20, the maximum is not known. */
export const GROUP_SEARCH_PAGE = 50

const enc = encodeURIComponent
export const directoryPath = (orgId: string, directoryId: string) =>
  `v2/orgs/${enc(orgId)}/directories/${enc(directoryId)}`

/** Atlassian's role IDs carry an `atlassian/` prefix ("atlassian/user"); accept the role with or without it. */
export function atlassianRoleId(role: string): string {
  return role.startsWith('atlassian/') ? role : `atlassian/${role}`
}

export interface DirectoryUser {
  accountId: string
  email?: string
  name?: string
  /** active | suspended | not_invited | deactivated | for_deletion (§5). */
  status?: string
  /** "atlassian" for people; what a service account shows is UNCONFIRMED ("app", or "atlassian" too: §4b). */
  accountType?: string
}

export interface RawDirectoryUser {
  accountId?: string
  accountType?: string
  email?: string
  name?: string
  status?: string
}

/**
 * The directory's users with these exact emails: POST v2/orgs/{orgId}/directories/{directoryId}/users/search
 * `{emails, limit: 100}` (§5), 100 emails a request, following the cursor. Emails nobody has are simply absent
 * from the result; the same email given twice (any case) is asked once.
 */
export async function searchUsersByEmail(
  admin: Got,
  orgId: string,
  directoryId: string,
  emails: string[],
): Promise<DirectoryUser[]> {
  const users: DirectoryUser[] = []
  for (const batch of batches(uniqueIgnoringCase(emails), ADMIN_EMAIL_BATCH)) {
    const json = {emails: batch, limit: ADMIN_EMAIL_BATCH}
    for await (const user of paginateAdmin<RawDirectoryUser>(
      admin,
      `${directoryPath(orgId, directoryId)}/users/search`,
      {json, method: 'POST'},
    )) {
      if (typeof user.accountId !== 'string' || user.accountId === '') continue
      users.push(
        withoutUndefined({
          accountId: user.accountId,
          accountType: typeof user.accountType === 'string' ? user.accountType : undefined,
          email: user.email,
          name: user.name,
          status: user.status,
        }),
      )
    }
  }

  return users
}

/** Role assignment entries in the shapes accepted (UNCONFIRMED, see getUserRoles). */
interface RawRoleAssignment {
  resourceId?: string
  roleId?: string
  resource?: string
  role?: string
  roles?: unknown
  roleAssignments?: unknown
}

/**
 * The user's roles: GET v2/orgs/{orgId}/directories/{directoryId}/users/{accountId}/role-assignments (§3a),
 * following the cursor, one entry per (resource, role).
 *
 * UNCONFIRMED shape: the doc names the endpoint only. Accepted per entry of `data`: `{resourceId, roleId}`,
 * `{resource, role}`, and the generated client's `{resourceId, roles: [roleId], roleAssignments: [{role}]}`.
 */
export async function getUserRoles(
  admin: Got,
  orgId: string,
  directoryId: string,
  accountId: string,
): Promise<Array<{resourceId: string; roleId: string}>> {
  const roles: Array<{resourceId: string; roleId: string}> = []
  const seen = new Set<string>()
  const add = (resourceId: unknown, roleId: unknown) => {
    if (typeof resourceId !== 'string' || typeof roleId !== 'string' || resourceId === '' || roleId === '') return
    const key = `${resourceId}\n${roleId}`
    if (seen.has(key)) return
    seen.add(key)
    roles.push({resourceId, roleId})
  }

  const path = `${directoryPath(orgId, directoryId)}/users/${enc(accountId)}/role-assignments`
  for await (const entry of paginateAdmin<RawRoleAssignment>(admin, path)) {
    if (!entry || typeof entry !== 'object') continue
    const resourceId = entry.resourceId ?? entry.resource
    add(resourceId, entry.roleId ?? entry.role)
    if (Array.isArray(entry.roles)) for (const role of entry.roles) add(resourceId, role)
    if (Array.isArray(entry.roleAssignments)) {
      for (const assignment of entry.roleAssignments as Array<{role?: unknown} | null>)
        add(resourceId, assignment?.role)
    }
  }

  return roles
}

export interface InviteOutcome {
  email: string
  /** The account Atlassian created or found for the email, when it said. */
  accountId?: string
  status: 'INVITED' | 'ERROR'
  reason?: string
}

export interface InviteRequest {
  emails: string[]
  /** The resource ARI, e.g. ari:cloud:confluence::site/<cloudId>. */
  resource: string
  /** "user" or "atlassian/user". */
  role: string
  groupIds?: string[]
  notify: boolean
  message?: string
}

interface AssignmentResult {
  status?: string
  statusReason?: string | null
  role?: string
  resource?: string
  group?: string
}

interface RawInviteResult {
  id?: string
  email?: string
  results?: Array<{roleAssignmentResult?: AssignmentResult[]; groupAssignmentResult?: AssignmentResult[]} | null>
}

/**
 * Invite people with a role on one resource, and optionally into groups: POST v2/orgs/{orgId}/users/invite
 * (§2a), 25 emails a request, sent once (never retried). One outcome per distinct email, in the order given:
 * ERROR when any of its role or group results is ERROR (reason: Atlassian's statusReason), or when Atlassian's
 * answer does not mention the email.
 *
 * A 402 (the Admin API invite needs an organization with a paid subscription; status UNCONFIRMED, third-party)
 * becomes NO_PAID_SUBSCRIPTION, exit 1.
 */
export async function inviteUsers(admin: Got, orgId: string, request: InviteRequest): Promise<InviteOutcome[]> {
  const outcomes: InviteOutcome[] = []
  for (const batch of batches(uniqueIgnoringCase(request.emails), INVITE_EMAIL_BATCH)) {
    const json = withoutUndefined({
      emails: batch,
      permissionRules: [{resource: request.resource, role: atlassianRoleId(request.role)}],
      additionalGroups: request.groupIds && request.groupIds.length > 0 ? request.groupIds : undefined,
      sendNotification: request.notify,
      notificationText: request.message,
    })
    let body: unknown
    try {
      body = await admin.post(`v2/orgs/${enc(orgId)}/users/invite`, {json}).json()
    } catch (error) {
      if (isAtlassianError(error, 402)) throw noPaidSubscription(error)
      throw error
    }

    const answers = new Map<string, RawInviteResult>()
    const data = body && typeof body === 'object' ? (body as {data?: unknown}).data : undefined
    if (Array.isArray(data)) {
      for (const entry of data as Array<RawInviteResult | null>) {
        if (entry && typeof entry.email === 'string') answers.set(entry.email.toLowerCase(), entry)
      }
    }

    for (const email of batch) outcomes.push(inviteOutcome(email, answers.get(email.toLowerCase())))
  }

  return outcomes
}

function inviteOutcome(email: string, answer: RawInviteResult | undefined): InviteOutcome {
  if (!answer) return {email, reason: "not in Atlassian's answer", status: 'ERROR'}
  const accountId = typeof answer.id === 'string' && answer.id !== '' ? answer.id : undefined
  const reasons: string[] = []
  let failed = false
  for (const result of answer.results ?? []) {
    for (const role of result?.roleAssignmentResult ?? []) {
      if (role?.status !== 'ERROR') continue
      failed = true
      reasons.push(role.statusReason || `role ${role.role ?? '?'} on ${role.resource ?? '?'} was not assigned`)
    }

    for (const group of result?.groupAssignmentResult ?? []) {
      if (group?.status !== 'ERROR') continue
      failed = true
      reasons.push(group.statusReason || `not added to group ${group.group ?? '?'}`)
    }
  }

  if (!failed) return withoutUndefined({accountId, email, status: 'INVITED' as const})
  return withoutUndefined({accountId, email, reason: [...new Set(reasons)].join('; '), status: 'ERROR' as const})
}

function noPaidSubscription(cause: Error): CfadminError {
  return new CfadminError(
    'Atlassian refused the invitation (402): the Admin API invite is only available to organizations with at least one paid subscription.',
    {
      cause,
      code: 'NO_PAID_SUBSCRIPTION',
      exit: ExitCode.badInput,
      hint: 'Invite without the Admin API key route (Confluence invite-by-email, with site credentials only), or invite from admin.atlassian.com.',
    },
  )
}

/**
 * Give a user a role on a resource: POST v1/orgs/{orgId}/users/{accountId}/roles/assign
 * `{role: "atlassian/<role>", resource}` (§3a), 204. The role is accepted with or without `atlassian/`.
 */
export async function assignUserRole(
  admin: Got,
  orgId: string,
  accountId: string,
  role: string,
  resource: string,
): Promise<void> {
  // Safe to resend: assigning a role the user has changes nothing.
  await admin.post(`v1/orgs/${enc(orgId)}/users/${enc(accountId)}/roles/assign`, {
    context: {retry: true},
    json: {resource, role: atlassianRoleId(role)},
  })
}

export interface DirectoryGroup {
  id: string
  name: string
  description?: string
  /** counts.users, asked for with expand ["counts.users"]. */
  memberCount?: number
  /** Synced from an identity provider: its members cannot be changed here (§4a). */
  managedByIdp?: boolean
}

interface RawDirectoryGroup {
  id?: string
  name?: string
  description?: string | null
  counts?: {users?: number}
  externalSynced?: boolean
  managedBy?: string
}

export interface GroupFilter {
  /** Exact names, case-insensitive (`groupNames`; Atlassian refuses it together with searchTerm). */
  names?: string[]
  searchTerm?: string
  /** Groups these accounts are members of. */
  accountIds?: string[]
}

/**
 * Directory groups matching a filter: POST v2/orgs/{orgId}/directories/{directoryId}/groups/search
 * `{groupNames | searchTerm | accountIds, expand: ["counts.users"], limit}` (§4a), following the cursor.
 */
export async function searchGroups(
  admin: Got,
  orgId: string,
  directoryId: string,
  filter: GroupFilter,
): Promise<DirectoryGroup[]> {
  const json = withoutUndefined({
    accountIds: filter.accountIds,
    expand: ['counts.users'],
    groupNames: filter.names,
    limit: GROUP_SEARCH_PAGE,
    searchTerm: filter.searchTerm,
  })
  const groups: DirectoryGroup[] = []
  for await (const group of paginateAdmin<RawDirectoryGroup>(
    admin,
    `${directoryPath(orgId, directoryId)}/groups/search`,
    {json, method: 'POST'},
  )) {
    const mapped = toDirectoryGroup(group)
    if (mapped) groups.push(mapped)
  }

  return groups
}

/**
 * Create a directory group: POST v2/orgs/{orgId}/directories/{directoryId}/groups `{name, description?}` (§4a),
 * sent once. UNCONFIRMED answer: the generated client reads none. A group object (`{id, name, ...}`), the v1 form
 * `{groupId}` or `{data: {id}}` are read; with none of them, the group is looked up by its name.
 */
export async function createDirectoryGroup(
  admin: Got,
  orgId: string,
  directoryId: string,
  name: string,
  description?: string,
): Promise<DirectoryGroup> {
  const response = await admin.post(`${directoryPath(orgId, directoryId)}/groups`, {
    json: withoutUndefined({description, name}),
  })
  const body = parseJsonObject(response.body)
  const created =
    toDirectoryGroup(body, name) ??
    toDirectoryGroup(body?.data, name) ??
    (typeof body?.groupId === 'string' && body.groupId !== ''
      ? withoutUndefined({description, id: body.groupId, name})
      : undefined)
  if (created) return created

  const wanted = name.toLowerCase()
  const found = (await searchGroups(admin, orgId, directoryId, {names: [name]})).find(
    (group) => group.name.toLowerCase() === wanted,
  )
  if (found) return found
  throw new CfadminError(
    `The Admin API accepted the new group "${name}" but did not say its ID, and a search by its name does not find it yet.`,
    {
      code: 'UNEXPECTED_RESPONSE',
      // Atlassian's side (the search index lags), and worth running again: exit 5, not a cfadmin bug.
      exit: ExitCode.unreachable,
      hint: 'Run the command again in a minute: the group is looked up by name before it is created again.',
    },
  )
}

/**
 * Add a user to a directory group: POST v2/orgs/{orgId}/directories/{directoryId}/groups/{groupId}/memberships
 * `{accountId}` (§4a), 204. The user must be in the group's directory; IdP-synced groups refuse it.
 */
export async function addDirectoryGroupMember(
  admin: Got,
  orgId: string,
  directoryId: string,
  groupId: string,
  accountId: string,
): Promise<void> {
  // Safe to resend: adding a member twice changes nothing.
  await admin.post(`${directoryPath(orgId, directoryId)}/groups/${enc(groupId)}/memberships`, {
    context: {retry: true},
    json: {accountId},
  })
}

function toDirectoryGroup(raw: unknown, fallbackName?: string): DirectoryGroup | undefined {
  if (!raw || typeof raw !== 'object') return undefined
  const group = raw as RawDirectoryGroup
  if (typeof group.id !== 'string' || group.id === '') return undefined
  const name = typeof group.name === 'string' && group.name !== '' ? group.name : fallbackName
  if (name === undefined) return undefined
  const managedByIdp =
    group.externalSynced === undefined && group.managedBy === undefined
      ? undefined
      : group.externalSynced === true || group.managedBy === 'external'
  return withoutUndefined({
    description: typeof group.description === 'string' ? group.description : undefined,
    id: group.id,
    managedByIdp,
    memberCount: typeof group.counts?.users === 'number' ? group.counts.users : undefined,
    name,
  })
}

function parseJsonObject(text: unknown): Record<string, unknown> | undefined {
  if (typeof text !== 'string' || text.trim() === '') return undefined
  try {
    const value: unknown = JSON.parse(text)
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}
