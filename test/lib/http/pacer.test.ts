import {expect} from 'chai'

import {RatePacer} from '../../../src/lib/http/pacer.js'

/** A clock that advances only when told to, and whose sleep advances it. */
function manualClock() {
  const clock = {
    now: 0,
    slept: [] as number[],
    async sleep(ms: number) {
      clock.slept.push(ms)
      clock.now += ms
    },
  }
  return {clock, pacerClock: {now: () => clock.now, sleep: (ms: number) => clock.sleep(ms)}}
}

/** `count` requests got through, one every `everyMs`, their answers leaving `budgetShare` of the budget (if said). */
function succeed(pacer: RatePacer, clock: {now: number}, count: number, everyMs: number, budgetShare?: number): void {
  for (let i = 0; i < count; i++) {
    clock.now += everyMs
    pacer.succeeded(budgetShare)
  }
}

describe('rate pacer', () => {
  it('lets requests through at once until Atlassian first answers 429', async () => {
    const {clock, pacerClock} = manualClock()
    const pacer = new RatePacer(pacerClock)
    for (let i = 0; i < 50; i++) await pacer.acquire()
    expect(clock.slept).to.deep.equal([])
    expect(pacer.requestsPerSecond).to.equal(Number.POSITIVE_INFINITY)
  })

  it('near the quota (X-Beta-Ratelimit-Nearlimit) goes 10% under the rate getting through, once a window, without a 429', async () => {
    const {clock, pacerClock} = manualClock()
    const pacer = new RatePacer(pacerClock)
    succeed(pacer, clock, 50, 20) // 50 a second
    pacer.nearLimit()
    expect(pacer.requestsPerSecond).to.be.closeTo(45, 0.5)
    succeed(pacer, clock, 5, 20)
    pacer.nearLimit() // the same window: no second cut
    expect(pacer.requestsPerSecond).to.be.closeTo(45, 0.5)
    succeed(pacer, clock, 50, 22) // a window later, at the paced rate; a quiet window steps up 5%, the signal cuts again
    const before = pacer.requestsPerSecond
    pacer.nearLimit()
    expect(pacer.requestsPerSecond).to.be.below(before)
    expect(pacer.requestsPerSecond).to.be.above(30)
  })

  it("with under a fifth of Atlassian's request budget left, paces 10% under the rate getting through before any 429", async () => {
    const {clock, pacerClock} = manualClock()
    const pacer = new RatePacer(pacerClock)
    for (let i = 0; i < 100; i++) {
      clock.now += 10 // 100 a second, the budget draining
      pacer.succeeded(1 - i / 100)
      if (i < 80) expect(pacer.requestsPerSecond).to.equal(Number.POSITIVE_INFINITY)
    }

    expect(pacer.requestsPerSecond).to.be.closeTo(90, 0.5)
    succeed(pacer, clock, 20, 10)
    expect(pacer.requestsPerSecond, 'once a window, not at every answer').to.be.closeTo(90, 0.5)
  })

  it('does not step up while half the request budget or more is used, and steps up again once it fills', async () => {
    const {clock, pacerClock} = manualClock()
    const pacer = new RatePacer(pacerClock)
    succeed(pacer, clock, 100, 10)
    pacer.rateLimited()
    const paced = pacer.requestsPerSecond
    for (let i = 0; i < 30; i++) {
      clock.now += 100
      pacer.succeeded(0.4)
    }

    expect(pacer.requestsPerSecond, 'three quiet seconds with the budget under half').to.equal(paced)
    clock.now += 100
    pacer.succeeded(0.9)
    expect(pacer.requestsPerSecond).to.be.above(paced)
  })

  it('takes a 429 that comes while paced for a nearly used budget as the limit, not as a guess to double', async () => {
    const {clock, pacerClock} = manualClock()
    const pacer = new RatePacer(pacerClock)
    for (let i = 0; i < 100; i++) {
      clock.now += 10
      pacer.succeeded(i < 90 ? 0.9 : 0.1)
    }

    const eased = pacer.requestsPerSecond
    expect(eased).to.be.below(100)
    succeed(pacer, clock, 100, 10, 0.9)
    pacer.rateLimited()
    const cut = pacer.requestsPerSecond
    expect(cut).to.be.below(eased + 10)
    succeed(pacer, clock, 50, 10, 0.9) // half a second
    expect(pacer.requestsPerSecond, 'no doubling').to.equal(cut)
    succeed(pacer, clock, 60, 10, 0.9) // a quiet second after the cut: back near the limit seen, not twice it
    expect(pacer.requestsPerSecond).to.be.below(cut * 1.1)
  })

  it('after a 429 paces to a little under the rate that was getting through', async () => {
    const {clock, pacerClock} = manualClock()
    const pacer = new RatePacer(pacerClock)
    // 100 requests got through in the first second, then a 429.
    succeed(pacer, clock, 100, 10)

    pacer.rateLimited()
    expect(pacer.requestsPerSecond).to.be.closeTo(95, 0.5)
    await pacer.acquire()
    await pacer.acquire()
    await pacer.acquire()
    expect(clock.slept.length).to.equal(2)
    for (const ms of clock.slept) expect(ms).to.be.closeTo(1000 / 95, 0.5)
  })

  it('takes a burst of 429s within a second as one signal', () => {
    const {clock, pacerClock} = manualClock()
    const pacer = new RatePacer(pacerClock)
    succeed(pacer, clock, 50, 20)

    pacer.rateLimited()
    const first = pacer.requestsPerSecond
    clock.now += 100
    pacer.rateLimited()
    pacer.rateLimited()
    expect(pacer.requestsPerSecond).to.equal(first)
  })

  it('after the first 429, whose rate is a guess, doubles the rate each quiet half second until the next 429', () => {
    const {clock, pacerClock} = manualClock()
    const pacer = new RatePacer(pacerClock)
    succeed(pacer, clock, 100, 10)
    pacer.rateLimited()
    const guess = pacer.requestsPerSecond
    clock.now += 500
    pacer.succeeded()
    expect(pacer.requestsPerSecond).to.be.closeTo(guess * 2, 0.01)
    clock.now += 200
    pacer.succeeded()
    expect(pacer.requestsPerSecond, 'one step per half second').to.be.closeTo(guess * 2, 0.01)
    // The next 429 a second after the last step (sooner, it would be the same burst).
    clock.now += 800
    pacer.rateLimited()
    expect(pacer.requestsPerSecond).to.be.lessThan(guess * 2)
  })

  it('after later 429s probes 5% after a quiet second, doubling the step each further quiet second (at most 2x), and backs off at the next 429', () => {
    const {clock, pacerClock} = manualClock()
    const pacer = new RatePacer(pacerClock)
    succeed(pacer, clock, 100, 10)
    pacer.rateLimited()
    clock.now += 1000
    pacer.rateLimited()
    const paced = pacer.requestsPerSecond
    const steps: number[] = []
    for (let i = 0; i < 7; i++) {
      const before = pacer.requestsPerSecond
      clock.now += 1000
      pacer.succeeded()
      steps.push(Math.round((pacer.requestsPerSecond / before) * 100) / 100)
    }

    expect(steps).to.deep.equal([1.05, 1.1, 1.2, 1.4, 1.8, 2, 2])
    clock.now += 500
    pacer.succeeded()
    expect(pacer.requestsPerSecond, 'one step per second').to.be.closeTo(paced * 1.05 * 1.1 * 1.2 * 1.4 * 1.8 * 4, 0.5)
    const probed = pacer.requestsPerSecond
    clock.now += 1000
    pacer.rateLimited()
    expect(pacer.requestsPerSecond).to.be.lessThan(probed)
  })

  it('judges a family that was idle most of the window by its last requests, not by its idle time', () => {
    const {clock, pacerClock} = manualClock()
    const pacer = new RatePacer(pacerClock)
    // Two lookups, a quiet 900 ms, then bulk work at 100 a second until the 429.
    succeed(pacer, clock, 2, 20)
    clock.now += 900
    succeed(pacer, clock, 10, 10)
    pacer.rateLimited()
    expect(pacer.requestsPerSecond).to.be.closeTo(95, 0.5)
  })

  it('a 429 that comes just after a step up still cuts the rate: probing never hides the next 429', () => {
    const {clock, pacerClock} = manualClock()
    const pacer = new RatePacer(pacerClock)
    succeed(pacer, clock, 100, 10)
    pacer.rateLimited()
    // Quiet half seconds double the guess; a 429 10 ms after one of those steps is a signal all the same.
    succeed(pacer, clock, 50, 10)
    succeed(pacer, clock, 50, 10)
    const probed = pacer.requestsPerSecond
    clock.now += 10
    pacer.rateLimited()
    expect(pacer.requestsPerSecond).to.be.lessThan(probed)
    expect(pacer.requestsPerSecond).to.be.closeTo(95, 1)
  })

  it('after a later 429 goes back at once to just under the rate that got through, then creeps up 1%, 2%, 4%... a quiet second', () => {
    const {clock, pacerClock} = manualClock()
    const pacer = new RatePacer(pacerClock)
    succeed(pacer, clock, 100, 10)
    pacer.rateLimited()
    // A second and a half at 100 a second, then the next 429: the limit is where 100 a second got through.
    succeed(pacer, clock, 150, 10)
    pacer.rateLimited()
    expect(pacer.requestsPerSecond).to.be.closeTo(95, 0.5)
    const rates: number[] = []
    for (let i = 0; i < 5; i++) {
      succeed(pacer, clock, 100, 10)
      rates.push(Math.round(pacer.requestsPerSecond * 10) / 10)
    }

    expect(rates).to.deep.equal([98, 99, 101, 105, 113.4])
  })

  it('judges a family busy in the window from its first answer in it, not by a burst of its last answers', () => {
    const {clock, pacerClock} = manualClock()
    const pacer = new RatePacer(pacerClock)
    // Quiet for 400 ms, then 60 answers at 100 a second, the last 8 of them in a burst of 8 ms.
    clock.now += 400
    succeed(pacer, clock, 52, 10)
    succeed(pacer, clock, 8, 1)
    pacer.rateLimited()
    expect(pacer.requestsPerSecond).to.be.closeTo(0.95 * (59_000 / 518), 1)
  })

  it('never paces below one request a second, even when nothing got through', () => {
    const {pacerClock} = manualClock()
    const pacer = new RatePacer(pacerClock)
    pacer.rateLimited()
    expect(pacer.requestsPerSecond).to.equal(1)
  })
})
