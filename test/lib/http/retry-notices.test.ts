import {expect} from 'chai'

import {CfadminError, ExitCode} from '../../../src/lib/errors.js'
import {createHttpClient, type RetryNotices} from '../../../src/lib/http/client.js'
import {FAST, fakeClock, madeUp, networkFailure, rejectionOf, SITE} from './helpers.js'

function notices(): RetryNotices & {lines: string[]} {
  const lines: string[] = []
  return {lines, rateLimitMentioned: false, say: (line) => lines.push(line)}
}

describe('retry waits the user is told about', () => {
  const saved = process.env.CFADMIN_RETRY_BASE_MS
  afterEach(() => {
    if (saved === undefined) delete process.env.CFADMIN_RETRY_BASE_MS
    else process.env.CFADMIN_RETRY_BASE_MS = saved
  })

  it('says each wait over 2 s after a 5xx, with the status, the host, the wait and which try it is', async () => {
    delete process.env.CFADMIN_RETRY_BASE_MS
    const {clock} = fakeClock()
    const told = notices()
    const scope = madeUp().get('/x').times(2).reply(503, {}).get('/x').reply(200, {ok: true})
    const client = await createHttpClient({baseUrl: SITE, clock, family: 'site', notices: told})
    expect(await client.get('x').json()).to.deep.equal({ok: true})
    expect(told.lines).to.deep.equal([
      'Atlassian answered 503 (acme.atlassian.net); trying again in 5 s (1 of 4)',
      'Atlassian answered 503 (acme.atlassian.net); trying again in 10 s (2 of 4)',
    ])
    scope.done()
  })

  it('says a wait after a lost connection, naming the host and the cause', async () => {
    delete process.env.CFADMIN_RETRY_BASE_MS
    const {clock} = fakeClock()
    const told = notices()
    const scope = madeUp().get('/x').replyWithError(networkFailure('ECONNRESET')).get('/x').reply(200, {})
    await (await createHttpClient({baseUrl: SITE, clock, family: 'site', notices: told})).get('x').json()
    expect(told.lines).to.deep.equal(['No answer from acme.atlassian.net (ECONNRESET); trying again in 5 s (1 of 4)'])
    scope.done()
  })

  it('keeps quiet about short waits', async () => {
    const {clock, slept} = fakeClock()
    const told = notices()
    const scope = madeUp().get('/x').reply(503, {}).get('/x').reply(200, {})
    await (await createHttpClient({baseUrl: SITE, clock, family: 'site', notices: told, retry: FAST})).get('x').json()
    expect(slept).to.deep.equal([5])
    expect(told.lines).to.deep.equal([])
    scope.done()
  })

  it('mentions a 429 slow-down once per run, not once per request or per client', async () => {
    const {clock} = fakeClock()
    const told = notices()
    const scope = madeUp().get('/x').times(4).reply(429, {}, {'Retry-After': '3'}).get('/x').times(2).reply(200, {})
    const first = await createHttpClient({baseUrl: SITE, clock, family: 'site', notices: told})
    const second = await createHttpClient({baseUrl: SITE, clock, family: 'site', notices: told})
    await Promise.all([first.get('x').json(), second.get('x').json()])
    expect(told.lines).to.deep.equal([
      'Atlassian asked cfadmin to slow down (429 from acme.atlassian.net): requests are now paced to the rate it allows, so this takes longer.',
    ])
    scope.done()
  })

  it('CFADMIN_RETRY_BASE_MS sets the first wait of every client, without the caller passing it', async () => {
    process.env.CFADMIN_RETRY_BASE_MS = '7'
    const {clock, slept} = fakeClock()
    const scope = madeUp().get('/x').times(2).reply(503, {}).get('/x').reply(200, {})
    await (await createHttpClient({baseUrl: SITE, clock, family: 'auth', notices: notices()})).get('x').json()
    expect(slept).to.deep.equal([7, 14])
    scope.done()
  })

  for (const bad of ['fast', '0', '-5', '1.5', '1e3']) {
    it(`refuses CFADMIN_RETRY_BASE_MS=${bad} with exit 2 before any request`, async () => {
      process.env.CFADMIN_RETRY_BASE_MS = bad
      const error = await rejectionOf((async () => await createHttpClient({baseUrl: SITE, family: 'site'}))())
      expect(error).to.be.instanceOf(CfadminError).and.include({code: 'RETRY_BASE_INVALID', exit: ExitCode.badInput})
    })
  }
})
