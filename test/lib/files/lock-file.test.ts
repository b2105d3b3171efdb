import {type ChildProcess, spawn} from 'node:child_process'
import {existsSync, readdirSync, readFileSync, symlinkSync, utimesSync, writeFileSync} from 'node:fs'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

import {expect} from 'chai'

import {CfadminError, ExitCode} from '../../../src/lib/errors.js'
import {acquireFileLock, withFileLock} from '../../../src/lib/files/lock-file.js'
import {rejectionOf} from '../../support/rejection.js'
import {useTempDir} from '../../support/temp-dir.js'

const here = dirname(fileURLToPath(import.meta.url))
const root = resolve(here, '../../..')
const fixture = join(here, 'fixtures', 'lock-contender.ts')

function child(args: string[]): ChildProcess & {
  exited: Promise<{code: number | null; signal: NodeJS.Signals | null}>
  said: (word: string) => Promise<void>
} {
  const proc = spawn(process.execPath, ['--import', 'tsx', fixture, ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  let err = ''
  const waiters: Array<{word: string; resolve: () => void}> = []
  proc.stdout!.on('data', (chunk) => {
    out += chunk
    for (const w of waiters.filter((x) => out.includes(x.word))) w.resolve()
  })
  proc.stderr!.on('data', (chunk) => {
    err += chunk
  })
  const exited = new Promise<{code: number | null; signal: NodeJS.Signals | null}>((resolvePromise) =>
    proc.on('exit', (code, signal) => resolvePromise({code, signal})),
  )
  const said = (word: string) =>
    new Promise<void>((resolvePromise, reject) => {
      if (out.includes(word)) return resolvePromise()
      waiters.push({resolve: resolvePromise, word})
      void exited.then(({code, signal}) =>
        reject(new Error(`child ended (${code ?? signal}) before saying ${word}: ${err}`)),
      )
    })
  return Object.assign(proc, {exited, said})
}

/** Starts the children, lets them all go at once and waits for them; returns the log lines. */
async function contend(dir: string, lock: string, specs: string[][]): Promise<string[]> {
  const log = join(dir, 'log.txt')
  writeFileSync(log, '')
  const children = specs.map((args) => child([args[0], lock, log, ...args.slice(1)]))
  await Promise.all(children.map((c) => c.said('ready')))
  writeFileSync(`${lock}.go`, '')
  const ends = await Promise.all(children.map((c) => c.exited))
  for (const [i, end] of ends.entries()) {
    if (specs[i][0] === 'contend') expect(end.code, `contender ${i}`).to.equal(0)
  }

  return readFileSync(log, 'utf8').split('\n').filter(Boolean)
}

describe('lock files', () => {
  let dir: string
  let lock: string
  const temp = useTempDir('cfadmin-lock-')
  beforeEach(() => {
    dir = temp.path
    lock = join(dir, 'profiles.json.lock')
  })

  it('eight processes taking the same lock twenty times each are never inside it together', async function () {
    this.timeout(120_000)
    const lines = await contend(
      dir,
      lock,
      Array.from({length: 8}, () => ['contend', '20', '1']),
    )
    expect(lines.filter((l) => l.startsWith('overlap'))).to.deep.equal([])
    expect(lines).to.have.length(160)
    expect(existsSync(lock)).to.equal(false)
  })

  it('processes that find the lock stale (its owner was killed inside) take it over one at a time', async function () {
    this.timeout(120_000)
    // Owners killed inside the lock leave it stale again and again while six others race to take it over.
    const specs = [...Array.from({length: 6}, () => ['contend', '15', '2']), ...Array.from({length: 6}, () => ['die'])]
    const lines = await contend(dir, lock, specs)
    expect(lines.filter((l) => l.startsWith('overlap'))).to.deep.equal([])
    expect(lines).to.have.length(90)
  })

  it('a lock left by a process that no longer exists is taken over at once', async () => {
    const dead = child(['die-now'])
    await dead.exited
    writeFileSync(
      lock,
      JSON.stringify({
        host: (await import('node:os')).hostname(),
        pid: dead.pid,
        since: new Date().toISOString(),
        token: 'fake-token-dead',
      }),
    )
    await withFileLock(lock, async () => {}, {waitMs: 0})
    expect(existsSync(lock)).to.equal(false)
  })

  it('an empty lock file (a crash before its owner wrote it) is taken over once a few seconds old', async () => {
    writeFileSync(lock, '')
    const old = new Date(Date.now() - 10_000)
    utimesSync(lock, old, old)
    let ran = false
    await withFileLock(
      lock,
      async () => {
        ran = true
      },
      {waitMs: 0},
    )
    expect(ran).to.equal(true)
  })

  it('a garbled lock file is taken over once a few seconds old', async () => {
    writeFileSync(lock, '{"pid": "not a number"')
    const old = new Date(Date.now() - 10_000)
    utimesSync(lock, old, old)
    await withFileLock(lock, async () => {}, {waitMs: 0})
  })

  it('a lock naming a pid now used by another process (a different start time) is taken over at once', async function () {
    if (process.platform !== 'linux') this.skip()
    // This process stands in for the unrelated process that got the dead owner's pid.
    writeFileSync(
      lock,
      JSON.stringify({
        host: (await import('node:os')).hostname(),
        pid: process.pid,
        procStart: '1',
        since: new Date().toISOString(),
        token: 'fake-token-old',
      }),
    )
    await withFileLock(lock, async () => {}, {waitMs: 0})
  })

  it('a lock from an earlier cfadmin (a bare pid) of a live process that stopped touching it long ago is taken over', async () => {
    writeFileSync(lock, String(process.pid))
    const old = new Date(Date.now() - 120_000)
    utimesSync(lock, old, old)
    await withFileLock(lock, async () => {}, {waitMs: 0})
  })

  it('a lock held by a live process is not taken over, and the wait ends with exit 2 naming the lock and how to clear it', async () => {
    const held = await acquireFileLock(lock)
    try {
      const error = await rejectionOf<CfadminError>(withFileLock(lock, async () => {}, {waitMs: 0}))
      expect(error).to.be.instanceOf(CfadminError)
      expect(error.exit).to.equal(ExitCode.badInput)
      expect(error.code).to.equal('LOCKED')
      expect(error.message).to.include(lock).and.to.include(`pid ${process.pid}`)
      expect(error.hint).to.include(`rm ${lock}`)
    } finally {
      await held.release()
    }

    expect(existsSync(lock)).to.equal(false)
  })

  it('says on stderr what it waits for once the wait passes two seconds', async function () {
    this.timeout(10_000)
    const held = await acquireFileLock(lock)
    const notes: string[] = []
    try {
      await rejectionOf(
        withFileLock(lock, async () => {}, {
          notify: (m) => notes.push(m),
          purpose: 'refreshing the OAuth login',
          waitMs: 2600,
        }),
      )
    } finally {
      await held.release()
    }

    expect(notes).to.have.length(1)
    expect(notes[0]).to.include('refreshing the OAuth login').and.to.include(lock).and.to.include(`pid ${process.pid}`)
  })

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`a process ended by ${signal} while holding the lock releases it`, async () => {
      const holder = child(['hold', lock])
      await holder.said('holding')
      expect(existsSync(lock)).to.equal(true)
      holder.kill(signal)
      const end = await holder.exited
      expect(end.code).to.equal(signal === 'SIGINT' ? 130 : 143)
      expect(existsSync(lock)).to.equal(false)
    })
  }

  it('refuses a symbolic link at the lock name (exit 2) and leaves its target alone', async () => {
    const target = join(dir, 'precious.txt')
    writeFileSync(target, 'keep me\n')
    symlinkSync(target, lock)
    const error = await rejectionOf<CfadminError>(withFileLock(lock, async () => {}, {waitMs: 0}))
    expect(error.exit).to.equal(ExitCode.badInput)
    expect(error.code).to.equal('LOCK_NOT_A_FILE')
    expect(readFileSync(target, 'utf8')).to.equal('keep me\n')
  })

  it('removes temp files of its own pattern left by killed processes, and nothing else', async () => {
    const stale = join(dir, '.profiles.json.lock.999999999.deadbeef.tmp')
    const other = join(dir, '.profiles.json.lock.notes.tmp')
    const alive = join(dir, `.profiles.json.lock.${process.pid}.cafebabe.tmp`)
    const old = new Date(Date.now() - 120_000)
    for (const path of [stale, other, alive]) {
      writeFileSync(path, '')
      utimesSync(path, old, old)
    }

    await withFileLock(lock, async () => {})
    expect(readdirSync(dir).sort()).to.deep.equal(
      [`.profiles.json.lock.${process.pid}.cafebabe.tmp`, '.profiles.json.lock.notes.tmp'].sort(),
    )
  })
})
