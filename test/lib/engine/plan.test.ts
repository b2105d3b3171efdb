import {expect} from 'chai'
import {existsSync} from 'node:fs'
import {join} from 'node:path'

import {applyPlan} from '../../../src/lib/engine/apply.js'
import {Journal} from '../../../src/lib/engine/journal.js'
import {planOperations, planReport, SENT_EARLIER} from '../../../src/lib/engine/plan.js'
import {runOperations} from '../../../src/lib/engine/runner.js'
import {collector, fakeOp} from './helpers.js'
import {useTempDir} from '../../support/temp-dir.js'

const quiet = {progress: 'none'} as const

/** A report without its timing, to compare two reports of the same items. */
const untimed = ({seconds: _seconds, ...rest}: {seconds: number}) => rest

describe('engine plan, then apply', () => {
  it('checks every operation once: applying the plan uses its check results and checks nothing again', async () => {
    const ops = [fakeOp('a'), fakeOp('b', {check: 'done'}), fakeOp('c', {dependsOn: ['a']})]
    const plan = await planOperations(ops, quiet)
    expect(ops.map((op) => op.checks)).to.deep.equal([1, 1, 1])
    expect(plan.items.map((item) => [item.operation.key, item.state])).to.deep.equal([
      ['a', 'todo'],
      ['b', 'done'],
      ['c', 'todo'],
    ])
    const report = await applyPlan(plan, quiet)
    expect(ops.map((op) => op.checks)).to.deep.equal([1, 1, 1])
    expect(ops.map((op) => op.applies)).to.deep.equal([1, 0, 1])
    expect(report.items.map((item) => [item.key, item.outcome])).to.deep.equal([
      ['a', 'done'],
      ['b', 'already'],
      ['c', 'done'],
    ])
  })

  it('applies what the plan says, not what the server says by then: an item planned as done is not applied', async () => {
    let onServer: 'done' | 'todo' = 'done'
    const op = {...fakeOp('drifting'), check: async () => onServer}
    const plan = await planOperations([op], quiet)
    onServer = 'todo'
    const report = await applyPlan(plan, quiet)
    expect(report.items[0]).to.include({key: 'drifting', outcome: 'already'})
  })

  it("a dry run's report is the plan: todo is planned, done is already, failures and blocks as planned", async () => {
    const ops = () => [
      fakeOp('a'),
      fakeOp('b', {check: 'done'}),
      fakeOp('c', {check: new Error('404 space ENG not found')}),
      fakeOp('d', {dependsOn: ['c']}),
    ]
    const fromPlan = planReport(await planOperations(ops(), quiet))
    const dryRun = await runOperations(ops(), {...quiet, dryRun: true})
    expect(untimed(fromPlan)).to.deep.equal(untimed(dryRun))
    expect(fromPlan.items.map((item) => [item.key, item.outcome, item.reason])).to.deep.equal([
      ['a', 'planned', undefined],
      ['b', 'already', undefined],
      ['c', 'failed', '404 space ENG not found'],
      ['d', 'blocked', 'needs "op c", which failed'],
    ])
  })

  it('applying a plan with a failed check blocks its dependants, transitively, and applies the rest', async () => {
    const ops = [
      fakeOp('group', {check: new Error('timeout')}),
      fakeOp('member', {dependsOn: ['group']}),
      fakeOp('grant', {dependsOn: ['member']}),
      fakeOp('unrelated'),
    ]
    const report = await applyPlan(await planOperations(ops, quiet), quiet)
    expect(report.items.map((item) => [item.outcome, item.reason])).to.deep.equal([
      ['failed', 'timeout'],
      ['blocked', 'needs "op group", which failed'],
      ['blocked', 'needs "op member", which is blocked'],
      ['done', undefined],
    ])
    expect(ops.map((op) => op.applies)).to.deep.equal([0, 0, 0, 1])
    expect(report.dryRun).to.equal(false)
    expect(report.counts).to.include({blocked: 2, done: 1, failed: 1})
  })

  it('shows the note a check gives with its answer: as the reason of an already item, and of a planned one', async () => {
    const ops = [
      {...fakeOp('held'), check: async () => ({done: 'role Admin'})},
      {...fakeOp('missing'), check: async () => ({todo: 'role Viewer'})},
      {...fakeOp('odd'), check: async () => ({maybe: 'x'}) as never},
    ]
    const dry = planReport(await planOperations(ops, quiet))
    expect(dry.items.map((item) => [item.key, item.outcome, item.reason])).to.deep.equal([
      ['held', 'already', 'role Admin'],
      ['missing', 'planned', 'role Viewer'],
      ['odd', 'failed', `check answered {"maybe":"x"} instead of 'done' or 'todo'`],
    ])
    const applied = await runOperations(ops.slice(0, 2), quiet)
    expect(applied.items.map((item) => [item.key, item.outcome, item.reason])).to.deep.equal([
      ['held', 'already', 'role Admin'],
      ['missing', 'done', undefined],
    ])
  })

  it("carries each operation's kind into its result, and leaves it out when the operation has none", async () => {
    const ops = [{...fakeOp('invite:a@x'), kind: 'invite'}, fakeOp('plain')]
    const report = await applyPlan(await planOperations(ops, quiet), quiet)
    expect(report.items.map((item) => item.kind)).to.deep.equal(['invite', undefined])
    expect(report.items[1]).to.not.have.property('kind')
  })

  it('on displays of their own, planning shows every item as checked (todo as planned) and applying every item as it ended', async () => {
    const ops = [fakeOp('a'), fakeOp('b', {check: 'done'})]
    const checking = collector()
    const plan = await planOperations(ops, {output: checking, progress: 'lines'})
    expect(checking.text().split('\n').sort()).to.deep.equal(['', 'already op b', 'planned op a'])
    const applying = collector()
    await applyPlan(plan, {output: applying, progress: 'lines'})
    expect(applying.text().split('\n').sort()).to.deep.equal(['', 'already op b', 'done    op a'])
  })

  describe('with a journal', () => {
    const temp = useTempDir('cfadmin-engine-plan-')

    it('a plan made with the journal shows a oneShot an earlier run sent as already; one made without it is still held back when applied', async () => {
      const earlier = await Journal.open(temp.path, 'plan')
      await earlier.markSending('invite:a')
      await earlier.markDone('invite:a')
      await earlier.close()
      const journal = await Journal.open(temp.path, 'plan')
      const withJournal = await planOperations([fakeOp('invite:a', {oneShot: true})], {...quiet, journal})
      expect(planReport(withJournal).items[0]).to.include({outcome: 'already', reason: SENT_EARLIER})

      const op = fakeOp('invite:a', {oneShot: true})
      const without = await planOperations([op], quiet)
      expect(without.items[0].state).to.equal('todo')
      const report = await applyPlan(without, {...quiet, journal})
      expect(report.items[0]).to.include({outcome: 'already', reason: SENT_EARLIER})
      expect(op.applies).to.equal(0)
      await journal.close()
    })

    it('applyPlan records a oneShot send but leaves the journal to its owner: not finished, still locked', async () => {
      const journal = await Journal.open(temp.path, 'owned')
      await applyPlan(await planOperations([fakeOp('invite:b', {oneShot: true})], quiet), {...quiet, journal})
      expect(existsSync(join(temp.path, 'owned.jsonl'))).to.equal(true)
      expect(existsSync(join(temp.path, 'owned.jsonl.lock'))).to.equal(true)
      await journal.finish()
      expect(existsSync(join(temp.path, 'owned.jsonl'))).to.equal(false)
    })
  })
})
