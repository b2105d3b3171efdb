import {PassThrough} from 'node:stream'

import type {TerminalIo} from '../../src/lib/terminal-io.js'

/** A terminal for in-process tests: streams that keep what is written, TTY flags as chosen, scripted y/N answers. */
export interface TestIo extends TerminalIo {
  /** The questions confirm() was asked, in order. */
  readonly asked: string[]
}

/**
 * `answers` are given to confirm() in order; a question with no answer left fails the test, so a test states every
 * question it expects. `tty` sets all three TTY flags (default: a terminal).
 */
export function testIo(options: {answers?: boolean[]; tty?: boolean} = {}): TestIo {
  const answers = [...(options.answers ?? [])]
  const tty = options.tty ?? true
  const asked: string[] = []
  return {
    asked,
    async confirm(question) {
      asked.push(question)
      const answer = answers.shift()
      if (answer === undefined) throw new Error(`confirm() was asked "${question}" with no answer scripted`)
      return answer
    },
    stderr: new PassThrough(),
    stderrIsTTY: tty,
    stdin: new PassThrough(),
    stdinIsTTY: tty,
    stdout: new PassThrough(),
    stdoutIsTTY: tty,
  }
}
