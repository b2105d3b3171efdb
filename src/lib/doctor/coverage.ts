/**
 * Check 5: space coverage in short. The spaces the connector's credential lists, by type (access/spaces.ts chooses
 * as `spaces coverage` does); then, with an admin login at hand (another profile), the coverage reader
 * (coverage/read.ts) for the credential's account: spaces it cannot view, and whether its access comes through a
 * group, the only principal new spaces' default access can include.
 */
import {listSpaces} from '../api/confluence.js'
import {accessContext} from '../access/access-context.js'
import {chooseSpaces} from '../access/spaces.js'
import {readCoverage} from '../coverage/read.js'
import {CfadminError} from '../errors.js'
import type {CheckResult, DoctorContext} from './check.js'
import {isUnreachable, messageOf} from './credential.js'

const perType = (counts: Record<string, number>) =>
  Object.entries(counts)
    .map(([type, n]) => `${n} ${type || 'of no type'}`)
    .join(', ')

/** The spaces the credential lists, by type. Sets context.spaces for the calls after it. */
export async function checkSpaces(context: DoctorContext): Promise<CheckResult[]> {
  if (context.unusable || context.noConfluenceAccess) return []
  const title = 'Spaces the credential lists'
  try {
    const listed = await listSpaces(context.site, {status: 'current'})
    context.spaces = listed
    const {choice} = chooseSpaces(listed, {})
    const chosen = Object.values(choice.chosen).reduce((a, b) => a + b, 0)
    const other = Object.keys(choice.typeNotChosen).length > 0 ? `; also ${perType(choice.typeNotChosen)}` : ''
    if (listed.length === 0)
      return [
        {
          fix: 'Give the account (better: a group it is in) View on the spaces to crawl: cfadmin spaces grant-view --all-spaces --group NAME',
          id: 'spaces',
          reason: 'It lists no space: the connector would find nothing to read.',
          status: 'warn',
          title,
        },
      ]
    return [
      {
        id: 'spaces',
        reason: `${chosen} space(s) teams work in${chosen > 0 ? ` (${perType(choice.chosen)})` : ''}${other}.`,
        status: 'ok',
        title,
      },
    ]
  } catch (error) {
    if (isUnreachable(error)) throw error
    return [
      {
        fix: error instanceof CfadminError ? error.hint : undefined,
        id: 'spaces',
        reason: messageOf(error),
        status: 'fail',
        title,
      },
    ]
  }
}

export async function checkCoverage(context: DoctorContext): Promise<CheckResult[]> {
  if (context.unusable || context.noConfluenceAccess) return []
  const title = 'Space coverage of the account (read with an admin login)'
  const account = context.me
  if (!account)
    return [
      {
        fix: 'Give the credential a scope to read the current user (read:confluence-user), or run cfadmin spaces coverage --user <account> as an admin.',
        id: 'coverage',
        reason: 'Whose the credential is stays unknown, so its coverage cannot be read.',
        status: 'warn',
        title,
      },
    ]
  if (!context.admin)
    return [
      {
        fix: `Log in an admin in another profile and name it: cfadmin doctor --admin-profile NAME (the "default" profile is used when it is another one and holds a site login).`,
        id: 'coverage',
        reason: "Coverage needs an admin login, to read every space's permissions.",
        status: 'warn',
        title,
      },
    ]

  try {
    const admin = await accessContext({env: context.env, profileName: context.admin.profileName, store: context.store})
    const coverage = await readCoverage(
      {accountId: account.accountId, label: account.displayName, type: 'user'},
      {},
      admin,
    )
    return coverageLines(coverage, account.accountId, context.admin.profileName)
  } catch (error) {
    if (isUnreachable(error)) throw error
    return [
      {
        fix: error instanceof CfadminError ? error.hint : undefined,
        id: 'coverage',
        reason: `The admin login (profile ${context.admin.profileName}) could not read the coverage: ${messageOf(error)}`,
        status: 'warn',
        title,
      },
    ]
  }
}

/** The coverage and access-route lines of a coverage reading. */
export function coverageLines(
  coverage: Awaited<ReturnType<typeof readCoverage>>,
  accountId: string,
  adminProfile: string,
): CheckResult[] {
  const {counts} = coverage
  const flag = adminProfile === 'default' ? '' : ` --profile ${adminProfile}`
  const title = `Space coverage of the account (read with profile ${adminProfile})`
  const lines: CheckResult[] = []
  const missing = coverage.spaces.filter((s) => s.view === 'no').map((s) => s.key)
  const shown = missing.slice(0, 10).join(', ') + (missing.length > 10 ? `, and ${missing.length - 10} more` : '')
  if (counts.notViewable > 0)
    lines.push({
      fix: `cfadmin spaces coverage --user ${accountId} --fix${flag} (a dry run first: add --dry-run)`,
      id: 'coverage',
      reason: `It can view ${counts.viewable} of ${counts.spaces} spaces; not ${shown}.`,
      status: 'warn',
      title,
    })
  else if (counts.notAdministered > 0)
    lines.push({
      fix: `Read them with an admin of those spaces, or on Premium and Enterprise with the admin key: cfadmin spaces coverage --user ${accountId} --admin-key${flag}`,
      id: 'coverage',
      reason: `It can view ${counts.viewable} of ${counts.spaces} spaces; the admin login could not read the permissions of ${counts.notAdministered}.`,
      status: 'warn',
      title,
    })
  else lines.push({id: 'coverage', reason: `It can view all ${counts.spaces} spaces.`, status: 'ok', title})

  const viewed = coverage.spaces.filter((s) => s.view === 'yes')
  const direct = viewed.filter((s) => s.via !== 'group' && s.via !== 'default access')
  const routeTitle = 'Access through a group'
  if (viewed.length === 0) return lines
  if (direct.length === 0)
    lines.push({
      id: 'access-route',
      reason: 'Every space it views, it views through a group.',
      status: 'ok',
      title: routeTitle,
    })
  else
    lines.push({
      fix: 'Put the account in a group and give the group View (cfadmin spaces grant-view --all-spaces --group NAME); then remove the individual grants.',
      id: 'access-route',
      reason: `${direct.length} of ${viewed.length} spaces it views through its own grant or role (${direct
        .slice(0, 5)
        .map((s) => s.key)
        .join(', ')}${direct.length > 5 ? ', …' : ''}): new spaces' default access can include a group, never a user.`,
      status: 'warn',
      title: routeTitle,
    })
  return lines
}
