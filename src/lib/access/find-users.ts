import {getUser, getUserGroups} from '../api/confluence.js'
import {getUserRoles, searchGroups, searchUsersByEmail} from '../api/directory.js'
import {isAtlassianError} from '../http/errors.js'
import type {AccessContext} from './access-context.js'
import type {ResolvedUser} from './resolve-users.js'
import {isServiceAccountEmail} from '../domain.js'

export interface FoundUser {
  input: string
  accountId?: string
  name?: string
  /** Only when Atlassian shows it (the Admin API always does; Confluence hides what users hide). */
  email?: string
  status?: string
  /** A service account (§4b): by its email's domain, or the directory's account type when it names one. */
  serviceAccount: boolean
  groups?: string[]
  /** Why nothing was found. */
  reason?: string
}

/** Account ID, name, email (when visible), status and groups of each user, read-only. */
export async function findUsers(users: ResolvedUser[], context: AccessContext): Promise<FoundUser[]> {
  return Promise.all(
    users.map(async (user): Promise<FoundUser> => {
      if (!user.accountId)
        return {
          email: user.email,
          input: user.value,
          reason: user.reason,
          serviceAccount: isServiceAccountEmail(user.email ?? ''),
        }
      const accountId = user.accountId
      const found: FoundUser = {accountId, input: user.value, serviceAccount: false}
      let directoryType: string | undefined
      const profile = await getUser(context.site, accountId)
      if (profile) Object.assign(found, {email: profile.email, name: profile.displayName})
      if (context.admin) {
        const {client, directoryId, orgId} = context.admin
        const [directoryUser] = user.email ? await searchUsersByEmail(client, orgId, directoryId, [user.email]) : []
        directoryType = directoryUser?.accountType
        if (directoryUser)
          Object.assign(found, {
            email: directoryUser.email ?? found.email,
            name: found.name ?? directoryUser.name,
            status: directoryUser.status,
          })
        found.groups = (await searchGroups(client, orgId, directoryId, {accountIds: [accountId]})).map((g) => g.name)
        if (!found.status) {
          // An account the directory does not have answers 404 (ADMIN-404-8): reported below as unknown, not fatal.
          const roles = await getUserRoles(client, orgId, directoryId, accountId).catch((error: unknown) => {
            if (isAtlassianError(error, 404)) return []
            throw error
          })
          found.status = roles.length > 0 ? 'has product access' : undefined
        }
      } else if (profile) {
        found.groups = (await getUserGroups(context.site, accountId)).map((g) => g.name)
      }

      if (!profile && !found.status) found.reason = `no user ${accountId} on the site`
      found.serviceAccount = isServiceAccountEmail(found.email ?? user.email ?? '') || serviceAccountType(directoryType)
      return found
    }),
  )
}

/**
 * An account type that says "service account". Atlassian's value for them is not known (§4b): a type naming a service
 * account counts; "app" (also Atlassian's bots) and "atlassian" do not on their own, the email's domain decides.
 */
const serviceAccountType = (type: string | undefined) => type !== undefined && /service[\s_-]?account/i.test(type)
