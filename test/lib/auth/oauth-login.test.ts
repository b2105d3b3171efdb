import {join} from 'node:path'

import {expect} from 'chai'

import type {CfadminError} from '../../../src/lib/errors.js'
import {authToken} from '../../../src/lib/auth/auth-token.js'
import {oauthLogin, type OAuthLoginInput} from '../../../src/lib/auth/oauth-login.js'
import {ProfileStore} from '../../../src/lib/session/profile-store.js'
import {resolveSession} from '../../../src/lib/session/session.js'
import {siteClient} from '../../../src/lib/session/clients.js'
import {defaultSeedCredentials} from '../../../fake-atlassian/credentials.js'
import {consent, currentRefreshToken, refreshCount} from '../../../fake-atlassian/oauth-helpers.js'
import {useFakeAtlassian} from '../../../fake-atlassian/use-fake.js'
import {rejectionOf} from '../../support/rejection.js'
import {useTempDir} from '../../support/temp-dir.js'

const APP = defaultSeedCredentials.oauthApp

describe('OAuth login and auth token (services, against the fake)', () => {
  const fake = useFakeAtlassian()
  let dir: string
  let store: ProfileStore
  const temp = useTempDir('cfadmin-oauth-login-')
  beforeEach(() => {
    dir = temp.path
    store = new ProfileStore(join(dir, 'config'))
  })

  /** A login whose "browser" consents through the fake's page and follows the redirect back to the loopback server. */
  const login = (overrides: Partial<OAuthLoginInput> & {beforeReturn?: () => void} = {}) =>
    oauthLogin({
      async chooseSite() {
        throw new Error('no prompt expected')
      },
      clientId: APP.clientId,
      clientSecret: APP.clientSecret,
      env: {CFADMIN_API_URL: fake.url, CFADMIN_AUTH_URL: fake.url},
      port: 0,
      profileName: 'default',
      scopes: 'admin',
      async showAuthorizeUrl(url) {
        const back = await consent(fake, url)
        overrides.beforeReturn?.()
        back.hostname = '127.0.0.1'
        await fetch(back)
      },
      store,
      timeoutMs: 10_000,
      ...overrides,
    })

  const addSecondSite = () => {
    fake.state.sites.push({
      cloudId: 'cloud-fake-0002',
      hostUrl: 'https://beta.atlassian.net',
      name: 'beta',
      orgId: 'org-fake-0001',
    })
    fake.state.oauthCodes.at(-1)!.cloudIds.push('cloud-fake-0002')
  }

  it('stores the grant with the site, who consented, the preset and the callback used', async () => {
    const result = await login()
    expect(result.site).to.deep.equal({cloudId: 'cloud-fake-0001', name: 'acme', url: fake.url})
    expect(result.oauth).to.include({
      accountId: '712020:fake-0001-admin',
      clientId: APP.clientId,
      displayName: 'Ada Admin',
      preset: 'admin',
      refreshToken: true,
    })
    expect(result.oauth.missingScopes).to.deep.equal([])
    const stored = (await store.get('default'))!
    expect(stored.oauth).to.include({
      callbackUrl: result.oauth.callbackUrl,
      clientSecret: APP.clientSecret,
      refreshToken: currentRefreshToken(fake),
    })
  })

  it('keeps an API token of the same site, and only the Admin key when the site changes', async () => {
    await store.update('default', () => ({
      adminKey: {key: 'fake-admin-key-0001'},
      apiToken: {email: 'a@acme.example', token: 'fake-api-token-admin'},
      site: {url: fake.url},
    }))
    await login()
    expect(Object.keys((await store.get('default'))!).sort()).to.deep.equal(['adminKey', 'apiToken', 'oauth', 'site'])
    await store.update('default', (p) => ({...p, site: {url: 'https://other.atlassian.net'}}))
    await login()
    expect(Object.keys((await store.get('default'))!).sort()).to.deep.equal(['adminKey', 'oauth', 'site'])
  })

  it('asks which site when the grant covers several and nothing chose one', async () => {
    const result = await login({
      beforeReturn: addSecondSite,
      chooseSite: async (sites) => {
        expect(sites.map((s) => s.url)).to.deep.equal([fake.url, 'https://beta.atlassian.net'])
        return sites[1]
      },
    })
    expect(result.site).to.deep.equal({cloudId: 'cloud-fake-0002', name: 'beta', url: 'https://beta.atlassian.net'})
  })

  it('takes --site by URL, name or cloud ID, and names the covered sites when it matches none', async () => {
    expect((await login({beforeReturn: addSecondSite, site: 'beta'})).site.cloudId).to.equal('cloud-fake-0002')
    expect((await login({beforeReturn: addSecondSite, site: 'cloud-fake-0001'})).site.url).to.equal(fake.url)
    const error = await rejectionOf<CfadminError>(login({site: 'gamma.atlassian.net'}))
    expect(error.code).to.equal('SITE_NOT_GRANTED')
    expect(error.message).to.contain(fake.url)
  })

  it('a scope the app lacks ends the login with a hint to add it in the developer console', async () => {
    fake.state.oauthApps[0].scopes = fake.state.oauthApps[0].scopes.filter(
      (s) => s !== 'write:space.permission:confluence',
    )
    const error = await rejectionOf<CfadminError>(login())
    expect(error.code).to.equal('OAUTH_AUTHORIZE_ERROR') // the fake, like Atlassian, refuses scopes the app lacks
    expect(error.hint).to.contain('developer console')
  })

  it('auth token refreshes an expired access token first, then marks the refresh token as handed over', async () => {
    await login()
    await store.update('default', (p) => ({
      ...p,
      oauth: {...p!.oauth!, expiresAt: new Date(Date.now() - 1000).toISOString()},
    }))
    const values = await authToken({
      env: {CFADMIN_API_URL: fake.url, CFADMIN_AUTH_URL: fake.url},
      profileName: 'default',
      store,
    })
    expect(values.refreshed).to.equal(true)
    expect(values.refreshToken).to.equal(currentRefreshToken(fake))
    expect(values.form?.map((f) => f.label)).to.deep.equal([
      'Client ID',
      'Client secret',
      'Access token',
      'Refresh token',
      'Cloud ID',
      'Site URL',
    ])
    expect((await store.get('default'))!.oauth!.handedOverAt).to.be.a('string')
  })

  it('twenty concurrent requests with an expired access token make exactly one refresh on the fake', async () => {
    await login()
    await store.update('default', (p) => ({
      ...p,
      oauth: {...p!.oauth!, expiresAt: new Date(Date.now() - 1000).toISOString()},
    }))
    const env = {CFADMIN_API_URL: fake.url, CFADMIN_AUTH_URL: fake.url}
    const session = resolveSession('default', await store.get('default'), env)
    const client = await siteClient(session, {store})
    const answers = await Promise.all(
      Array.from({length: 20}, () => client.get('wiki/api/v2/spaces').json<{results: unknown[]}>()),
    )
    expect(answers.every((a) => a.results.length > 0)).to.equal(true)
    expect(refreshCount(fake)).to.equal(1)
    expect((await store.get('default'))!.oauth!.refreshToken).to.equal(currentRefreshToken(fake))
  })

  it('auth token without an OAuth login says how to log in (exit 4)', async () => {
    const error = await rejectionOf<CfadminError>(authToken({env: {}, profileName: 'default', store}))
    expect(error.code).to.equal('NOT_LOGGED_IN')
    expect(error.hint).to.contain('auth login --oauth')
  })
})
