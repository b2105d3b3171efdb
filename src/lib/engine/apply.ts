/**
 * Applies a plan (plan.ts): only its todo items, dependencies first, batches together, each oneShot recorded in the
 * journal around its send, and reports every item as done / already / failed / blocked. Nothing is checked again,
 * except after an apply failed with a transient error, to learn whether it landed before sending it again.
 */
import {Batcher} from './batcher.js'
import {countOutcomes, itemResult, reasonOf} from './item.js'
import type {Journal} from './journal.js'
import {
  type ApplyValue,
  checkState,
  type ItemResult,
  type Operation,
  type OperationBatch,
  type Outcome,
  type RunReport,
} from './operation.js'
import {type Plan, plannedResult, SENT_EARLIER, sentEarlier, type ShowOptions} from './plan.js'
import {phaseProgress} from './progress.js'
import {type Limits, limiter} from './throttle.js'
import {DEFAULT_WAIT_LIMIT_MS, SYSTEM_WAIT_CLOCK, type WaitClock, Waits} from './wait.js'

export interface ApplyOptions extends Limits, ShowOptions {
  /**
   * Resume support for oneShot operations: "sending" is recorded before each is sent and "done" once answered, and a
   * oneShot that an earlier run sent is not sent again. applyPlan does not finish or close it: its owner does.
   */
  journal?: Journal
  /**
   * Whether an apply's error may have left the change undone and is worth another try (a lost connection, a 5xx
   * the HTTP layer did not resend). Such an apply is checked again and, when still todo, applied again (at most
   * APPLY_ATTEMPTS in all); never for an `eventual` operation, whose check cannot tell whether it landed.
   */
  transient?: (error: unknown) => boolean
  /** How long an operation waits for what it needs to become known (Operation.waitsFor); default 5 minutes. */
  waitLimitMs?: number
  /** Where those waits get the time and sleep; tests give one that does not sleep. */
  clock?: WaitClock
}

/** Tries of one apply when its errors are transient (see ApplyOptions.transient). */
export const APPLY_ATTEMPTS = 3

/** Detail of an apply whose answer was lost but whose change the check then found. */
export const CONFIRMED_AFTER_ERROR = 'confirmed by a check after its answer was lost'

/**
 * Applies what the plan says is todo and reports every item of the plan, in its order: what the plan settled
 * (already, failed, blocked) as it was, the rest as its apply ended. An item waits for the items it depends on;
 * one of them failing or blocked blocks it. Item failures never throw.
 */
export async function applyPlan(plan: Plan, options: ApplyOptions = {}): Promise<RunReport> {
  const started = performance.now()
  const {journal} = options
  const ops = plan.items.map((item) => item.operation)
  const limited = limiter(options)
  const {display, shared} = await phaseProgress(options, false, ops.length)
  const batcher = new Batcher(ops, {
    send: (batch, batchOps) => limited(() => sendBatch(batch, batchOps, options.transient)),
  })
  const submitted = new Set<Operation>()
  const waits = new Waits({
    clock: options.clock ?? SYSTEM_WAIT_CLOCK,
    limitMs: options.waitLimitMs ?? DEFAULT_WAIT_LIMIT_MS,
    onWait: (waitingFor, line) => display.waiting(waitingFor, line),
  })

  const settle = async (i: number): Promise<ItemResult> => {
    const planned = plan.items[i]
    if (planned.state !== 'todo') return plannedResult(planned)
    const op = planned.operation
    const result = (outcome: Outcome, extra: {reason?: string; detail?: string} = {}) =>
      itemResult(op, planned.description, outcome, extra)
    // A plan made without the journal (or before an earlier run wrote to it) still never sends a oneShot twice.
    if (sentEarlier(op, journal)) return result('already', {reason: SENT_EARLIER})

    for (const d of plan.needs[i]) {
      const dependency = await ended[d]
      if (dependency.outcome === 'failed' || dependency.outcome === 'blocked') {
        const why = dependency.outcome === 'failed' ? 'failed' : 'is blocked'
        return result('blocked', {reason: `needs "${dependency.description}", which ${why}`})
      }
    }

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
        : await waits.run(
            // The wait between tries holds no slot: the items that need nothing new go on meanwhile.
            () => journaled(() => applyWithRetries(op, options.transient)),
            op.waitsFor,
            limited,
          )
      if (typeof detail === 'object' && detail !== null) return result('already', {reason: detail.already})
      return result('done', typeof detail === 'string' && detail !== '' ? {detail} : {})
    } catch (error) {
      return result('failed', {reason: reasonOf(error)})
    }
  }

  const ended: Promise<ItemResult>[] = []
  for (let i = 0; i < ops.length; i++) {
    const todo = plan.items[i].state === 'todo'
    ended.push(
      // Started once every item has its promise: an item may wait for one given after it.
      Promise.resolve(i)
        .then(settle)
        .then((item) => {
          // An operation of a batch that ended without asking to be applied lets its batch go without it.
          if (!submitted.has(ops[i])) batcher.skip(ops[i])
          if (!shared || todo) display.item(item)
          return item
        }),
    )
  }

  const items = await Promise.all(ended)
  if (!shared) await display.end()
  const seconds = plan.seconds + (performance.now() - started) / 1000
  return {counts: countOutcomes(items), dryRun: false, items, seconds: Math.round(seconds * 1000) / 1000}
}

/** Applies; after a transient error, checks again and resends only what did not land (see ApplyOptions.transient). */
async function applyWithRetries(op: Operation, transient: ApplyOptions['transient']): ReturnType<Operation['apply']> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await op.apply()
    } catch (error) {
      if (attempt >= APPLY_ATTEMPTS || op.eventual || !transient?.(error)) throw error
      // The change may have landed before the answer was lost: ask the server again before sending it again.
      if (checkState(await op.check().catch(() => 'todo')) === 'done') return CONFIRMED_AFTER_ERROR
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
  transient: ApplyOptions['transient'],
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
        else if (checkState(await operations[i].check().catch(() => 'todo')) === 'done')
          results[i] = CONFIRMED_AFTER_ERROR
        else still.push(i)
      }

      pending = still
    }
  }

  return results
}
