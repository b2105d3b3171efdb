import {expect} from 'chai'
import type {Got} from 'got'
import nock from 'nock'

import {CfadminError, ExitCode} from '../../../src/lib/errors.js'
import {createHttpClient} from '../../../src/lib/http/client.js'
import type {ApiFamily} from '../../../src/lib/http/family.js'
import {maskProxy, proxyFor} from '../../../src/lib/http/proxy.js'
import {exchangeCode, refreshTokens, tokenClient} from '../../../src/lib/oauth/token-endpoint.js'
import {defaultSeedCredentials} from '../../../fake-atlassian/credentials.js'
import {basicAuth} from '../../../fake-atlassian/index.js'
import {authorizeUrl, consent} from '../../../fake-atlassian/oauth-helpers.js'
import {useFakeAtlassian} from '../../../fake-atlassian/use-fake.js'
import {type RecordingProxy, setProxyEnv, startRecordingProxy} from '../../support/recording-proxy.js'
import {captureStderr, rejectionOf} from './helpers.js'
import {closedPort} from '../../support/closed-port.js'

const PASSWORD = 'pr0xy-s3cret-pass'
const ADMIN = {email: 'admin@acme.example', token: 'fake-api-token-admin'}
const APP = defaultSeedCredentials.oauthApp

/** The variable and proxy URL proxyFor chooses for `url`, or 'direct'. */
function choice(url: string): string {
  const chosen = proxyFor(url)
  return chosen ? `${chosen.variable} ${chosen.url.href}` : 'direct'
}

/**
 * An https client that cannot reach a real host on its own: every DNS lookup fails. The proxy tests run with nock
 * off (see below), so nock's guard against leaving the machine is off too; through a proxy, cfadmin looks nothing up.
 */
async function offlineClient(baseUrl: string, family: ApiFamily): Promise<Got> {
  const noDns = (hostname: string, _options: unknown, callback: (error: Error) => void) =>
    callback(Object.assign(new Error(`test: no DNS lookup of ${hostname} allowed`), {code: 'ENOTFOUND'}))
  return (await createHttpClient({baseUrl, family, retry: {limit: 0}})).extend({dnsLookup: noDns as never})
}

