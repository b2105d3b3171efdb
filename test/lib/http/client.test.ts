import {expect} from 'chai'
import nock from 'nock'

import {CfadminError, ExitCode} from '../../../src/lib/errors.js'
import {createHttpClient, DEFAULT_RETRY, type CredentialProvider} from '../../../src/lib/http/client.js'
import {AtlassianApiError} from '../../../src/lib/http/errors.js'
import type {RatePacer} from '../../../src/lib/http/pacer.js'
import {paginateV2} from '../../../src/lib/http/paginate.js'
import {FAST, fakeClock, madeUp, networkFailure, rejectionOf, SITE} from './helpers.js'
import {closedPort} from '../../support/closed-port.js'

describe('http client', () => {
  describe('requests', () => {
    it('exports the default retry policy next to the factory', () => {
      expect(DEFAULT_RETRY.limit).to.equal(4)
    })

    it('sends paths with or without a leading slash under a base URL that has a path', async () => {
      const scope = madeUp('https://api.atlassian.com')
        .get('/admin/v1/orgs')
        .reply(200, {data: [1]})
        .post('/admin/v2/orgs/o/users/search', {emails: ['a@x.com']})
        .reply(200, {data: [2]})
      const client = await createHttpClient({family: 'admin', baseUrl: 'https://api.atlassian.com/admin'})
      expect(await client.get('v1/orgs').json()).to.deep.equal({data: [1]})
      expect(await client.post('/v2/orgs/o/users/search', {json: {emails: ['a@x.com']}}).json()).to.deep.equal({
        data: [2],
      })
      scope.done()
    })

    it('asks the credential provider for the Authorization header before every attempt', async () => {
      let calls = 0
      const credentials: CredentialProvider = {authorization: async () => `Bearer token-${++calls}`}
      const scope = nock(SITE)
        .get('/wiki/rest/api/user/current')
        .matchHeader('authorization', 'Bearer token-1')
        .reply(503)
        .get('/wiki/rest/api/user/current')
        .matchHeader('authorization', 'Bearer token-2')
        .reply(200, {accountId: 'a1'})
      const client = await createHttpClient({family: 'site', baseUrl: SITE, credentials, retry: FAST})
      expect(await client.get('wiki/rest/api/user/current').json()).to.deep.equal({accountId: 'a1'})
      expect(calls).to.equal(2)
      scope.done()
    })

    it('sends no Authorization header when it has no credentials (e.g. tenant_info)', async () => {
      const scope = nock(SITE)
        .get('/_edge/tenant_info')
        .matchHeader('authorization', (value) => value === undefined)
        .reply(200, {cloudId: 'c'})
      const client = await createHttpClient({family: 'site', baseUrl: SITE})
      expect(await client.get('_edge/tenant_info').json()).to.deep.equal({cloudId: 'c'})
      scope.done()
    })

    it('sends the given user agent and asks for JSON', async () => {
      const scope = madeUp()
        .get('/x')
        .matchHeader('user-agent', 'cfadmin/0.1.0 linux-x64 node-v20')
        .matchHeader('accept', 'application/json')
        .reply(200, {})
      await (
        await createHttpClient({family: 'site', baseUrl: SITE, userAgent: 'cfadmin/0.1.0 linux-x64 node-v20'})
      )
        .get('x')
        .json()
      scope.done()
    })

    it('refuses a base URL that is not http(s) with exit 2', async () => {
      const error = await rejectionOf(createHttpClient({family: 'site', baseUrl: 'acme.atlassian.net'}))
      expect(error).to.be.instanceOf(CfadminError).and.include({code: 'BAD_BASE_URL', exit: ExitCode.badInput})
    })
    it('gives one UNEXPECTED_RESPONSE error (exit 2, no query string) for a 2xx answer that is not JSON, read with .json() or paged', async () => {
      // .json() parses after got's hooks, paginate asks got for JSON (responseType) so the parse runs before them:
      // both must end in the same error, and neither may show the query's secret.
      const path = '/wiki/api/v2/spaces'
      const query = {token: 'FAKE-QUERY-TOKEN-321'}
      const scope = madeUp().get(path).query(query).times(2).reply(200, '{"results": [ <html>Log in</html>')
      const client = await createHttpClient({family: 'site', baseUrl: SITE, retry: {limit: 0}})
      const viaJson = await rejectionOf(client.get(path.slice(1), {searchParams: query}).json())
      const paged = await rejectionOf(
        (async () => {
          for await (const space of paginateV2(client, path.slice(1), query))
            expect.fail(`no space expected, got ${String(space)}`)
        })(),
      )
      for (const error of [viaJson, paged]) {
        expect(error).to.be.instanceOf(CfadminError).and.include({code: 'UNEXPECTED_RESPONSE', exit: ExitCode.badInput})
        expect(error.message).to.equal(`Confluence sent a body that is not valid JSON to GET ${path}`)
        expect(JSON.stringify(error) + error.message + String((error as CfadminError).hint)).not.to.include(
          'FAKE-QUERY-TOKEN',
        )
      }
      expect((viaJson as CfadminError).hint).to.equal((paged as CfadminError).hint)
      scope.done()
    })
  })

  describe('timeouts and network errors', () => {
    it('times out a request that gets no answer, retries it, then fails with NETWORK naming the host', async () => {
      const scope = madeUp().get('/slow').times(2).delay(500).reply(200, {})
      const client = await createHttpClient({family: 'site', baseUrl: SITE, timeoutMs: 40, retry: {...FAST, limit: 1}})
      const error = await rejectionOf(client.get('slow').json())
      expect(error).to.be.instanceOf(CfadminError).and.include({code: 'NETWORK', exit: ExitCode.unreachable})
      expect(error.message).to.equal(
        'Could not reach acme.atlassian.net (Confluence) for GET /slow: no answer within 40 ms (gave up after 1 retry)',
      )
      expect((error as CfadminError).hint).to.match(/Check the URL \(https:\/\/acme\.atlassian\.net\)/)
      scope.done()
    })

    it('retries a reset connection (ECONNRESET) for GET, then succeeds', async () => {
      const {clock, slept} = fakeClock()
      const scope = madeUp()
        .get('/x')
        .replyWithError(networkFailure('ECONNRESET', 'socket hang up'))
        .get('/x')
        .reply(200, {ok: true})
      const client = await createHttpClient({family: 'site', baseUrl: SITE, retry: FAST, clock})
      expect(await client.get('x').json()).to.deep.equal({ok: true})
      expect(slept).to.deep.equal([5])
      scope.done()
    })

    it('gives up on a refused connection after the retry limit with NETWORK (exit 5), host, cause and attempts', async () => {
      const port = await closedPort()
      const {clock, slept} = fakeClock()
      const client = await createHttpClient({
        family: 'site',
        baseUrl: `http://127.0.0.1:${port}`,
        retry: {...FAST, limit: 2},
        clock,
      })
      const error = await rejectionOf(client.get('wiki/rest/api/space').json())
      expect(error).to.be.instanceOf(CfadminError).and.include({code: 'NETWORK', exit: ExitCode.unreachable})
      expect(error.message).to.equal(
        `Could not reach 127.0.0.1:${port} (Confluence) for GET /wiki/rest/api/space: connection refused (ECONNREFUSED) (gave up after 2 retries)`,
      )
      expect(slept).to.deep.equal([5, 10])
    })

    // Node 24.20+ also fails the request's write and end callbacks (ERR_SOCKET_CLOSED_BEFORE_CONNECTION), which
    // got 14 would take as the result after one attempt (closed-before-connect.ts).
    it('retries a refused POST with a body (context.retry) like a GET, then gives up with NETWORK', async () => {
      const port = await closedPort()
      const {clock, slept} = fakeClock()
      const client = await createHttpClient({
        family: 'site',
        baseUrl: `http://127.0.0.1:${port}`,
        retry: {...FAST, limit: 2},
        clock,
      })
      const error = await rejectionOf(
        client.post('wiki/rest/api/group', {json: {name: 'g'}, context: {retry: true}}).json(),
      )
      expect(error).to.be.instanceOf(CfadminError).and.include({code: 'NETWORK', exit: ExitCode.unreachable})
      expect(error.message).to.equal(
        `Could not reach 127.0.0.1:${port} (Confluence) for POST /wiki/rest/api/group: connection refused (ECONNREFUSED) (gave up after 2 retries)`,
      )
      expect(slept).to.deep.equal([5, 10])
    })
  })

  describe('retries', () => {
    it('waits the seconds a 429 Retry-After asks, then succeeds', async () => {
      const {clock, slept} = fakeClock()
      const scope = madeUp().get('/x').reply(429, {}, {'Retry-After': '7'}).get('/x').reply(200, {ok: 1})
      const client = await createHttpClient({family: 'site', baseUrl: SITE, clock})
      expect(await client.get('x').json()).to.deep.equal({ok: 1})
      expect(slept).to.deep.equal([7000])
      scope.done()
    })

    it('tells onRateLimited about each 429, so bulk work can slow down, and not about other errors', async () => {
      const {clock} = fakeClock()
      let told = 0
      const scope = madeUp()
        .get('/x')
        .twice()
        .reply(429, {}, {'Retry-After': '1'})
        .get('/x')
        .reply(503)
        .get('/x')
        .reply(200, {ok: 1})
      const client = await createHttpClient({baseUrl: SITE, clock, family: 'site', onRateLimited: () => told++})
      expect(await client.get('x').json()).to.deep.equal({ok: 1})
      expect(told).to.equal(2)
      scope.done()
    })

    it('asks the pacer before every send, retries included, and tells it what got through and what was throttled', async () => {
      const {clock} = fakeClock()
      const calls: string[] = []
      const pacer = {
        async acquire() {
          calls.push('acquire')
        },
        rateLimited: () => calls.push('429'),
        succeeded: () => calls.push('ok'),
      } as unknown as RatePacer
      const scope = madeUp().get('/x').reply(429, {}, {'Retry-After': '1'}).get('/x').reply(200, {ok: 1})
      await (await createHttpClient({baseUrl: SITE, clock, family: 'site', pacer})).get('x').json()
      expect(calls).to.deep.equal(['acquire', '429', 'acquire', 'ok'])
      scope.done()
    })

    it("tells the pacer the share of Atlassian's request budget an answer says is left, for a request that paces on it", async () => {
      const {clock} = fakeClock()
      const shares: (number | undefined)[] = []
      const pacer = {
        async acquire() {},
        rateLimited() {},
        succeeded: (share?: number) => shares.push(share),
      } as unknown as RatePacer
      const budget = {'X-RateLimit-Limit': '10', 'X-RateLimit-Remaining': '1'}
      const scope = madeUp().get('/x').reply(200, {}, budget).get('/x').reply(200, {}).get('/x').reply(200, {}, budget)
      const client = await createHttpClient({baseUrl: SITE, clock, family: 'site', pacer})
      await client.get('x', {context: {paceOnBudget: true}}).json()
      await client.get('x', {context: {paceOnBudget: true}}).json()
      await client.get('x').json()
      expect(shares, 'bulk work with many requests in flight learns from 429s alone').to.deep.equal([
        0.1,
        undefined,
        undefined,
      ])
      scope.done()
    })

    it('waits until a Retry-After HTTP date', async () => {
      const now = Date.parse('2026-11-27T19:20:00Z')
      const {clock, slept} = fakeClock(now)
      const scope = madeUp()
        .get('/x')
        .reply(503, '', {'Retry-After': new Date(now + 3000).toUTCString()})
        .get('/x')
        .reply(200, {})
      await (await createHttpClient({family: 'site', baseUrl: SITE, clock})).get('x').json()
      expect(slept).to.deep.equal([3000])
      scope.done()
    })

    it('waits the floor, not zero, on Retry-After: 0', async () => {
      const {clock, slept} = fakeClock()
      const scope = madeUp().get('/x').twice().reply(429, '', {'Retry-After': '0'}).get('/x').reply(200, {})
      await (await createHttpClient({family: 'site', baseUrl: SITE, retry: {minDelayMs: 250}, clock})).get('x').json()
      expect(slept).to.deep.equal([250, 250])
      scope.done()
    })

    it('waits until X-RateLimit-Reset when there is no Retry-After', async () => {
      const {clock, slept} = fakeClock(Date.parse('2026-11-27T19:19:30Z'))
      const scope = nock('https://api.atlassian.com')
        .get('/admin/v1/orgs')
        .reply(429, {code: 429, message: 'Too many requests'}, {'X-RateLimit-Reset': '2026-11-27T19:20Z'})
        .get('/admin/v1/orgs')
        .reply(200, {data: []})
      await (
        await createHttpClient({family: 'admin', baseUrl: 'https://api.atlassian.com/admin', clock})
      )
        .get('v1/orgs')
        .json()
      expect(slept).to.deep.equal([30_000])
      scope.done()
    })

    it('backs off exponentially with a cap on 5xx without Retry-After', async () => {
      const {clock, slept} = fakeClock()
      const scope = madeUp()
        .get('/x')
        .reply(500)
        .get('/x')
        .reply(502)
        .get('/x')
        .reply(503)
        .get('/x')
        .reply(504)
        .get('/x')
        .reply(200, {})
      await (await createHttpClient({family: 'site', baseUrl: SITE, retry: FAST, clock})).get('x').json()
      expect(slept).to.deep.equal([5, 10, 20, 20])
      scope.done()
    })

    it('really waits between attempts with the system clock (small policy)', async () => {
      const scope = madeUp().get('/x').reply(503).get('/x').reply(200, {ok: true})
      const started = Date.now()
      const body = await (
        await createHttpClient({family: 'site', baseUrl: SITE, retry: {...FAST, minDelayMs: 30}})
      )
        .get('x')
        .json()
      expect(body).to.deep.equal({ok: true})
      expect(Date.now() - started).to.be.at.least(25)
      scope.done()
    })

    it('does not let a retry wait longer than the timeout time the request out', async () => {
      const scope = madeUp().get('/x').reply(429, '', {'Retry-After': '0'}).get('/x').reply(200, {ok: true})
      const client = await createHttpClient({
        family: 'site',
        baseUrl: SITE,
        timeoutMs: 200,
        retry: {...FAST, minDelayMs: 400},
      })
      expect(await client.get('x').json()).to.deep.equal({ok: true})
      scope.done()
    })

    it('gives up after the retry limit with the 429 error (exit 5), the attempts and the rate-limit hint', async () => {
      const {clock, slept} = fakeClock()
      // A 429 gets three times the retry limit: 2 x 3 = 6 retries.
      const scope = nock(SITE)
        .get('/wiki/api/v2/spaces')
        .query({limit: 250})
        .times(7)
        .reply(429, {message: 'Rate limit exceeded'})
      const client = await createHttpClient({family: 'site', baseUrl: SITE, retry: {...FAST, limit: 2}, clock})
      const error = await rejectionOf(client.get('wiki/api/v2/spaces', {searchParams: {limit: 250}}).json())
      expect(error).to.be.instanceOf(AtlassianApiError)
      expect(error).to.include({status: 429, code: 'HTTP_429', exit: ExitCode.unreachable, retries: 6})
      expect(error.message).to.equal(
        'Confluence answered 429 to GET /wiki/api/v2/spaces: Rate limit exceeded (sent 7 times)',
      )
      expect((error as AtlassianApiError).hint).to.equal(
        'Atlassian is rate limiting; try again later or lower --concurrency.',
      )
      expect(slept).to.deep.equal([5, 10, 20, 20, 20, 20])
      scope.done()
    })

    it('fails at once, saying so, when Retry-After asks for more than 5 minutes', async () => {
      const {clock, slept} = fakeClock()
      const scope = madeUp().get('/x').reply(429, {message: 'Slow down'}, {'Retry-After': '3600'})
      const error = await rejectionOf((await createHttpClient({family: 'site', baseUrl: SITE, clock})).get('x').json())
      expect(error).to.be.instanceOf(AtlassianApiError).and.include({status: 429, retries: 0})
      expect(error.message).to.equal(
        'Confluence answered 429 to GET /x: Slow down (Atlassian asked to wait 60 min before retrying, longer than the 5 min cfadmin waits)',
      )
      expect(slept).to.deep.equal([])
      scope.done()
    })

    it('does not retry a POST that failed with 503 or a reset connection', async () => {
      const {clock, slept} = fakeClock()
      madeUp().post('/wiki/rest/api/group').reply(503).post('/wiki/rest/api/group').reply(201, {})
      madeUp().post('/wiki/rest/api/space/ENG/permission').replyWithError(networkFailure('ECONNRESET'))
      const client = await createHttpClient({family: 'site', baseUrl: SITE, retry: FAST, clock})
      const error = await rejectionOf(client.post('wiki/rest/api/group', {json: {name: 'g'}}).json())
      expect(error).to.include({status: 503})
      const network = await rejectionOf(client.post('wiki/rest/api/space/ENG/permission', {json: {}}).json())
      expect(network).to.include({code: 'NETWORK'})
      expect(slept).to.deep.equal([])
      expect(nock.pendingMocks()).to.have.length(1) // the 201 was never asked for
    })

    it('retries a POST the caller marked safe with context.retry', async () => {
      const {clock, slept} = fakeClock()
      const scope = nock(SITE)
        .post('/wiki/rest/api/group')
        .reply(503)
        .post('/wiki/rest/api/group')
        .reply(201, {name: 'g'})
      const client = await createHttpClient({family: 'site', baseUrl: SITE, retry: FAST, clock})
      const body = await client.post('wiki/rest/api/group', {json: {name: 'g'}, context: {retry: true}}).json()
      expect(body).to.deep.equal({name: 'g'})
      expect(slept).to.deep.equal([5])
      scope.done()
    })

    it('retries PUT and DELETE, which are idempotent', async () => {
      const {clock, slept} = fakeClock()
      const scope = madeUp()
        .put('/a')
        .reply(502)
        .put('/a')
        .reply(200, {})
        .delete('/b')
        .reply(503)
        .delete('/b')
        .reply(204)
      const client = await createHttpClient({family: 'site', baseUrl: SITE, retry: FAST, clock})
      await client.put('a', {json: {}}).json()
      await client.delete('b')
      expect(slept).to.deep.equal([5, 5])
      scope.done()
    })

    it('does not retry a 404', async () => {
      const {clock, slept} = fakeClock()
      const scope = madeUp().get('/x').reply(404, {message: 'gone'})
      const error = await rejectionOf((await createHttpClient({family: 'site', baseUrl: SITE, clock})).get('x').json())
      expect(error).to.include({status: 404, retries: 0})
      expect(slept).to.deep.equal([])
      scope.done()
    })

    it('lets one request turn retries off with retry.limit 0', async () => {
      const {clock, slept} = fakeClock()
      const scope = madeUp().get('/x').reply(503)
      const error = await rejectionOf(
        (await createHttpClient({family: 'site', baseUrl: SITE, clock})).get('x', {retry: {limit: 0}}).json(),
      )
      expect(error).to.include({status: 503})
      expect(slept).to.deep.equal([])
      scope.done()
    })
  })

  describe('401 and credential refresh', () => {
    function refreshingProvider(refreshResult: boolean) {
      const state = {token: 'old', refreshes: 0}
      const credentials: CredentialProvider = {
        authorization: async () => `Bearer ${state.token}`,
        async refresh() {
          state.refreshes++
          if (refreshResult) state.token = 'new'
          return refreshResult
        },
      }
      return {credentials, state}
    }

    it('refreshes once after a 401 and resends with the fresh Authorization', async () => {
      const {credentials, state} = refreshingProvider(true)
      const scope = nock('https://api.atlassian.com')
        .get('/ex/confluence/c1/wiki/api/v2/spaces')
        .matchHeader('authorization', 'Bearer old')
        .reply(401, {code: 401, message: 'Unauthorized'})
        .get('/ex/confluence/c1/wiki/api/v2/spaces')
        .matchHeader('authorization', 'Bearer new')
        .reply(200, {results: []})
      const client = await createHttpClient({
        family: 'gateway',
        baseUrl: 'https://api.atlassian.com/ex/confluence/c1',
        credentials,
      })
      expect(await client.get('wiki/api/v2/spaces').json()).to.deep.equal({results: []})
      expect(state.refreshes).to.equal(1)
      scope.done()
    })

    it('gives the 401 error without resending when refresh resolves false', async () => {
      const {credentials, state} = refreshingProvider(false)
      const scope = madeUp().get('/x').reply(401, {message: 'Unauthorized'})
      const error = await rejectionOf(
        (await createHttpClient({family: 'site', baseUrl: SITE, credentials})).get('x').json(),
      )
      expect(error).to.be.instanceOf(AtlassianApiError).and.include({status: 401, exit: ExitCode.notAuthenticated})
      expect(state.refreshes).to.equal(1)
      scope.done()
    })

    it('refreshes at most once: a second 401 is the answer, not a loop', async () => {
      const {credentials, state} = refreshingProvider(true)
      const scope = madeUp().get('/x').twice().reply(401, {message: 'Unauthorized'})
      const error = await rejectionOf(
        (await createHttpClient({family: 'site', baseUrl: SITE, credentials})).get('x').json(),
      )
      expect(error).to.include({status: 401})
      expect(state.refreshes).to.equal(1)
      scope.done()
    })

    it('still retries a 429 after the refreshed resend, within the normal limit', async () => {
      const {credentials} = refreshingProvider(true)
      const {clock, slept} = fakeClock()
      const scope = madeUp().get('/x').reply(401).get('/x').times(2).reply(429).get('/x').reply(200, {ok: 1})
      const client = await createHttpClient({
        family: 'site',
        baseUrl: SITE,
        credentials,
        retry: {...FAST, limit: 2},
        clock,
      })
      expect(await client.get('x').json()).to.deep.equal({ok: 1})
      expect(slept).to.deep.equal([5, 10])
      scope.done()
    })

    it('passes an error from the credential provider through unchanged, without sending', async () => {
      const notLoggedIn = new CfadminError('Not logged in.', {
        code: 'NOT_AUTHENTICATED',
        exit: ExitCode.notAuthenticated,
      })
      const credentials: CredentialProvider = {
        async authorization() {
          throw notLoggedIn
        },
      }
      const scope = nock(SITE).get('/x').reply(200, {})
      const error = await rejectionOf(
        (await createHttpClient({family: 'site', baseUrl: SITE, credentials})).get('x').json(),
      )
      expect(error).to.equal(notLoggedIn)
      expect(scope.isDone()).to.equal(false)
    })

    it('passes an error thrown by refresh() through unchanged', async () => {
      const failure = new CfadminError('Refresh token expired.', {
        code: 'OAUTH_EXPIRED',
        exit: ExitCode.notAuthenticated,
      })
      const credentials: CredentialProvider = {
        authorization: async () => 'Bearer t',
        async refresh() {
          throw failure
        },
      }
      const scope = madeUp().get('/x').reply(401)
      const error = await rejectionOf(
        (await createHttpClient({family: 'site', baseUrl: SITE, credentials})).get('x').json(),
      )
      expect(error).to.equal(failure)
      scope.done()
    })
  })
})
