import {expect} from 'chai'
import {existsSync, readFileSync} from 'node:fs'
import {join} from 'node:path'

import {Journal} from '../../../src/lib/engine/journal.js'
import type {Operation} from '../../../src/lib/engine/operation.js'
import {APPLY_ATTEMPTS, CONFIRMED_AFTER_ERROR, runOperations, SENT_EARLIER} from '../../../src/lib/engine/runner.js'
import {Throttle} from '../../../src/lib/engine/throttle.js'
import {fakeOp, tick} from './helpers.js'
import {useTempDir} from '../../support/temp-dir.js'

const quiet = {progress: 'none'} as const

/** Operations that count how many of them are in check() or apply() at once. */
function inFlightOps(n: number, track: {now: number; max: number}): Operation[] {
  const busy = async () => {
    track.now++
    track.max = Math.max(track.max, track.now)
    await tick(1)
    track.now--
  }

  return Array.from({length: n}, (_, i) => ({
    key: `k${i}`,
    describe: () => `op ${i}`,
    async check() {
      await busy()
      return 'todo' as const
    },
    async apply() {
      await busy()
    },
  }))
}

describe('engine runOperations', () => {
  it('a dry run checks every operation, applies none, and reports todo as planned and done as already', async () => {
    const ops = [fakeOp('a'), fakeOp('b', {check: 'done'}), fakeOp('c')]
    const report = await runOperations(ops, {...quiet, dryRun: true})
    expect(ops.map((op) => op.checks)).to.deep.equal([1, 1, 1])
    expect(ops.map((op) => op.applies)).to.deep.equal([0, 0, 0])
    expect(report.dryRun).to.equal(true)
    expect(report.items.map((i) => [i.key, i.outcome])).to.deep.equal([
      ['a', 'planned'],
      ['b', 'already'],
      ['c', 'planned'],
    ])
    expect(report.counts).to.deep.equal({already: 1, blocked: 0, done: 0, failed: 0, planned: 2})
  })

  it('applies only what the check says is todo and counts done, already and failed with the error message as reason', async () => {
    const ops = [
      fakeOp('a', {apply: 'INVITED'}),
      fakeOp('b', {check: 'done'}),
      fakeOp('c', {apply: new Error('403 Forbidden: not an admin')}),
      fakeOp('d', {check: new Error('404 space ENG not found')}),
    ]
    const report = await runOperations(ops, quiet)
    expect(report.counts).to.deep.equal({already: 1, blocked: 0, done: 1, failed: 2, planned: 0})
    expect(report.items).to.deep.equal([
      {description: 'op a', detail: 'INVITED', key: 'a', outcome: 'done'},
      {description: 'op b', key: 'b', outcome: 'already'},
      {description: 'op c', key: 'c', outcome: 'failed', reason: '403 Forbidden: not an admin'},
      {description: 'op d', key: 'd', outcome: 'failed', reason: '404 space ENG not found'},
    ])
    expect(ops[1].applies).to.equal(0)
    expect(ops[3].applies).to.equal(0)
    expect(report.seconds).to.be.a('number').and.at.least(0)
  })

  it('keeps going when some checks and applies fail, and never throws for an item failure', async () => {
    const ops = Array.from({length: 20}, (_, i) => fakeOp(`k${i}`, i % 3 === 0 ? {apply: new Error(`boom ${i}`)} : {}))
    // A non-Error throw still becomes a reason.
    const odd: Operation = {
      key: 'odd',
      describe: () => 'odd',
      check: () => Promise.reject('plain string'),
      apply: async () => {},
    }
    const report = await runOperations([...ops, odd], {...quiet, concurrency: 2})
    expect(report.counts.failed).to.equal(8)
    expect(report.counts.done).to.equal(13)
    expect(ops.every((op) => op.applies === 1)).to.equal(true)
    expect(report.items.at(-1)).to.include({outcome: 'failed', reason: 'plain string'})
  })

  it('reports a check answer other than done or todo as a failure', async () => {
    const odd = {
      key: 'x',
      describe: () => 'x',
      check: async () => 'maybe',
      apply: async () => {},
    } as unknown as Operation
    const report = await runOperations([odd], quiet)
    expect(report.items[0]).to.include({outcome: 'failed'})
    expect(report.items[0].reason).to.match(/maybe/)
  })

  it('carries each operation row into its result', async () => {
    const report = await runOperations([fakeOp('a', {row: {email: 'a@x'}})], quiet)
    expect(report.items[0].row).to.deep.equal({email: 'a@x'})
  })

  it('starts an operation only after all its dependencies have ended', async () => {
    const log: string[] = []
    const ops = [
      fakeOp('member', {dependsOn: ['group', 'user']}, log),
      fakeOp('group', {delay: 15}, log),
      fakeOp('user', {delay: 5}, log),
    ]
    const report = await runOperations(ops, quiet)
    expect(report.counts.done).to.equal(3)
    const at = (entry: string) => log.indexOf(entry)
    expect(at('apply member')).to.be.greaterThan(at('applied group'))
    expect(at('apply member')).to.be.greaterThan(at('applied user'))
    // Report order is the input order, not the finishing order.
    expect(report.items.map((i) => i.key)).to.deep.equal(['member', 'group', 'user'])
  })

  it('blocks the dependents of a failed operation, transitively, without applying them', async () => {
    const ops = [
      fakeOp('group', {apply: new Error('409 group exists with another case')}),
      fakeOp('member', {dependsOn: ['group']}),
      fakeOp('grant', {dependsOn: ['member']}),
      fakeOp('unrelated'),
      fakeOp('fine', {check: 'done', dependsOn: ['group']}),
    ]
    const report = await runOperations(ops, quiet)
    expect(report.items.map((i) => i.outcome)).to.deep.equal(['failed', 'blocked', 'blocked', 'done', 'already'])
    expect(report.items[1].reason).to.equal('needs "op group", which failed')
    expect(report.items[2].reason).to.equal('needs "op member", which is blocked')
    expect(ops[1].applies + ops[2].applies).to.equal(0)
    expect(report.counts).to.include({blocked: 2, failed: 1})
  })

  it('does not block on a dependency that was already done, and a failed dependency check blocks in a dry run too', async () => {
    const real = await runOperations(
      [fakeOp('group', {check: 'done'}), fakeOp('member', {dependsOn: ['group']})],
      quiet,
    )
    expect(real.items.map((i) => i.outcome)).to.deep.equal(['already', 'done'])
    const dry = await runOperations(
      [fakeOp('group', {check: new Error('timeout')}), fakeOp('member', {dependsOn: ['group']})],
      {...quiet, dryRun: true},
    )
    expect(dry.items.map((i) => i.outcome)).to.deep.equal(['failed', 'blocked'])
  })

  it('throws a clear Error when a dependency is not in the list or dependencies form a cycle', async () => {
    let error: unknown
    try {
      await runOperations([fakeOp('a', {dependsOn: ['ghost']})], quiet)
    } catch (caught) {
      error = caught
    }

    expect(error).to.be.instanceOf(Error)
    expect((error as Error).message).to.equal(
      'Operation "a" depends on "ghost", which is not among the operations of this run.',
    )
    const cycle = runOperations([fakeOp('a', {dependsOn: ['b']}), fakeOp('b', {dependsOn: ['a']}), fakeOp('c')], quiet)
    let cycleError: unknown
    await cycle.catch((caught) => {
      cycleError = caught
    })
    expect((cycleError as Error).message).to.match(/cycle.*"a", "b"/)
  })

  it('runs and reports a duplicated key once (the first one given)', async () => {
    const first = fakeOp('same')
    const second = fakeOp('same')
    const report = await runOperations([first, fakeOp('other'), second], quiet)
    expect(first.applies + first.checks).to.equal(2)
    expect(second.applies + second.checks).to.equal(0)
    expect(report.items.map((i) => i.key)).to.deep.equal(['same', 'other'])
    expect(report.counts.done).to.equal(2)
  })

  it('never has more operations in flight than the concurrency (default 8)', async () => {
    const three = {max: 0, now: 0}
    await runOperations(inFlightOps(30, three), {...quiet, concurrency: 3})
    expect(three.max).to.equal(3)
    const byDefault = {max: 0, now: 0}
    await runOperations(inFlightOps(30, byDefault), quiet)
    expect(byDefault.max).to.equal(8)
  })

  it('with a shared throttle, stays under both its limit and the concurrency', async () => {
    const track = {max: 0, now: 0}
    await runOperations(inFlightOps(30, track), {...quiet, concurrency: 2, throttle: new Throttle({max: 6})})
    expect(track.max).to.equal(2)
    const alone = {max: 0, now: 0}
    await runOperations(inFlightOps(30, alone), {...quiet, throttle: new Throttle({max: 4})})
    expect(alone.max).to.equal(4)
  })

  it('rejects a concurrency that is not a whole number of at least 1', async () => {
    let error: unknown
    await runOperations([fakeOp('a')], {...quiet, concurrency: 0}).catch((caught) => {
      error = caught
    })
    expect((error as Error).message).to.match(/Concurrency must be a whole number/)
  })

  describe('with a journal', () => {
    let dir: string
    const temp = useTempDir('cfadmin-engine-runner-')
    beforeEach(() => {
      dir = temp.path
    })

    it('records a oneShot send on disk before its apply starts, and nothing for ordinary operations', async () => {
      const journal = await Journal.open(dir, 'run1')
      const onDiskAtApply = new Map<string, string>()
      let reopenedSeesIt = false
      const make = (key: string, oneShot: boolean): Operation => ({
        key,
        oneShot,
        describe: () => key,
        check: async () => 'todo',
        async apply() {
          // What a crash right now would leave behind.
          onDiskAtApply.set(key, existsSync(journal.path) ? readFileSync(journal.path, 'utf8') : '')
          if (oneShot) reopenedSeesIt = (await Journal.open(dir, 'run1', {lock: false})).wasStarted(key)
          return 'INVITED'
        },
      })
      const report = await runOperations([make('plain', false), make('invite:a@x', true)], {
        ...quiet,
        concurrency: 1,
        journal,
      })
      expect(report.items[1]).to.include({detail: 'INVITED', outcome: 'done'})
      expect(onDiskAtApply.get('plain')).to.equal('')
      const lines = onDiskAtApply
        .get('invite:a@x')!
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line))
      expect(lines).to.have.length(1)
      expect(lines[0]).to.include({k: 'invite:a@x', s: 'sending'})
      expect(reopenedSeesIt).to.equal(true)
    })

    it('on resume checks every operation again, holds back an acknowledged oneShot Atlassian does not show yet, and resends one cut off in flight unless it is eventual', async () => {
      const earlier = await Journal.open(dir, 'resume')
      for (const key of ['invite:a', 'invite:b', 'invite:c', 'invite:d']) await earlier.markSending(key)
      await earlier.markDone('invite:a')
      await earlier.markDone('invite:b')
      // The earlier run was interrupted here: no finish(). c and d were in flight.
      await earlier.close()
      const journal = await Journal.open(dir, 'resume')
      const ops = [
        fakeOp('invite:a', {oneShot: true}),
        fakeOp('invite:b', {check: 'done', oneShot: true}),
        fakeOp('invite:c', {oneShot: true}),
        fakeOp('invite:d', {eventual: true, oneShot: true}),
        fakeOp('invite:e', {oneShot: true}),
      ]
      const report = await runOperations(ops, {...quiet, journal})
      expect(ops.map((op) => op.checks)).to.deep.equal([1, 1, 1, 1, 1])
      expect(ops.map((op) => op.applies)).to.deep.equal([0, 0, 1, 0, 1])
      expect(report.items.map((i) => [i.outcome, i.reason])).to.deep.equal([
        ['already', SENT_EARLIER],
        ['already', undefined],
        ['done', undefined],
        ['already', SENT_EARLIER],
        ['done', undefined],
      ])
      expect(SENT_EARLIER).to.equal('sent by an earlier run; Atlassian has not shown it yet')
    })

    it('a completed run deletes its journal (even with failures); a dry run leaves it for the resume', async () => {
      const earlier = await Journal.open(dir, 'finish')
      await earlier.markSending('invite:a')
      await earlier.markDone('invite:a')
      await earlier.close()
      const path = join(dir, 'finish.jsonl')
      const dryReport = await runOperations([fakeOp('invite:a', {oneShot: true})], {
        ...quiet,
        dryRun: true,
        journal: await Journal.open(dir, 'finish', {lock: false}),
      })
      expect(dryReport.items[0]).to.include({outcome: 'already', reason: SENT_EARLIER})
      expect(existsSync(path)).to.equal(true)
      const journal = await Journal.open(dir, 'finish')
      await runOperations(
        [fakeOp('invite:a', {oneShot: true}), fakeOp('invite:z', {apply: new Error('no'), oneShot: true})],
        {...quiet, journal},
      )
      expect(existsSync(path)).to.equal(false)
      await journal.finish() // a caller finishing again is harmless
    })
  })
})

