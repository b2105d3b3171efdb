/**
 * The one runner every changing command uses: check everything, apply what is not true yet (dependencies
 * first), and report each item as done / already / failed / blocked (or planned, in a dry run).
 */

import {Batcher, checkBatchDependencies} from './batcher.js'
import type {Journal} from './journal.js'
import {
  type ApplyValue,
  type ItemResult,
  type Operation,
  type OperationBatch,
  type Outcome,
  OUTCOMES,
  type RunReport,
} from './operation.js'
import {type ProgressMode, startProgress} from './progress.js'
import {Throttle} from './throttle.js'

export interface RunOptions {
  /** Check only: todo items are reported 'planned', nothing is applied. */
  dryRun?: boolean
  /** Most operations in flight at once (checks and applies together); default 8. */
  concurrency?: number
  /** Resume support for oneShot operations; finished (deleted) when a real run completes. */
  journal?: Journal
  /**
   * auto: listr2 on the output stream when it is a terminal, else one plain line per finished item;
   * lines: always plain lines; none: silent (--json). Default auto.
   */
  progress?: ProgressMode
  /** Where progress goes; default process.stderr. */
  output?: NodeJS.WritableStream
  /** Heading of the terminal progress display. */
  title?: string
  /** A concurrency limit shared with other work of the same command. */
  throttle?: Throttle
  /**
   * Whether an apply's error may have left the change undone and is worth another try (a lost connection, a 5xx
   * the HTTP layer did not resend). Such an apply is checked again and, when still todo, applied again (at most
   * APPLY_ATTEMPTS in all); never for an `eventual` operation, whose check cannot tell whether it landed.
   */
  transient?: (error: unknown) => boolean
}

/** Tries of one apply when its errors are transient (see RunOptions.transient). */
export const APPLY_ATTEMPTS = 3

/** Detail of an apply whose answer was lost but whose change the check then found. */
export const CONFIRMED_AFTER_ERROR = 'confirmed by a check after its answer was lost'

export const DEFAULT_CONCURRENCY = 8

/** Reason given for a oneShot item the journal says was sent but the server does not show yet. */
export const SENT_EARLIER = 'sent by an earlier run; Atlassian has not shown it yet'

/** The message of whatever was thrown (CfadminError, got errors, plain Error, anything). */
export function reasonOf(error: unknown): string {
  if (error instanceof Error) return error.message || error.name
  if (typeof error === 'object' && error !== null && typeof (error as {message?: unknown}).message === 'string') {
    return (error as {message: string}).message
  }

  return String(error)
}

function describeSafely(op: Operation): string {
  try {
    return op.describe()
  } catch {
    return op.key
  }
}

/** Keeps the first operation of each key, in order. */
function distinct(operations: readonly Operation[]): {ops: Operation[]; index: Map<string, number>} {
  const ops: Operation[] = []
  const index = new Map<string, number>()
  for (const op of operations) {
    if (index.has(op.key)) continue
    index.set(op.key, ops.length)
    ops.push(op)
  }

  return {index, ops}
}

/** Dependencies as indexes; throws when one is missing from the run or they form a cycle. */
function dependencyIndexes(ops: readonly Operation[], index: ReadonlyMap<string, number>): number[][] {
  const deps = ops.map((op) => {
    const seen = new Set<number>()
    for (const key of op.dependsOn ?? []) {
      const i = index.get(key)
      if (i === undefined)
        throw new Error(`Operation "${op.key}" depends on "${key}", which is not among the operations of this run.`)
      seen.add(i)
    }

    return [...seen]
  })
  // Kahn's algorithm: whatever cannot be ordered sits on a cycle (or waits behind one).
  const waiting = deps.map((d) => d.length)
  const dependents: number[][] = ops.map(() => [])
  for (const [i, d] of deps.entries()) for (const j of d) dependents[j].push(i)
  const ready = waiting.flatMap((n, i) => (n === 0 ? [i] : []))
  let ordered = 0
  while (ready.length > 0) {
    const i = ready.pop()!
    ordered++
    for (const j of dependents[i]) if (--waiting[j] === 0) ready.push(j)
  }

  if (ordered < ops.length) {
    const stuck = ops.filter((_, i) => waiting[i] > 0).map((op) => `"${op.key}"`)
    const shown = stuck.slice(0, 5).join(', ') + (stuck.length > 5 ? ` and ${stuck.length - 5} more` : '')
    throw new Error(`Operations depend on each other in a cycle, so none of them can start: ${shown}.`)
  }

  return deps
}

/** Applies; after a transient error, checks again and resends only what did not land (see RunOptions.transient). */
async function applyWithRetries(op: Operation, transient: RunOptions['transient']): ReturnType<Operation['apply']> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await op.apply()
    } catch (error) {
      if (attempt >= APPLY_ATTEMPTS || op.eventual || !transient?.(error)) throw error
      // The change may have landed before the answer was lost: ask the server again before sending it again.
      if ((await op.check().catch(() => 'todo')) === 'done') return CONFIRMED_AFTER_ERROR
    }
  }
}

/**
 * Applies a batch; after a transient error, checks each operation again and sends again only those that did not
 * land (never an eventual one). One result per operation, in order.
 */
