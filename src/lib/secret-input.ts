import {isUtf8} from 'node:buffer'
import type {Readable} from 'node:stream'

import {badInput} from './errors.js'

/** The most standard input may hold when it carries secrets: each is one short line. */
export const SECRET_INPUT_LIMIT = 64 * 1024

/**
 * Reads standard input to its end and returns its non-empty lines, trimmed (secrets piped in). Bounded, so a
 * mistaken `< big-file` or an endless producer stops at once; never quoted, since it may hold secrets.
 */
export async function readStdinLines(input: Readable = process.stdin): Promise<string[]> {
  const chunks: Buffer[] = []
  let total = 0
  for await (const chunk of input) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer)
    total += bytes.length
    if (total > SECRET_INPUT_LIMIT) {
      if (input !== process.stdin) input.destroy()
      throw badInput(
        'SECRET_INPUT_TOO_LARGE',
        `Standard input holds more than ${SECRET_INPUT_LIMIT / 1024} KB; cfadmin reads a token, key or secret from it, one short line each.`,
        'Pipe in only the secret, e.g. cfadmin auth login --with-token < token.txt',
      )
    }

    chunks.push(bytes)
  }

  const all = Buffer.concat(chunks)
  if (!isUtf8(all))
    throw badInput(
      'SECRET_INPUT_NOT_UTF8',
      'Standard input is not UTF-8 text, so it cannot hold a token, key or secret.',
      'Pipe in the secret as plain text.',
    )
  return all
    .toString('utf8')
    .replace(/^\uFEFF/, '')
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
    throw badInput(
      'SECRET_MISSING',
      `${question.replace(/:\s*$/, '')} is needed and there is no terminal to ask on.`,
      help,
    )
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
