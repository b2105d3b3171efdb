import {expect} from 'chai'

import {basicAuth, bearer, defaultSeedCredentials as seed} from './credentials.js'
import {type FakeAtlassian, startFakeAtlassian} from './server.js'
import {useFakeAtlassian} from './use-fake.js'

const tenantInfo = (fake: FakeAtlassian) => fetch(`${fake.url}/_edge/tenant_info`)

describe('fake Atlassian: faults', () => {
  const fake = useFakeAtlassian()

  describe('rate limit', () => {
    it('answers 429 with an integer Retry-After >= 1 and X-RateLimit-Reset once the burst is spent', async () => {
      const limited = await startFakeAtlassian({rateLimit: {burst: 2, perSecond: 0.5}})
      try {
        const statuses = []
        for (let i = 0; i < 3; i++) statuses.push((await tenantInfo(limited)).status)
        expect(statuses).to.deep.equal([200, 200, 429])
        const res = await tenantInfo(limited)
        expect(res.status).to.equal(429)
        const retryAfter = res.headers.get('retry-after')
        expect(retryAfter).to.match(/^\d+$/)
        expect(Number(retryAfter)).to.be.within(1, 2)
        expect(Date.parse(res.headers.get('x-ratelimit-reset') ?? '')).to.be.greaterThan(Date.now())
        expect(res.headers.get('x-ratelimit-remaining')).to.equal('0')
        expect(await res.json()).to.deep.include({statusCode: 429})
        expect(limited.requests.map((r) => r.fault)).to.deep.equal([
          undefined,
          undefined,
          'rate-limited',
          'rate-limited',
        ])
      } finally {
        await limited.close()
      }
    })

    it('refills the bucket over time and rounds a short wait up to Retry-After: 1', async () => {
      // The fake's clock stands still until moved, so a slow machine cannot refill the bucket between requests.
      fake.clock.pause()
      fake.faults.setRateLimit({burst: 1, perSecond: 20})
      expect((await tenantInfo(fake)).status).to.equal(200)
      const limited = await tenantInfo(fake)
      expect(limited.status).to.equal(429)
      expect(limited.headers.get('retry-after')).to.equal('1')
      fake.clock.advance(80)
      expect((await tenantInfo(fake)).status).to.equal(200)
    })

    it('answers 429 in the Admin API shape {code, message} on /admin', async () => {
      fake.faults.setRateLimit({burst: 1, perSecond: 0.1})
      await fetch(`${fake.url}/admin/v1/orgs`, {headers: {authorization: bearer(seed.adminKey)}})
      const res = await fetch(`${fake.url}/admin/v1/orgs`, {headers: {authorization: bearer(seed.adminKey)}})
      expect(res.status).to.equal(429)
      expect(await res.json()).to.deep.include({code: 429})
    })

    it('sends X-RateLimit-Limit and -Remaining on normal answers while a limit is on', async () => {
      fake.faults.setRateLimit({burst: 5, perSecond: 1})
      const res = await tenantInfo(fake)
      expect(res.headers.get('x-ratelimit-limit')).to.equal('5')
      expect(res.headers.get('x-ratelimit-remaining')).to.equal('4')
    })

    it("with budgetHeaders 'only-429s' keeps the budget to itself until the 429", async () => {
      fake.clock.pause()
      fake.faults.setRateLimit({budgetHeaders: 'only-429s', burst: 1, perSecond: 1})
      const ok = await tenantInfo(fake)
      expect(ok.status).to.equal(200)
      expect(ok.headers.has('x-ratelimit-remaining')).to.equal(false)
      expect(ok.headers.has('x-ratelimit-limit')).to.equal(false)
      const limited = await tenantInfo(fake)
      expect(limited.status).to.equal(429)
      expect(limited.headers.get('x-ratelimit-remaining')).to.equal('0')
    })
  })

  it('failNext answers the next n requests with the status (503 by default), then recovers', async () => {
    fake.faults.failNext(2)
    fake.faults.failNext(1, 500, 7)
    const first = await tenantInfo(fake)
    expect(first.status).to.equal(503)
    expect(await first.json()).to.have.property('statusCode', 503)
    expect((await tenantInfo(fake)).status).to.equal(503)
    const third = await tenantInfo(fake)
    expect(third.status).to.equal(500)
    expect(third.headers.get('retry-after')).to.equal('7')
    expect((await tenantInfo(fake)).status).to.equal(200)
    expect(fake.requests.map((r) => [r.status, r.fault])).to.deep.equal([
      [503, 'failed'],
      [503, 'failed'],
      [500, 'failed'],
      [200, undefined],
    ])
  })

  it('dropNext destroys the connection without an answer and logs status 0', async () => {
    fake.faults.dropNext(1)
    let error: unknown
    try {
      await tenantInfo(fake)
    } catch (error_) {
      error = error_
    }

    expect(error, 'fetch should fail').to.be.instanceOf(Error)
    expect((await tenantInfo(fake)).status).to.equal(200)
    expect(fake.requests.map((r) => [r.status, r.fault])).to.deep.equal([
      [0, 'dropped'],
      [200, undefined],
    ])
  })

  it('setLatency delays every answer; clear() removes it', async () => {
    fake.faults.setLatency(150)
    const started = performance.now()
    expect((await tenantInfo(fake)).status).to.equal(200)
    expect(performance.now() - started).to.be.at.least(140)
    // A minute of latency, cleared: the answer comes within the test's timeout only if clear() removed it.
    fake.faults.setLatency(60_000)
    fake.faults.clear()
    expect((await tenantInfo(fake)).status).to.equal(200)
  })

  it('takes a latency from the start options', async () => {
    const slow = await startFakeAtlassian({latencyMs: 120, validate: false})
    try {
      const started = performance.now()
      await tenantInfo(slow)
      expect(performance.now() - started).to.be.at.least(110)
    } finally {
      await slow.close()
    }
  })

  it('setRandom gives the same faults for the same seed and request order', async () => {
    const run = async () => {
      fake.reset()
      fake.faults.setRandom({drop: 0.1, error5xx: 0.3, seed: 42})
      const outcomes: (number | string)[] = []
      for (let i = 0; i < 40; i++)
        outcomes.push(
          await tenantInfo(fake).then(
            (r) => r.status,
            () => 'dropped',
          ),
        )
      return outcomes
    }

    const first = await run()
    expect(await run()).to.deep.equal(first)
    expect(first).to.include(200)
    expect(first).to.include('dropped')
    expect(first.some((s) => typeof s === 'number' && s >= 500)).to.equal(true)
    expect(fake.requests.filter((r) => r.fault === 'random-drop').every((r) => r.status === 0)).to.equal(true)
  })

  it('clear() switches off scripted failures and the rate limit', async () => {
    fake.faults.failNext(3)
    fake.faults.dropNext(3)
    fake.faults.setRateLimit({burst: 1, perSecond: 0.01})
    fake.faults.clear()
    for (let i = 0; i < 3; i++) expect((await tenantInfo(fake)).status).to.equal(200)
  })

  it('applies faults to every family, before authentication', async () => {
    fake.faults.failNext(1, 502)
    const res = await fetch(`${fake.url}/wiki/rest/api/user/current`, {
      headers: {authorization: basicAuth('nobody@acme.example', 'x')},
    })
    expect(res.status).to.equal(502)
  })
})
