/** What the plan and the apply share about one item: its description, its result line, the reason of an error. */
import {type ItemResult, type Operation, type Outcome, OUTCOMES} from './operation.js'

/** The message of whatever was thrown (CfadminError, got errors, plain Error, anything). */
export function reasonOf(error: unknown): string {
  if (error instanceof Error) return error.message || error.name
  if (typeof error === 'object' && error !== null && typeof (error as {message?: unknown}).message === 'string') {
    return (error as {message: string}).message
  }

  return String(error)
}

/** describe(), or the key when describe() throws: a report line never fails. */
export function describeSafely(op: Operation): string {
  try {
    return op.describe()
  } catch {
    return op.key
  }
}

/** The report line of an operation, with only the fields that have a value. */
export function itemResult(
  op: Operation,
  description: string,
  outcome: Outcome,
  extra: {reason?: string; detail?: string} = {},
): ItemResult {
  return {
    key: op.key,
    description,
    outcome,
    ...(extra.reason === undefined ? {} : {reason: extra.reason}),
    ...(extra.detail === undefined ? {} : {detail: extra.detail}),
    ...(op.row === undefined ? {} : {row: op.row}),
    ...(op.kind === undefined ? {} : {kind: op.kind}),
  }
}

export function countOutcomes(items: readonly ItemResult[]): Record<Outcome, number> {
  const counts = Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<Outcome, number>
  for (const item of items) counts[item.outcome]++
  return counts
}
