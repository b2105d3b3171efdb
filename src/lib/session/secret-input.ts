import type {Readable} from 'node:stream'

import {badInput} from '../errors.js'

/** Reads standard input to its end and returns its non-empty lines, trimmed (secrets piped in). */
export async function readStdinLines(input: Readable = process.stdin): Promise<string[]> {
  let text = ''
  for await (const chunk of input) text += chunk
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean)
}

/**
 * Asks for a secret on the terminal without echoing it. Refuses when stdin is not a terminal, so a
 * script never hangs on a prompt it cannot answer.
 */
export async function promptSecret(question: string, help: string): Promise<string> {
  const input = process.stdin
  if (!input.isTTY) {
    throw badInput('SECRET_MISSING', `${question.replace(/:\s*$/, '')} is needed and there is no terminal to ask on.`, help)
  }

  process.stderr.write(question)
  input.setRawMode(true)
  input.resume()
  input.setEncoding('utf8')
  try {
    return await new Promise<string>((resolve, reject) => {
      let secret = ''
      const onData = (keys: string) => {
        for (const key of keys) {
          if (key === '\r' || key === '\n') {
            input.off('data', onData)
            resolve(secret.trim())
            return
          }

          if (key === '\u0003') {
            input.off('data', onData)
            reject(badInput('CANCELLED', 'Cancelled.'))
            return
          }

          secret = key === '\u007F' || key === '\b' ? secret.slice(0, -1) : secret + key
        }
      }

      input.on('data', onData)
    })
  } finally {
    input.setRawMode(false)
    input.pause()
    process.stderr.write('\n')
  }
}
