import {join} from 'node:path'

import {applyPlan} from '../engine/apply.js'
import {Journal, runIdOf} from '../engine/journal.js'
import type {Operation, RunReport} from '../engine/operation.js'
import {type Plan, planOperations, planReport} from '../engine/plan.js'
import {planAndApply} from '../engine/runner.js'
import {isTransientError} from '../http/errors.js'
import type {AccessContext} from './access-context.js'

/** How a command wants its operations run: from its flags. */
export interface RunControls {
  dryRun?: boolean
  progress: 'auto' | 'lines' | 'none'
  /** The config dir: journals go in <configDir>/journals. */
  configDir: string
  /** Names the run for the journal, with the inputs: the same command on the same input resumes. */
  command: string
  title?: string
  /** How long an item waits for Atlassian to make what it needs known (--wait-for-propagation); default 5 minutes. */
  waitLimitMs?: number
}

/**
 * One run of a command's operations, and the one owner of its journal: opened (with its lock) before the first
 * check, so a second run of the same command on the same input stops at once, even while this one waits for an
 * answer between its plan and its apply; finished (deleted) once an apply completed; closed (kept for the resume,
 * its lock released) in every other case: nothing to apply, a question answered no, an error. A dry run has no
 * journal.
 */
export class AccessRun {
  private constructor(
    private readonly context: AccessContext,
    private readonly controls: RunControls,
    private readonly journal: Journal | undefined,
  ) {}

  /** Opens the journal keyed by the command, the site and the inputs (not for a dry run). */
  static async start(context: AccessContext, controls: RunControls, inputs: unknown): Promise<AccessRun> {
    const journal = controls.dryRun
      ? undefined
      : await Journal.open(
          join(controls.configDir, 'journals'),
          runIdOf(controls.command, context.session.site?.url, inputs),
        )
    return new AccessRun(context, controls, journal)
  }

  /** Checks everything once, with a display of its own that shows every item (todo as planned). */
  plan(operations: Operation[], title = this.controls.title): Promise<Plan> {
    return planOperations(operations, {...this.options(), title})
  }

  /** Applies the plan, with a display of its own that shows every item, and finishes the journal. */
  async apply(plan: Plan, title = this.controls.title): Promise<RunReport> {
    const report = await applyPlan(plan, {...this.options(), title, transient: isTransientError})
    await this.journal?.finish()
    return report
  }

  /** Plans and, unless a dry run, applies at once, under one display: the commands that ask nothing in between. */
  async run(operations: Operation[]): Promise<RunReport> {
    if (this.controls.dryRun) return planReport(await this.plan(operations))
    const report = await planAndApply(operations, {...this.options(), transient: isTransientError})
    await this.journal?.finish()
    return report
  }

  /** Ends the run: after an apply that completed this does nothing; otherwise the journal stays for the resume. */
  async end(): Promise<void> {
    await this.journal?.close()
  }

  private options() {
    return {
      journal: this.journal,
      progress: this.controls.progress,
      throttle: this.context.throttle,
      title: this.controls.title,
      waitLimitMs: this.controls.waitLimitMs,
    }
  }
}

/** Runs a command's operations through the engine (plan, then apply), with a journal keyed by the command and its inputs. */
export async function runAccessOperations(
  operations: Operation[],
  context: AccessContext,
  controls: RunControls,
  inputs: unknown,
): Promise<RunReport> {
  const run = await AccessRun.start(context, controls, inputs)
  try {
    return await run.run(operations)
  } finally {
    await run.end()
  }
}
