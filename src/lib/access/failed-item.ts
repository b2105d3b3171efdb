import type {Operation} from '../engine/operation.js'
import type {ResolvedUser} from './resolve-users.js'

/** An item that cannot be attempted (unknown space, group or user): it fails alone, with the reason, and the rest go on. */
export function failedItem(key: string, description: string, reason: string, row?: Record<string, string>): Operation {
  return {
    async apply() {},
    async check() {
      throw new Error(reason)
    },
    describe: () => description,
    key,
    row,
  }
}

/** A user whose email has no account: a failed item that says so. */
export function unresolvedUser(
  user: ResolvedUser,
  key: string,
  what: string,
  row: Record<string, string> = {user: user.value},
): Operation {
  return failedItem(
    key,
    `${what} for ${user.value} (${user.origin})`,
    user.reason ?? `${user.value} could not be resolved`,
    row,
  )
}
