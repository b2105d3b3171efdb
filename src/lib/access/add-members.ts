import type {RunReport} from '../engine/operation.js'
import type {RecommendedKey} from '../domain.js'
import {defaultGroups} from './default-groups.js'
import {badInput} from '../errors.js'
import {terminalSafe} from '../text/safe-text.js'
import type {AccessContext} from './access-context.js'
import {unresolvedUser} from './failed-item.js'
import {
  didYouMean,
  groupGuesses,
  isOrgAdminsGroup,
  membershipRefusal,
  ORG_ADMINS_REFUSAL,
  type GroupRef,
  type GroupRoute,
  groupRoute,
} from './group-route.js'
import {type AccessOperation, operationId} from './operation-keys.js'
import type {ResolvedUser} from './resolve-users.js'
import {runAccessOperations, type RunControls} from './run-access.js'
import {accountIdOf, dependenciesOf, targetOf, type UserTarget} from './user-target.js'

/**
 * Adds users to groups; with `create`, a missing group is created first (its members wait for it),
 * otherwise a missing group stops the command before anything changes. Members already in are
 * "already"; Atlassian's documented refusals are explained.
 */
export async function addMembers(
  groupNames: string[],
  users: ResolvedUser[],
  create: boolean,
  context: AccessContext,
  controls: RunControls,
  recommended: RecommendedKey[] = [],
): Promise<RunReport> {
  const route = groupRoute(context)
  // Recommended groups by the name the site gives them (renamed or legacy default groups are found by their access).
  const defaults = defaultGroups(context.siteName, route)
  const chosen = await Promise.all(recommended.map((key) => defaults.find(key)))
  groupNames = uniqueNames([...groupNames, ...chosen.map((choice) => choice.name)])
  const existing = await Promise.all(groupNames.map(async (name) => ({group: await route.find(name), name})))
  const missing = existing.filter((g) => !g.group).map((g) => g.name)
  if (missing.length > 0 && !create) {
    const guesses = await groupGuesses(missing, route)
    const named = missing.map((name) => `${terminalSafe(name)}${didYouMean(guesses.get(name))}`).join(', ')
    throw badInput(
      'GROUP_UNKNOWN',
      `No group named ${named} on the site (looked up through ${route.via === 'Confluence' ? 'Confluence' : `the ${route.via}`}).`,
      'Check the name, or add --create to create it.',
    )
  }

  const operations: AccessOperation[] = missing.map((name) => createGroupOperation(name, route))
  for (const name of groupNames) {
    for (const user of users) {
      if (!user.accountId) {
        operations.push(
          unresolvedUser(user, operationId.member(name, user.value), `add to ${name}`, {group: name, user: user.value}),
        )
        continue
      }

      operations.push(memberOperation(name, targetOf(user), route, {created: missing.includes(name)}))
    }
  }

  const report = await runAccessOperations(operations, context, controls, {
    groups: groupNames,
    users: users.map((u) => u.value),
  })
  const notes = defaults.notes()
  return notes.length > 0 ? {...report, notes} : report
}

/** The names once each, whatever their case (the first spelling given wins). */
function uniqueNames(names: string[]): string[] {
  const seen = new Set<string>()
  return names.filter((name) => !seen.has(name.toLowerCase()) && seen.add(name.toLowerCase()))
}

/** Creating a group (key `group:<name>`), sent once: an interrupted run never creates it twice. */
export function createGroupOperation(name: string, route: GroupRoute): AccessOperation {
  return {
    async apply() {
      await route.create(name)
      return 'created'
    },
    check: async () => ((await route.find(name)) ? 'done' : 'todo'),
    describe: () => `create group ${name}`,
    ...operationId.group(name),
    oneShot: true,
  }
}

/**
 * Adding one user to one group (key `member:<group>:<account ID or label>`). `created`: the group is created in the
 * same run, so this waits for `group:<name>`; a user an invitation of the run creates waits for that too.
 */
export function memberOperation(
  name: string,
  user: UserTarget,
  route: GroupRoute,
  options: {created?: boolean; group?: GroupRef} = {},
): AccessOperation {
  const group = async () => {
    const found = options.group ?? (await route.find(name))
    if (!found) throw new Error(`group ${name} does not exist yet`)
    return found
  }

  return {
    async apply() {
      await route.addMember(await group(), await accountIdOf(user)).catch((error) => {
        throw membershipRefusal(error, name)
      })
    },
    async check() {
      const found = user.accountId ? (options.group ?? (await route.find(name))) : undefined
      if (found && (await route.isMember(found, user.accountId!))) return 'done'
      // Refused by Atlassian whatever cfadmin sends: said before sending, with where to do it instead.
      if (isOrgAdminsGroup(name)) throw new Error(ORG_ADMINS_REFUSAL)
      return 'todo'
    },
    dependsOn: dependenciesOf(user, options.created ? operationId.group(name).key : undefined),
    describe: () => `add ${user.label} to ${name}`,
    ...operationId.member(name, user.accountId ?? user.label),
    row: {group: name, user: user.label},
  }
}
