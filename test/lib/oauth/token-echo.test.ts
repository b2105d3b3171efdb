import {expect} from 'chai'
import nock from 'nock'

import {createHttpClient} from '../../../src/lib/http/client.js'
import {clientCredentialsToken} from '../../../src/lib/oauth/client-credentials-grant.js'
import {exchangeCode, refreshTokens} from '../../../src/lib/oauth/token-endpoint.js'
import {captureStderr, FAST, fakeClock, rejectionOf} from '../http/helpers.js'

const AUTH = 'https://auth.atlassian.com'
const SECRET = 'fakeclisecret-e7c0-4d1f'
const REFRESH = 'fakerefreshtok-91ab-77c3'
const CODE = 'fakeauthzcode-55d2-0a9e'
const APP = {clientId: 'fake-client-id', clientSecret: SECRET}
const SECRETS = [SECRET, REFRESH, CODE]

/** The hostile ways a token endpoint or a proxy in front of it can echo the request it got. */
const ECHOES: Array<{
  name: string
  status: number
  headers?: Record<string, string>
  answer: (body: string) => string
}> = [
  {
    answer: (body) => JSON.stringify({error: 'invalid_request', error_description: `bad request: ${body}`}),
    name: 'the JSON body in error_description',
    status: 400,
  },
  {
    answer: (body) => JSON.stringify({error: 'invalid_grant', error_description: `grant refused for ${body}`}),
    name: 'the JSON body in an invalid_grant answer',
    status: 400,
  },
  {
    answer: (body) =>
      JSON.stringify({message: new URLSearchParams(JSON.parse(body) as Record<string, string>).toString()}),
    name: 'the body as a URL-encoded form',
    status: 400,
  },
  {
    answer: (body) => `<html><title>Proxy error</title><body><pre>${body}</pre></body></html>`,
    headers: {'content-type': 'text/html'},
    name: 'the body in an HTML proxy page',
    status: 502,
  },
  {
    answer: (body) => JSON.stringify({message: `${'x'.repeat(135)} ${body}`}),
    name: 'the body across the cut of a long message',
    status: 400,
  },
  {
    answer: (body) => JSON.stringify({errors: [{detail: body.replaceAll('/', '\\/'), title: 'Bad'}]}),
    name: 'the body in a v2 errors list',
    status: 500,
  },
]

describe('OAuth token request secrets echoed back by a hostile token endpoint', () => {
  const debug = process.env.DEBUG
  afterEach(() => {
    if (debug === undefined) delete process.env.DEBUG
    else process.env.DEBUG = debug
  })

  for (const echo of ECHOES) {
    for (const step of ['code', 'refresh', 'client credentials'] as const) {
      it(`never shows the client secret, refresh token or code when it echoes ${echo.name} (${step}), DEBUG=cfadmin* on`, async () => {
        process.env.DEBUG = 'cfadmin*'
        const {clock} = fakeClock()
        nock(AUTH)
          .post('/oauth/token')
          .times(5)
          .reply(
            echo.status,
            (_uri, body) => echo.answer(typeof body === 'string' ? body : JSON.stringify(body)),
            echo.headers ?? {'content-type': 'application/json'},
          )
        const auth = await createHttpClient({baseUrl: AUTH, clock, family: 'auth', retry: FAST})
        let error: unknown
        const stderr = await captureStderr(async () => {
          error = await rejectionOf(
            step === 'code'
              ? exchangeCode(auth, APP, CODE, 'http://127.0.0.1:13131')
              : step === 'refresh'
                ? refreshTokens(auth, APP, REFRESH)
                : clientCredentialsToken(auth, APP),
          )
        })
        const shown = [
          String((error as Error).message),
          String((error as {hint?: string}).hint),
          JSON.stringify(error),
          stderr,
        ].join('\n')
        for (const secret of SECRETS) {
          for (const piece of [secret, secret.slice(0, 12), secret.slice(-12), encodeURIComponent(secret)])
            expect(shown).not.to.include(piece)
        }
      })
    }
  }

  it('still shows the rest of what the endpoint said', async () => {
    nock(AUTH)
      .post('/oauth/token')
      .reply(400, (_uri, body) => ({
        error: 'invalid_request',
        error_description: `missing scope; got ${JSON.stringify(body)}`,
      }))
    const error = await rejectionOf(
      refreshTokens(await createHttpClient({baseUrl: AUTH, family: 'auth', retry: {limit: 0}}), APP, REFRESH),
    )
    expect(error.message).to.include('missing scope; got').and.include('[REDACTED]').and.include('fake-client-id')
  })
})
