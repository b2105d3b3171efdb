import {expect} from 'chai'
import nock from 'nock'

import {CfadminError, ExitCode} from '../../../src/lib/errors.js'
import {createHttpClient} from '../../../src/lib/http/client.js'
import {exchangeCode, refreshTokens, tokenClient} from '../../../src/lib/oauth/token-endpoint.js'
import {FAST, fakeClock} from '../http/helpers.js'
import {rejectionOf} from '../../support/rejection.js'

const AUTH = 'https://auth.atlassian.com'
const APP = {clientId: 'fake-client-id', clientSecret: 'fake-client-secret-xyz'}
const NOW = Date.parse('2026-11-27T20:00:00Z')
const TOKENS = {
  access_token: 'fake-access-2',
  expires_in: 3600,
  refresh_token: 'fake-refresh-2',
  scope: 'read:space:confluence offline_access',
  token_type: 'Bearer',
}

describe('OAuth token endpoint', () => {
  afterEach(() => nock.cleanAll())

  it('exchanges a code with the JSON body Atlassian documents and gives the pair with its expiry', async () => {
    const scope = nock(AUTH)
      .post('/oauth/token', {
        client_id: APP.clientId,
        client_secret: APP.clientSecret,
        code: 'fake-code',
        grant_type: 'authorization_code',
        redirect_uri: 'http://localhost:13131',
      })
      .matchHeader('content-type', /application\/json/)
      .reply(200, TOKENS)
    const tokens = await exchangeCode(await tokenClient(AUTH), APP, 'fake-code', 'http://localhost:13131', NOW)
    expect(tokens).to.deep.equal({
      accessToken: 'fake-access-2',
      expiresAt: '2026-11-27T21:00:00.000Z',
      refreshToken: 'fake-refresh-2',
      scopes: ['read:space:confluence', 'offline_access'],
    })
    scope.done()
  })

  it('refreshes with grant_type=refresh_token and reads the rotated refresh token', async () => {
    nock(AUTH)
      .post('/oauth/token', {
        client_id: APP.clientId,
        client_secret: APP.clientSecret,
        grant_type: 'refresh_token',
        refresh_token: 'fake-refresh-1',
      })
      .reply(200, TOKENS)
    expect((await refreshTokens(await tokenClient(AUTH), APP, 'fake-refresh-1', NOW)).refreshToken).to.equal(
      'fake-refresh-2',
    )
  })

  it('has no refresh token when Atlassian sends none (no offline_access)', async () => {
    nock(AUTH)
      .post('/oauth/token')
      .reply(200, {...TOKENS, refresh_token: undefined})
    expect((await exchangeCode(await tokenClient(AUTH), APP, 'c', 'http://localhost:1', NOW)).refreshToken).to.equal(
      undefined,
    )
  })

  it('resends a refresh after a 503: the token sent stays valid for a short leeway', async () => {
    const {clock} = fakeClock()
    nock(AUTH).post('/oauth/token').reply(503, 'busy').post('/oauth/token').reply(200, TOKENS)
    const auth = await createHttpClient({baseUrl: AUTH, clock, family: 'auth', retry: FAST})
    expect((await refreshTokens(auth, APP, 'fake-refresh-1', NOW)).accessToken).to.equal('fake-access-2')
  })

  it('does not resend a code exchange after a 503 (a code works once)', async () => {
    const {clock} = fakeClock()
    nock(AUTH).post('/oauth/token').reply(503, 'busy')
    const auth = await createHttpClient({baseUrl: AUTH, clock, family: 'auth', retry: FAST})
    expect((await rejectionOf(exchangeCode(auth, APP, 'c', 'http://localhost:1', NOW))).message).to.contain('503')
  })

  it('a dead refresh token (invalid_grant) says to log in again, exit 4', async () => {
    nock(AUTH)
      .post('/oauth/token')
      .reply(403, {error: 'invalid_grant', error_description: 'Unknown or invalid refresh token.'})
    const error = await rejectionOf<CfadminError>(refreshTokens(await tokenClient(AUTH), APP, 'fake-refresh-1', NOW))
    expect(error.code).to.equal('OAUTH_GRANT_EXPIRED')
    expect(error.exit).to.equal(ExitCode.notAuthenticated)
    expect(error.message).to.contain('Unknown or invalid refresh token')
    expect(error.hint).to.contain('cfadmin auth login --oauth --client-id fake-client-id')
  })

  it('a dead refresh token answered 403 unauthorized_client "refresh_token is invalid" says to log in again after one request, not to re-copy the app', async () => {
    const scope = nock(AUTH)
      .post('/oauth/token')
      .reply(403, {error: 'unauthorized_client', error_description: 'refresh_token is invalid'})
    const error = await rejectionOf<CfadminError>(refreshTokens(await tokenClient(AUTH), APP, 'fake-refresh-1', NOW))
    scope.done()
    expect(error.code).to.equal('OAUTH_GRANT_EXPIRED')
    expect(error.exit).to.equal(ExitCode.notAuthenticated)
    expect(error.message).to.contain('unauthorized_client').and.to.contain('refresh_token is invalid')
    expect(error.hint).to.contain('Log in again: cfadmin auth login --oauth --client-id fake-client-id')
    expect(`${error.message} ${error.hint}`).not.to.contain('re-copy').and.not.to.contain(APP.clientSecret)
    expect(`${error.message} ${error.hint}`).not.to.contain('fake-refresh-1')
  })

  it('a refused code (invalid_grant) says to run the login again', async () => {
    nock(AUTH)
      .post('/oauth/token')
      .reply(403, {error: 'invalid_grant', error_description: 'Invalid authorization code'})
    const error = await rejectionOf<CfadminError>(
      exchangeCode(await tokenClient(AUTH), APP, 'c', 'http://localhost:1', NOW),
    )
    expect(error.code).to.equal('OAUTH_CODE_REFUSED')
    expect(error.hint).to.contain('a code works once')
  })

  for (const [status, body] of [
    [401, {error: 'access_denied', error_description: 'Unauthorized'}],
    [401, {error: 'invalid_client'}],
    [401, 'Unauthorized'],
  ] as const) {
    it(`a wrong client ID or secret (${status} ${JSON.stringify(body)}) names the client ID, never the secret`, async () => {
      nock(AUTH).post('/oauth/token').reply(status, body)
      const error = await rejectionOf<CfadminError>(refreshTokens(await tokenClient(AUTH), APP, 'fake-refresh-1', NOW))
      expect(error.code).to.equal('OAUTH_CLIENT_REFUSED')
      expect(error.exit).to.equal(ExitCode.notAuthenticated)
      expect(error.message).to.contain('fake-client-id')
      expect(`${error.message} ${error.hint}`).not.to.contain(APP.clientSecret).and.not.to.contain('fake-refresh-1')
    })
  }

  it('an answer without an access token is an error naming CFADMIN_AUTH_URL (exit 2, not a bug)', async () => {
    nock(AUTH).post('/oauth/token').reply(200, {hello: 'world'})
    const error = await rejectionOf<CfadminError>(refreshTokens(await tokenClient(AUTH), APP, 'fake-refresh-1', NOW))
    expect(error).to.be.instanceOf(CfadminError).and.include({code: 'OAUTH_BAD_ANSWER', exit: ExitCode.badInput})
    expect(error.hint).to.contain('CFADMIN_AUTH_URL')
  })
})
