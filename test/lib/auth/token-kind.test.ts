import {expect} from 'chai'
import nock from 'nock'

import {login} from '../../../src/lib/auth/login.js'
import {authStatus} from '../../../src/lib/auth/auth-status.js'
import {authStatusLines} from '../../../src/lib/auth/auth-status-text.js'
import {CfadminError, ExitCode} from '../../../src/lib/errors.js'
import {createHttpClient} from '../../../src/lib/http/client.js'
import {siteRoute} from '../../../src/lib/session/clients.js'
import {ProfileStore} from '../../../src/lib/session/profile-store.js'
import {resolveSession} from '../../../src/lib/session/session.js'
import {rejectionOf} from '../../support/rejection.js'
import {useTempDir} from '../../support/temp-dir.js'

const SITE = 'https://acme.atlassian.net'
const GATEWAY = 'https://api.atlassian.com/ex/confluence/cloud-fake-1'
const EMAIL = 'crawler-bot@serviceaccount.atlassian.com'
const TOKEN = 'fake-scoped-token-5f1c'
const BASIC = `Basic ${Buffer.from(`${EMAIL}:${TOKEN}`).toString('base64')}`
const USER = {accountId: '712020:bot', accountType: 'app', displayName: 'Crawler Bot', type: 'known'}
const REFUSED = {message: 'Client must be authenticated to access this resource.', statusCode: 401}

