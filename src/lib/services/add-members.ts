import type {Operation, RunReport} from '../engine/operation.js'
import {badInput} from '../errors.js'
import type {AccessContext} from './access-context.js'
import {unresolvedUser} from './failed-item.js'
import {explainMembershipRefusal, groupRoute} from './group-route.js'
import type {ResolvedUser} from './resolve-users.js'
import {runAccessOperations, type RunControls} from './run-access.js'

/**
 * Adds users to groups; with `create`, a missing group is created first (its members wait for it),
 * otherwise a missing group stops the command before anything changes. Members already in are
 * "already"; Atlassian's documented refusals are explained.
 */
export async function addMembers(groupNames: string[], users: ResolvedUser[], create: boolean, context: AccessContext, controls: RunControls): Promise<RunReport> {
  const route = groupRoute(context)
  const existing = await Promise.all(groupNames.map(async (name) => ({group: await route.find(name), name})))
  const missing = existing.filter((g) => !g.group).map((g) => g.name)
  if (missing.length > 0 && !create) {
    throw badInput('GROUP_UNKNOWN', `No group named ${missing.join(', ')} on the site (looked up through ${route.via === 'Confluence' ? 'Confluence' : `the ${route.via}`}).`, 'Check the name, or add --create to create it.')
  }

  const operations: Operation[] = []
  for (const name of missing) {
    operations.push({
      async apply() {
        await route.create(name)
        return 'created'
      },
      check: async () => ((await route.find(name)) ? 'done' : 'todo'),
      describe: () => `create group ${name}`,
      key: `group:${name}`,
      oneShot: true,
    })
  }

  for (const name of groupNames) {
    for (const user of users) {
      const key = `member:${name}:${user.accountId ?? user.value}`
      if (!user.accountId) {
        operations.push(unresolvedUser(user, key, `add to ${name}`, {group: name, user: user.value}))
        continue
      }

      const accountId = user.accountId
      const group = async () => {
        const found = await route.find(name)
        if (!found) throw new Error(`group ${name} does not exist yet`)
        return found
      }

      operations.push({
        async apply() {
          await route.addMember(await group(), accountId).catch((error) => {
            throw new Error(explainMembershipRefusal(error, name))
          })
        },
        async check() {
          const found = await route.find(name)
          return found && (await route.isMember(found, accountId)) ? 'done' : 'todo'
        },
        dependsOn: missing.includes(name) ? [`group:${name}`] : undefined,
        describe: () => `add ${user.value} to ${name}`,
        key,
        row: {group: name, user: user.value},
      })
    }
  }

  return runAccessOperations(operations, context, controls, {groups: groupNames, users: users.map((u) => u.value)})
}