describe('proxies: HTTPS_PROXY, HTTP_PROXY and NO_PROXY', () => {
  afterEach(() => setProxyEnv())

  describe('which proxy a request goes through', () => {
    it('goes direct when no proxy variable is set', () => {
      setProxyEnv()
      expect(choice('https://acme.atlassian.net/wiki')).to.equal('direct')
      expect(choice('http://127.0.0.1:4567/')).to.equal('direct')
    })

    it('sends https URLs through HTTPS_PROXY and http URLs through HTTP_PROXY, never the other one', () => {
      setProxyEnv({HTTPS_PROXY: 'http://secure-proxy:3128'})
      expect(choice('https://api.atlassian.com/admin')).to.equal('HTTPS_PROXY http://secure-proxy:3128/')
      expect(choice('http://127.0.0.1:4567/')).to.equal('direct')
      setProxyEnv({HTTP_PROXY: 'http://plain-proxy:8080'})
      expect(choice('http://127.0.0.1:4567/')).to.equal('HTTP_PROXY http://plain-proxy:8080/')
      expect(choice('https://auth.atlassian.com/oauth/token')).to.equal('direct')
    })

    it('prefers the lower-case variables when both cases are set, as curl does', () => {
      setProxyEnv({
        HTTPS_PROXY: 'http://upper:1',
        https_proxy: 'http://lower:2',
        NO_PROXY: 'acme.atlassian.net',
        no_proxy: 'api.atlassian.com',
      })
      expect(choice('https://acme.atlassian.net/')).to.equal('https_proxy http://lower:2/')
      expect(choice('https://api.atlassian.com/')).to.equal('direct')
      setProxyEnv({http_proxy: 'http://lower:3'})
      expect(choice('http://127.0.0.1:4567/')).to.equal('http_proxy http://lower:3/')
    })

    it('falls back to ALL_PROXY when the scheme has no variable', () => {
      setProxyEnv({ALL_PROXY: 'http://everything:3128'})
      expect(choice('https://acme.atlassian.net/')).to.equal('ALL_PROXY http://everything:3128/')
    })

    it('takes a proxy given without a scheme as http://, as curl does (not as TLS to the proxy)', () => {
      setProxyEnv({HTTPS_PROXY: 'proxy.corp.example:3128'})
      expect(choice('https://acme.atlassian.net/')).to.equal('HTTPS_PROXY http://proxy.corp.example:3128/')
    })

    it('goes direct to a host NO_PROXY lists exactly, and through the proxy to others', () => {
      setProxyEnv({HTTPS_PROXY: 'http://proxy:3128', NO_PROXY: 'localhost, acme.atlassian.net'})
      expect(choice('https://acme.atlassian.net/wiki')).to.equal('direct')
      expect(choice('https://other.atlassian.net/wiki')).to.equal('HTTPS_PROXY http://proxy:3128/')
    })

    it('goes direct to every host under a NO_PROXY .suffix or *.suffix', () => {
      setProxyEnv({HTTPS_PROXY: 'http://proxy:3128', NO_PROXY: '.atlassian.net,*.corp.example'})
      expect(choice('https://acme.atlassian.net/')).to.equal('direct')
      expect(choice('https://wiki.corp.example/')).to.equal('direct')
      expect(choice('https://api.atlassian.com/')).to.equal('HTTPS_PROXY http://proxy:3128/')
    })

    it('goes direct to a NO_PROXY host:port only on that port', () => {
      setProxyEnv({HTTP_PROXY: 'http://proxy:3128', NO_PROXY: '127.0.0.1:4567'})
      expect(choice('http://127.0.0.1:4567/')).to.equal('direct')
      expect(choice('http://127.0.0.1:4568/')).to.equal('HTTP_PROXY http://proxy:3128/')
    })

    it('goes direct everywhere with NO_PROXY=*', () => {
      setProxyEnv({HTTPS_PROXY: 'http://proxy:3128', HTTP_PROXY: 'http://proxy:3128', NO_PROXY: '*'})
      expect(choice('https://acme.atlassian.net/')).to.equal('direct')
      expect(choice('http://127.0.0.1:4567/')).to.equal('direct')
    })

    for (const value of [
      'http://alice:' + PASSWORD + '@proxy:port',
      'socks5://alice:' + PASSWORD + '@proxy:1080',
      'http://:3128',
      `http://alice:50%@proxy:3128`,
    ]) {
      it(`refuses the malformed or unsupported proxy ${value.replace(PASSWORD, '***')} with exit 2, naming the variable and the fix but not the password`, () => {
        setProxyEnv({HTTPS_PROXY: value})
        let error: unknown
        try {
          proxyFor('https://acme.atlassian.net/')
        } catch (error_) {
          error = error_
        }
        expect(error).to.be.instanceOf(CfadminError)
        const {code, exit, hint, message} = error as CfadminError
        expect({code, exit}).to.deep.equal({code: 'PROXY_INVALID', exit: ExitCode.badInput})
        expect(message).to.contain('HTTPS_PROXY')
        expect(hint).to.contain('Set HTTPS_PROXY to http://host:port')
        expect(`${message} ${hint}`).not.to.contain(PASSWORD)
      })
    }

    it('shows a proxy with its user but never its password', () => {
      expect(maskProxy(new URL(`http://alice:${PASSWORD}@proxy.corp.example:3128`))).to.equal(
        'http://alice:***@proxy.corp.example:3128',
      )
      expect(maskProxy(new URL('http://proxy.corp.example:3128'))).to.equal('http://proxy.corp.example:3128')
    })
  })

  describe('through the client, against the fake Atlassian', () => {
    // nock's interceptor, active in every test file, would take these requests for its own: it cannot parse an
    // absolute-form request to a proxy, and refuses a CONNECT to a host it does not allow. Off for this block only.
    before(() => nock.restore())
    after(() => nock.activate())
    const fake = useFakeAtlassian()
    let proxy: RecordingProxy
    const siteClient = (options: {retry?: {limit: number}} = {}) =>
      createHttpClient({
        baseUrl: fake.url,
        credentials: {authorization: async () => basicAuth(ADMIN.email, ADMIN.token)},
        family: 'site',
        ...options,
      })
    const currentUser = async (client?: Got) =>
      (client ?? (await siteClient())).get('wiki/rest/api/user/current').json<{accountId: string}>()

    beforeEach(async () => {
      proxy = await startRecordingProxy()
    })
    afterEach(() => proxy.close())

    it("sends a site request through HTTP_PROXY and gets Atlassian's answer", async () => {
      const client = await siteClient() // made before the variable is set: the choice is made per request
      setProxyEnv({HTTP_PROXY: proxy.url})
      expect((await currentUser(client)).accountId).to.equal('712020:fake-0001-admin')
      expect(proxy.requests).to.deep.equal([
        {authorized: false, method: 'GET', refused: undefined, target: `${fake.url}/wiki/rest/api/user/current`},
      ])
      expect(fake.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).to.deep.equal([
        'GET /wiki/rest/api/user/current 200',
      ])
    })

    it('exchanges an OAuth code and refreshes the tokens through the proxy', async () => {
      const redirectUri = 'http://127.0.0.1:13131/callback'
      const code = (await consent(fake, authorizeUrl(fake, {redirectUri}))).searchParams.get('code')!
      setProxyEnv({http_proxy: proxy.url})
      const auth = await tokenClient(fake.url)
      const first = await exchangeCode(auth, APP, code, redirectUri)
      const next = await refreshTokens(auth, APP, first.refreshToken!)
      expect(next.accessToken).to.be.a('string').and.not.equal(first.accessToken)
      expect(proxy.requests.map((r) => `${r.method} ${r.target}`)).to.deep.equal([
        `POST ${fake.url}/oauth/token`,
        `POST ${fake.url}/oauth/token`,
      ])
    })

    it('keeps one connection to the proxy for successive requests (keep-alive)', async () => {
      setProxyEnv({HTTP_PROXY: proxy.url})
      const client = await siteClient()
      await currentUser(client)
      await currentUser(client)
      await client.get('_edge/tenant_info').json()
      expect(proxy.requests).to.have.length(3)
      expect(proxy.connections).to.equal(1)
    })

    it('goes direct to a host NO_PROXY lists: the proxy sees nothing', async () => {
      setProxyEnv({HTTP_PROXY: proxy.url, NO_PROXY: '127.0.0.1'})
      expect((await currentUser()).accountId).to.equal('712020:fake-0001-admin')
      const auth = await tokenClient(fake.url)
      expect((await rejectionOf<CfadminError>(refreshTokens(auth, APP, 'fake-unknown-refresh-token'))).code).to.equal(
        'OAUTH_GRANT_EXPIRED',
      )
      expect(proxy.requests).to.deep.equal([])
      expect(fake.requests).to.have.length(2)
    })

    it('sends the proxy user and password as Proxy-Authorization and never prints the password, even with DEBUG=cfadmin*', async () => {
      await proxy.close()
      proxy = await startRecordingProxy({credentials: {password: PASSWORD, user: 'alice'}})
      setProxyEnv({HTTP_PROXY: proxy.urlWith('alice', PASSWORD)})
      process.env.DEBUG = 'cfadmin*'
      let user: {accountId: string} | undefined
      const log = await captureStderr(async () => {
        user = await currentUser()
      }).finally(() => delete process.env.DEBUG)
      expect(user?.accountId).to.equal('712020:fake-0001-admin')
      expect(proxy.requests).to.deep.equal([
        {authorized: true, method: 'GET', refused: undefined, target: `${fake.url}/wiki/rest/api/user/current`},
      ])
      expect(log).to.contain(`through proxy http://alice:***@127.0.0.1:${new URL(proxy.url).port} (HTTP_PROXY)`)
      expect(log).not.to.contain(PASSWORD)
    })

    it('a proxy that wants other credentials (407) gives an error naming the proxy, masked, and the variable to fix', async () => {
      await proxy.close()
      proxy = await startRecordingProxy({credentials: {password: 'the-right-one', user: 'alice'}})
      setProxyEnv({HTTP_PROXY: proxy.urlWith('alice', PASSWORD)})
      const error = await rejectionOf<CfadminError>(currentUser())
      expect(error).to.be.instanceOf(CfadminError)
      expect({code: error.code, exit: error.exit}).to.deep.equal({code: 'PROXY_AUTH_REQUIRED', exit: ExitCode.badInput})
      expect(error.message).to.contain(
        `The proxy http://alice:***@127.0.0.1:${new URL(proxy.url).port} (HTTP_PROXY) asked for credentials (407`,
      )
      expect(error.hint).to.contain('HTTP_PROXY').and.to.contain('NO_PROXY')
      expect(`${error.message} ${error.hint}`).not.to.contain(PASSWORD)
      expect(fake.requests).to.deep.equal([])
    })

    it('a proxy that is not there gives NETWORK naming the proxy, masked, and HTTP_PROXY / NO_PROXY to check', async () => {
      const port = await closedPort()
      setProxyEnv({HTTP_PROXY: `http://alice:${PASSWORD}@127.0.0.1:${port}`})
      const error = await rejectionOf<CfadminError>(currentUser(await siteClient({retry: {limit: 0}})))
      expect({code: error.code, exit: error.exit}).to.deep.equal({code: 'NETWORK', exit: ExitCode.unreachable})
      expect(error.message)
        .to.contain(`through the proxy http://alice:***@127.0.0.1:${port} (HTTP_PROXY)`)
        .and.to.contain('connection refused')
      expect(error.hint).to.contain('HTTP_PROXY').and.to.contain('NO_PROXY')
      expect(`${error.message} ${error.hint}`).not.to.contain(PASSWORD)
    })

    it('opens a CONNECT tunnel to an https host at HTTPS_PROXY; a refused tunnel names the proxy, masked', async () => {
      setProxyEnv({HTTPS_PROXY: proxy.urlWith('alice', PASSWORD), HTTP_PROXY: 'http://not-this-one:1'})
      const error = await rejectionOf<CfadminError>(
        (await offlineClient('https://acme.atlassian.net', 'site')).get('_edge/tenant_info').json(),
      )
      // The recording proxy tunnels to loopback only, so it refuses this one (403) after recording it.
      expect(proxy.requests).to.deep.equal([
        {authorized: true, method: 'CONNECT', refused: 403, target: 'acme.atlassian.net:443'},
      ])
      expect({code: error.code, exit: error.exit}).to.deep.equal({code: 'PROXY_REFUSED', exit: ExitCode.unreachable})
      expect(error.message).to.equal(
        `The proxy http://alice:***@127.0.0.1:${new URL(proxy.url).port} (HTTPS_PROXY) refused to connect to acme.atlassian.net (403) for GET acme.atlassian.net/_edge/tenant_info.`,
      )
      expect(error.hint).to.contain('HTTPS_PROXY').and.to.contain('list acme.atlassian.net in NO_PROXY')
    })

    it('a CONNECT refused with 407 says the proxy wants credentials', async () => {
      await proxy.close()
      proxy = await startRecordingProxy({credentials: {password: PASSWORD, user: 'alice'}})
      setProxyEnv({https_proxy: proxy.url})
      const error = await rejectionOf<CfadminError>(
        (await offlineClient('https://api.atlassian.com/admin', 'admin')).get('v1/orgs').json(),
      )
      expect(proxy.requests).to.deep.equal([
        {authorized: false, method: 'CONNECT', refused: 407, target: 'api.atlassian.com:443'},
      ])
      expect(error.code).to.equal('PROXY_AUTH_REQUIRED')
      expect(error.message).to.contain(`The proxy ${proxy.url} (https_proxy) asked for credentials`)
      expect(error.hint).to.contain('https_proxy')
    })

    it('fails a request with a malformed proxy variable with exit 2 before sending anything', async () => {
      setProxyEnv({HTTP_PROXY: `http://alice:${PASSWORD}@proxy:port`})
      const error = await rejectionOf<CfadminError>(currentUser())
      expect({code: error.code, exit: error.exit}).to.deep.equal({code: 'PROXY_INVALID', exit: ExitCode.badInput})
      expect(error.message).to.equal('HTTP_PROXY is not an http(s) proxy URL: http://***@proxy:port')
      expect(fake.requests).to.deep.equal([])
    })
  })
})
