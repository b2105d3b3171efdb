/**
 * Every name in a setup plan looked up once, before anything changes: the site, the groups (one lookup each), the
 * spaces (one paged listing), the users (one batch of email lookups). What cannot be found is an error at its place
 * in the plan file, all of them at once (exit 2).
 */
import {listSpaces, type Space} from '../api/confluence.js'
import {badInput, CfadminError} from '../errors.js'
import {type GroupRefInPlan, INVITED, type LoadedPlan, planError, type PlanUser} from './plan/plan.js'
import {FROM_API} from './plan/plan-paths.js'
import type {PlanPath} from './plan/source.js'
import {normalizeSite} from '../session/site-url.js'
import type {AccessContext} from '../access/access-context.js'
import type {GroupRef, GroupRoute} from '../access/group-route.js'
import {type DefaultGroups, defaultGroups} from '../access/default-groups.js'
import {resolveUsers} from '../access/resolve-users.js'
import {missingServiceAccountReason, withServiceAccountChoices} from '../access/service-accounts.js'
import {spaceRoles} from '../access/space-roles.js'
import {chooseSpaces, type SpaceChoice} from '../access/spaces.js'
import {excerpt} from '../text/safe-text.js'
import {isEmail, isServiceAccountEmail, type RecommendedKey} from '../domain.js'

/** A user the plan names: an account ID known now, or an email whose account an invitation of the plan creates. */
export interface PlannedUser {
  label: string
  accountId?: string
  /** In the plan's users list and not a service account: it waits for that invitation. */
  invited?: PlanUser
}

export interface PlannedGroup {
  name: string
  /** The group on the site now; undefined when the plan creates it. */
  existing?: GroupRef
  create: boolean
  /** The plan says to create it: created now, or by an earlier run of the plan (Confluence may not know it yet). */
  made: boolean
  members: PlannedUser[]
}

export interface PlannedView {
  spaces: Space[]
  /** The space role to give on a site with roles (default Viewer). */
  role?: string
  /** With `include: all`: what was taken and left out. */
  choice?: SpaceChoice
  users: PlannedUser[]
  groups: Array<{name: string; existing?: GroupRef}>
}

export interface ResolvedSetup {
  users: Array<PlanUser & {accountId?: string}>
  groups: PlannedGroup[]
  views: PlannedView[]
  /** No `from`: the map comes from the Admin API's directory (`from: api`). */
  exportMap?: {from?: string; to: string; labels: {from: string; to: string}}
  /** The accounts of the plan's emails found now (lower-cased email -> account ID). */
  accounts: Map<string, string>
  /** Which site groups stood in for recommended ones, said to the user. */
  notes: string[]
  /** The text of the invitation email, from the plan. */
  message?: string
}

