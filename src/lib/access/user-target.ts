import type {ResolvedUser} from './resolve-users.js'

/**
 * A user an operation acts on: with an account ID known when the operations were built, or one that an invitation
 * of the same run creates. Such an operation depends on the invitation and learns the account ID when it runs.
 */
export interface UserTarget {
  /** As given (an email or an account ID): names the user in descriptions, keys and rows. */
  label: string
  accountId?: string
  invitation?: {key: string; accountId(): Promise<string>}
}

export const targetOf = (user: ResolvedUser): UserTarget => ({accountId: user.accountId, label: user.value})

/** The account ID now: known, or the invitation's (which has run, since the operation depends on it). */
export async function accountIdOf(user: UserTarget): Promise<string> {
  if (user.accountId) return user.accountId
  if (user.invitation) return user.invitation.accountId()
  throw new Error(`${user.label} has no account ID`)
}

/** The invitation an operation on this user must wait for, if any, with the operation's other dependencies. */
export function dependenciesOf(
  user: UserTarget | undefined,
  ...others: Array<string | undefined>
): string[] | undefined {
  const keys = [user?.invitation?.key, ...others].filter((k): k is string => k !== undefined)
  return keys.length > 0 ? keys : undefined
}
