/**
 * Progress for the runner, always on stderr (or the stream given) so stdout keeps only data:
 * - listr2 when asked for 'auto' and the stream is a terminal: one task whose title counts what finished
 *   (fast for thousands of operations) and whose bottom bar shows the latest failures;
 * - one plain line per finished item otherwise ("done    <description>", "failed  <description>: <reason>");
 * - nothing for 'none' (--json).
 */

import type {ItemResult, Outcome} from './operation.js'
import {formatCount} from '../output.js'
import {excerpt, terminalSafe} from '../text/safe-text.js'
import {loadListr} from '../lazy-modules.js'

export type ProgressMode = 'auto' | 'lines' | 'none'

export interface Progress {
  /** An item reached its outcome. */
  item(result: ItemResult): void
  /**
   * Items wait for something (engine/wait.ts): `line` says so ("waiting for … (12 s so far)"); undefined once the
   * wait for it is over.
   */
  waiting(waitingFor: string, line: string | undefined): void
  /** Everything finished: flush and take the display down. */
  end(): Promise<void>
}

export interface ProgressSettings {
  mode: ProgressMode
  output: NodeJS.WritableStream
  title?: string
  total: number
  dryRun: boolean
}

/**
 * The display one phase (plan or apply) reports to: the one the caller started and shares between phases, or, given
 * a mode, a display of the phase's own, which the phase ends itself (`shared` false).
 */
export async function phaseProgress(
  options: {progress?: ProgressMode | Progress; output?: NodeJS.WritableStream; title?: string},
  dryRun: boolean,
  total: number,
): Promise<{display: Progress; shared: boolean}> {
  if (typeof options.progress === 'object') return {display: options.progress, shared: true}
  const display = await startProgress({
    dryRun,
    mode: options.progress ?? 'auto',
    output: options.output ?? process.stderr,
    title: options.title,
    total,
  })
  return {display, shared: false}
}

/** "done    Grant View on ENG to crawlers" / "failed  …: reason": outcome padded so descriptions line up. */
export function progressLineOf(result: ItemResult): string {
  const tail = result.reason ? `: ${result.reason}` : result.detail ? ` (${result.detail})` : ''
  return `${result.outcome.padEnd(8)}${terminalSafe(result.description + tail)}`
}

export async function startProgress(settings: ProgressSettings): Promise<Progress> {
  if (settings.mode === 'none') return {item() {}, waiting() {}, async end() {}}
  const stream = settings.output as {isTTY?: boolean; columns?: number; rows?: number}
  // A terminal that reports no size (some CI pseudo-terminals) would get an empty drawing: plain lines there.
  const drawable = stream.isTTY === true && stream.columns !== 0 && stream.rows !== 0
  if (settings.mode === 'auto' && drawable) return startListrProgress(settings)
  return linesProgress(settings.output)
}

/** Lines are gathered and written once per turn of the event loop: one write per batch, not per item. */
function linesProgress(output: NodeJS.WritableStream): Progress {
  let pending: string[] = []
  let scheduled: NodeJS.Immediate | undefined
  const flush = () => {
    scheduled = undefined
    if (pending.length === 0) return
    const text = pending.join('\n') + '\n'
    pending = []
    output.write(text)
  }

  return {
    item(result) {
      pending.push(progressLineOf(result))
      scheduled ??= setImmediate(flush)
    },
    waiting(_waitingFor, line) {
      if (line === undefined) return
      pending.push(terminalSafe(line))
      scheduled ??= setImmediate(flush)
    },
    async end() {
      if (scheduled) clearImmediate(scheduled)
      flush()
    },
  }
}

const REFRESH_MS = 100
const FAILURES_SHOWN = 5

/** The most of a title's heading shown: a long one would push N/total off an 80-column terminal. */
export const HEADING_MAX = 24

/**
 * "grant-view: 1,200/5,000 (1,100 done, 100 already)": the heading (cut to HEADING_MAX, escaped), then the count
 * of finished items first, so a narrow terminal that cuts the line cuts the tally, not the count.
 */
