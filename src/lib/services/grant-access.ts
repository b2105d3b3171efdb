import {confluenceSiteAri} from '../api/admin.js'
import {assignUserRole, getUserRoles} from '../api/directory.js'
import type {Operation, RunReport} from '../engine/operation.js'
import type {AccessContext} from './access-context.js'
import {unresolvedUser} from './failed-item.js'
import {explainMembershipRefusal, groupRoute} from './group-route.js'
import {type ConfluenceRole, defaultGroupForRole} from './recommended-groups.js'
import type {ResolvedUser} from './resolve-users.js'
import {runAccessOperations, type RunControls} from './run-access.js'

/**
 * Gives users a Confluence role on the session's site: an Admin API role assignment with the site's
 * resource ARI when the session has an Admin key (existing assignments checked first), else
 * membership of the site's default group for that role.
 */
export async function grantAccess(users: ResolvedUser[], role: ConfluenceRole, context: AccessContext, controls: RunControls): Promise<RunReport> {
  const groupName = context.admin ? undefined : defaultGroupForRole(role, context.siteName)
  const groups = groupRoute(context)
  const operations = users.map((user): Operation => {
    const key = `access:${role}:${user.accountId ?? user.value}`
    if (!user.accountId) return unresolvedUser(user, key, `give ${role} access`)
    const accountId = user.accountId
    const row = {user: user.value}
    if (context.admin) {
      const {client, directoryId, orgId} = context.admin
      const resource = confluenceSiteAri(context.cloudId)
      return {
        apply: () => assignUserRole(client, orgId, accountId, `atlassian/${role}`, resource),
        async check() {
          const roles = await getUserRoles(client, orgId, directoryId, accountId)
          return roles.some((r) => r.resourceId === resource && r.roleId.replace(/^atlassian\//, '') === role) ? 'done' : 'todo'
        },
        describe: () => `give ${user.value} the Confluence ${role} role`,
        key,
        row,
      }
    }

    return {
      async apply() {
        const group = await groups.find(groupName!)
        if (!group) throw new Error(`the site has no group ${groupName}`)
        await groups.addMember(group, accountId).catch((error) => {
          throw new Error(explainMembershipRefusal(error, groupName!))
        })
      },
      async check() {
        const group = await groups.find(groupName!)
        if (!group) throw new Error(`the site has no group ${groupName}: check --site-name, or use an Admin API key`)
        return (await groups.isMember(group, accountId)) ? 'done' : 'todo'
      },
      describe: () => `give ${user.value} Confluence ${role} access (add to ${groupName})`,
      key,
      row,
    }
  })
  return runAccessOperations(operations, context, controls, {role, users: users.map((u) => u.value)})
}
