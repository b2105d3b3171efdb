import {PassThrough} from 'node:stream'

import {expect} from 'chai'

import {confirm} from '../../src/lib/prompt.js'
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
