import {expect} from 'chai'
import nock from 'nock'

import {CfadminError, ExitCode} from '../../../src/lib/errors.js'
import {createHttpClient, type CredentialProvider, type RetryNotices} from '../../../src/lib/http/client.js'
import {isTransientError} from '../../../src/lib/http/errors.js'
import {RatePacer} from '../../../src/lib/http/pacer.js'
import {scopeAdvice} from '../../../src/lib/oauth/scope-advice.js'
import {FAST, fakeClock, rejectionOf, SITE} from './helpers.js'

const GATEWAY = 'https://api.atlassian.com/ex/confluence/cloud-fake-1'
const TOKEN = 'fake-secret-access-token-0042'
const NOW = Date.parse('2026-11-27T19:20:00Z')

function notices(): RetryNotices & {lines: string[]} {
  const lines: string[] = []
  return {lines, rateLimitMentioned: false, say: (line) => lines.push(line)}
}

/** A Bearer provider that counts the refreshes it is asked for. */
function bearer(): CredentialProvider & {refreshes: number} {
  const provider = {
    authorization: async () => `Bearer ${TOKEN}`,
    async refresh() {
      provider.refreshes++
      return true
    },
    refreshes: 0,
  }
  return provider
}

const relogin = (scopes: readonly string[], preset?: string) =>
  `Add ${scopes.join(' ')} to the app, then: cfadmin auth login --oauth --client-id fake-client${preset ? ` --scopes ${preset}` : ''}`

const gateway = (credentials: CredentialProvider, told = notices(), pacer?: RatePacer, now = NOW) =>
  createHttpClient({
    baseUrl: GATEWAY,
    clock: fakeClock(now).clock,
    credentials,
    family: 'gateway',
    notices: told,
    pacer,
    refusals: {account: 'crawler@acme.example', scopeAdvice: (method, path) => scopeAdvice(method, path, relogin)},
    retry: FAST,
  })

const everything = (error: CfadminError) => `${error.message} ${error.hint} ${JSON.stringify(error)}`

