import {readdirSync, readFileSync, statSync} from 'node:fs'
import {join} from 'node:path'

import {expect} from 'chai'
import nock from 'nock'

import {login} from '../../../src/lib/auth/login.js'
import {logout} from '../../../src/lib/auth/logout.js'
import {CfadminError, ExitCode} from '../../../src/lib/errors.js'
import {createHttpClient} from '../../../src/lib/http/client.js'
import {ClientCredentials} from '../../../src/lib/session/client-credentials.js'
import {siteRoute} from '../../../src/lib/session/clients.js'
import {ProfileStore} from '../../../src/lib/session/profile-store.js'
import {resolveSession} from '../../../src/lib/session/session.js'
import {captureStderr} from '../http/helpers.js'
import {rejectionOf} from '../../support/rejection.js'
import {useTempDir} from '../../support/temp-dir.js'

const AUTH = 'https://auth.atlassian.com'
const SITE = 'https://acme.atlassian.net'
const GATEWAY = 'https://api.atlassian.com/ex/confluence/cloud-fake-1'
const NOW = Date.parse('2026-11-27T20:00:00Z')
const APP = {clientId: 'fake-sa-client-1', clientSecret: 'fake-sa-secret-e3b1-77aa'}

const token = (n: number, expiresIn = 3600) => ({
  access_token: `fake-sa-access-${n}`,
  expires_in: expiresIn,
  scope: 'read:confluence-groups',
  token_type: 'Bearer',
})
/** A token request for APP's client credentials (JSON body), answered with tokens 2, 3, ... in turn. */
const tokenRequests = (...answers: Array<{status?: number; body: unknown}>) => {
  const scope = nock(AUTH)
  for (const answer of answers)
    scope
      .post(
        '/oauth/token',
        (body) =>
          body.grant_type === 'client_credentials' &&
          body.client_id === APP.clientId &&
          body.client_secret === APP.clientSecret,
      )
      .reply(answer.status ?? 200, answer.body as nock.Body)
  return scope
}