async function sendBatch(
  batch: OperationBatch,
  operations: Operation[],
  transient: RunOptions['transient'],
): Promise<Array<ApplyValue | Error>> {
  const results: Array<ApplyValue | Error> = operations.map(() => new Error('not applied'))
  let pending = operations.map((_, i) => i)
  for (let attempt = 1; pending.length > 0; attempt++) {
    try {
      const answers = await batch.apply(pending.map((i) => operations[i]))
      for (const [j, i] of pending.entries())
        results[i] = j < answers.length ? answers[j] : new Error('the batch gave no result for this item')
      return results
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(reasonOf(error))
      const retry = attempt < APPLY_ATTEMPTS && transient?.(error) === true
      const still: number[] = []
      for (const i of pending) {
        if (!retry || operations[i].eventual) results[i] = failure
        else if ((await operations[i].check().catch(() => 'todo')) === 'done') results[i] = CONFIRMED_AFTER_ERROR
        else still.push(i)
      }

      pending = still
    }
  }

  return results
}

function concurrencyOf(value: number | undefined): number {
  const n = value ?? DEFAULT_CONCURRENCY
  if (!Number.isInteger(n) || n < 1) throw new Error(`Concurrency must be a whole number of at least 1, not ${value}.`)
  return n
}

/**
 * Runs the operations and reports every one of them. Item failures (a check or apply that throws) are
 * reported as 'failed' and never stop the others; runOperations itself throws only for a malformed list
 * (a dependency that is not in the list, a dependency cycle, a bad concurrency).
 */
export async function runOperations(operations: Operation[], options: RunOptions = {}): Promise<RunReport> {
  const started = performance.now()
  const dryRun = options.dryRun === true
  const {journal} = options
  const {index, ops} = distinct(operations)
  const deps = dependencyIndexes(ops, index)
  checkBatchDependencies(ops, deps)
  const concurrency = concurrencyOf(options.concurrency)
  // A shared throttle caps the command's work; --concurrency, when given as well, caps this run too.
  const throttle = options.throttle ?? new Throttle({max: concurrency})
  const pool = options.throttle && options.concurrency !== undefined ? new Throttle({max: concurrency}) : undefined
  const limited = async <T>(work: () => Promise<T>): Promise<T> => {
    const leavePool = pool ? await pool.acquire() : undefined
    const release = await throttle.acquire()
    try {
      return await work()
    } finally {
      release()
      leavePool?.()
    }
  }

  const batcher = new Batcher(ops, {
    send: (batch, batchOps) => limited(() => sendBatch(batch, batchOps, options.transient)),
  })
  const submitted = new Set<Operation>()
  const progress = await startProgress({
    dryRun,
    mode: options.progress ?? 'auto',
    output: options.output ?? process.stderr,
    title: options.title,
    total: ops.length,
  })
  const counts = Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<Outcome, number>

  const settle = async (i: number): Promise<ItemResult> => {
    const op = ops[i]
    const description = describeSafely(op)
    const result = (outcome: Outcome, extra: {reason?: string; detail?: string} = {}): ItemResult => ({
      key: op.key,
      description,
      outcome,
      ...(extra.reason === undefined ? {} : {reason: extra.reason}),
      ...(extra.detail === undefined ? {} : {detail: extra.detail}),
      ...(op.row === undefined ? {} : {row: op.row}),
    })

    let state: unknown
    try {
      state = await limited(() => op.check())
    } catch (error) {
      return result('failed', {reason: reasonOf(error)})
    }

    if (state === 'done') return result('already')
    if (state !== 'todo')
      return result('failed', {reason: `check answered ${JSON.stringify(state)} instead of 'done' or 'todo'`})
    if (op.oneShot && (journal?.wasSent(op.key) || (op.eventual && journal?.wasStarted(op.key))))
      return result('already', {reason: SENT_EARLIER})

    // An operation starts only after all its dependencies ended; a failed or blocked one blocks it.
    for (const d of deps[i]) {
      const dependency = await ended[d]
      if (dependency.outcome === 'failed' || dependency.outcome === 'blocked') {
        const why = dependency.outcome === 'failed' ? 'failed' : 'is blocked'
        return result('blocked', {reason: `needs "${dependency.description}", which ${why}`})
      }
    }

    if (dryRun) return result('planned')
    const recorded = op.oneShot === true && journal !== undefined
    const journaled = async (apply: () => Promise<ApplyValue>) => {
      if (recorded) await journal.markSending(op.key)
      const value = await apply()
      // Acknowledged: from now on a resume holds this change back even if Atlassian is slow to show it.
      if (recorded) await journal.markDone(op.key).catch(() => {})
      return value
    }

    try {
      const detail = op.batch
        ? await journaled(() => {
            submitted.add(op)
            return batcher.apply(op)
          })
        : await limited(() => journaled(() => applyWithRetries(op, options.transient)))
      if (typeof detail === 'object' && detail !== null) return result('already', {reason: detail.already})
      return result('done', typeof detail === 'string' && detail !== '' ? {detail} : {})
    } catch (error) {
      return result('failed', {reason: reasonOf(error)})
    }
  }

  const ended: Promise<ItemResult>[] = []
  for (let i = 0; i < ops.length; i++) {
    ended.push(
      settle(i).then((item) => {
        // An operation of a batch that ended without asking to be applied lets its batch go without it.
        if (!submitted.has(ops[i])) batcher.skip(ops[i])
        counts[item.outcome]++
        progress.item(item)
        return item
      }),
    )
  }

  const items = await Promise.all(ended)
  await progress.end()

  // A real run that completed clears its journal; a dry run sent nothing and leaves it for the resume.
  if (!dryRun) await journal?.finish()
  return {counts, dryRun, items, seconds: Math.round(performance.now() - started) / 1000}
}
