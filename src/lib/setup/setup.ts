/**
 * `cfadmin setup PLAN`: the whole access recipe of a connector as one list of operations, built from the existing
 * jobs (invite, grant-access, add-members, grant-view, export-map), checked once into a plan that is shown (and
 * approved) and then applied: one journal (keyed by the plan's content and the site), one report. Dependencies make
 * the order: a user's role, memberships and View wait for their invitation; a new group's members and View wait for
 * its creation. A failed item blocks only what depends on it.
 */
import {getUserRoles, searchUsersByEmail} from '../api/directory.js'
import type {RunReport} from '../engine/operation.js'
import type {Plan} from '../engine/plan.js'
import type {LoadedPlan} from './plan/plan.js'
import type {AccessContext} from '../access/access-context.js'
import {accessOperation} from '../access/grant-access.js'
import {viewOperation} from '../access/grant-view.js'
import {type DefaultGroups, defaultGroups, roleGroupKey} from '../access/default-groups.js'
import {groupRoute} from '../access/group-route.js'
import {invitationEmailNote, inviteOperation} from '../access/invite.js'
import {memo} from '../access/memo.js'
import {createGroupOperation, memberOperation} from '../access/add-members.js'
import {type AccessOperation, operationId} from '../access/operation-keys.js'
import {AccessRun, type RunControls} from '../access/run-access.js'
import {exportMapOperation} from './setup-map.js'
import {type PlannedUser, resolveSetup, type ResolvedSetup} from './setup-resolve.js'
import {spaceChoiceSummary, spacePermissionsCache} from '../access/spaces.js'
import type {UserTarget} from '../access/user-target.js'
import {isServiceAccountEmail} from '../domain.js'

/** One setup run: the plan's names resolved and its operations built once, and the run that owns the journal. */
export interface SetupRun {
  /** Checks every operation once: the plan to show, and to apply once approved. */
  plan(): Promise<Plan>
  /** Applies what the plan says is todo, without checking it again. */
  apply(plan: Plan): Promise<RunReport>
  /** Checks and applies in one go (--yes), or only checks (--dry-run, --verify). */
  run(): Promise<RunReport>
  /** Always called last: lets the journal go (kept for the resume unless an apply completed). */
  end(): Promise<void>
  /** What resolving the plan chose on the user's behalf (which site group stands for a recommended one). */
  notes: string[]
  /** Lines for the summary: per `include: all` entry, the spaces taken and left out, and what "all" means. */
  spaceSummary: string[]
}

/**
 * Resolves the plan and builds its operations, then starts the run (with its journal, keyed by the plan's content
 * and the site, unless `controls.dryRun`). `label` names the plan file in the progress headings.
 */
export async function startSetup(
  loaded: LoadedPlan,
  context: AccessContext,
  controls: Omit<RunControls, 'command' | 'title'>,
  label: string,
): Promise<SetupRun> {
  const {notes, operations, spaceSummary} = await resolveAndBuild(loaded, context)
  const checking = `Checking ${label}`
  const applying = `Applying ${label}`
  const run = await AccessRun.start(
    context,
    {...controls, command: 'setup', title: controls.dryRun ? checking : applying},
    {plan: loaded.plan, site: context.session.site?.url},
  )
  return {
    apply: (plan) => run.apply(plan, applying),
    end: () => run.end(),
    notes,
    plan: () => run.plan(operations, checking),
    spaceSummary,
    run: () => run.run(operations),
  }
}

/** Resolves every name in the plan once, then builds its operations in the order of the report's sections. */
export async function setupOperations(loaded: LoadedPlan, context: AccessContext): Promise<AccessOperation[]> {
  return (await resolveAndBuild(loaded, context)).operations
}

/**
 * Resolves every name in the plan once, then builds its operations in the order of the report's sections; `notes`
 * say what was chosen on the user's behalf, `spaceSummary` which spaces each `include: all` entry took.
 */
async function resolveAndBuild(
  loaded: LoadedPlan,
  context: AccessContext,
): Promise<{operations: AccessOperation[]; notes: string[]; spaceSummary: string[]}> {
  const groups = groupRoute(context)
  const defaults = defaultGroups(context.siteName, groups)
  const resolved = await resolveSetup(loaded, context, groups, defaults)
  // Without an Admin key a role is a default group: found now, so the plan names the group each role goes through.
  if (!context.admin)
    for (const role of new Set(resolved.users.map((u) => u.role))) await defaults.find(roleGroupKey(role))
  const notes = [...resolved.notes]
  const emailNote =
    context.admin && resolved.users.some((u) => !isServiceAccountEmail(u.email))
      ? invitationEmailNote({message: resolved.message, notify: true}, '`message:` in the plan')
      : undefined
  if (emailNote) notes.push(emailNote)
  for (const user of resolved.users)
    if (isServiceAccountEmail(user.email))
      notes.push(`${user.email} is a service account: it is not invited, it gets the ${user.role} role directly.`)
  const choices = resolved.views.flatMap((view, i) => (view.choice ? [{choice: view.choice, i}] : []))
  const spaceSummary = choices.flatMap(({choice, i}, n) => {
    const lines = spaceChoiceSummary(choice, PLAN_SWITCHES)
    const own = choices.length > 1 ? [`spaces[${i}]: ${lines[0]}`] : [lines[0]]
    // What "all spaces" means, once.
    return n === choices.length - 1 ? [...own, lines[1]] : own
  })
  return {notes, operations: buildOperations(resolved, context, groups, defaults), spaceSummary}
}

/** The plan's fields that take more spaces, as the summary names them. */
const PLAN_SWITCHES = {archived: '`archived: true`', types: '`types`'}