describe('engine runOperations: applies that fail with a transient error', () => {
  const transient = (error: unknown) => (error as Error).message.startsWith('503')

  /** An operation whose apply fails with the given errors first, then succeeds; `landed` makes a failed apply take effect. */
  function flaky(failures: string[], options: {landed?: boolean; eventual?: boolean} = {}) {
    let done = false
    const calls = {applies: 0, checks: 0}
    const op: Operation = {
      key: 'flaky',
      eventual: options.eventual,
      oneShot: true,
      describe: () => 'flaky',
      async check() {
        calls.checks++
        return done ? 'done' : 'todo'
      },
      async apply() {
        calls.applies++
        const failure = failures.shift()
        if (failure) {
          if (options.landed) done = true
          throw new Error(failure)
        }

        done = true
      },
    }
    return {calls, op}
  }

  it('checks again and resends an apply whose error is transient, until it goes through', async () => {
    const {calls, op} = flaky(['503 Service Unavailable'])
    const report = await runOperations([op], {...quiet, transient})
    expect(report.items[0]).to.include({outcome: 'done'})
    expect(calls).to.deep.equal({applies: 2, checks: 2})
  })

  it('does not resend when the check finds the change landed despite the error, and says so', async () => {
    const {calls, op} = flaky(['503 Service Unavailable'], {landed: true})
    const report = await runOperations([op], {...quiet, transient})
    expect(report.items[0]).to.include({detail: CONFIRMED_AFTER_ERROR, outcome: 'done'})
    expect(calls.applies).to.equal(1)
  })

  it(`gives up after ${APPLY_ATTEMPTS} tries, and never retries a permanent error or an eventual operation`, async () => {
    const always = flaky(Array(APPLY_ATTEMPTS).fill('503 again'))
    expect((await runOperations([always.op], {...quiet, transient})).items[0]).to.include({
      outcome: 'failed',
      reason: '503 again',
    })
    expect(always.calls.applies).to.equal(APPLY_ATTEMPTS)

    const permanent = flaky(['400 Bad Request'])
    expect((await runOperations([permanent.op], {...quiet, transient})).items[0]).to.include({outcome: 'failed'})
    expect(permanent.calls.applies).to.equal(1)

    const eventual = flaky(['503 Service Unavailable'], {eventual: true})
    expect((await runOperations([eventual.op], {...quiet, transient})).items[0]).to.include({outcome: 'failed'})
    expect(eventual.calls.applies).to.equal(1)
  })
})

