import {expect} from 'chai'

import {progressLineOf, progressTitle, startProgress} from '../../../src/lib/engine/progress.js'
import {runOperations} from '../../../src/lib/engine/runner.js'
import {collector, fakeOp, tick} from './helpers.js'

const ops = () => [
  fakeOp('a'),
  fakeOp('b', {check: 'done'}),
  fakeOp('c', {apply: new Error('403 Forbidden')}),
  fakeOp('d', {apply: 'INVITED'}),
  fakeOp('e', {dependsOn: ['c']}),
]

describe('engine progress', () => {
  it('lines: writes one plain line per finished item, outcome padded so descriptions line up', async () => {
    const output = collector()
    await runOperations(ops(), {output, progress: 'lines'})
    expect(output.text().split('\n').sort()).to.deep.equal([
      '',
      'already op b',
      'blocked op e: needs "op c", which failed',
      'done    op a',
      'done    op d (INVITED)',
      'failed  op c: 403 Forbidden',
    ])
  })

  it('auto: writes plain lines when the output is not a terminal', async () => {
    const output = collector(false)
    await runOperations([fakeOp('a')], {dryRun: true, output, progress: 'auto'})
    expect(output.text()).to.equal('planned op a\n')
  })

  it('auto: writes plain lines on a terminal that reports no size, where a drawing would stay empty', async () => {
    const output = Object.assign(collector(true), {columns: 0, rows: 0})
    await runOperations([fakeOp('a')], {output, progress: 'auto'})
    expect(output.text()).to.equal('done    op a\n')
  })

  it('none: writes nothing at all (--json)', async () => {
    const output = collector(true)
    await runOperations(ops(), {output, progress: 'none'})
    expect(output.text()).to.equal('')
  })

  it('formats a line with the reason after a colon, else the detail in brackets', () => {
    expect(progressLineOf({description: 'x', key: 'x', outcome: 'failed', reason: 'why'})).to.equal('failed  x: why')
    expect(progressLineOf({description: 'x', key: 'x', outcome: 'done', detail: 'ADDED'})).to.equal('done    x (ADDED)')
  })

  it('keeps N/total inside 80 columns whatever the heading: a long heading is cut, the count comes right after it', () => {
    const counts = {already: 12_345, blocked: 7, done: 987_654, failed: 3, planned: 0}
    const summary = 'Grant View (read space) on spaces to users or groups, changing only what is missing.'
    for (const heading of [summary, 'grant-view', `Applying ${'deeply/nested/'.repeat(10)}plan.yaml`]) {
      const title = progressTitle(heading, 999_999, 1_000_000, counts, false)
      const end = title.indexOf('999,999/1,000,000') + '999,999/1,000,000'.length
      expect(end, title).to.be.greaterThan(17)
      // listr2 puts a spinner or a tick and a space in front.
      expect(end + 2, title).to.be.at.most(80)
    }

    expect(progressTitle('grant-view', 3, 10, {...counts, already: 0, blocked: 0, done: 3, failed: 0}, false)).to.equal(
      'grant-view: 3/10 (3 done)',
    )
  })

  it('shows a heading with control characters escaped', () => {
    expect(
      progressTitle(
        'Applying \u001B[2Jplan.yaml',
        0,
        1,
        {already: 0, blocked: 0, done: 0, failed: 0, planned: 0},
        true,
      ),
    ).to.equal('Applying \\u001b[2Jplan.yaml: 0/1')
  })

  it('shows descriptions and reasons with control characters escaped in progress lines', () => {
    expect(
      progressLineOf({description: 'add x to \u001B]0;t\u0007', key: 'x', outcome: 'failed', reason: 'no\u001B[2J'}),
    ).to.equal('failed  add x to \\u001b]0;t\\u0007: no\\u001b[2J')
  })

  it('auto on a terminal draws listr2 progress on that stream with the title and counts, never on stdout, and removes its signal handlers', async () => {
    const output = collector(true)
    const stdoutWrite = process.stdout.write
    const stdoutChunks: string[] = []
    process.stdout.write = ((chunk: string) => {
      stdoutChunks.push(String(chunk))
      return true
    }) as typeof process.stdout.write
    const sigints = process.listenerCount('SIGINT')
    let report
    try {
      report = await runOperations(ops(), {output, progress: 'auto', title: 'Inviting users'})
    } finally {
      process.stdout.write = stdoutWrite
    }

    expect(report.counts.done).to.equal(2)
    expect(stdoutChunks.join('')).to.equal('')
    const text = output.text()
    expect(text).to.include('Inviting users: 5/5 (2 done, 1 already, 1 failed, 1 blocked)')
    expect(process.listenerCount('SIGINT')).to.equal(sigints)
    // The stream's own write is given back once the display is down.
    output.write('after')
    expect(output.text().endsWith('after')).to.equal(true)
  })

  it('on a terminal the title says what items wait for while they wait, and no longer once the wait is over', async () => {
    const output = collector(true)
    const display = await startProgress({dryRun: false, mode: 'auto', output, title: 'setup', total: 1})
    display.waiting('group crawlers', 'waiting for group crawlers (3 s so far)')
    await tick(250)
    display.waiting('group crawlers', undefined)
    display.item({description: 'grant View on ENG to group crawlers', key: 'k', outcome: 'done'})
    await display.end()
    const text = output.text()
    expect(text).to.include('setup: 0/1; waiting for group crawlers (3 s so far)')
    expect(text.slice(text.lastIndexOf('so far)'))).to.include('setup: 1/1 (1 done)')
  })
})
