import {emailsWithoutAccess, inviteByEmail} from '../api/confluence.js'
import {confluenceSiteAri} from '../api/admin.js'
import {getUserRoles, inviteUsers, searchUsersByEmail} from '../api/directory.js'
import type {Operation, RunReport} from '../engine/operation.js'
import {badInput} from '../errors.js'
import type {AccessContext} from './access-context.js'
import {isEmail, type UserInput} from './principals.js'
import {runAccessOperations, type RunControls} from './run-access.js'

export interface InviteRequest {
  users: UserInput[]
  role: string
  groupIds?: string[]
  notify: boolean
  message?: string
}

/** The route the invitations take, for the command to tell the user. */
export const inviteRoute = (context: AccessContext) => (context.admin ? 'Admin API' : 'Confluence invite-by-email')

/**
 * Invites users by email with Confluence access on the session's site: through the Admin API (with the
 * role and groups) when the session has an Admin key, else through Confluence's invite-by-email,
 * which is asynchronous and cannot set a role. Users who already have access are "already".
 */
export async function invite(request: InviteRequest, context: AccessContext, controls: RunControls): Promise<RunReport> {
  requireEmails(request.users)
  const operations = request.users.map((user) => (context.admin ? adminInvite(user, request, context) : siteInvite(user, context)))
  return runAccessOperations(operations, context, controls, {groups: request.groupIds, role: request.role, users: request.users.map((u) => u.value.toLowerCase())})
}

/** Invitations go to emails: an account ID among them is exit 2, before any call. */
export function requireEmails(users: UserInput[]): void {
  const notEmails = users.filter(({value}) => !isEmail(value))
  if (notEmails.length > 0) throw badInput('INVITE_NEEDS_EMAIL', `Invitations go to emails: ${notEmails.map((u) => `"${u.value}" (${u.origin})`).join(', ')} is not one.`, 'Give emails.')
}

function adminInvite(user: UserInput, request: InviteRequest, context: AccessContext): Operation {
  const {client, directoryId, orgId} = context.admin!
  const email = user.value.toLowerCase()
  const resource = confluenceSiteAri(context.cloudId)
  const role = request.role.startsWith('atlassian/') ? request.role : `atlassian/${request.role}`
  return {
    async apply() {
      const [outcome] = await inviteUsers(client, orgId, {emails: [email], groupIds: request.groupIds, message: request.message, notify: request.notify, resource, role})
      if (outcome?.status !== 'INVITED') throw new Error(outcome?.reason ?? 'Atlassian did not confirm the invitation')
      return 'INVITED'
    },
    async check() {
      const [existing] = await searchUsersByEmail(client, orgId, directoryId, [email])
      if (!existing) return 'todo'
      const roles = await getUserRoles(client, orgId, directoryId, existing.accountId)
      return roles.some((r) => r.resourceId === resource) ? 'done' : 'todo'
    },
    describe: () => `invite ${email} to Confluence as ${request.role}`,
    key: `invite:${email}`,
    oneShot: true,
    row: {email},
  }
}

function siteInvite(user: UserInput, context: AccessContext): Operation {
  const email = user.value.toLowerCase()
  return {
    async apply() {
      await inviteByEmail(context.site, [email])
      return 'requested (Atlassian processes it asynchronously)'
    },
    async check() {
      const {invalid, withoutAccess} = await emailsWithoutAccess(context.site, [email])
      if (invalid.map((e) => e.toLowerCase()).includes(email)) throw new Error(`Atlassian calls ${email} an invalid email`)
      return withoutAccess.map((e) => e.toLowerCase()).includes(email) ? 'todo' : 'done'
    },
    describe: () => `invite ${email} to Confluence`,
    // Confluence processes these invitations asynchronously.
    eventual: true,
    key: `invite:${email}`,
    oneShot: true,
    row: {email},
  }
}
