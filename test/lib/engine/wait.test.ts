import {expect} from 'chai'

import type {Operation} from '../../../src/lib/engine/operation.js'
import {runOperations} from '../../../src/lib/engine/runner.js'
import type {Pending, WaitClock} from '../../../src/lib/engine/wait.js'
import {collector, tick} from './helpers.js'

class NotKnownYet extends Error {}

const PENDING: Pending = {
  gaveUp: 'crawlers is still unknown; run again later',
  matches: (error) => error instanceof NotKnownYet,
  waitingFor: 'crawlers to be known',
}

/** A clock whose sleeps end at once, moving its time on: records every sleep. */
function skippingClock(): WaitClock & {sleeps: number[]} {
  let now = 0
  const sleeps: number[] = []
  return {
    now: () => now,
    sleeps,
    async sleep(ms) {
      sleeps.push(ms)
      now += ms
    },
  }
}

/** A clock whose sleeps end only when a test moves it on. */
function manualClock(): WaitClock & {advance(ms: number): Promise<void>; sleeping(): number} {
  let now = 0
  let sleepers: Array<{at: number; wake(): void}> = []
  return {
    async advance(ms) {
      now += ms
      const due = sleepers.filter((s) => s.at <= now)
      sleepers = sleepers.filter((s) => s.at > now)
      for (const s of due) s.wake()
      await tick()
    },
    now: () => now,
    sleep: (ms) => new Promise<void>((wake) => sleepers.push({at: now + ms, wake})),
    sleeping: () => sleepers.length,
  }
}

/** A grant on something that becomes known at `knownAt` on the clock: until then its apply throws NotKnownYet. */
function grantOn(
  key: string,
  clock: WaitClock,
  knownAt: number,
  log: string[] = [],
): Operation & {applies: () => number} {
  let applies = 0
  return {
    applies: () => applies,
    async apply() {
      applies++
      log.push(`apply ${key} at ${clock.now()}`)
      if (clock.now() < knownAt) throw new NotKnownYet('No group found')
    },
    check: async () => 'todo',
    describe: () => `grant ${key}`,
    key,
    waitsFor: PENDING,
  }
}

