import {createInterface} from 'node:readline/promises'
import type {Readable, Writable} from 'node:stream'

import {badInput} from './errors.js'

type Io = {input: Readable; output: Writable}
const TERMINAL: Io = {input: process.stdin, output: process.stderr}

/**
 * Asks one question (on stderr, so stdout keeps only data) and gives the line answered, '' when the input ends.
 * With `maxLength`, a longer line is refused (exit 2) as soon as it is seen, without reading the rest of it.
 */
export async function askLine(
  question: string,
  io: Io = TERMINAL,
  options: {maxLength?: number} = {},
): Promise<string> {
  const prompt = createInterface({input: io.input, output: io.output, terminal: false})
  let count: ((chunk: Buffer | string) => void) | undefined
  try {
    io.output.write(question)
    return await new Promise<string>((resolve, reject) => {
      const max = options.maxLength ?? Number.POSITIVE_INFINITY
      const tooLong = () =>
        reject(
          badInput(
            'ANSWER_TOO_LONG',
            `The answer is longer than ${max} characters, so it was not read.`,
            'Give only the one line asked for.',
          ),
        )
      prompt.once('line', (line) => (line.length > max ? tooLong() : resolve(line)))
      prompt.once('close', () => resolve(''))
      if (options.maxLength === undefined) return
      let seen = 0
      count = (chunk) => {
        const text = String(chunk)
        const end = text.indexOf('\n')
        seen += end === -1 ? text.length : end
        if (seen > max) tooLong()
      }

      io.input.on('data', count)
    })
  } finally {
    if (count) io.input.off('data', count)
    prompt.close()
  }
}

/** Asks a yes/no question; anything but y or yes is no. */
export async function confirm(question: string, io: Io = TERMINAL): Promise<boolean> {
  return /^\s*y(es)?\s*$/i.test(await askLine(`${question} [y/N] `, io))
}

/** Asks on the terminal and gives the trimmed answer; refuses without a terminal, with `help` saying what to do instead. */
export async function promptLine(question: string, help: string): Promise<string> {
  if (!process.stdin.isTTY)
    throw badInput('ANSWER_NEEDED', `${question.replace(/[:?]\s*$/, '')}: there is no terminal to ask on.`, help)
  return (await askLine(question)).trim()
}
