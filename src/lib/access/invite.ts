import {emailsWithoutAccess, inviteByEmail} from '../api/confluence.js'
import {confluenceSiteAri} from '../api/admin.js'
import {
  assignUserRole,
  atlassianRoleId,
  getUserRoles,
  INVITE_EMAIL_BATCH,
  INVITE_ROLES,
  inviteUsers,
  searchUsersByEmail,
} from '../api/directory.js'
import type {ApplyValue, OperationBatch, RunReport} from '../engine/operation.js'
import {badInput} from '../errors.js'
import type {AccessContext} from './access-context.js'
import {type AccessOperation, operationId} from './operation-keys.js'
import {type UserInput} from './principals.js'
import {resolveUsers} from './resolve-users.js'
import {runAccessOperations, type RunControls} from './run-access.js'
import {isEmail, isServiceAccountEmail} from '../domain.js'

export interface InviteInput {
  users: UserInput[]
  role: string
  groupIds?: string[]
  notify: boolean
  message?: string
}

/** Lookups an invitation can be given instead of asking Atlassian per email, and who to tell once it went out. */
export interface InviteLookups {
  /** The account that has this email, as already looked up; default: one Admin users search per email. */
  accountOf?(email: string): Promise<string | undefined>
  /** The user's role assignments; default: one request per check. */
  rolesOf?(accountId: string): Promise<Array<{resourceId: string; roleId: string}>>
  /** Atlassian confirmed the invitation (Admin API route), with the account it made or found when it said. */
  onInvited?(email: string, accountId: string | undefined): void
  /**
   * Send this invitation in one request with the others of the same key (up to 25 emails): invitations of one
   * key must have the same request (role, groups).
   */
  batchKey?: string
  /** The groups to invite into, found when the invitation goes out (they may be created by the same run). */
  groupIdsNow?(): Promise<string[]>
}

/** The route the invitations take, for the command to tell the user. */
export const inviteRoute = (context: AccessContext) => (context.admin ? 'Admin API' : 'Confluence invite-by-email')

/**
 * Invites users by email with Confluence access on the session's site: through the Admin API (with the
 * role and groups) when the session has an Admin key, else through Confluence's invite-by-email,
 * which is asynchronous and cannot set a role. Users who already have access are "already".
 */
export async function invite(request: InviteInput, context: AccessContext, controls: RunControls): Promise<RunReport> {
  requireEmails(request.users)
  const serviceAccounts = await findServiceAccounts(request.users, context)
  const operations = request.users.map((user) => {
    const accountId = serviceAccounts.get(user.value.toLowerCase())
    return accountId
      ? serviceAccountRole(user.value.toLowerCase(), accountId, request.role, context)
      : inviteOperation(user.value, request, context)
  })
  const report = await runAccessOperations(operations, context, controls, {
    groups: request.groupIds,
    role: request.role,
    users: request.users.map((u) => u.value.toLowerCase()),
  })
  const note = context.admin ? invitationEmailNote(request) : undefined
  return note && report.counts.done > 0 ? {...report, notes: [...(report.notes ?? []), note]} : report
}

/**
 * What the invitees were told: the Admin API sends the invitation email only with `sendNotification` and a
 * `notificationText` (atlassian-2026.md §5), so an invitation without a text went out without an email.
 */
export function invitationEmailNote(
  request: {notify: boolean; message?: string},
  howToGiveText = '--message TEXT',
): string | undefined {
  if (!request.notify) return undefined
  return request.message
    ? undefined
    : `no invitation email went out: Atlassian sends one only with a text (${howToGiveText}); the invitees have access without it.`
}

/** Invitations go to emails: an account ID among them is exit 2, before any call. */
export function requireEmails(users: UserInput[]): void {
  const notEmails = users.filter(({value}) => !isEmail(value))
  if (notEmails.length > 0)
    throw badInput(
      'INVITE_NEEDS_EMAIL',
      `Invitations go to emails: ${notEmails.map((u) => `"${u.value}" (${u.origin})`).join(', ')} is not one.`,
      'Give emails.',
    )
}

/**
 * The accounts of the service accounts among the emails (lower-cased email -> account ID): they are never invited, so
 * each must exist. One missing is exit 2 before anything changes (with the org's service accounts to pick from), and
 * so is any without an Admin key, which alone can look an email up.
 */
async function findServiceAccounts(users: UserInput[], context: AccessContext): Promise<Map<string, string>> {
  const wanted = users.filter((u) => isServiceAccountEmail(u.value))
  if (wanted.length === 0) return new Map()
  if (!context.admin)
    throw badInput(
      'SERVICE_ACCOUNT_NEEDS_ADMIN_KEY',
      `${wanted.map((u) => `${u.value} (${u.origin})`).join(', ')} ${wanted.length === 1 ? 'is a service account' : 'are service accounts'}: service accounts are never invited, and without an Admin API key cfadmin cannot look one up by email.`,
      'Give it Confluence access with cfadmin users grant-access <its account ID>, or log in with an Admin API key (cfadmin auth login --with-admin-key).',
    )
  const found = await resolveUsers(wanted, context)
  return new Map(found.map((u) => [u.value.toLowerCase(), u.accountId!]))
}

/**
 * A service account instead of an invitation: it exists, so it gets the invitation's role on the site straight away
 * (Admin API role assignment), and nothing is sent when it already has a role there.
 */
