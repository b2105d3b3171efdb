import {searchUsersByEmail} from '../api/directory.js'
import {readExport} from '../csv/export-file.js'
import {badInput} from '../errors.js'
import type {AccessContext} from './access-context.js'
import {readUserInputs, type UserInput} from './principals.js'
import {missingServiceAccountReason, missingServiceAccounts} from './service-accounts.js'
import {isEmail, isServiceAccountEmail} from '../domain.js'

export interface ResolvedUser extends UserInput {
  accountId?: string
  email?: string
  /** Why there is no account ID. */
  reason?: string
}

/** One user given on the command line (`--user EMAIL|ID`) as an account, or exit 2 when it has none. */
export async function resolveOneUser(
  value: string,
  context: AccessContext,
  mapFile?: string,
): Promise<ResolvedUser & {accountId: string}> {
  const [user] = await resolveUsers(await readUserInputs([value]), context, mapFile)
  if (!user.accountId)
    throw badInput('USER_UNKNOWN', user.reason ?? `${value} is unknown`, 'Check the email, or give the account ID.')
  return {...user, accountId: user.accountId}
}

/**
 * Gives every user an account ID: account IDs as they are; emails through the Admin API's exact-email
 * search (batched) when the session has an Admin key, else through a user export (`mapFile`, the
 * admin "Export users" CSV). An email with no account is kept, with the reason, for the report; a service account's
 * email with no account (it cannot be invited, it must exist) is exit 2 before anything changes, unless
 * `missingServiceAccounts: 'report'` (a read-only command, or setup, which says where in the plan).
 */
export async function resolveUsers(
  inputs: UserInput[],
  context: AccessContext,
  mapFile?: string,
  options: {missingServiceAccounts?: 'fail' | 'report'} = {},
): Promise<ResolvedUser[]> {
  const emails = inputs.filter(({value}) => isEmail(value)).map(({value}) => value.toLowerCase())
  const accountByEmail = emails.length === 0 ? new Map<string, string>() : await lookUpEmails(emails, context, mapFile)
  const users = inputs.map((input): ResolvedUser => {
    if (!isEmail(input.value)) return {...input, accountId: input.value}
    const email = input.value.toLowerCase()
    const accountId = accountByEmail.get(email)
    if (accountId) return {...input, accountId, email}
    const reason = isServiceAccountEmail(email)
      ? missingServiceAccountReason(input.value)
      : `no Atlassian account has the email ${input.value}`
    return {...input, email, reason}
  })
  const missing = users.filter((u) => !u.accountId && isServiceAccountEmail(u.value))
  if (missing.length > 0 && options.missingServiceAccounts !== 'report')
    throw await missingServiceAccounts(
      missing.map((u) => ({email: u.value, origin: u.origin})),
      context,
    )
  return users
}

async function lookUpEmails(emails: string[], context: AccessContext, mapFile?: string): Promise<Map<string, string>> {
  const found = new Map<string, string>()
  if (context.admin) {
    const {client, directoryId, orgId} = context.admin
    for (const user of await searchUsersByEmail(client, orgId, directoryId, emails)) {
      if (user.email) found.set(user.email.toLowerCase(), user.accountId)
    }

    return found
  }

  if (!mapFile) {
    throw badInput(
      'EMAILS_NEED_ADMIN_KEY',
      'Emails can be turned into account IDs only with an organization Admin API key or a user export: Confluence cannot search by email.',
      'Log in with an Admin API key (cfadmin auth login --with-admin-key), give --map export-users.csv, or name the users by account ID.',
    )
  }

  const wanted = new Set(emails)
  const {users} = await readExport(mapFile, 1)
  for await (const batch of users) {
    for (const user of batch) {
      const email = user.email.trim().toLowerCase()
      if (wanted.has(email) && user.accountId && !found.has(email)) found.set(email, user.accountId)
    }
  }

  return found
}
