/**
 * The whole run in one call, for callers that ask no question between the checks and the changes: plan
 * (plan.ts: check everything once), then apply the plan (apply.ts), or in a dry run report the plan. One progress
 * display covers both phases.
 */

import {applyPlan, type ApplyOptions} from './apply.js'
import {operationGraph} from './graph.js'
import type {Operation, RunReport} from './operation.js'
import {planOperations, planReport} from './plan.js'
import {type ProgressMode, startProgress} from './progress.js'
import {concurrencyOf} from './throttle.js'

export {APPLY_ATTEMPTS, CONFIRMED_AFTER_ERROR} from './apply.js'
export {SENT_EARLIER} from './plan.js'

export interface RunOptions extends Omit<ApplyOptions, 'progress'> {
  /** Check only: todo items are reported 'planned', nothing is applied. */
  dryRun?: boolean
  /**
   * auto: listr2 on the output stream when it is a terminal, else one plain line per finished item;
   * lines: always plain lines; none: silent (--json). Default auto.
   */
  progress?: ProgressMode
}

/**
 * Plans and applies the operations under one progress display, the plan's settled items shown as they are checked
 * and the rest as they are applied. The journal, if any, is used, not ended: its owner finishes or closes it.
 * Throws only for a malformed list (a dependency that is not in the list, a dependency cycle, a bad concurrency),
 * before the display starts.
 */
export async function planAndApply(operations: Operation[], options: RunOptions = {}): Promise<RunReport> {
  const {ops} = operationGraph(operations)
  concurrencyOf(options.concurrency)
  const display = await startProgress({
    dryRun: false,
    mode: options.progress ?? 'auto',
    output: options.output ?? process.stderr,
    title: options.title,
    total: ops.length,
  })
  try {
    const plan = await planOperations(operations, {...options, progress: display})
    return await applyPlan(plan, {...options, progress: display})
  } finally {
    await display.end()
  }
}

/**
 * Runs the operations and reports every one of them: planAndApply, or in a dry run the plan as a report. Item
 * failures (a check or apply that throws) are reported as 'failed' and never stop the others. The journal it is
 * handed is its own from then on: a completed real run finishes (deletes) it; a dry run only reads it.
 */
export async function runOperations(operations: Operation[], options: RunOptions = {}): Promise<RunReport> {
  if (options.dryRun) return planReport(await planOperations(operations, options))
  const report = await planAndApply(operations, options)
  await options.journal?.finish()
  return report
}
