/**
 * Service accounts (atlassian-2026.md §4b): accounts for integrations, `<name>@serviceaccount.atlassian.com`, created
 * by an org admin in admin.atlassian.com and never invited. cfadmin looks them up like any user; one that does not
 * exist stops the run before anything changes (exit 2), with the organization's service accounts to pick from when the
 * Admin key may read them.
 */
import {listServiceAccounts, type ServiceAccount} from '../api/service-accounts.js'
import {badInput, CfadminError} from '../errors.js'
import {isAtlassianError} from '../http/errors.js'
import {terminalSafe} from '../text/safe-text.js'
import {closest} from '../text/suggest.js'
import type {AccessContext} from './access-context.js'

/** Where a missing service account comes from: admin.atlassian.com, never an invitation. */
export const CREATE_SERVICE_ACCOUNT = 'create the service account in admin.atlassian.com > Directory > Service accounts'

/** The accounts of the org's service accounts listed at most, in a message. */
const LISTED = 20

/** The reason an email of a service account has no account: said where a user's missing email would be. */
export const missingServiceAccountReason = (email: string) =>
  `no service account has the email ${email} (service accounts are never invited): ${CREATE_SERVICE_ACCOUNT}`

/**
 * The organization's service accounts, or undefined when they cannot be read: no Admin key, or the key may not read
 * them (401/403/404: the API-access API needs read:service-accounts:admin, and is experimental).
 */
export async function serviceAccountsOf(context: AccessContext): Promise<ServiceAccount[] | undefined> {
  if (!context.admin) return undefined
  try {
    return await listServiceAccounts(context.admin.client, context.admin.orgId)
  } catch (error) {
    if ([401, 403, 404].some((status) => isAtlassianError(error, status))) return undefined
    throw error
  }
}

/** Lines that help pick the right service account: a close email per missing one, then the organization's list. */
export function serviceAccountChoices(missing: string[], accounts: ServiceAccount[] | undefined): string[] {
  if (accounts === undefined) return []
  // Compared by the part before the @: every service account shares the domain, which would make any two look close.
  const byName = new Map(accounts.flatMap((a) => (a.email ? [[localPart(a.email), a.email] as const] : [])))
  const lines = missing.flatMap((email) => {
    const near = closest(localPart(email), [...byName.keys()])
    return near ? [`${email}: did you mean ${byName.get(near)}?`] : []
  })
  if (accounts.length === 0) return [...lines, 'The organization has no service accounts yet.']
  const shown = accounts.slice(0, LISTED).map((a) => `  ${describe(a)}`)
  if (accounts.length > shown.length) shown.push(`  and ${accounts.length - shown.length} more`)
  return [...lines, "The organization's service accounts:", ...shown]
}

const localPart = (email: string) => email.slice(0, email.lastIndexOf('@')).toLowerCase()

function describe(account: ServiceAccount): string {
  const name = account.name ?? account.id ?? ''
  return terminalSafe(account.email ? (name ? `${name} <${account.email}>` : account.email) : name)
}

/**
 * Exit 2 for service accounts the directory does not have, naming them (and where they were given), how to create
 * them and the organization's service accounts when the key may read them.
 */
export async function missingServiceAccounts(
  missing: Array<{email: string; origin?: string}>,
  context: AccessContext,
): Promise<CfadminError> {
  const names = missing.map(({email, origin}) => (origin ? `${email} (${origin})` : email))
  const choices = serviceAccountChoices(
    missing.map((m) => m.email),
    await serviceAccountsOf(context),
  )
  return badInput(
    'SERVICE_ACCOUNT_MISSING',
    [
      `No service account has the email ${names.join(', ')}: service accounts are never invited, they must exist.`,
      ...choices,
    ].join('\n'),
    `${CREATE_SERVICE_ACCOUNT[0].toUpperCase()}${CREATE_SERVICE_ACCOUNT.slice(1)}, or fix the email; nothing was changed.`,
  )
}

/** A plan's error with the service accounts to pick from added under its problems. */
export async function withServiceAccountChoices(
  error: CfadminError,
  missing: string[],
  context: AccessContext,
): Promise<CfadminError> {
  const choices = serviceAccountChoices(missing, await serviceAccountsOf(context))
  return new CfadminError([error.message, ...choices].join('\n'), {
    code: error.code,
    exit: error.exit,
    hint: `${error.hint ?? ''} Service accounts are created in admin.atlassian.com > Directory > Service accounts, never invited.`.trim(),
  })
}
