import {expect} from 'chai'

import {Throttle} from '../../../src/lib/engine/throttle.js'
import {tick} from './helpers.js'

describe('engine Throttle', () => {
  it('gives 8 slots by default, and max slots when asked', async () => {
    expect(new Throttle().max).to.equal(8)
    const throttle = new Throttle({max: 3})
    const held = await Promise.all([throttle.acquire(), throttle.acquire(), throttle.acquire()])
    expect(throttle.inFlight).to.equal(3)
    let fourth = false
    const waiting = throttle.acquire().then((release) => {
      fourth = true
      return release
    })
    await tick()
    expect(fourth).to.equal(false)
    held[0]()
    ;(await waiting)()
    expect(fourth).to.equal(true)
  })

  it('acquire waits for a free slot, in order, and a release given back twice frees one slot only', async () => {
    const throttle = new Throttle({max: 2})
    const first = await throttle.acquire()
    const second = await throttle.acquire()
    const order: string[] = []
    const third = throttle.acquire().then((release) => {
      order.push('third')
      return release
    })
    const fourth = throttle.acquire().then((release) => {
      order.push('fourth')
      return release
    })
    await tick()
    expect(order).to.deep.equal([])
    first()
    first()
    await tick()
    expect(order).to.deep.equal(['third'])
    expect(throttle.inFlight).to.equal(2)
    second()
    await tick()
    expect(order).to.deep.equal(['third', 'fourth'])
    ;(await third)()
    ;(await fourth)()
    expect(throttle.inFlight).to.equal(0)
  })

  it('rejects a max that is not a whole number of at least 1', () => {
    expect(() => new Throttle({max: 0})).to.throw(/max must be a whole number/)
    expect(() => new Throttle({max: 1.5})).to.throw(/max must be a whole number/)
  })
})
