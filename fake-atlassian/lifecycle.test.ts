import {spawnSync} from 'node:child_process'
import {writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, resolve} from 'node:path'

import {expect} from 'chai'

import {projectRoot} from '../test/support/paths.js'
import {basicAuth, defaultSeedCredentials as seed} from './credentials.js'
import {startFakeAtlassian} from './server.js'
import {readSeed, seedPath} from './state.js'

describe('fake Atlassian: start, reset, close', () => {
  it('starts a first fake in a fresh process and a second one after it (prints the figures)', function () {
    this.timeout(30_000)
    const probe = resolve(projectRoot, 'fake-atlassian/startup-probe.ts')
    const run = spawnSync(process.execPath, ['--import', 'tsx', probe], {cwd: projectRoot, encoding: 'utf8'})
    expect(run.status, run.stderr).to.equal(0)
    const timings = JSON.parse(run.stdout) as {firstStartMs: number; importMs: number; secondStartMs: number}
    console.log(
      `      startup: modules ${timings.importMs} ms, first start ${timings.firstStartMs} ms, second start ${timings.secondStartMs} ms`,
    )
    // The figures are printed above (about 300 ms and 2 ms on a quiet machine); a busy one must not fail the test.
    for (const figure of Object.values(timings)) expect(figure).to.be.a('number').and.at.least(0)
  })

  it('listens on 127.0.0.1, on the port asked for', async () => {
    const probe = await startFakeAtlassian({validate: false})
    const port = Number(new URL(probe.url).port)
    await probe.close()
    const fake = await startFakeAtlassian({port, validate: false})
    try {
      expect(fake.url).to.equal(`http://127.0.0.1:${port}`)
    } finally {
      await fake.close()
    }
  })

  it('reset() brings back the seed, an empty log and no faults', async () => {
    const fake = await startFakeAtlassian()
    try {
      const state = fake.state
      fake.state.users.length = 0
      fake.faults.failNext(5)
      await fetch(`${fake.url}/_edge/tenant_info`)
      fake.contractViolations.push('something')
      fake.reset()
      expect(fake.state).to.equal(state)
      expect(fake.state.users).to.have.length(readSeed(seedPath('default')).users?.length ?? 0)
      expect(fake.requests).to.deep.equal([])
      expect(fake.contractViolations).to.deep.equal([])
      const res = await fetch(`${fake.url}/wiki/rest/api/user/current`, {
        headers: {authorization: basicAuth(seed.adminToken.email, seed.adminToken.token)},
      })
      expect(res.status).to.equal(200)
    } finally {
      await fake.close()
    }
  })

  it("keeps each fake's state to itself", async () => {
    const [a, b] = await Promise.all([startFakeAtlassian(), startFakeAtlassian()])
    try {
      a.state.sites[0].cloudId = 'cloud-fake-changed'
      expect(await (await fetch(`${b.url}/_edge/tenant_info`)).json()).to.deep.equal({cloudId: seed.cloudId})
      expect(await (await fetch(`${a.url}/_edge/tenant_info`)).json()).to.deep.equal({cloudId: 'cloud-fake-changed'})
    } finally {
      await Promise.all([a.close(), b.close()])
    }
  })

  it('takes a seed as an object, a file path or a bundled name', async () => {
    const file = join(tmpdir(), `fake-seed-${process.pid}.json`)
    writeFileSync(
      file,
      JSON.stringify({orgs: [{id: 'org-x', name: 'X'}], sites: [{cloudId: 'cloud-x', name: 'x', orgId: 'org-x'}]}),
    )
    for (const seedOption of [readSeed(seedPath('two-orgs')), file, 'two-orgs']) {
      const fake = await startFakeAtlassian({seed: seedOption, validate: false})
      try {
        expect(fake.state.orgs.length).to.be.greaterThan(0)
      } finally {
        await fake.close()
      }
    }
  })

  it('refuses a seed that refers to what it does not define, naming each problem', async () => {
    let error: Error | undefined
    try {
      await startFakeAtlassian({
        seed: {users: [{accountId: 'a', directoryId: 'dir-missing', email: 'a@x.example', name: 'A'}]},
        validate: false,
      })
    } catch (error_) {
      error = error_ as Error
    }

    expect(error?.message).to.include('user a@x.example: unknown directory dir-missing')
  })

  it('stops answering after close()', async () => {
    const fake = await startFakeAtlassian({validate: false})
    await fetch(`${fake.url}/_edge/tenant_info`)
    await fake.close()
    let failed = false
    await fetch(`${fake.url}/_edge/tenant_info`).catch(() => (failed = true))
    expect(failed).to.equal(true)
  })
})
