import {inspect} from 'node:util'

import {expect} from 'chai'

import {createHttpClient} from '../../../src/lib/http/client.js'
import {httpDebugEnabled} from '../../../src/lib/http/debug-log.js'
import {AtlassianApiError} from '../../../src/lib/http/errors.js'
import {captureStderr, FAST, fakeClock, madeUp, networkFailure, rejectionOf, SITE} from './helpers.js'

const SECRET = 'FAKE-SECRET-TOKEN-123'
const QUERY_SECRET = 'FAKE-QUERY-TOKEN-456'
const API_TOKEN = 'FAKE-API-TOKEN-789'

function withDebug(value: string | undefined): void {
  if (value === undefined) delete process.env.DEBUG
  else process.env.DEBUG = value
}

describe('http debug log', () => {
  afterEach(() => withDebug(undefined))

  it('turns on for cfadmin*, cfadmin:*, cfadmin:http, cfadmin, * and lists holding one', () => {
    for (const value of [
      'cfadmin*',
      'cfadmin:*',
      'cfadmin:http',
      'cfadmin',
      '*',
      'express:*,cfadmin:*',
      'foo cfadmin*',
    ]) {
      expect(httpDebugEnabled(value), value).to.equal(true)
    }
  })

  it('stays off when DEBUG is unset, names something else, or excludes cfadmin:http', () => {
    for (const value of [
      undefined,
      '',
      'express:*',
      'cfadmin:engine',
      'cfadminx',
      '*,-cfadmin:http',
      'cfadmin*,-cfadmin:*',
    ]) {
      expect(httpDebugEnabled(value), String(value)).to.equal(false)
    }
  })

  it('logs one line per attempt and the retry plan, reading DEBUG at call time', async () => {
    const {clock} = fakeClock()
    // The user's notices (the 429 line) go elsewhere: this test reads the debug lines alone, whatever ran before.
    const client = await createHttpClient({
      family: 'site',
      baseUrl: SITE,
      retry: FAST,
      clock,
      notices: {rateLimitMentioned: false, say: () => {}},
    })
    withDebug('cfadmin*')
    madeUp().get('/wiki/x').reply(429, '', {'Retry-After': '2'}).get('/wiki/x').reply(200, {})
    madeUp().get('/wiki/y').replyWithError(networkFailure('ECONNRESET')).get('/wiki/y').reply(200, {})
    const stderr = await captureStderr(async () => {
      await client.get('wiki/x').json()
      await client.get('wiki/y').json()
    })
    const lines = stderr.trimEnd().split('\n')
    expect(lines).to.have.length(6)
    expect(lines[0]).to.match(/^cfadmin:http GET https:\/\/acme\.atlassian\.net\/wiki\/x 429 \d+ ms$/)
    expect(lines[1]).to.equal('cfadmin:http GET https://acme.atlassian.net/wiki/x retry 1 in 2 s after 429')
    expect(lines[2]).to.match(/^cfadmin:http GET https:\/\/acme\.atlassian\.net\/wiki\/x 200 \d+ ms \(attempt 2\)$/)
    expect(lines[3]).to.match(/^cfadmin:http GET https:\/\/acme\.atlassian\.net\/wiki\/y failed: ECONNRESET/)
    expect(lines[4]).to.equal('cfadmin:http GET https://acme.atlassian.net/wiki/y retry 1 in 5 ms after ECONNRESET')
  })

  it('writes nothing when DEBUG does not name cfadmin', async () => {
    withDebug('express:*')
    madeUp().get('/x').reply(200, {})
    const stderr = await captureStderr(async () => {
      await (await createHttpClient({family: 'site', baseUrl: SITE})).get('x').json()
    })
    expect(stderr).to.equal('')
  })

  it('never shows the Authorization value or a secret query value, in the log or in the error', async () => {
    withDebug('cfadmin*')
    const {clock} = fakeClock()
    const client = await createHttpClient({
      family: 'site',
      baseUrl: SITE,
      credentials: {authorization: async () => `Bearer ${SECRET}`, refresh: async () => false},
      retry: FAST,
      clock,
    })
    madeUp()
      .get('/wiki/rest/api/user')
      .query({token: QUERY_SECRET})
      .matchHeader('authorization', `Bearer ${SECRET}`)
      .reply(503, 'busy')
      .get('/wiki/rest/api/user')
      .query({token: QUERY_SECRET})
      // A misbehaving proxy that echoes the request back.
      .reply(401, `<html><body>Denied: Authorization: Bearer ${SECRET} for ?token=${QUERY_SECRET}</body></html>`)
    let error: Error | undefined
    const stderr = await captureStderr(async () => {
      error = await rejectionOf(client.get('wiki/rest/api/user', {searchParams: {token: QUERY_SECRET}}).json())
    })
    expect(error).to.be.instanceOf(AtlassianApiError).and.include({status: 401})
    const apiError = error as AtlassianApiError
    expect(apiError.atlassianMessage).to.equal('Denied: Authorization: [REDACTED] for ?token=[REDACTED]')
    expect(stderr).to.include('GET https://acme.atlassian.net/wiki/rest/api/user?token=REDACTED 503')
    expect(stderr).to.include('retry 1 in 5 ms after 503')
    for (const text of [
      stderr,
      apiError.message,
      apiError.hint ?? '',
      JSON.stringify(apiError),
      inspect(apiError),
      String(apiError.stack),
    ]) {
      expect(text).not.to.include(SECRET)
      expect(text).not.to.include(QUERY_SECRET)
    }
  })

  it('never shows a Basic API token, even decoded, in a network error', async () => {
    withDebug('cfadmin:http')
    const basic = `Basic ${Buffer.from(`me@example.com:${API_TOKEN}`).toString('base64')}`
    const client = await createHttpClient({
      family: 'site',
      baseUrl: SITE,
      credentials: {authorization: async () => basic},
      retry: {limit: 0},
    })
    madeUp()
      .get('/x')
      .query({token: QUERY_SECRET})
      .replyWithError(
        networkFailure('EPROTO', `TLS alert for me@example.com:${API_TOKEN} at ${SITE}/x?token=${QUERY_SECRET}`),
      )
    let error: Error | undefined
    const stderr = await captureStderr(async () => {
      error = await rejectionOf(client.get('x', {searchParams: {token: QUERY_SECRET}}).json())
    })
    expect(error).to.include({code: 'NETWORK'})
    expect(error?.message).to.include('TLS alert for [REDACTED]')
    for (const text of [stderr, error?.message ?? '', JSON.stringify(error), inspect(error)]) {
      for (const secret of [API_TOKEN, QUERY_SECRET, basic]) expect(text).not.to.include(secret)
    }
  })
})
