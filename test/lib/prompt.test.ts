import {PassThrough} from 'node:stream'

import {expect} from 'chai'

import {CfadminError, ExitCode} from '../../src/lib/errors.js'
import {askLine, confirm} from '../../src/lib/prompt.js'
import {rejectionOf} from '../support/rejection.js'
import {collector} from './engine/helpers.js'

describe('confirm', () => {
  const ask = async (typed: string | undefined) => {
    const input = new PassThrough()
    const output = collector()
    const answer = confirm('Apply 3 change(s)?', {input, output})
    if (typed === undefined) input.end()
    else input.write(typed)
    return {answer: await answer, shown: output.text()}
  }

  it('shows the question with its default and takes y or yes, in any case, as yes', async () => {
    expect(await ask('y\n')).to.deep.equal({answer: true, shown: 'Apply 3 change(s)? [y/N] '})
    expect((await ask(' YES \n')).answer).to.equal(true)
  })

  it('takes anything else, an empty line or a closed input as no', async () => {
    expect((await ask('n\n')).answer).to.equal(false)
    expect((await ask('yep\n')).answer).to.equal(false)
    expect((await ask('\n')).answer).to.equal(false)
    expect((await ask(undefined)).answer).to.equal(false)
  })
})

describe('askLine with a length limit', () => {
  it('refuses an endless line (exit 2) once it passes the limit, without waiting for its end', async () => {
    const input = new PassThrough()
    const answer = askLine('Address: ', {input, output: collector()}, {maxLength: 100})
    const chunk = 'x'.repeat(64)
    let written = 0
    const feed = setInterval(() => {
      input.write(chunk)
      written += chunk.length
    }, 1)
    try {
      const error = await rejectionOf<CfadminError>(answer)
      expect(error.code).to.equal('ANSWER_TOO_LONG')
      expect(error.exit).to.equal(ExitCode.badInput)
      expect(written).to.be.below(1000)
    } finally {
      clearInterval(feed)
    }
  })

  it('refuses a long line that arrives at once, and takes one within the limit', async () => {
    const ask = (typed: string) => {
      const input = new PassThrough()
      const answer = askLine('Address: ', {input, output: collector()}, {maxLength: 10})
      input.write(typed)
      return answer
    }

    expect((await rejectionOf<CfadminError>(ask(`${'y'.repeat(11)}\n`))).code).to.equal('ANSWER_TOO_LONG')
    expect(await ask(`${'y'.repeat(10)}\n`)).to.equal('y'.repeat(10))
  })
})