function buildOperations(
  resolved: ResolvedSetup,
  context: AccessContext,
  groups: ReturnType<typeof groupRoute>,
  defaults: DefaultGroups,
): AccessOperation[] {
  const {admin} = context
  const rolesOf = admin
    ? memo((accountId) => getUserRoles(admin.client, admin.orgId, admin.directoryId, accountId))
    : undefined
  // Accounts the invitations of this run made (Admin API route), and those looked up after them.
  const invitedNow = new Map<string, string | undefined>()
  const searched = admin
    ? memo(
        async (email) =>
          (await searchUsersByEmail(admin.client, admin.orgId, admin.directoryId, [email]))[0]?.accountId,
      )
    : undefined
  const invitedAccount = async (email: string): Promise<string> => {
    const accountId = invitedNow.get(email) ?? (await searched?.get(email))
    if (accountId) return accountId
    throw new Error(
      admin
        ? `Atlassian does not show an account for ${email} yet; run the plan again in a minute`
        : `the account ID of ${email} is not known: Confluence processes invitations asynchronously and cannot look up an email; run the plan again with a fresh user export as exportMap.from, or log in with an Admin API key`,
    )
  }

  const targets = new Map<string, UserTarget>()
  const targetOf = (user: PlannedUser): UserTarget => {
    let target = targets.get(user.label)
    if (!target) {
      const email = user.invited?.email
      target = {
        accountId: user.accountId,
        label: user.label,
        ...(email ? {invitation: {accountId: () => invitedAccount(email), key: operationId.invite(email).key}} : {}),
      }
      targets.set(user.label, target)
    }

    return target
  }

  // Through the Admin API an invitation also carries the user's role and plan groups (additionalGroups): one
  // request for up to 100 users of the same role and groups, and no membership request after it.
  const carried = new Map<string, string[]>()
  if (admin) {
    for (const group of resolved.groups) {
      if (group.existing?.managedByIdp) continue
      for (const member of group.members)
        if (member.invited)
          carried.set(member.invited.email, [...(carried.get(member.invited.email) ?? []), group.name])
    }
  }

  const groupIdsOf = async (names: string[]) =>
    Promise.all(
      names.map(async (name) => {
        const group = await groups.find(name)
        if (!group) throw new Error(`group ${name} does not exist yet`)
        return group.id
      }),
    )
  const creates = new Set(resolved.groups.filter((g) => g.create).map((g) => g.name))
  // Created by this run or, on a resume, by an earlier run of the plan: Confluence may not know them yet.
  const made = new Set(resolved.groups.filter((g) => g.made).map((g) => g.name))

  const operations: AccessOperation[] = []
  // Service accounts are never invited (§4b): they exist (resolveSetup found each), and get their role like a user.
  const invitees = resolved.users.filter((user) => !isServiceAccountEmail(user.email))
  for (const user of invitees) {
    const into = [...new Set(carried.get(user.email) ?? [])].sort()
    const invitation = inviteOperation(
      user.email,
      {message: resolved.message, notify: true, role: user.role},
      context,
      {
        accountOf: async (email) => resolved.accounts.get(email),
        batchKey: `${user.role}:${JSON.stringify(into)}`,
        groupIdsNow: () => groupIdsOf(into),
        onInvited: (email, accountId) => invitedNow.set(email, accountId),
        rolesOf: rolesOf?.get,
      },
    )
    const waitFor = into.filter((name) => creates.has(name)).map((name) => operationId.group(name).key)
    operations.push(waitFor.length > 0 ? {...invitation, dependsOn: waitFor} : invitation)
  }

  for (const user of resolved.users) {
    const invited = isServiceAccountEmail(user.email) ? undefined : user
    const target = targetOf({accountId: user.accountId, invited, label: user.email})
    // Confluence's invite-by-email gives the user role itself (and the account ID is not known until a later export).
    if (!admin && !user.accountId && user.role === 'user') continue
    const operation = accessOperation(target, user.role, context, {defaults, groups, rolesOf: rolesOf?.get})
    // The Admin API invitation carries the role: the role item does not send it again.
    operations.push(
      admin
        ? {
            ...operation,
            apply: async () => (invitedNow.has(user.email) ? 'given with the invitation' : operation.apply()),
          }
        : operation,
    )
  }

  for (const group of resolved.groups) if (group.create) operations.push(createGroupOperation(group.name, groups))
  for (const group of resolved.groups) {
    for (const member of group.members) {
      const operation = memberOperation(group.name, targetOf(member), groups, {
        created: group.create,
        group: group.existing,
      })
      const email = member.invited?.email
      const viaInvitation = email !== undefined && carried.get(email)?.includes(group.name)
      operations.push(
        viaInvitation
          ? {...operation, apply: async () => (invitedNow.has(email) ? 'added with the invitation' : operation.apply())}
          : operation,
      )
    }
  }

  const permissionsOf = spacePermissionsCache(context)
  for (const view of resolved.views) {
    for (const space of view.spaces) {
      for (const user of view.users)
        operations.push(
          viewOperation(space, {kind: 'user', user: targetOf(user)}, context, {groups, permissionsOf, role: view.role}),
        )
      for (const group of view.groups) {
        const target = {
          createdBy: creates.has(group.name) ? operationId.group(group.name).key : undefined,
          id: group.existing?.id,
          kind: 'group' as const,
          made: made.has(group.name),
          name: group.name,
        }
        operations.push(viewOperation(space, target, context, {groups, permissionsOf, role: view.role}))
      }
    }
  }

  if (resolved.exportMap)
    operations.push(
      exportMapOperation(resolved.exportMap.from, resolved.exportMap.to, resolved.exportMap.labels, context.admin),
    )
  return operations
}