describe('http client: refusals and limits of 2026 (atlassian-2026.md §4a, §6)', () => {
  afterEach(() => nock.cleanAll())

  describe('a gateway 401 "scope does not match"', () => {
    it('is not refreshed: exit 4 naming the endpoint without ids, the scopes the official document lists and the preset with them', async () => {
      const provider = bearer()
      const scope = nock(GATEWAY)
        .get('/wiki/rest/api/group/group-fake-0007/membersByGroupId')
        .once()
        .reply(
          401,
          {code: 401, message: 'Unauthorized; scope does not match'},
          {'X-Failure-Category': 'FAILURE_CLIENT_SCOPE_CHECK'},
        )
      const error = await rejectionOf<CfadminError>(
        (await gateway(provider)).get('wiki/rest/api/group/group-fake-0007/membersByGroupId').json(),
      )
      scope.done()
      expect(provider.refreshes).to.equal(0)
      expect(error.code).to.equal('OAUTH_SCOPE_MISSING')
      expect(error.exit).to.equal(ExitCode.notAuthenticated)
      expect(error.message).to.contain('GET /wiki/rest/api/group/{groupId}/membersByGroupId')
      expect(error.message).not.to.contain('group-fake-0007')
      expect(error.message).to.contain('lists read:confluence-groups').and.to.contain('admin')
      expect(error.hint).to.contain('Add read:confluence-groups').and.to.contain('--scopes admin')
      expect(everything(error)).not.to.contain(TOKEN)
    })

    it('is told by X-Failure-Category alone, whatever the body says', async () => {
      nock(GATEWAY)
        .get('/wiki/rest/api/user/current')
        .reply(401, {message: 'Unauthorized'}, {'X-Failure-Category': 'FAILURE_CLIENT_SCOPE_CHECK'})
      const provider = bearer()
      const error = await rejectionOf<CfadminError>((await gateway(provider)).get('wiki/rest/api/user/current').json())
      expect([error.code, provider.refreshes]).to.deep.equal(['OAUTH_SCOPE_MISSING', 0])
      expect(error.message).to.contain('read:confluence-user')
    })

    it('an ordinary 401 still refreshes the token once', async () => {
      nock(GATEWAY).get('/wiki/rest/api/user/current').twice().reply(401, {code: 401, message: 'Unauthorized'})
      const provider = bearer()
      const error = await rejectionOf<CfadminError>((await gateway(provider)).get('wiki/rest/api/user/current').json())
      expect([error.code, provider.refreshes]).to.deep.equal(['HTTP_401', 1])
    })
  })

  it('a 403 "Current user not permitted to use Confluence" says the credential is valid but the account has no Confluence access (exit 4)', async () => {
    nock(SITE).get('/wiki/rest/api/user/current').reply(403, {message: 'Current user not permitted to use Confluence'})
    const site = await createHttpClient({
      baseUrl: SITE,
      credentials: {
        authorization: async () => `Basic ${Buffer.from(`crawler@acme.example:${TOKEN}`).toString('base64')}`,
      },
      family: 'site',
      refusals: {account: 'crawler@acme.example'},
    })
    const error = await rejectionOf<CfadminError>(site.get('wiki/rest/api/user/current').json())
    expect(error.code).to.equal('NO_CONFLUENCE_ACCESS')
    expect(error.exit).to.equal(ExitCode.notAuthenticated)
    expect(error.message).to.contain('The credential is valid, but crawler@acme.example has no Confluence access')
    expect(error.hint).to.contain('admin.atlassian.com')
    expect(everything(error)).not.to.contain(TOKEN)
  })

  describe('the OAuth points quota', () => {
    it('an hourly-quota 429 fails at once (one request, no wait) saying when the quota resets, local time and UTC, and suggesting an API token (exit 5)', async () => {
      const {clock, slept} = fakeClock(NOW)
      const scope = nock(GATEWAY).get('/wiki/api/v2/spaces').once().reply(
        429,
        {message: 'Rate limit exceeded'},
        {
          'Retry-After': '2400',
          'X-Beta-Ratelimit-Reason': 'confluence-quota-tenant-based',
          'X-Beta-Ratelimit-Reset': '2026-11-27T20:00:00Z',
        },
      )
      const client = await createHttpClient({
        baseUrl: GATEWAY,
        clock,
        credentials: bearer(),
        family: 'gateway',
        notices: notices(),
      })
      const error = await rejectionOf<CfadminError>(client.get('wiki/api/v2/spaces').json())
      scope.done()
      expect(slept).to.deep.equal([])
      expect(error.code).to.equal('RATE_QUOTA_EXHAUSTED')
      expect(error.exit).to.equal(ExitCode.unreachable)
      expect(error.message).to.contain('hourly rate-limit quota').and.to.contain('2026-11-27 20:00 UTC')
      expect(error.message).to.contain('local time')
      expect(error.hint).to.contain('API-token traffic is not metered').and.to.contain('--with-token')
      expect(isTransientError(error), 'worth another try in this run').to.equal(false)
      expect(everything(error)).not.to.contain(TOKEN)
    })

    it("after a used-up quota, the family's next requests fail before they are sent, until the reset", async () => {
      let now = NOW
      const clock = {now: () => now, random: () => 0.5, sleep: async () => {}}
      const pacer = new RatePacer({now: () => 0, sleep: async () => {}})
      const scope = nock(GATEWAY).get('/wiki/api/v2/spaces').once().reply(
        429,
        {},
        {
          'X-Beta-Ratelimit-Reason': 'confluence-quota-tenant-based',
          'X-Beta-Ratelimit-Reset': '2026-11-27T20:00:00Z',
        },
      )
      const make = () =>
        createHttpClient({baseUrl: GATEWAY, clock, credentials: bearer(), family: 'gateway', notices: notices(), pacer})
      const first = await rejectionOf<CfadminError>((await make()).get('wiki/api/v2/spaces').json())
      const second = await rejectionOf<CfadminError>((await make()).get('wiki/api/v2/space-roles').json())
      scope.done()
      expect([first.code, second.code]).to.deep.equal(['RATE_QUOTA_EXHAUSTED', 'RATE_QUOTA_EXHAUSTED'])
      expect(second.message).to.contain('GET /wiki/api/v2/space-roles').and.to.contain('2026-11-27 20:00 UTC')
      now = Date.parse('2026-11-27T20:00:01Z')
      nock(GATEWAY).get('/wiki/api/v2/space-roles').reply(200, {results: []})
      expect(await (await make()).get('wiki/api/v2/space-roles').json()).to.deep.equal({results: []})
    })

    it('a reset far away stops at once whatever the reason says; a burst 429 with a near reset is waited for', async () => {
      const {clock, slept} = fakeClock(NOW)
      nock(GATEWAY)
        .get('/wiki/api/v2/spaces')
        .reply(
          429,
          {},
          {'X-Beta-Ratelimit-Reason': 'confluence-burst-based', 'X-Beta-Ratelimit-Reset': '2026-11-27T19:20:03Z'},
        )
        .get('/wiki/api/v2/spaces')
        .reply(200, {results: []})
        .get('/wiki/api/v2/space-roles')
        .reply(429, {}, {'X-Beta-Ratelimit-Reset': '2026-11-27T21:00:00Z'})
      const client = await createHttpClient({
        baseUrl: GATEWAY,
        clock,
        credentials: bearer(),
        family: 'gateway',
        notices: notices(),
      })
      expect(await client.get('wiki/api/v2/spaces').json()).to.deep.equal({results: []})
      expect(slept).to.deep.equal([3000])
      const error = await rejectionOf<CfadminError>(client.get('wiki/api/v2/space-roles').json())
      expect(error.code).to.equal('RATE_QUOTA_EXHAUSTED')
    })

    it('X-Beta-Ratelimit-Nearlimit: true slows the pacer down and is told once', async () => {
      let now = 0
      const pacer = new RatePacer({now: () => now, sleep: async (ms) => void (now += ms)})
      const told = notices()
      nock(GATEWAY)
        .get('/wiki/api/v2/spaces')
        .times(3)
        .reply(
          200,
          {results: []},
          {'X-Beta-Ratelimit-Nearlimit': 'true', 'X-Beta-Ratelimit-Reset': '2026-11-27T20:00:00Z'},
        )
      const client = await gateway(bearer(), told, pacer)
      expect(pacer.requestsPerSecond).to.equal(Number.POSITIVE_INFINITY)
      for (let i = 0; i < 3; i++) {
        now += 100
        await client.get('wiki/api/v2/spaces').json()
      }
      expect(pacer.requestsPerSecond).to.be.finite.and.below(Number.POSITIVE_INFINITY)
      expect(told.lines.filter((line) => line.includes('near its hourly rate-limit quota'))).to.have.length(1)
    })
  })

  it('never prints the access token, even when the server echoes it in the refusal body or the quota reason', async () => {
    const {clock} = fakeClock(NOW)
    nock(GATEWAY)
      .get('/wiki/rest/api/group')
      .reply(401, {code: 401, message: `Unauthorized; scope does not match (Bearer ${TOKEN})`})
      .get('/wiki/rest/api/user/current')
      .reply(403, {message: `Current user not permitted to use Confluence: ${TOKEN}`})
      .get('/wiki/api/v2/spaces')
      .reply(429, {}, {'X-Beta-Ratelimit-Reason': `quota-for-${TOKEN}`})
    const client = await gateway(bearer(), notices(), undefined, NOW)
    const errors = [
      await rejectionOf<CfadminError>(client.get('wiki/rest/api/group').json()),
      await rejectionOf<CfadminError>(client.get('wiki/rest/api/user/current').json()),
      await rejectionOf<CfadminError>(
        (
          await createHttpClient({
            baseUrl: GATEWAY,
            clock,
            credentials: bearer(),
            family: 'gateway',
            notices: notices(),
          })
        )
          .get('wiki/api/v2/spaces')
          .json(),
      ),
    ]
    expect(errors.map((e) => e.code)).to.deep.equal([
      'OAUTH_SCOPE_MISSING',
      'NO_CONFLUENCE_ACCESS',
      'RATE_QUOTA_EXHAUSTED',
    ])
    for (const error of errors) expect(everything(error)).not.to.contain(TOKEN)
  })

  describe('429 waits', () => {
    it('a 429 without Retry-After backs off exponentially (the policy, no server wait)', async () => {
      const {clock, slept} = fakeClock(NOW)
      nock(SITE).get('/wiki/rest/api/user/current').times(3).reply(429, {message: 'Too many requests'})
      nock(SITE).get('/wiki/rest/api/user/current').reply(200, {accountId: 'a'})
      const site = await createHttpClient({baseUrl: SITE, clock, family: 'site', notices: notices(), retry: FAST})
      await site.get('wiki/rest/api/user/current').json()
      expect(slept).to.deep.equal([5, 10, 20])
    })

    for (const absurd of ['9223372036854775807', '9'.repeat(400)]) {
      it(`an absurd Retry-After (${absurd.slice(0, 24)}…) fails the request at once with the reason, never a zero or negative wait`, async () => {
        const {clock, slept} = fakeClock(NOW)
        const scope = nock(SITE)
          .get('/wiki/rest/api/user/current')
          .once()
          .reply(429, {message: 'Rate limit exceeded'}, {'Retry-After': absurd, 'X-RateLimit-Limit': '0'})
        const site = await createHttpClient({baseUrl: SITE, clock, family: 'site', notices: notices(), retry: FAST})
        const error = await rejectionOf<CfadminError>(site.get('wiki/rest/api/user/current').json())
        scope.done()
        expect(slept).to.deep.equal([])
        expect(error.exit).to.equal(ExitCode.unreachable)
        expect(error.message).to.contain('Atlassian asked to wait more than a year before retrying')
      })
    }
  })
})