export function progressTitle(
  heading: string,
  finished: number,
  total: number,
  counts: Record<Outcome, number>,
  dryRun: boolean,
): string {
  const tally = countsText(counts, dryRun)
  return `${excerpt(heading, HEADING_MAX)}: ${formatCount(finished)}/${formatCount(total)}${tally ? ` (${tally})` : ''}`
}

function countsText(counts: Record<Outcome, number>, dryRun: boolean): string {
  const parts: string[] = []
  if (dryRun) {
    if (counts.planned) parts.push(`would change ${formatCount(counts.planned)}`)
  } else if (counts.done) {
    parts.push(`${formatCount(counts.done)} done`)
  }

  for (const outcome of ['already', 'failed', 'blocked'] as const) {
    if (counts[outcome]) parts.push(`${formatCount(counts[outcome])} ${outcome}`)
  }

  return parts.join(', ')
}

async function startListrProgress(settings: ProgressSettings): Promise<Progress> {
  const {DefaultRenderer, Listr, ListrLogger, ProcessOutput} = await loadListr()
  const {output, total, dryRun} = settings
  const heading = settings.title ?? (dryRun ? 'Checking' : 'Applying changes')
  const counts: Record<Outcome, number> = {already: 0, blocked: 0, done: 0, failed: 0, planned: 0}
  const failures: string[] = []
  let finished = 0
  let dirty = true
  /** What items wait for now, each with its latest line: the title shows the latest. */
  const waits = new Map<string, string>()
  const titleNow = () => {
    const title = progressTitle(heading, finished, total, counts, dryRun)
    const wait = [...waits.values()].at(-1)
    return wait === undefined ? title : `${title}; ${terminalSafe(wait)}`
  }

  let renderer: InstanceType<typeof DefaultRenderer> | undefined
  // The stock renderer declines to run unless process.stdout is a terminal; ours draws on stderr, whose
  // terminal-ness was checked by the caller, so stdout may be a pipe (cfadmin … > out.csv).
  class StderrRenderer extends DefaultRenderer {
    static override nonTTY = true
    constructor(...args: ConstructorParameters<typeof DefaultRenderer>) {
      super(...args)
      // eslint-disable-next-line @typescript-eslint/no-this-alias
      renderer = this
    }
  }

  const stream = output as NodeJS.WriteStream
  const logger = new ListrLogger({processOutput: new ProcessOutput(stream, stream)})
  let endTask!: () => void
  const allDone = new Promise<void>((resolve) => {
    endTask = resolve
  })

  const list = new Listr(
    [
      {
        title: titleNow(),
        rendererOptions: {bottomBar: 1},
        async task(_ctx, task) {
          // Title and bottom bar change at most every REFRESH_MS: each change redraws the terminal.
          const refresh = () => {
            if (!dirty) return
            dirty = false
            task.title = titleNow()
            if (failures.length > 0) task.output = failures.join('\n')
          }

          const timer = setInterval(refresh, REFRESH_MS)
          try {
            await allDone
          } finally {
            clearInterval(timer)
            dirty = true
            refresh()
          }
        },
      },
    ],
    {
      concurrent: false,
      exitOnError: false,
      registerSignalListeners: false,
      renderer: StderrRenderer,
      rendererOptions: {formatOutput: 'truncate', logger},
    },
  )

  // Ctrl-C or SIGTERM: give the terminal back (cursor, hijacked stream), then let the signal do what it
  // would have done. In-flight applies are abandoned; the journal makes a rerun safe.
  const onSignal = (signal: NodeJS.Signals) => {
    detach()
    try {
      renderer?.end()
    } catch {
      // Best effort: the process is going away.
    }

    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal)
  }

  const detach = () => {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  }

  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  const running = list.run()

  return {
    item(result) {
      finished++
      counts[result.outcome]++
      if (result.outcome === 'failed') {
        failures.push(terminalSafe(`failed ${result.description}: ${result.reason ?? ''}`))
        if (failures.length > FAILURES_SHOWN) failures.shift()
      }

      dirty = true
    },
    waiting(waitingFor, line) {
      waits.delete(waitingFor)
      if (line !== undefined) waits.set(waitingFor, line)
      dirty = true
    },
    async end() {
      endTask()
      try {
        await running
      } finally {
        detach()
      }
    },
  }
}
