/**
 * A setup plan: read, checked against the schema, then checked for what a schema cannot say (duplicates, emails,
 * exclusions without `all`, ...). Every problem is collected with its place in the file; a plan with any is refused
 * as a whole (exit 2) before a single request is sent.
 */
import {realpathSync} from 'node:fs'
import {dirname, resolve} from 'node:path'

import {badInput, type CfadminError} from '../../errors.js'
import {excerpt} from '../../text/safe-text.js'
import {exportMapPathIssues, type ExportMapPaths} from './plan-paths.js'
import {describePath, schemaIssues} from './schema.js'
import {type PlanIssue, type PlanPath, type PlanSource, readPlanSource} from './source.js'
import {
  ACCOUNT_ID,
  type ConfluenceRole,
  CONTENT_SPACE_TYPES,
  EMAIL,
  isEmail,
  isSpaceKey,
  type RecommendedKey,
  type SpaceType,
} from '../../domain.js'

export type {SpaceType} from '../../domain.js'

/** Stands for every user of the plan's `users` list, in `members` and `grantView.users`. */
export const INVITED = 'invited'

export interface PlanUser {
  email: string
  role: ConfluenceRole
}

export interface PlanGroup {
  name?: string
  recommended?: RecommendedKey
  create: boolean
  members: string[]
}

export type GroupRefInPlan = string | {recommended: RecommendedKey}

export interface PlanSpaces {
  include: 'all' | string[]
  exclude: string[]
  /** With `include: all`: the types taken (default CONTENT_SPACE_TYPES). */
  types: SpaceType[]
  /** With `include: all`: archived spaces too. */
  archived: boolean
  /** `role`: on a site with space roles, the role to give (default Viewer). */
  grantView: {users: string[]; groups: GroupRefInPlan[]; role?: string}
}

export interface SetupPlan {
  site?: string
  /** The text of the invitation email (without one, Atlassian sends none). */
  message?: string
  users: PlanUser[]
  groups: PlanGroup[]
  spaces: PlanSpaces[]
  exportMap?: {from: string; to: string}
}

export interface LoadedPlan {
  plan: SetupPlan
  source: PlanSource
  /** The plan's folder (its real path): relative paths in it are relative to this. */
  dir: string
  /** The real paths of `exportMap.from` and `exportMap.to`, checked to be inside `dir`. */
  exportMapPaths?: ExportMapPaths
}

/** The real path of `path`; the path itself when it has none (a pipe such as /dev/fd/63). */
function realPath(path: string): string {
  try {
    return realpathSync(path)
  } catch {
    return resolve(path)
  }
}

/** Reads and checks a plan file; throws one exit-2 error listing every problem, each with its file:line:col. */
export async function loadPlan(file: string): Promise<LoadedPlan> {
  const source = await readPlanSource(file)
  const dir = realPath(dirname(resolve(file)))
  const planFile = realPath(file)
  const problems = await planProblems(source, dir, planFile)
  if (problems.length > 0) throw planError(source.file, problems)
  const plan = normalize(source.data as RawPlan)
  const paths = plan.exportMap && exportMapPathIssues(plan.exportMap, dir, planFile)
  if (paths && paths.issues.length > 0)
    throw planError(
      source.file,
      paths.issues.map((issue) => `${source.at(issue.path)}: ${issue.message}`),
    )
  return {dir, exportMapPaths: paths?.paths, plan, source}
}

/** Every problem of a parsed plan, as "file:line:col: message" lines; `planFile`, the plan's real path, is never a map's file. */
export async function planProblems(source: PlanSource, dir: string, planFile?: string): Promise<string[]> {
  if (source.syntaxErrors.length > 0) return source.syntaxErrors
  if (source.data === undefined)
    return [`${source.at([])}: the plan is empty: give at least one of users, groups, spaces, exportMap`]
  const schema = await schemaIssues(source.data)
  // Semantic checks read the shape the schema promises: they look only at the sections the schema found sound.
  const issues = [
    ...schema,
    ...semanticIssues(soundSections(source.data, schema), realPath(dir), schema.length > 0, planFile),
  ]
  return issues.map((issue) => `${source.at(issue.path, {key: issue.atKey})}: ${issue.message}`)
}

/** The problems an error lists at most: a broken file can have thousands, and the first ones show what is wrong. */
const PROBLEMS_SHOWN = 20