export async function resolveSetup(
  loaded: LoadedPlan,
  context: AccessContext,
  route: GroupRoute,
  defaults: DefaultGroups = defaultGroups(context.siteName, route),
): Promise<ResolvedSetup> {
  const {plan, source} = loaded
  const problems: string[] = []
  const problem = (path: PlanPath, message: string) => problems.push(`${source.at(path)}: ${message}`)

  if (plan.site !== undefined && !siteMatches(plan.site, context)) {
    throw badInput(
      'PLAN_OTHER_SITE',
      `${source.at(['site'])}: the plan is for the site ${excerpt(String(plan.site))}, and the profile is logged in to ${context.session.site?.url}${context.siteName ? ` (${context.siteName})` : ''}.`,
      'Use the profile of that site (--profile), or change `site` in the plan.',
    )
  }

  // Recommended groups by the name the site gives them: renamed or legacy default groups are found by their access.
  const keys = new Set<RecommendedKey>([
    ...plan.groups.flatMap((g) => (g.recommended ? [g.recommended] : [])),
    ...plan.spaces.flatMap((s) =>
      s.grantView.groups.flatMap((ref: GroupRefInPlan) => (typeof ref === 'string' ? [] : [ref.recommended])),
    ),
  ])
  const recommendedNames = new Map<RecommendedKey, string | undefined>()
  for (const key of keys) {
    try {
      recommendedNames.set(key, (await defaults.find(key)).name)
    } catch (error) {
      if (!(error instanceof CfadminError) || error.code !== 'SITE_NAME_UNKNOWN') throw error
      recommendedNames.set(key, undefined)
    }
  }

  // Group names: the plan's groups, then those named by grants.
  const groupName = (ref: {name?: string; recommended?: RecommendedKey}, path: PlanPath): string | undefined => {
    if (ref.name !== undefined) return ref.name
    const name = recommendedNames.get(ref.recommended!)
    if (name !== undefined) return name
    problem(
      path,
      `the recommended group "${ref.recommended}" needs the site's name (confluence-${ref.recommended}-<name>), which this host does not tell: log in with --site-name <name> or set CFADMIN_SITE_NAME`,
    )
    return undefined
  }

  const planGroupNames = plan.groups.map((group, i) => groupName(group, ['groups', i]))
  // Group names are one name in any case: a grant names a group of the plan in the plan's own spelling.
  const planSpelling = new Map(
    planGroupNames.filter((n): n is string => n !== undefined).map((n) => [n.toLowerCase(), n] as const),
  )
  const grantGroupNames = plan.spaces.map((entry, i) =>
    entry.grantView.groups.map((ref: GroupRefInPlan, j) => {
      const name = groupName(typeof ref === 'string' ? {name: ref} : ref, ['spaces', i, 'grantView', 'groups', j])
      return name === undefined ? undefined : (planSpelling.get(name.toLowerCase()) ?? name)
    }),
  )
  const allNames = [
    ...new Set([...planGroupNames, ...grantGroupNames.flat()].filter((n): n is string => n !== undefined)),
  ]
  const found = await route.findAll(allNames)
  const created = new Set(
    plan.groups.flatMap((group, i) =>
      group.create && planGroupNames[i] && !found.get(planGroupNames[i]!) ? [planGroupNames[i]!] : [],
    ),
  )
  const via = route.via === 'Confluence' ? 'Confluence' : `the ${route.via}`
  for (const [i, name] of planGroupNames.entries()) {
    if (name && !found.get(name) && !created.has(name))
      problem(
        ['groups', i],
        `no group named ${excerpt(name)} on the site (looked up through ${via}): add \`create: true\` to create it`,
      )
  }

  for (const [i, names] of grantGroupNames.entries()) {
    for (const [j, name] of names.entries()) {
      if (name && !found.get(name) && !created.has(name))
        problem(
          ['spaces', i, 'grantView', 'groups', j],
          `no group named ${excerpt(name)} on the site, and the plan does not create it`,
        )
    }
  }

  // Users: every email once, in one batch.
  const invitedEmails = new Map(plan.users.map((u) => [u.email, u]))
  const named: Array<{value: string; path: PlanPath}> = []
  plan.groups.forEach((g, i) => g.members.forEach((value, j) => named.push({path: ['groups', i, 'members', j], value})))
  plan.spaces.forEach((s, i) =>
    s.grantView.users.forEach((value, j) => named.push({path: ['spaces', i, 'grantView', 'users', j], value})),
  )
  const outsiders = named.filter(
    ({value}) => value !== INVITED && isEmail(value) && !invitedEmails.has(value.toLowerCase()),
  )
  const emails = [...new Set([...invitedEmails.keys(), ...outsiders.map(({value}) => value.toLowerCase())])]
  // The real paths loadPlan checked: inside the plan's folder, a regular file to read, a map to replace.
  const mapPaths = plan.exportMap ? loaded.exportMapPaths : undefined
  if (plan.exportMap && !mapPaths)
    throw new Error('the plan was not checked with loadPlan: its exportMap paths are unknown')
  const mapFile = mapPaths?.from
  if (plan.exportMap?.from === FROM_API && !context.admin)
    problem(
      ['exportMap', 'from'],
      `"from: api" reads the map from the Admin API, and this login has no Admin API key: add one (cfadmin auth login --with-admin-key), or give the "Export users" CSV from admin.atlassian.com (Directory > Users > Export users) as exportMap.from`,
    )
  const accounts = new Map<string, string>()
  // Without an Admin key or an export, only emails still to be invited may go unresolved: they are looked up later.
  // Service accounts are never invited: each must be found now.
  const serviceAccounts = emails.filter((email) => isServiceAccountEmail(email))
  if (emails.length > 0 && (context.admin || mapFile || outsiders.length > 0 || serviceAccounts.length > 0)) {
    const users = await resolveUsers(
      emails.map((value) => ({origin: 'the plan', value})),
      context,
      mapFile,
      {missingServiceAccounts: 'report'},
    )
    for (const user of users) if (user.accountId && user.email) accounts.set(user.email, user.accountId)
  }

  const missingServiceAccounts = serviceAccounts.filter((email) => !accounts.has(email))
  for (const [i, user] of plan.users.entries()) {
    if (isServiceAccountEmail(user.email) && !accounts.has(user.email))
      problem(['users', i, 'email'], missingServiceAccountReason(user.email))
  }

  for (const {path, value} of outsiders) {
    if (accounts.has(value.toLowerCase())) continue
    problem(
      path,
      isServiceAccountEmail(value)
        ? missingServiceAccountReason(value)
        : `no Atlassian account has the email ${value}: add it to \`users\` to invite it`,
    )
  }

  const plannedUser = (value: string): PlannedUser => {
    if (!isEmail(value)) return {accountId: value, label: value}
    const email = value.toLowerCase()
    const invited = isServiceAccountEmail(email) ? undefined : invitedEmails.get(email)
    return {accountId: accounts.get(email), invited, label: email}
  }

  const expand = (values: string[]): PlannedUser[] => {
    const users = values
      .flatMap((value) => (value === INVITED ? plan.users.map((u) => u.email) : [value]))
      .map(plannedUser)
    const seen = new Set<string>()
    return users.filter((u) => !seen.has(u.label) && seen.add(u.label))
  }

  // Spaces: one listing of every space (current, then archived) when any entry takes them all, else one listing of
  // the keys named.
  const namedKeys = plan.spaces.flatMap((s) => [...(s.include === 'all' ? [] : s.include), ...s.exclude])
  const needsAll = plan.spaces.some((s) => s.include === 'all')
  const spaces =
    plan.spaces.length === 0
      ? []
      : needsAll
        ? [
            ...(await listSpaces(context.site, {status: 'current'})),
            ...(await listSpaces(context.site, {status: 'archived'})),
          ]
        : await listSpaces(context.site, {keys: namedKeys})
  const byKey = new Map(spaces.map((s) => [s.key, s]))
  const views: PlannedView[] = plan.spaces.map((entry, i) => {
    const keysFor = (list: string[], field: 'include' | 'exclude') =>
      list.filter((key, j) => {
        if (byKey.has(key)) return true
        problem(['spaces', i, field, j], `no space has the key ${excerpt(key)}`)
        return false
      })
    const excluded = new Set(keysFor(entry.exclude, 'exclude'))
    const all =
      entry.include === 'all'
        ? chooseSpaces(
            spaces.filter((s) => !excluded.has(s.key)),
            {includeArchived: entry.archived, types: entry.types},
          )
        : undefined
    const chosen = all ? all.spaces : keysFor(entry.include as string[], 'include').map((key) => byKey.get(key)!)
    return {
      choice: all?.choice,
      groups: grantGroupNames[i]
        .filter((n): n is string => n !== undefined)
        .map((name) => ({existing: found.get(name), name})),
      role: entry.grantView.role,
      spaces: chosen,
      users: expand(entry.grantView.users),
    }
  })

  // On a site with space roles, each role the grants give must exist (Viewer when none is named).
  const roles = spaceRoles(context)
  if (plan.spaces.length > 0 && (await roles.mode()) !== 'PRE_ROLES') {
    for (const [i, entry] of plan.spaces.entries()) {
      try {
        await roles.role(entry.grantView.role)
      } catch (error) {
        if (!(error instanceof CfadminError) || error.code !== 'ROLE_UNKNOWN') throw error
        problem(['spaces', i, 'grantView', ...(entry.grantView.role === undefined ? [] : ['role'])], error.message)
      }
    }
  }

  if (problems.length > 0) {
    const error = planError(source.file, problems)
    throw missingServiceAccounts.length > 0
      ? await withServiceAccountChoices(error, missingServiceAccounts, context)
      : error
  }

  return {
    accounts,
    message: plan.message,
    notes: defaults.notes(),
    exportMap: plan.exportMap && mapPaths && {from: mapPaths.from, labels: plan.exportMap, to: mapPaths.to},
    groups: plan.groups.map((group, i) => ({
      create: created.has(planGroupNames[i]!),
      existing: found.get(planGroupNames[i]!),
      made: group.create === true,
      members: expand(group.members),
      name: planGroupNames[i]!,
    })),
    users: plan.users.map((u) => ({...u, accountId: accounts.get(u.email)})),
    views,
  }
}

/** The plan's `site` names the profile's site: as a site name, host or URL, or as the site's name. */
function siteMatches(site: string, context: AccessContext): boolean {
  if (context.siteName && site.toLowerCase() === context.siteName.toLowerCase()) return true
  try {
    return normalizeSite(site).url === context.session.site?.url
  } catch {
    return false
  }
}
