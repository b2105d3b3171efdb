import {confluenceSiteAri} from '../api/admin.js'
import {assignUserRole, getUserRoles} from '../api/directory.js'
import type {RunReport} from '../engine/operation.js'
import type {AccessContext} from './access-context.js'
import {unresolvedUser} from './failed-item.js'
import {membershipRefusal, type GroupRoute, groupRoute} from './group-route.js'
import {type AccessOperation, operationId} from './operation-keys.js'
import {type DefaultGroups, defaultGroups} from './default-groups.js'
import type {ResolvedUser} from './resolve-users.js'
import {runAccessOperations, type RunControls} from './run-access.js'
import {accountIdOf, dependenciesOf, targetOf, type UserTarget} from './user-target.js'
import type {ConfluenceRole} from '../domain.js'

/**
 * Gives users a Confluence role on the session's site: an Admin API role assignment with the site's
 * resource ARI when the session has an Admin key (existing assignments checked first), else
 * membership of the site's default group for that role.
 */
export async function grantAccess(
  users: ResolvedUser[],
  role: ConfluenceRole,
  context: AccessContext,
  controls: RunControls,
): Promise<RunReport> {
  const groups = groupRoute(context)
  const defaults = defaultGroups(context.siteName, groups)
  // Without an Admin key the role is a default group: a site without one is an error before anything runs.
  if (!context.admin) await defaults.forRole(role)
  const operations = users.map((user): AccessOperation => {
    if (!user.accountId) return unresolvedUser(user, operationId.access(role, user.value), `give ${role} access`)
    return accessOperation(targetOf(user), role, context, {defaults, groups})
  })
  const report = await runAccessOperations(operations, context, controls, {role, users: users.map((u) => u.value)})
  const notes = defaults.notes()
  return notes.length > 0 ? {...report, notes} : report
}

export interface AccessLookups {
  groups: GroupRoute
  /** The site's default groups (found by name, else by the access they give); default: looked up for this item. */
  defaults?: DefaultGroups
  /** The user's role assignments (Admin route); default: one request per check. */
  rolesOf?(accountId: string): Promise<Array<{resourceId: string; roleId: string}>>
}

/**
 * One user's Confluence role (key `access:<role>:<account ID or label>`). A user an invitation of the same run
 * creates has no role yet: checked as todo, applied after the invitation.
 */
export function accessOperation(
  user: UserTarget,
  role: ConfluenceRole,
  context: AccessContext,
  lookups: AccessLookups,
): AccessOperation {
  const id = operationId.access(role, user.accountId ?? user.label)
  const row = {user: user.label}
  const dependsOn = dependenciesOf(user)
  if (context.admin) {
    const {client, directoryId, orgId} = context.admin
    const resource = confluenceSiteAri(context.cloudId)
    const rolesOf = lookups.rolesOf ?? ((accountId: string) => getUserRoles(client, orgId, directoryId, accountId))
    return {
      apply: async () => assignUserRole(client, orgId, await accountIdOf(user), `atlassian/${role}`, resource),
      async check() {
        if (!user.accountId) return 'todo'
        const roles = await rolesOf(user.accountId)
        return roles.some((r) => r.resourceId === resource && r.roleId.replace(/^atlassian\//, '') === role)
          ? 'done'
          : 'todo'
      },
      dependsOn,
      describe: () => `give ${user.label} the Confluence ${role} role`,
      ...id,
      row,
    }
  }

  const {groups} = lookups
  const defaults = lookups.defaults ?? defaultGroups(context.siteName, groups)
  const group = () => defaults.forRole(role)

  return {
    async apply() {
      const found = await group()
      await groups.addMember(found, await accountIdOf(user)).catch((error) => {
        throw membershipRefusal(error, found.name)
      })
    },
    async check() {
      const found = await group()
      if (!user.accountId) return 'todo'
      return (await groups.isMember(found, user.accountId)) ? 'done' : 'todo'
    },
    dependsOn,
    describe: () => `give ${user.label} Confluence ${role} access (add to ${defaults.nameFor(role)})`,
    ...id,
    row,
  }
}