function serviceAccountRole(email: string, accountId: string, role: string, context: AccessContext): AccessOperation {
  const {client, directoryId, orgId} = context.admin!
  const resource = confluenceSiteAri(context.cloudId)
  const roleId = atlassianRoleId(role)
  return {
    apply: async () => {
      await assignUserRole(client, orgId, accountId, roleId, resource)
      return `given ${roleId} (a service account is not invited)`
    },
    async check() {
      const roles = await getUserRoles(client, orgId, directoryId, accountId)
      return roles.some((r) => r.resourceId === resource && atlassianRoleId(r.roleId) === roleId) ? 'done' : 'todo'
    },
    describe: () => `give the service account ${email} the Confluence ${role} role (service accounts are not invited)`,
    ...operationId.access(role, accountId),
    row: {email},
  }
}

/** The invitation of one email (key `invite:<email>`), by the route the session allows. */
export function inviteOperation(
  email: string,
  request: Omit<InviteInput, 'users'>,
  context: AccessContext,
  lookups: InviteLookups = {},
): AccessOperation {
  return context.admin
    ? adminInvite(email.toLowerCase(), request, context, lookups)
    : siteInvite(email.toLowerCase(), context, lookups.batchKey)
}

function adminInvite(
  email: string,
  request: Omit<InviteInput, 'users'>,
  context: AccessContext,
  lookups: InviteLookups,
): AccessOperation {
  const {client, directoryId, orgId} = context.admin!
  const resource = confluenceSiteAri(context.cloudId)
  const role = atlassianRoleId(request.role)
  // A role an invitation cannot carry (user-access-admin): invite as a user, then assign the role (§5).
  const assignAfter = INVITE_ROLES.includes(role) ? undefined : role
  const accountOf =
    lookups.accountOf ??
    (async (address: string) => (await searchUsersByEmail(client, orgId, directoryId, [address]))[0]?.accountId)
  const rolesOf = lookups.rolesOf ?? ((accountId: string) => getUserRoles(client, orgId, directoryId, accountId))
  /** Invites these emails in as few requests as the API allows: per email, INVITED or the Error Atlassian gave. */
  const send = async (emails: string[]): Promise<Array<ApplyValue | Error>> => {
    const groupIds = request.groupIds ?? (await lookups.groupIdsNow?.())
    const outcomes = await inviteUsers(client, orgId, {
      emails,
      groupIds,
      message: request.message,
      notify: request.notify,
      resource,
      role: assignAfter ? 'atlassian/user' : role,
    })
    const byEmail = new Map(outcomes.map((o) => [o.email.toLowerCase(), o]))
    return Promise.all(
      emails.map(async (address): Promise<ApplyValue | Error> => {
        const outcome = byEmail.get(address)
        if (outcome?.status !== 'INVITED')
          return new Error(outcome?.reason ?? 'Atlassian did not confirm the invitation')
        if (assignAfter) {
          try {
            const accountId = outcome.accountId ?? (await accountOf(address))
            if (!accountId)
              return new Error(`invited as a user, but Atlassian did not say the account to give ${assignAfter}`)
            await assignUserRole(client, orgId, accountId, assignAfter, resource)
          } catch (error) {
            return new Error(`invited as a user, but ${assignAfter} was not assigned: ${(error as Error).message}`)
          }
        }

        lookups.onInvited?.(address, outcome.accountId)
        return assignAfter ? `INVITED as atlassian/user, then given ${assignAfter}` : 'INVITED'
      }),
    )
  }

  return {
    async apply() {
      const [result] = await send([email])
      if (result instanceof Error) throw result
      return result
    },
    batch: lookups.batchKey === undefined ? undefined : inviteBatch(`admin:${lookups.batchKey}`, send),
    async check() {
      const accountId = await accountOf(email)
      if (!accountId) return 'todo'
      const roles = await rolesOf(accountId)
      // A role given after the invitation is done only once given; any role on the site settles a plain invitation.
      return roles.some((r) => r.resourceId === resource && (!assignAfter || atlassianRoleId(r.roleId) === assignAfter))
        ? 'done'
        : 'todo'
    },
    describe: () => `invite ${email} to Confluence as ${request.role}`,
    ...operationId.invite(email),
    oneShot: true,
    row: {email},
  }
}

/** The batch of the invitations sent with one request body; `send` gets their emails (from each operation's row). */
function inviteBatch(key: string, send: (emails: string[]) => Promise<Array<ApplyValue | Error>>): OperationBatch {
  return {
    apply: (operations) => send(operations.map((op) => op.row!.email)),
    key: `invite:${key}`,
    size: INVITE_EMAIL_BATCH,
  }
}

function siteInvite(email: string, context: AccessContext, batchKey?: string): AccessOperation {
  return {
    batch:
      batchKey === undefined
        ? undefined
        : inviteBatch(`site:${batchKey}`, async (emails) => {
            await inviteByEmail(context.site, emails)
            return emails.map(() => 'requested (Atlassian processes it asynchronously)')
          }),
    async apply() {
      await inviteByEmail(context.site, [email])
      return 'requested (Atlassian processes it asynchronously)'
    },
    async check() {
      const {invalid, withoutAccess} = await emailsWithoutAccess(context.site, [email])
      if (invalid.map((e) => e.toLowerCase()).includes(email))
        throw new Error(`Atlassian calls ${email} an invalid email`)
      return withoutAccess.map((e) => e.toLowerCase()).includes(email) ? 'todo' : 'done'
    },
    describe: () => `invite ${email} to Confluence`,
    // Confluence processes these invitations asynchronously.
    eventual: true,
    ...operationId.invite(email),
    oneShot: true,
    row: {email},
  }
}