describe('engine: waiting for what an operation needs to become known', () => {
  it('tries a not-yet-known apply again with a doubling backoff until it goes through, saying what it waits for', async () => {
    const clock = skippingClock()
    const op = grantOn('view', clock, 6000)
    const output = collector()
    const report = await runOperations([op], {clock, output, progress: 'lines', waitLimitMs: 60_000})
    expect(report.items[0]).to.include({outcome: 'done'})
    expect(clock.sleeps).to.deep.equal([1000, 2000, 4000])
    expect(op.applies()).to.equal(4)
    expect(output.text()).to.include('waiting for crawlers to be known (1 s so far)')
    expect(output.text()).to.include('waiting for crawlers to be known (7 s so far)')
  })

  it('gives up once the limit has passed, never sleeping past it, with the reason the operation gave', async () => {
    const clock = skippingClock()
    const op = grantOn('view', clock, Number.POSITIVE_INFINITY)
    const report = await runOperations([op], {clock, progress: 'none', waitLimitMs: 10_000})
    expect(clock.sleeps).to.deep.equal([1000, 2000, 4000, 3000])
    expect(report.items[0]).to.include({outcome: 'failed', reason: PENDING.gaveUp})
    expect(report.counts.failed).to.equal(1)
  })

  it('with a limit of 0 fails at once, without waiting', async () => {
    const clock = skippingClock()
    const report = await runOperations([grantOn('view', clock, 1)], {clock, progress: 'none', waitLimitMs: 0})
    expect(clock.sleeps).to.deep.equal([])
    expect(report.items[0]).to.include({outcome: 'failed', reason: PENDING.gaveUp})
  })

  it('does not hold up the items that need nothing new: a waiting item holds no slot, even at concurrency 1', async () => {
    const clock = manualClock()
    const log: string[] = []
    const waiting = grantOn('new-group', clock, 1000, log)
    const other: Operation = {
      async apply() {
        log.push('apply existing-group')
      },
      check: async () => 'todo',
      describe: () => 'grant existing-group',
      key: 'existing-group',
    }
    const run = runOperations([waiting, other], {clock, concurrency: 1, progress: 'none', waitLimitMs: 60_000})
    for (let i = 0; i < 20 && clock.sleeping() === 0; i++) await tick()
    expect(clock.sleeping(), 'the first item waits').to.equal(1)
    for (let i = 0; i < 20 && !log.includes('apply existing-group'); i++) await tick()
    expect(log, 'the other item went on during the wait').to.deep.equal([
      'apply new-group at 0',
      'apply existing-group',
    ])
    await clock.advance(1000)
    const report = await run
    expect(report.items.map((i) => i.outcome)).to.deep.equal(['done', 'done'])
    expect(log.at(-1)).to.equal('apply new-group at 1000')
  })

  it('only the error the operation calls not-known-yet waits: any other error, and an operation without waitsFor, fail at once', async () => {
    const clock = skippingClock()
    const refused: Operation = {
      async apply() {
        throw new Error('Permission denied')
      },
      check: async () => 'todo',
      describe: () => 'grant refused',
      key: 'refused',
      waitsFor: PENDING,
    }
    const plain: Operation = {
      async apply() {
        throw new NotKnownYet('No group found')
      },
      check: async () => 'todo',
      describe: () => 'grant plain',
      key: 'plain',
    }
    const report = await runOperations([refused, plain], {clock, progress: 'none', waitLimitMs: 60_000})
    expect(clock.sleeps).to.deep.equal([])
    expect(report.items.map((i) => [i.outcome, i.reason])).to.deep.equal([
      ['failed', 'Permission denied'],
      ['failed', 'No group found'],
    ])
  })

  it('items waiting for the same thing share one schedule: one tries at each step, the others once it went through', async () => {
    const clock = skippingClock()
    const ops = Array.from({length: 5}, (_, i) => grantOn(`view-${i}`, clock, 3000))
    const output = collector()
    const report = await runOperations(ops, {clock, output, progress: 'lines', waitLimitMs: 60_000})
    expect(report.counts.done).to.equal(5)
    expect(clock.sleeps).to.deep.equal([1000, 2000])
    // Each tried once at first, one of them at 1 s and 3 s, the other four once more after that.
    expect(ops.reduce((sum, op) => sum + op.applies(), 0)).to.equal(5 + 2 + 4)
    expect(output.text().match(/waiting for crawlers to be known/g)).to.have.length(2)
  })

  it('an item that starts while another waits for the same thing joins that wait before its first try', async () => {
    const clock = manualClock()
    const log: string[] = []
    const ops = Array.from({length: 4}, (_, i) => grantOn(`view-${i}`, clock, 3000, log))
    const run = runOperations(ops, {clock, concurrency: 1, progress: 'none', waitLimitMs: 60_000})
    for (let i = 0; i < 50 && clock.sleeping() === 0; i++) await tick()
    await tick(20)
    expect(log, 'only the first tried; the others started after it and wait with it').to.deep.equal([
      'apply view-0 at 0',
    ])
    await clock.advance(1000)
    await tick(20)
    await clock.advance(2000)
    const report = await run
    expect(report.counts.done).to.equal(4)
    expect(ops.map((op) => op.applies())).to.deep.equal([3, 1, 1, 1])
  })

  it('once the limit has passed for a thing, every item waiting for it fails, the others done', async () => {
    const clock = skippingClock()
    const ops = [1, 2, 3].map((i) => grantOn(`view-${i}`, clock, Number.POSITIVE_INFINITY))
    const fine: Operation = {apply: async () => {}, check: async () => 'todo', describe: () => 'fine', key: 'fine'}
    const report = await runOperations([...ops, fine], {clock, progress: 'none', waitLimitMs: 5000})
    expect(report.items.map((i) => i.outcome)).to.deep.equal(['failed', 'failed', 'failed', 'done'])
    expect(clock.sleeps.reduce((a, b) => a + b, 0)).to.equal(5000)
  })

  it('when the item trying for the others fails for another reason, the next one tries for them', async () => {
    const clock = manualClock()
    const ops = Array.from({length: 4}, (_, i) => grantOn(`view-${i}`, clock, 1000))
    const first = ops[0]
    const refusedLater: Operation = {
      ...first,
      async apply() {
        // Not known at first, then refused for good.
        if (clock.now() > 0) throw new Error('Permission denied')
        await first.apply()
      },
    }
    // The others fail a moment later, so that the first one tries for them.
    const later = ops.slice(1).map((op) => ({...op, apply: async () => tick(5).then(() => op.apply())}))
    const run = runOperations([refusedLater, ...later], {clock, progress: 'none', waitLimitMs: 60_000})
    await tick(20)
    expect(clock.sleeping(), 'one of them waits for the others').to.equal(1)
    await clock.advance(1000)
    const report = await run
    expect(report.items.map((i) => [i.outcome, i.reason])).to.deep.equal([
      ['failed', 'Permission denied'],
      ['done', undefined],
      ['done', undefined],
      ['done', undefined],
    ])
    expect(ops.slice(1).map((op) => op.applies())).to.deep.equal([2, 2, 2])
  })
})
