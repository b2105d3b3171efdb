import type {Readable, Writable} from 'node:stream'

import {badInput} from './errors.js'

type Io = {input: Readable; output: Writable}
const TERMINAL: Io = {input: process.stdin, output: process.stderr}

/** Asks one question (on stderr, so stdout keeps only data) and gives the line answered, '' when the input ends. */
export async function askLine(question: string, io: Io = TERMINAL): Promise<string> {
  const {createInterface} = await import('node:readline/promises')
  const prompt = createInterface({input: io.input, output: io.output, terminal: false})
  try {
    io.output.write(question)
    return await new Promise<string>((resolve) => {
      prompt.once('line', resolve)
      prompt.once('close', () => resolve(''))
    })
  } finally {
    prompt.close()
  }
}

/** Asks a yes/no question; anything but y or yes is no. */
export async function confirm(question: string, io: Io = TERMINAL): Promise<boolean> {
  return /^\s*y(es)?\s*$/i.test(await askLine(`${question} [y/N] `, io))
}

/** Asks on the terminal and gives the trimmed answer; refuses without a terminal, with `help` saying what to do instead. */
export async function promptLine(question: string, help: string): Promise<string> {
  if (!process.stdin.isTTY) throw badInput('ANSWER_NEEDED', `${question.replace(/[:?]\s*$/, '')}: there is no terminal to ask on.`, help)
  return (await askLine(question)).trim()
}
