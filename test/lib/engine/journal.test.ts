import {expect} from 'chai'
import {existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {Journal, runIdOf} from '../../../src/lib/engine/journal.js'

describe('engine Journal', () => {
  let root: string
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'cfadmin-engine-journal-'))
  })
  afterEach(() => rmSync(root, {force: true, recursive: true}))

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
    // No finish(), no close: as if the process died here.
    expect(readFileSync(journal.path, 'utf8')).to.match(/"k":"invite:a@x","s":"sending"/)
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

  it('refuses a run id that is not a plain file name', async () => {
    let error: unknown
    await Journal.open(root, '../escape').catch((caught) => {
      error = caught
    })
    expect((error as Error).message).to.match(/run id/)
  })
})
