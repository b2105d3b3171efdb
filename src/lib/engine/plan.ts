/**
 * The plan: every operation checked once, with what its check found, before anything changes. It is shown as it
 * is (a dry run, a --verify, the list a command shows before asking) and handed to applyPlan (apply.ts), which
 * applies its todo items without checking them again.
 */
import {operationGraph} from './graph.js'
import {describeSafely, itemResult, reasonOf, countOutcomes} from './item.js'
import type {Journal} from './journal.js'
import {checkNote, checkState, type ItemResult, type Operation, type Outcome, type RunReport} from './operation.js'
import {phaseProgress, type Progress, type ProgressMode} from './progress.js'
import {type Limits, limiter} from './throttle.js'

/** Reason given for a oneShot item the journal says was sent but the server does not show yet. */
export const SENT_EARLIER = 'sent by an earlier run; Atlassian has not shown it yet'

/**
 * todo: not true on the server yet; done: already true, or held back by the journal (with the reason); failed: the
 * check threw or gave no answer; blocked: an operation it depends on failed or is blocked.
 */
export type PlanState = 'todo' | 'done' | 'failed' | 'blocked'

export interface PlanItem {
  operation: Operation
  /** operation.describe(), asked once. */
  description: string
  state: PlanState
  reason?: string
}

export interface Plan {
  /** One per distinct key, in the order the operations were given. */
  readonly items: readonly PlanItem[]
  /** For each item, the indexes of the items it depends on. */
  readonly needs: readonly (readonly number[])[]
  /** Seconds the checks took. */
  readonly seconds: number
}

/** Where progress is shown: a display of the phase's own, or one the caller started and shares with applyPlan. */
export interface ShowOptions {
  /**
   * A mode starts a display for this phase alone, which shows every item. A display the caller started is shared:
   * planOperations shows there only what the plan settles (already, failed, blocked) and applyPlan the rest.
   * Default 'auto'.
   */
  progress?: ProgressMode | Progress
  /** Where a display of the phase's own goes; default process.stderr. */
  output?: NodeJS.WritableStream
  /** Heading of the terminal display. */
  title?: string
}

export interface PlanOptions extends Limits, ShowOptions {
  /** Read only: a oneShot change an earlier run sent is planned as done (SENT_EARLIER), see journal.ts. */
  journal?: Journal
}

const OUTCOME_OF: Record<PlanState, Outcome> = {blocked: 'blocked', done: 'already', failed: 'failed', todo: 'planned'}

/** How a plan item reads in a report: todo is 'planned', done is 'already'. */
export function plannedResult(item: PlanItem): ItemResult {
  const reason = item.reason === undefined ? {} : {reason: item.reason}
  return itemResult(item.operation, item.description, OUTCOME_OF[item.state], reason)
}

/** The journal holds this oneShot back: sent and acknowledged earlier, or cut off in flight when Atlassian is slow to show it. */
export function sentEarlier(op: Operation, journal: Journal | undefined): boolean {
  return (
    op.oneShot === true &&
    (journal?.wasSent(op.key) === true || (op.eventual === true && journal?.wasStarted(op.key) === true))
  )
}

/**
 * Checks every operation once (at most `concurrency` at a time) and returns the plan. An item whose dependency
 * failed or is blocked in the plan is blocked. Check failures are items of the plan, never thrown; planOperations
 * throws only for a malformed list (a dependency that is not in it, a cycle, a bad concurrency).
 */
export async function planOperations(operations: readonly Operation[], options: PlanOptions = {}): Promise<Plan> {
  const started = performance.now()
  const {needs, ops} = operationGraph(operations)
  const limited = limiter(options)
  const {display, shared} = await phaseProgress(options, true, ops.length)

  const settle = async (i: number): Promise<PlanItem> => {
    const op = ops[i]
    const description = describeSafely(op)
    const item = (state: PlanState, reason?: string): PlanItem => ({
      description,
      operation: op,
      state,
      ...(reason === undefined ? {} : {reason}),
    })
    let answer: unknown
    try {
      answer = await limited(() => op.check())
    } catch (error) {
      return item('failed', reasonOf(error))
    }

    const state = checkState(answer)
    if (state === 'done') return item('done', checkNote(answer))
    if (state !== 'todo') return item('failed', `check answered ${JSON.stringify(answer)} instead of 'done' or 'todo'`)
    if (sentEarlier(op, options.journal)) return item('done', SENT_EARLIER)
    for (const d of needs[i]) {
      const dependency = await planned[d]
      if (dependency.state === 'failed' || dependency.state === 'blocked') {
        const why = dependency.state === 'failed' ? 'failed' : 'is blocked'
        return item('blocked', `needs "${dependency.description}", which ${why}`)
      }
    }

    return item('todo', checkNote(answer))
  }

  const planned: Promise<PlanItem>[] = []
  for (let i = 0; i < ops.length; i++) {
    planned.push(
      settle(i).then((item) => {
        if (!shared || item.state !== 'todo') display.item(plannedResult(item))
        return item
      }),
    )
  }

  const items = await Promise.all(planned)
  if (!shared) await display.end()
  return {items, needs, seconds: (performance.now() - started) / 1000}
}

/** The plan as a dry run's report: todo items are 'planned', done ones 'already'. */
export function planReport(plan: Plan): RunReport {
  const items = plan.items.map((item) => plannedResult(item))
  return {counts: countOutcomes(items), dryRun: true, items, seconds: Math.round(plan.seconds * 1000) / 1000}
}