/** One exit-2 error listing the problems in file order (each line starts "file:line:col:"), the first PROBLEMS_SHOWN of them. */
export function planError(file: string, problems: string[]): CfadminError {
  const count = problems.length === 1 ? 'a problem' : `${problems.length} problems`
  const position = (problem: string) => (/:(\d+):(\d+): /.exec(problem) ?? []).slice(1).map(Number)
  const inOrder = [...problems].sort((a, b) => {
    const [lineA = 0, colA = 0] = position(a)
    const [lineB = 0, colB = 0] = position(b)
    return lineA - lineB || colA - colB
  })
  const shown = inOrder.slice(0, PROBLEMS_SHOWN).map((p) => `  ${p}`)
  if (inOrder.length > shown.length) shown.push(`  and ${inOrder.length - shown.length} more`)
  return badInput(
    'PLAN_INVALID',
    `The plan ${file} has ${count}:\n${shown.join('\n')}`,
    'Fix them and run again; nothing was sent to Atlassian.',
  )
}

/** The plan as the schema lets it be written: every list optional. */
interface RawPlan {
  site?: string
  message?: string
  users?: Array<{email: string; role?: ConfluenceRole}>
  groups?: Array<{name?: string; recommended?: RecommendedKey; create?: boolean; members?: string[]}>
  spaces?: Array<{
    include: 'all' | string[]
    exclude?: string[]
    types?: SpaceType[]
    archived?: boolean
    grantView: {users?: string[]; groups?: GroupRefInPlan[]; role?: string}
  }>
  exportMap?: {from: string; to: string}
}

function normalize(raw: RawPlan): SetupPlan {
  return {
    exportMap: raw.exportMap,
    groups: (raw.groups ?? []).map((g) => ({
      create: g.create ?? false,
      members: g.members ?? [],
      name: g.name,
      recommended: g.recommended,
    })),
    message: raw.message,
    site: raw.site,
    spaces: (raw.spaces ?? []).map((s) => ({
      exclude: s.exclude ?? [],
      // role stays absent when not given: the plan's normalized content names its journal.
      grantView: {
        groups: s.grantView.groups ?? [],
        users: s.grantView.users ?? [],
        ...(s.grantView.role === undefined ? {} : {role: s.grantView.role}),
      },
      include: s.include,
      archived: s.archived ?? false,
      types: s.types ?? [...CONTENT_SPACE_TYPES],
    })),
    users: (raw.users ?? []).map((u) => ({email: u.email.toLowerCase(), role: u.role ?? 'user'})),
  }
}

/** Reports the second and later occurrences of a value in a list, by their index. */
function duplicates(
  values: ReadonlyArray<string | undefined>,
  path: PlanPath,
  what: string,
  issues: PlanIssue[],
  field?: string,
): void {
  const first = new Map<string, number>()
  for (const [i, value] of values.entries()) {
    if (value === undefined) continue
    const seen = first.get(value)
    if (seen === undefined) first.set(value, i)
    else
      issues.push({
        message: `${what} ${excerpt(JSON.stringify(value))} is already given at ${describePath([...path, seen])}`,
        path: field ? [...path, i, field] : [...path, i],
      })
  }
}

/** Why a plan's space key is refused: a comma would be read by Confluence as two keys. */
function spaceKeyProblem(key: string): string {
  const shown = excerpt(JSON.stringify(key))
  if (key.includes(',')) return `${shown} is several space keys in one: give each key as its own item ([ENG, HR])`
  return `${shown} is not a space key: letters and digits (ENG), or ~ and the owner for a personal space`
}

const userKey = (value: string) => (isEmail(value) ? value.toLowerCase() : value)

function userListIssues(values: string[], path: PlanPath, hasUsers: boolean, issues: PlanIssue[]): void {
  for (const [i, value] of values.entries()) {
    if (value === INVITED) {
      if (!hasUsers)
        issues.push({
          message: `"${INVITED}" stands for the users of the users list, and the plan has none`,
          path: [...path, i],
        })
    } else if (isEmail(value) ? !EMAIL.test(value) : !ACCOUNT_ID.test(value)) {
      issues.push({
        message: `${excerpt(JSON.stringify(value))} is not ${isEmail(value) ? 'a valid email' : `an email, an account ID or "${INVITED}"`}`,
        path: [...path, i],
      })
    }
  }

  duplicates(values.map(userKey), path, 'user', issues)
}

