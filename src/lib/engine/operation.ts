/**
 * The unit of work every changing command hands to the engine: planned (plan.ts: checked once), then applied
 * (apply.ts), or both at once (runner.ts). The engine knows nothing about Atlassian: an operation is a read-only
 * check plus an idempotent apply, identified by a stable key.
 */

import type {Pending} from './wait.js'

/** 'done' or 'todo', or either with a note the report shows (e.g. how it is already so, or how it would be made so). */
export type CheckResult = 'done' | 'todo' | {done: string} | {todo: string}

/** The state a check answered, without its note; undefined for an answer that is neither. */
export function checkState(answer: unknown): 'done' | 'todo' | undefined {
  if (answer === 'done' || answer === 'todo') return answer
  if (typeof answer !== 'object' || answer === null) return undefined
  const note = answer as {done?: unknown; todo?: unknown}
  if (typeof note.done === 'string') return 'done'
  if (typeof note.todo === 'string') return 'todo'
  return undefined
}

/** The note a check gave with its answer, if any. */
export const checkNote = (answer: unknown): string | undefined =>
  typeof answer === 'object' && answer !== null
    ? ((answer as {done?: string}).done ?? (answer as {todo?: string}).todo)
    : undefined

export interface Operation {
  /** Stable id, e.g. "view:ENG:group:<group ID>". Unique in a run: a repeated key runs once and is reported once. */
  key: string
  /**
   * What sort of change it is (e.g. "invite", "view"), chosen by whoever builds the operation and carried into its
   * ItemResult for reports to group by; the engine never reads it.
   */
  kind?: string
  /** One line for plans, progress and reports. */
  describe(): string
  /** Read-only: is it already true on the server? */
  check(): Promise<CheckResult>
  /**
   * Makes it true; safe to call again. May return a detail for the report (e.g. "INVITED"), or `{already: reason}`
   * when the server answers that it was already true (the item is then 'already', with that reason).
   */
  apply(): Promise<ApplyValue>
  /**
   * Not naturally idempotent (an invitation, a group creation): with a journal, the runner records the send
   * before applying, so an interrupted run resumed later never sends it twice.
   */
  oneShot?: boolean
  /** Atlassian shows this change late (an asynchronous invitation): a resume also holds back one cut off in flight. */
  eventual?: boolean
  /**
   * What apply() may have to wait for: something made earlier (by this run or an earlier run of it) that may not be
   * known yet where this operation uses it. On an error it matches, the runner tries again with backoff, up to its
   * wait limit (ApplyOptions.waitLimitMs), without holding up the other items; while another item already waits for
   * the same thing, this one waits with it before its first try. Not for an operation of a batch.
   */
  waitsFor?: Pending
  /** The input row it came from, written back by writeFailedRows (--failed-to). */
  row?: Record<string, string>
  /** Keys that must end done or already first; if one failed or is blocked, this one is 'blocked' and not attempted. */
  dependsOn?: string[]
  /**
   * Applied together with the other operations of the same batch (e.g. one request inviting many emails) instead
   * of by apply(). Operations of a batch must not depend, even through others, on an operation of a batch.
   */
  batch?: OperationBatch
}

export type ApplyValue = string | void | {already: string}

export interface OperationBatch {
  /** Operations whose batches have the same key are applied together. */
  key: string
  /** Most operations in one apply. */
  size: number
  /** Applies these operations at once: one result per operation, in order, what its apply() would return or throw. */
  apply(operations: Operation[]): Promise<Array<ApplyValue | Error>>
}

/** `planned` = would change (dry run). */
export type Outcome = 'done' | 'already' | 'failed' | 'blocked' | 'planned'

export const OUTCOMES: readonly Outcome[] = ['done', 'already', 'failed', 'blocked', 'planned']

export interface ItemResult {
  key: string
  description: string
  outcome: Outcome
  /** Why it failed, is blocked, or is already counted (e.g. sent by an earlier run). */
  reason?: string
  /** What apply() returned, e.g. "INVITED". */
  detail?: string
  row?: Record<string, string>
  /** The operation's kind, when it has one. */
  kind?: string
}

export interface RunReport {
  dryRun: boolean
  /** One per distinct key, in the order the operations were given. */
  items: ItemResult[]
  counts: Record<Outcome, number>
  seconds: number
  /** What the run chose on the user's behalf and wants said (e.g. which group stood in for a default group). */
  notes?: string[]
}
