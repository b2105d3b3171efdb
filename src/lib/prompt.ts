import type {Readable, Writable} from 'node:stream'

/** Asks a yes/no question (on stderr, so stdout keeps only data); anything but y or yes is no. */
export async function confirm(question: string, io: {input: Readable; output: Writable} = {input: process.stdin, output: process.stderr}): Promise<boolean> {
  const {createInterface} = await import('node:readline/promises')
  const prompt = createInterface({input: io.input, output: io.output, terminal: false})
  try {
    io.output.write(`${question} [y/N] `)
    const answer = await new Promise<string>((resolve) => {
      prompt.once('line', resolve)
      prompt.once('close', () => resolve(''))
    })
    return /^\s*y(es)?\s*$/i.test(answer)
  } finally {
    prompt.close()
  }
}