describe('OAuth client credentials (a service account: hourly tokens, no refresh token)', () => {
  let now = NOW
  const provider = () => new ClientCredentials({authUrl: AUTH, login: APP, now: () => now, profileName: 'default'})
  const gateway = (credentials: ClientCredentials) =>
    createHttpClient({baseUrl: GATEWAY, credentials, family: 'gateway', retry: {limit: 0}})
  const temp = useTempDir('cfadmin-client-credentials-')
  beforeEach(() => {
    now = NOW
  })

  it('asks for one access token for twenty requests that start together, and uses it', async () => {
    const tokens = tokenRequests({body: token(1)})
    const api = nock(GATEWAY)
      .matchHeader('authorization', 'Bearer fake-sa-access-1')
      .get('/wiki/rest/api/group')
      .times(20)
      .reply(200, {limit: 200, results: [], size: 0, start: 0})
    const client = await gateway(provider())
    await Promise.all(Array.from({length: 20}, () => client.get('wiki/rest/api/group').json()))
    tokens.done()
    api.done()
  })

  it('asks for a new token once the current one is within a minute of its expiry, not before', async () => {
    tokenRequests({body: token(1)}, {body: token(2)})
    const credentials = provider()
    expect(await credentials.authorization()).to.equal('Bearer fake-sa-access-1')
    now = NOW + 3600_000 - 61_000
    expect(await credentials.authorization()).to.equal('Bearer fake-sa-access-1')
    now = NOW + 3600_000 - 59_000
    expect(await credentials.authorization()).to.equal('Bearer fake-sa-access-2')
    expect(nock.isDone()).to.equal(true)
  })

  it('after a 401, asks for one new token that the concurrent requests share, and sends each once more', async () => {
    const tokens = tokenRequests({body: token(1)}, {body: token(2)})
    nock(GATEWAY)
      .matchHeader('authorization', 'Bearer fake-sa-access-1')
      .get('/wiki/rest/api/group')
      .times(5)
      .reply(401, {message: 'Unauthorized; access token expired', statusCode: 401})
    const api = nock(GATEWAY)
      .matchHeader('authorization', 'Bearer fake-sa-access-2')
      .get('/wiki/rest/api/group')
      .times(5)
      .reply(200, {limit: 200, results: [], size: 0, start: 0})
    const credentials = provider()
    await credentials.authorization()
    const client = await gateway(credentials)
    await Promise.all(Array.from({length: 5}, () => client.get('wiki/rest/api/group').json()))
    tokens.done()
    api.done()
  })

  it('stops with exit 4 when the new token is refused too, instead of asking again', async () => {
    tokenRequests({body: token(1)}, {body: token(2)})
    nock(GATEWAY).get('/wiki/rest/api/group').times(2).reply(401, {message: 'Unauthorized', statusCode: 401})
    const client = await gateway(provider())
    // Token 1 refused, token 2 asked for and refused on the resend: no third token.
    const error = await rejectionOf<CfadminError>(client.get('wiki/rest/api/group').json())
    expect(error.code).to.equal('CLIENT_CREDENTIALS_REFUSED')
    expect(error.exit).to.equal(ExitCode.notAuthenticated)
    expect(error.hint).to.include('log in again')
    expect(nock.isDone()).to.equal(true)
  })

  it('says a wrong client ID or secret is refused (exit 4), naming where to give the secret, never showing it', async () => {
    process.env.DEBUG = 'cfadmin*'
    tokenRequests({body: {error: 'access_denied', error_description: 'Unauthorized'}, status: 401})
    let error: CfadminError | undefined
    const stderr = await captureStderr(async () => {
      error = await rejectionOf<CfadminError>(provider().authorization())
    })
    delete process.env.DEBUG
    expect(error!.code).to.equal('CLIENT_CREDENTIALS_REFUSED')
    expect(error!.exit).to.equal(ExitCode.notAuthenticated)
    expect(error!.message).to.include(APP.clientId)
    expect(error!.hint).to.include('CFADMIN_CLIENT_SECRET').and.include('--with-client-secret')
    const shown = [error!.message, error!.hint, JSON.stringify(error), stderr].join('\n')
    expect(shown).not.to.include(APP.clientSecret)
  })

  it('never shows an access token the gateway echoes back in an error', async () => {
    tokenRequests({body: token(1)})
    nock(GATEWAY)
      .get('/wiki/rest/api/group')
      .reply(400, (_uri, _body) => ({message: 'bad request with Bearer fake-sa-access-1', statusCode: 400}))
    const error = await rejectionOf(gateway(provider()).then((client) => client.get('wiki/rest/api/group').json()))
    expect(error.message).to.include('[REDACTED]').and.not.include('fake-sa-access-1')
  })

  describe('login and the profile', () => {
    const dir = () => join(temp.path, 'config')

    it('logs in with --site (cloud ID from tenant_info), stores only the client ID and secret (0600), and routes through the gateway', async () => {
      const store = new ProfileStore(dir())
      nock(SITE).get('/_edge/tenant_info').reply(200, {cloudId: 'cloud-fake-1'})
      tokenRequests({body: token(1)})
      nock(GATEWAY)
        .matchHeader('authorization', 'Bearer fake-sa-access-1')
        .get('/wiki/rest/api/user/current')
        .reply(200, {accountId: '712020:bot', accountType: 'app', displayName: 'Crawler Bot', type: 'known'})
      const result = await login({clientCredentials: APP, env: {}, profileName: 'default', site: 'acme', store})
      expect(result.clientCredentials).to.deep.equal({
        accountId: '712020:bot',
        baseUrl: GATEWAY,
        clientId: APP.clientId,
        displayName: 'Crawler Bot',
      })
      const profile = await store.get('default')
      expect(profile?.clientCredentials).to.deep.equal({...APP, accountId: '712020:bot', displayName: 'Crawler Bot'})
      expect(statSync(store.path).mode & 0o777).to.equal(0o600)
      const onDisk = readdirSync(dir())
        .map((name) => readFileSync(join(dir(), name), 'utf8'))
        .join('\n')
      expect(onDisk).not.to.match(/refresh/i)
      expect(onDisk).not.to.include('fake-sa-access-1')

      const route = siteRoute(resolveSession('default', profile, {}), store)
      expect([route.baseUrl, route.family]).to.deep.equal([GATEWAY, 'gateway'])
      expect(route.credentials).to.be.instanceOf(ClientCredentials)

      await logout({store})
      expect((await store.get('default'))?.clientCredentials).to.equal(undefined)
    })

    it('saves nothing when the token endpoint refuses the secret', async () => {
      const store = new ProfileStore(dir())
      nock(SITE).get('/_edge/tenant_info').reply(200, {cloudId: 'cloud-fake-1'})
      tokenRequests({body: {error: 'invalid_client', error_description: 'Unauthorized'}, status: 401})
      const error = await rejectionOf<CfadminError>(
        login({clientCredentials: APP, env: {}, profileName: 'default', site: 'acme', store}),
      )
      expect([error.code, error.exit]).to.deep.equal(['CLIENT_CREDENTIALS_REFUSED', ExitCode.notAuthenticated])
      expect(await store.get('default')).to.equal(undefined)
    })

    it('keeps the order: an API token, then a 3LO grant, then client credentials', async () => {
      const store = new ProfileStore(dir())
      const site = {cloudId: 'cloud-fake-1', url: SITE}
      const apiToken = {email: 'admin@acme.example', token: 'fake-api-token-admin'}
      const withToken = resolveSession('default', {apiToken, clientCredentials: APP, site}, {})
      expect(siteRoute(withToken, store).family).to.equal('site')
      const grant = {
        accessToken: 'fake-oauth-access',
        clientId: 'fake-oauth-client',
        clientSecret: 'fake-oauth-secret',
        expiresAt: '2026-11-27T21:00:00.000Z',
        scopes: [],
      }
      const withGrant = siteRoute(resolveSession('default', {clientCredentials: APP, oauth: grant, site}, {}), store)
      expect(withGrant.credentials).not.to.be.instanceOf(ClientCredentials)
      const alone = siteRoute(resolveSession('default', {clientCredentials: APP, site}, {}), store)
      expect(alone.credentials).to.be.instanceOf(ClientCredentials)
    })
  })
})