describe('API token kinds: classic on the site, scoped through the gateway', () => {
  let store: ProfileStore
  const temp = useTempDir('cfadmin-token-kind-')
  beforeEach(() => {
    store = new ProfileStore(temp.path)
    nock(SITE).get('/_edge/tenant_info').reply(200, {cloudId: 'cloud-fake-1'})
  })
  afterEach(() => nock.cleanAll())

  const me = (origin: string, status: number, body: object, headers: Record<string, string> = {}) =>
    nock(origin)
      .matchHeader('authorization', BASIC)
      .get(/\/wiki\/rest\/api\/user\/current$/)
      .reply(status, body, headers)
  const run = (tokenKind?: 'classic' | 'scoped') =>
    login({apiToken: TOKEN, email: EMAIL, env: {}, profileName: 'default', site: 'acme', store, tokenKind})

  it('saves a token the site refuses (401) and the gateway accepts as scoped, and sends later requests through the gateway', async () => {
    me(SITE, 401, REFUSED)
    me(GATEWAY, 200, USER)
    const result = await run()
    expect(result.apiToken).to.deep.include({accountId: '712020:bot', baseUrl: GATEWAY, kind: 'scoped'})
    const profile = await store.get('default')
    expect(profile?.apiToken).to.deep.include({kind: 'scoped', token: TOKEN})
    const route = siteRoute(resolveSession('default', profile, {}), store)
    expect([route.baseUrl, route.family]).to.deep.equal([GATEWAY, 'gateway'])
    expect(await route.credentials.authorization()).to.equal(BASIC)
    expect(nock.isDone()).to.equal(true)
  })

  it('keeps a token the site accepts as classic (no kind stored), without asking the gateway', async () => {
    me(SITE, 200, USER)
    const result = await run()
    expect(result.apiToken).to.deep.include({baseUrl: SITE, kind: 'classic'})
    const profile = await store.get('default')
    expect(profile?.apiToken).not.to.have.property('kind')
    expect(siteRoute(resolveSession('default', profile, {}), store).family).to.equal('site')
  })

  it('--token-kind scoped goes straight to the gateway, and --token-kind classic never tries it', async () => {
    me(GATEWAY, 200, USER)
    expect((await run('scoped')).apiToken?.kind).to.equal('scoped')
    expect(nock.isDone()).to.equal(true)

    nock(SITE).get('/_edge/tenant_info').reply(200, {cloudId: 'cloud-fake-1'})
    me(SITE, 401, REFUSED)
    const error = await rejectionOf<CfadminError>(run('classic'))
    expect([error.code, error.exit]).to.deep.equal(['CREDENTIAL_REFUSED', ExitCode.notAuthenticated])
    expect(error.message).not.to.include('gateway')
  })

  it('says a token refused on the site and through the gateway was tried on both, saves nothing and never shows it', async () => {
    me(SITE, 401, REFUSED)
    me(GATEWAY, 401, {code: 401, message: 'Unauthorized'})
    const error = await rejectionOf<CfadminError>(run())
    expect([error.code, error.exit]).to.deep.equal(['CREDENTIAL_REFUSED', ExitCode.notAuthenticated])
    expect(error.message).to.include('Atlassian refused the API token').and.include(SITE).and.include(GATEWAY)
    expect(`${error.message} ${error.hint}`).not.to.include(TOKEN)
    expect(await store.get('default')).to.equal(undefined)
  })

  for (const [what, body, headers] of [
    ['the body "scope does not match"', {code: 401, message: 'Unauthorized; scope does not match'}, {}],
    [
      'X-Failure-Category: FAILURE_CLIENT_SCOPE_CHECK',
      {code: 401, message: 'Unauthorized'},
      {'X-Failure-Category': 'FAILURE_CLIENT_SCOPE_CHECK'},
    ],
  ] as const) {
    it(`takes a gateway 401 with ${what} as a valid scoped token with limited scopes, with a warning`, async () => {
      me(SITE, 401, REFUSED)
      me(GATEWAY, 401, body, headers)
      const result = await run()
      expect(result.apiToken).to.deep.include({baseUrl: GATEWAY, kind: 'scoped'})
      expect(result.warnings.join(' ')).to.include('scopes')
      expect((await store.get('default'))?.apiToken?.kind).to.equal('scoped')
    })
  }

  it('auth status shows the kind and the base URL site requests use (human and --json)', async () => {
    nock.cleanAll()
    await store.update('default', () => ({
      apiToken: {email: EMAIL, kind: 'scoped', token: TOKEN},
      site: {cloudId: 'cloud-fake-1', url: SITE},
    }))
    const [status] = await authStatus({active: 'default', env: {}, offline: true, store})
    expect(status.siteBaseUrl).to.equal(GATEWAY)
    expect(status.credentials[0]).to.deep.include({baseUrl: GATEWAY, kind: 'api-token', tokenKind: 'scoped'})
    const text = authStatusLines([status]).join('\n')
    expect(text).to.include(`requests:  ${GATEWAY}`).and.include(`scoped, through ${GATEWAY}`)
    expect(text).not.to.include(TOKEN)
  })

  it('sends a scoped token only to the gateway origin: a request that names the site goes without it', async () => {
    nock.cleanAll()
    const site = {cloudId: 'cloud-fake-1', url: SITE}
    const route = siteRoute(
      resolveSession('default', {apiToken: {email: EMAIL, kind: 'scoped', token: TOKEN}, site}, {}),
      store,
    )
    const client = await createHttpClient({...route, retry: {limit: 0}})
    const sent: Array<string | undefined> = []
    const record = function (this: nock.ReplyFnContext) {
      sent.push(this.req.headers.authorization as string | undefined)
      return USER
    }
    nock(GATEWAY).get('/wiki/rest/api/user/current').reply(200, record)
    nock(SITE).get('/wiki/rest/api/user/current').reply(200, record)
    await client.get('wiki/rest/api/user/current').json()
    await client.get(`${SITE}/wiki/rest/api/user/current`, {prefixUrl: ''}).json()
    expect(sent).to.deep.equal([BASIC, undefined])
  })

  it('an old profile without a kind keeps working on the site; CFADMIN_TOKEN_KIND=scoped routes an environment token', async () => {
    const site = {cloudId: 'cloud-fake-1', url: SITE}
    const old = resolveSession('default', {apiToken: {email: EMAIL, token: TOKEN}, site}, {})
    expect(siteRoute(old, store).baseUrl).to.equal(SITE)
    const fromEnv = resolveSession(
      'default',
      {site},
      {CFADMIN_EMAIL: EMAIL, CFADMIN_API_TOKEN: 'fake-env-token', CFADMIN_TOKEN_KIND: 'scoped'},
    )
    expect(siteRoute(fromEnv, store).baseUrl).to.equal(GATEWAY)
  })
})
