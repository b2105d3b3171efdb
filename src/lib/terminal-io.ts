import type {Readable, Writable} from 'node:stream'

import {confirm} from './prompt.js'

/**
 * The terminal a command talks to: its streams, whether each is a terminal, and the y/N question. Commands ask
 * this object rather than `process`, so a test can hand them another terminal and answer the question itself.
 */
export interface TerminalIo {
  stdin: Readable
  stdout: Writable
  stderr: Writable
  readonly stdinIsTTY: boolean
  readonly stdoutIsTTY: boolean
  readonly stderrIsTTY: boolean
  /** Asks a yes/no question (on stderr); true only for y or yes. */
  confirm(question: string): Promise<boolean>
}

/** The process's own streams; the TTY flags are read when asked, as they stand then. */
export function processIo(): TerminalIo {
  return {
    confirm: (question) => confirm(question, {input: process.stdin, output: process.stderr}),
    get stderr() {
      return process.stderr
    },
    get stderrIsTTY() {
      return Boolean(process.stderr.isTTY)
    },
    get stdin() {
      return process.stdin
    },
    get stdinIsTTY() {
      return Boolean(process.stdin.isTTY)
    },
    get stdout() {
      return process.stdout
    },
    get stdoutIsTTY() {
      return Boolean(process.stdout.isTTY)
    },
  }
}

/** Clean-ups a Ctrl-C or SIGTERM waits for before the process exits (such as switching the admin key off). */
const interruptCleanups = new Set<() => Promise<void>>()

/** Registers a clean-up for an interrupted run; the function returned unregisters it (call it once done). */
export function onInterrupt(cleanup: () => Promise<void>): () => void {
  interruptCleanups.add(cleanup)
  return () => interruptCleanups.delete(cleanup)
}

/** Runs the registered clean-ups, all at once, for at most `limitMs`; never throws. */
export async function runInterruptCleanups(limitMs = 5000): Promise<void> {
  const pending = [...interruptCleanups]
  interruptCleanups.clear()
  if (pending.length === 0) return
  let timer: NodeJS.Timeout | undefined
  const limit = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, limitMs)
  })
  await Promise.race([Promise.allSettled(pending.map(async (cleanup) => cleanup())), limit])
  clearTimeout(timer)
}
