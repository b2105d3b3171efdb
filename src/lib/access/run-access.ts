import {join} from 'node:path'

import {Journal, runIdOf} from '../engine/journal.js'
import type {Operation, RunReport} from '../engine/operation.js'
import {runOperations} from '../engine/runner.js'
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
}

/** Runs a command's operations through the engine, with a journal keyed by the command and its inputs. */
export async function runAccessOperations(
  operations: Operation[],
  context: AccessContext,
  controls: RunControls,
  inputs: unknown,
): Promise<RunReport> {
  const journal = controls.dryRun
    ? undefined
    : await Journal.open(
        join(controls.configDir, 'journals'),
        runIdOf(controls.command, context.session.site?.url, inputs),
      )
  try {
    const report = await runOperations(operations, {
      dryRun: controls.dryRun,
      journal,
      progress: controls.progress,
      throttle: context.throttle,
      title: controls.title,
      transient: isTransientError,
    })
    await journal?.finish()
    return report
  } finally {
    // After an error the journal stays for the resume; its lock goes, so the resume can start.
    await journal?.close()
  }
}
