import {expect} from 'chai'

import {readAhead} from '../../../src/lib/http/read-ahead.js'

/** A source that records how far it was read, and can be made to fail after some items. */
function source(count: number, failAfter?: number) {
  const state = {closed: false, read: 0}
  async function* items() {
    try {
      for (let i = 1; i <= count; i++) {
        if (failAfter !== undefined && i > failAfter) throw new Error(`item ${i} could not be read`)
        state.read = i
        yield i
      }
    } finally {
      state.closed = true
    }
  }

  return {items: items(), state}
}

const settle = () => new Promise((resolve) => setImmediate(resolve))

describe('readAhead', () => {
  it('gives every item in order', async () => {
    const got: number[] = []
    for await (const item of readAhead(source(7).items, 3)) got.push(item)
    expect(got).to.deep.equal([1, 2, 3, 4, 5, 6, 7])
  })

  it('reads up to its capacity ahead of a consumer that has not asked yet, and no further', async () => {
    const {items, state} = source(10)
    const ahead = readAhead(items, 4)
    expect((await ahead.next()).value).to.equal(1)
    await settle()
    expect(state.read).to.equal(5)
    await ahead.return(undefined)
  })

  it('hands over the items read before a failure, then the failure', async () => {
    const got: number[] = []
    const failure = await (async () => {
      try {
        for await (const item of readAhead(source(10, 4).items, 2)) got.push(item)
      } catch (error) {
        return error as Error
      }
    })()
    expect(got).to.deep.equal([1, 2, 3, 4])
    expect(failure?.message).to.equal('item 5 could not be read')
  })

  it('stops reading the source when the consumer stops', async () => {
    const {items, state} = source(1000)
    for await (const item of readAhead(items, 5)) if (item === 2) break
    expect(state.closed).to.equal(true)
    expect(state.read).to.be.at.most(8)
  })
})
