import {expect} from 'chai'
import {execFileSync, spawnSync} from 'node:child_process'
import {existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync} from 'node:fs'
import {hostname} from 'node:os'
import {join} from 'node:path'

import {Journal, runIdOf} from '../../../src/lib/engine/journal.js'
import {CfadminError, ExitCode} from '../../../src/lib/errors.js'
import {rejectionOf} from '../../support/rejection.js'
import {useTempDir} from '../../support/temp-dir.js'

describe('engine Journal', () => {
  let root: string
  const temp = useTempDir('cfadmin-engine-journal-')
  beforeEach(() => {
    root = temp.path
  })

  it('runIdOf is a stable 16-hex-character sha256 of the JSON of its parts', () => {
    const id = runIdOf('users invite', 'https://acme.atlassian.net', [{email: 'a@x'}])
    expect(id).to.match(/^[0-9a-f]{16}$/)
    expect(runIdOf('users invite', 'https://acme.atlassian.net', [{email: 'a@x'}])).to.equal(id)
    expect(runIdOf('users invite', 'https://acme.atlassian.net', [{email: 'b@x'}])).to.not.equal(id)
    // sha256('["x"]'), first 16 hex characters
    expect(runIdOf('x')).to.equal('cd65ea2c2ad99e94')
  })

  it('creates its folder 0700 and its file <runId>.jsonl 0600 with the first entry', async () => {
    const dir = join(root, 'journals')
    const journal = await Journal.open(dir, 'abc123')
    expect(statSync(dir).mode & 0o777).to.equal(0o700)
    expect(journal.path).to.equal(join(dir, 'abc123.jsonl'))
    expect(existsSync(journal.path)).to.equal(false)
    await journal.markSending('k')
    expect(statSync(journal.path).mode & 0o777).to.equal(0o600)
  })

  it('tightens a journal file left with a wider mode to 0600', async () => {
    const path = join(root, 'wide.jsonl')
    writeFileSync(path, '', {mode: 0o644})
    const journal = await Journal.open(root, 'wide')
    await journal.markSending('k')
    expect(statSync(path).mode & 0o777).to.equal(0o600)
  })

  it('markSending is on disk when it resolves, so a run that crashes right after is seen by the next (crash simulation)', async () => {
    const journal = await Journal.open(root, 'crash')
    await journal.markSending('invite:a@x')
    // No finish(): as if the process died here (its death frees the run's lock, as close() does).
    expect(readFileSync(journal.path, 'utf8')).to.match(/"k":"invite:a@x","s":"sending"/)
    await journal.close()
    const next = await Journal.open(root, 'crash')
    expect(next.wasStarted('invite:a@x')).to.equal(true)
    expect(next.wasSent('invite:a@x'), 'started, never acknowledged').to.equal(false)
    expect(next.wasStarted('invite:b@x')).to.equal(false)
    // The journal only knows earlier runs: this run's own sends do not count as "earlier".
    expect(journal.wasSent('invite:a@x')).to.equal(false)
  })

  it('keeps concurrent entries whole, one JSON line each, and ignores a line torn by a crash', async () => {
    const journal = await Journal.open(root, 'lines')
    const keys = Array.from({length: 50}, (_, i) => `key "${i}"\nwith a line break`)
    await Promise.all(keys.flatMap((k) => [journal.markSending(k), journal.markDone(k)]))
    const lines = readFileSync(journal.path, 'utf8').trimEnd().split('\n')
    expect(lines).to.have.length(100)
    for (const line of lines) expect(() => JSON.parse(line)).to.not.throw()
    await journal.close()
    writeFileSync(journal.path, readFileSync(journal.path, 'utf8') + '{"k":"torn","s":"sen')
    const next = await Journal.open(root, 'lines')
    expect(keys.every((k) => next.wasSent(k))).to.equal(true)
    expect(next.wasSent('torn')).to.equal(false)
  })

  it('finish deletes the file, can be called again, and refuses later entries', async () => {
    const journal = await Journal.open(root, 'done')
    await journal.markSending('a')
    await journal.markDone('a')
    await journal.finish()
    expect(existsSync(journal.path)).to.equal(false)
    await journal.finish()
    let error: unknown
    await journal.markSending('b').catch((caught) => {
      error = caught
    })
    expect((error as Error).message).to.match(/finished/)
    // A journal that never wrote anything finishes too.
    await (await Journal.open(root, 'empty')).finish()
  })

  it('a second run of the same journal stops at once with exit 2, naming the journal and the run that holds it', async () => {
    const first = await Journal.open(root, 'twice')
    const error = await rejectionOf<CfadminError>(Journal.open(root, 'twice'))
    expect(error).to.be.instanceOf(CfadminError)
    expect(error.exit).to.equal(ExitCode.badInput)
    expect(error.code).to.equal('JOURNAL_BUSY')
    expect(error.message).to.include(first.path).and.to.include(`pid ${process.pid}`)
    expect(error.hint).to.include(`rm ${first.path}.lock`)
    await first.finish()
    await (await Journal.open(root, 'twice')).finish()
  })

  it('a run that stopped on an error (close) keeps its journal and lets the next run in', async () => {
    const first = await Journal.open(root, 'stopped')
    await first.markSending('invite:a@x')
    await first.close()
    const next = await Journal.open(root, 'stopped')
    expect(next.wasStarted('invite:a@x')).to.equal(true)
    await next.finish()
  })

  it('a run killed with SIGKILL leaves a lock the next run takes over (its pid is gone)', async () => {
    const dead = spawnSync(process.execPath, ['-e', 'process.exit(0)'])
    writeFileSync(
      join(root, 'killed.jsonl.lock'),
      JSON.stringify({host: hostname(), pid: dead.pid, since: '2026-12-01T00:00:00.000Z', token: 'fake-token-killed'}),
    )
    await (await Journal.open(root, 'killed')).finish()
  })

  it('refuses a symbolic link at the journal, and never writes through it', async () => {
    const target = join(root, 'bashrc')
    writeFileSync(target, 'keep me\n')
    symlinkSync(target, join(root, 'linked.jsonl'))
    const error = await rejectionOf<CfadminError>(Journal.open(root, 'linked'))
    expect(error.code).to.equal('JOURNAL_NOT_A_FILE')
    expect(error.exit).to.equal(ExitCode.badInput)
    expect(readFileSync(target, 'utf8')).to.equal('keep me\n')
  })

  it('refuses a symbolic link created at the journal after the run started, and never appends through it', async () => {
    const journal = await Journal.open(root, 'late')
    const target = join(root, 'bashrc')
    writeFileSync(target, 'keep me\n')
    symlinkSync(target, journal.path)
    const error = await rejectionOf<CfadminError>(journal.markSending('invite:a@x'))
    expect(error.code).to.equal('JOURNAL_NOT_A_FILE')
    expect(readFileSync(target, 'utf8')).to.equal('keep me\n')
    await journal.close()
  })

  it('refuses a journals folder that is a symbolic link', async () => {
    mkdirSync(join(root, 'elsewhere'))
    symlinkSync(join(root, 'elsewhere'), join(root, 'journals'))
    const error = await rejectionOf<CfadminError>(Journal.open(join(root, 'journals'), 'x'))
    expect(error.code).to.equal('JOURNAL_DIR_UNUSABLE')
    expect(readdirSync(join(root, 'elsewhere'))).to.deep.equal([])
  })

  it('refuses a FIFO at the journal at once instead of waiting on it', async function () {
    if (process.platform === 'win32') this.skip()
    execFileSync('mkfifo', [join(root, 'fifo.jsonl')])
    const error = await rejectionOf<CfadminError>(Journal.open(root, 'fifo'))
    expect(error.code).to.equal('JOURNAL_NOT_A_FILE')
  })

  it('refuses a run id that is not a plain file name', async () => {
    let error: unknown
    await Journal.open(root, '../escape').catch((caught) => {
      error = caught
    })
    expect((error as Error).message).to.match(/run id/)
  })
})
