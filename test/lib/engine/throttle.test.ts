import {expect} from 'chai'

import {Throttle} from '../../../src/lib/engine/throttle.js'
import {tick} from './helpers.js'

describe('engine Throttle', () => {
  it('starts at max (default 8) and halves on each 429, never below min', () => {
    expect(new Throttle().limit).to.equal(8)
    const throttle = new Throttle({max: 10, min: 2})
    throttle.rateLimited()
    expect(throttle.limit).to.equal(5)
    throttle.rateLimited()
    expect(throttle.limit).to.equal(2)
    throttle.rateLimited()
    expect(throttle.limit).to.equal(2)
    const floorOfOne = new Throttle({max: 3})
    floorOfOne.rateLimited()
    floorOfOne.rateLimited()
    expect(floorOfOne.limit).to.equal(1)
  })

  it('recovers one step per `limit` successes, back up to max and no further', () => {
    const throttle = new Throttle({max: 4})
    throttle.rateLimited()
    throttle.rateLimited()
    expect(throttle.limit).to.equal(1)
    throttle.succeeded()
    expect(throttle.limit).to.equal(2)
    throttle.succeeded()
    expect(throttle.limit).to.equal(2)
    throttle.succeeded()
    expect(throttle.limit).to.equal(3)
    for (let i = 0; i < 3; i++) throttle.succeeded()
    expect(throttle.limit).to.equal(4)
    for (let i = 0; i < 20; i++) throttle.succeeded()
    expect(throttle.limit).to.equal(4)
  })

  it('a 429 restarts the count of successes toward the next step', () => {
    const throttle = new Throttle({max: 8})
    throttle.rateLimited() // 4
    for (let i = 0; i < 3; i++) throttle.succeeded()
    throttle.rateLimited() // 2
    throttle.succeeded()
    expect(throttle.limit).to.equal(2)
    throttle.succeeded()
    expect(throttle.limit).to.equal(3)
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

  it('after a 429 holds new work until in-flight drops below the lower limit, and lets more in as it recovers', async () => {
    const throttle = new Throttle({max: 4})
    const held = await Promise.all([throttle.acquire(), throttle.acquire(), throttle.acquire(), throttle.acquire()])
    throttle.rateLimited() // 2
    let started = 0
    const waiting = [throttle.acquire(), throttle.acquire(), throttle.acquire()].map((p) => p.then((release) => {
      started++
      return release
    }))
    held[0]()
    held[1]()
    await tick()
    expect(started).to.equal(0) // 2 in flight, limit 2
    held[2]()
    await tick()
    expect(started).to.equal(1)
    throttle.succeeded()
    throttle.succeeded() // limit 3: one more may start
    await tick()
    expect(started).to.equal(2)
    held[3]()
    for (const release of await Promise.all(waiting)) release()
    expect(throttle.inFlight).to.equal(0)
  })

  it('rejects a max or min that is not a whole number of at least 1', () => {
    expect(() => new Throttle({max: 0})).to.throw(/max must be a whole number/)
    expect(() => new Throttle({min: 1.5})).to.throw(/min must be a whole number/)
  })
})