describe('engine runOperations: batched applies', () => {
  /** Operations of one batch whose apply records each call's keys; `answers` per key: an Error fails that item. */
  function batched(
    keys: string[],
    options: {
      size?: number
      check?: Record<string, 'done' | 'todo'>
      answers?: Record<string, Error | string>
      throws?: Error[]
    } = {},
  ) {
    const calls: string[][] = []
    const landed = new Set<string>()
    const batch = {
      key: 'b',
      size: options.size ?? 10,
      async apply(operations: Operation[]) {
        calls.push(operations.map((op) => op.key))
        const error = options.throws?.shift()
        if (error) throw error
        return operations.map((op) => {
          landed.add(op.key)
          return options.answers?.[op.key] ?? `sent ${op.key}`
        })
      },
    }
    const ops: Operation[] = keys.map((key) => ({
      apply: () => Promise.reject(new Error('a batched operation is never applied alone')),
      batch,
      check: async () => (landed.has(key) ? 'done' : (options.check?.[key] ?? 'todo')),
      describe: () => key,
      key,
    }))
    return {calls, ops}
  }

  it('applies the todo operations of a batch together, size at a time, without waiting for those already done', async () => {
    const {calls, ops} = batched(['a', 'b', 'c', 'd', 'e'], {check: {c: 'done'}, size: 2})
    const report = await runOperations(ops, quiet)
    expect(calls).to.deep.equal([
      ['a', 'b'],
      ['d', 'e'],
    ])
    expect(report.items.map((i) => [i.key, i.outcome, i.detail])).to.deep.equal([
      ['a', 'done', 'sent a'],
      ['b', 'done', 'sent b'],
      ['c', 'already', undefined],
      ['d', 'done', 'sent d'],
      ['e', 'done', 'sent e'],
    ])
  })

  it('fails only the items the batch answers with an error, and blocks what depends on them', async () => {
    const {ops} = batched(['a', 'b'], {answers: {b: new Error('ERROR: licence exceeded')}})
    const report = await runOperations(
      [...ops, fakeOp('after-b', {dependsOn: ['b']}), fakeOp('after-a', {dependsOn: ['a']})],
      quiet,
    )
    expect(report.items.map((i) => i.outcome)).to.deep.equal(['done', 'failed', 'blocked', 'done'])
    expect(report.items[1].reason).to.equal('ERROR: licence exceeded')
  })

  it('after a transient error checks each item again and resends only those that did not land', async () => {
    const {calls, ops} = batched(['a', 'b'], {throws: [new Error('503 Service Unavailable')]})
    const report = await runOperations(ops, {
      ...quiet,
      transient: (error) => (error as Error).message.startsWith('503'),
    })
    expect(calls).to.deep.equal([
      ['a', 'b'],
      ['a', 'b'],
    ])
    expect(report.counts.done).to.equal(2)
  })

  it('refuses a batched operation that depends on an operation of a batch (they could wait for each other)', async () => {
    const {ops} = batched(['a', 'b'])
    ops[1].dependsOn = ['middle']
    const error = await runOperations([...ops, fakeOp('middle', {dependsOn: ['a']})], quiet).catch((e: Error) => e)
    expect((error as Error).message).to.match(/Operation "b" of batch "b" depends on an operation of a batch/)
  })
})
