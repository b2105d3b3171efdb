import type {AccessOperation, OperationId} from './operation-keys.js'
import type {ResolvedUser} from './resolve-users.js'

/** An item that cannot be attempted (unknown space, group or user): it fails alone, with the reason, and the rest go on. */
export function failedItem(
  id: OperationId,
  description: string,
  reason: string,
  row?: Record<string, string>,
): AccessOperation {
  return {
    ...id,
    async apply() {},
    async check() {
      throw new Error(reason)
    },
    describe: () => description,
    row,
  }
}

/** A user whose email has no account: a failed item that says so. */
export function unresolvedUser(
  user: ResolvedUser,
  id: OperationId,
  what: string,
  row: Record<string, string> = {user: user.value},
): AccessOperation {
  return failedItem(
    id,
    `${what} for ${user.value} (${user.origin})`,
    user.reason ?? `${user.value} could not be resolved`,
    row,
  )
}