/** The plan without the top-level sections the schema found a problem in (none at all when the root is wrong). */
function soundSections(data: unknown, schema: PlanIssue[]): RawPlan & {broken: Set<string>} {
  const broken = new Set(schema.map((issue) => String(issue.path[0] ?? '')))
  if (typeof data !== 'object' || data === null || Array.isArray(data) || broken.has(''))
    return {broken: new Set(['', 'users'])}
  return {...(Object.fromEntries(Object.entries(data).filter(([key]) => !broken.has(key))) as RawPlan), broken}
}

/** Duplicates, invalid emails and the like; `partial`: some sections were left out, so "asks for nothing" is not said. */
function semanticIssues(
  raw: RawPlan & {broken?: Set<string>},
  dir: string,
  partial = false,
  planFile?: string,
): PlanIssue[] {
  const issues: PlanIssue[] = []
  const users = raw.users ?? []
  // With the users section broken, "invited" may well stand for someone: do not call it empty.
  const hasUsers = users.length > 0 || raw.broken?.has('users') === true
  duplicates(
    users.map((u) => u.email.toLowerCase()),
    ['users'],
    'email',
    issues,
    'email',
  )

  const groups = raw.groups ?? []
  for (const [i, group] of groups.entries()) {
    const path = ['groups', i]
    if ((group.name === undefined) === (group.recommended === undefined)) {
      issues.push({message: `${describePath(path)} needs exactly one of \`name\` or \`recommended\``, path})
    }

    if (group.create && group.recommended)
      issues.push({
        message: `${describePath(path)}: recommended groups are the site's default groups and are not created here; drop \`create\` or give a \`name\``,
        path: [...path, 'create'],
        atKey: true,
      })
    userListIssues(group.members ?? [], [...path, 'members'], hasUsers, issues)
  }

  duplicates(
    groups.map((g) => g.name?.toLowerCase() ?? (g.recommended && `recommended: ${g.recommended}`)),
    ['groups'],
    'group',
    issues,
  )

  for (const [i, entry] of (raw.spaces ?? []).entries()) {
    const path = ['spaces', i]
    const all = entry.include === 'all'
    if (!all) duplicates(entry.include as string[], [...path, 'include'], 'space', issues)
    for (const field of ['include', 'exclude'] as const) {
      const keys = entry[field]
      if (!Array.isArray(keys)) continue
      for (const [j, key] of keys.entries()) {
        if (typeof key === 'string' && !isSpaceKey(key))
          issues.push({message: spaceKeyProblem(key), path: [...path, field, j]})
      }
    }

    if (entry.exclude && entry.exclude.length > 0 && !all)
      issues.push({
        atKey: true,
        message: '`exclude` only narrows `include: all`; with a list of keys, leave the key out of the list',
        path: [...path, 'exclude'],
      })
    if (entry.types && !all)
      issues.push({
        atKey: true,
        message: '`types` only narrows `include: all`; a listed key is included whatever its type',
        path: [...path, 'types'],
      })
    if (entry.archived !== undefined && !all)
      issues.push({
        atKey: true,
        message: '`archived` only widens `include: all`; a listed key is included whether archived or not',
        path: [...path, 'archived'],
      })
    duplicates(entry.exclude ?? [], [...path, 'exclude'], 'space', issues)
    duplicates(entry.types ?? [], [...path, 'types'], 'type', issues)
    const view = entry.grantView
    if ((view.users ?? []).length + (view.groups ?? []).length === 0) {
      issues.push({
        message: `${describePath([...path, 'grantView'])} names nobody: give users or groups`,
        path: [...path, 'grantView'],
      })
    }

    userListIssues(view.users ?? [], [...path, 'grantView', 'users'], hasUsers, issues)
    duplicates(
      (view.groups ?? []).map((g) => (typeof g === 'string' ? g.toLowerCase() : `recommended: ${g.recommended}`)),
      [...path, 'grantView', 'groups'],
      'group',
      issues,
    )
  }

  if (raw.exportMap) issues.push(...exportMapPathIssues(raw.exportMap, dir, planFile).issues)

  if (!partial && !hasUsers && groups.length === 0 && (raw.spaces ?? []).length === 0 && !raw.exportMap) {
    issues.push({message: 'the plan asks for nothing: give at least one of users, groups, spaces, exportMap', path: []})
  }

  return issues
}
