import {expect} from 'chai'
import {spawn} from 'node:child_process'
import {existsSync, readdirSync, readFileSync} from 'node:fs'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

import type {RunReport} from '../../../src/lib/engine/operation.js'
import {runIdOf} from '../../../src/lib/engine/journal.js'
import {SENT_EARLIER} from '../../../src/lib/engine/runner.js'
import {useTempDir} from '../../support/temp-dir.js'

const here = dirname(fileURLToPath(import.meta.url))
const root = resolve(here, '../../..')
const fixture = join(here, 'fixtures', 'kill-resume.ts')

const appliedKeys = (file: string): string[] =>
  existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : []

/** Runs the fixture; with killAfter, SIGKILLs it as soon as that many applies are in the shared file. */
function runChild(
  args: string[],
  appliedFile: string,
  killAfter?: number,
): Promise<{code: number | null; signal: NodeJS.Signals | null; stdout: string}> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', fixture, ...args], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk) => {
      stdout += chunk
    })
    child.stderr.on('data', (chunk) => {
      stderr += chunk
    })
    const poll =
      killAfter === undefined
        ? undefined
        : setInterval(() => {
            if (appliedKeys(appliedFile).length >= killAfter) child.kill('SIGKILL')
          }, 2)
    child.on('error', reject)
    child.on('exit', (code, signal) => {
      if (poll) clearInterval(poll)
      if (code !== 0 && signal === null) reject(new Error(`fixture exited ${code}: ${stderr}`))
      else resolvePromise({code, signal, stdout})
    })
  })
}

describe('engine kill and resume (child process)', () => {
  let dir: string
  const temp = useTempDir('cfadmin-engine-kill-')
  beforeEach(() => {
    dir = temp.path
  })

  it('a run SIGKILLed mid-way and run again applies every oneShot operation exactly once, then deletes its journal', async () => {
    const count = 30
    const journalDir = join(dir, 'journals')
    const appliedFile = join(dir, 'applied.txt')
    const args = [journalDir, appliedFile, String(count)]
    const runIdOfFixture = runIdOf('kill-resume', count)

    const first = await runChild(args, appliedFile, 6)
    expect(first.signal).to.equal('SIGKILL')
    const beforeResume = appliedKeys(appliedFile)
    expect(beforeResume.length).to.be.within(6, count - 1)
    // The interrupted run's journal is still there, and its lock, which the resume takes over (its pid is gone).
    expect(readdirSync(journalDir).sort()).to.deep.equal([`${runIdOfFixture}.jsonl`, `${runIdOfFixture}.jsonl.lock`])

    const second = await runChild(args, appliedFile)
    expect(second.code).to.equal(0)
    const report = JSON.parse(second.stdout) as RunReport

    const times = new Map<string, number>()
    for (const key of appliedKeys(appliedFile)) times.set(key, (times.get(key) ?? 0) + 1)
    for (let i = 0; i < count; i++) expect(times.get(`invite:${i}`), `invite:${i}`).to.equal(1)
    expect(times.size).to.equal(count)

    // What the first run sent is reported, not resent; the rest is done now.
    const skipped = report.items.filter((item) => item.outcome === 'already')
    expect(skipped.map((item) => item.key).sort()).to.deep.equal([...beforeResume].sort())
    expect(skipped.every((item) => item.reason === SENT_EARLIER)).to.equal(true)
    expect(report.counts.done).to.equal(count - beforeResume.length)
    expect(readdirSync(journalDir)).to.deep.equal([])
  })
})
