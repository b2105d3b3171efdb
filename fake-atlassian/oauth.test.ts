import {readFileSync} from 'node:fs'
import {resolve} from 'node:path'

import {expect} from 'chai'

import {projectRoot} from '../test/support/paths.js'
import {bearer, defaultSeedCredentials as seed, defaultSeedIds as ids} from './credentials.js'
import {authorizeUrl, consent, currentRefreshToken, grantFor, refreshCount} from './oauth-helpers.js'
import {callbackMatches, CODE_TTL_MS} from './routes/oauth.js'
import {createState, readSeed} from './state.js'
import {call} from './testing.js'
import {useFakeAtlassian} from './use-fake.js'

const app = seed.oauthApp
const redirectUri = 'http://127.0.0.1:4999/callback'
const MINUTE = 60_000

describe('fake Atlassian: OAuth 2.0 (3LO)', () => {
  const fake = useFakeAtlassian()

  const token = (body: Record<string, string>, form = false) =>
    form
      ? fetch(`${fake.url}/oauth/token`, {
          body: new URLSearchParams(body),
          headers: {'content-type': 'application/x-www-form-urlencoded'},
          method: 'POST',
        }).then(async (res) => ({body: await res.json(), headers: res.headers, status: res.status}))
      : call(fake, 'POST', '/oauth/token', undefined, body)
  const exchange = (code: string, options: {redirect?: string; secret?: string; clientId?: string} = {}) =>
    token({
      client_id: options.clientId ?? app.clientId,
      client_secret: options.secret ?? app.clientSecret,
      code,
      grant_type: 'authorization_code',
      redirect_uri: options.redirect ?? redirectUri,
    })
  const refresh = (refreshToken: string) =>
    token({
      client_id: app.clientId,
      client_secret: app.clientSecret,
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
    })
  /** A code from the consent page (accepted as the default admin on the first site unless told otherwise). */
  const codeFor = async (options: {scope?: string; account?: string; site?: string} = {}) => {
    const location = await consent(fake, authorizeUrl(fake, {redirectUri, scope: options.scope, state: 'st'}), {
      account: options.account,
      site: options.site,
    })
    return location.searchParams.get('code') ?? ''
  }

  const signIn = async (scope?: string) => (await exchange(await codeFor({scope}))).body
  const gateway = (accessToken: string) =>
    call(fake, 'GET', `/ex/confluence/${seed.cloudId}/wiki/rest/api/user/current`, bearer(accessToken))
  const resources = (accessToken?: string) =>
    call(fake, 'GET', '/oauth/token/accessible-resources', accessToken === undefined ? undefined : bearer(accessToken))
  const page = (url: URL | string) => fetch(url, {redirect: 'manual'})

  describe('GET /authorize', () => {
    it('shows an HTML consent page: the app, the scopes asked for, accounts, sites "Use app on", Accept and Cancel', async () => {
      const res = await page(
        authorizeUrl(fake, {
          redirectUri,
          scope: 'read:space:confluence read:group:confluence offline_access',
          state: 'xyz',
        }),
      )
      expect(res.status).to.equal(200)
      expect(res.headers.get('content-type')).to.match(/^text\/html/)
      const html = await res.text()
      expect(html).to.include('Acme crawler (fake)')
      for (const scope of ['read:space:confluence', 'read:group:confluence', 'offline_access'])
        expect(html).to.include(`<li>${scope}</li>`)
      expect(html).to.include('<option value="admin@acme.example" selected>')
      expect(html).to.include('<option value="reader@acme.example">')
      expect(html).not.to.include('suspended@acme.example')
      expect(html).to.match(/<select id="site" name="site">\s*<option value="cloud-fake-0001" selected>/)
      expect(html).to.include('Use app on')
      expect(html).to.include('<input type="hidden" name="redirect_uri" value="http://127.0.0.1:4999/callback">')
      expect(html).to.include('<input type="hidden" name="state" value="xyz">')
      expect(html).to.include('<button id="accept" type="submit" name="decision" value="accept">Accept</button>')
      expect(html).to.include('<button id="deny" type="submit" name="decision" value="deny">Cancel</button>')
    })

    it('answers an unknown client_id with a 400 error page, not a redirect', async () => {
      const res = await page(authorizeUrl(fake, {clientId: 'fake-oauth-client-nope', redirectUri}))
      expect(res.status).to.equal(400)
      expect(res.headers.get('location')).to.equal(null)
      expect(await res.text()).to.include('invalid_client')
    })

    it('refuses an unregistered redirect_uri with a 400 error page and never redirects to it', async () => {
      for (const uri of [
        'https://evil.example/cb',
        'https://localhost:13131',
        'http://localhost.evil.example:8080/cb',
        'http://user@localhost:13131/cb',
        'not a url',
      ]) {
        const res = await page(authorizeUrl(fake, {redirectUri: uri}))
        expect(res.status, uri).to.equal(400)
        expect(res.headers.get('location'), uri).to.equal(null)
        expect(await res.text(), uri).to.include('redirect_uri is not registered for client')
      }
    })

    it('takes a registered callback exactly, and (fake-only wildcard) any port and path on http://localhost and http://127.0.0.1', async () => {
      expect(callbackMatches('http://localhost:13131', 'http://localhost:13131')).to.equal(true)
      expect(callbackMatches('https://app.example/cb', 'https://app.example/cb/')).to.equal(false)
      expect(callbackMatches('http://localhost:*', 'http://localhost:41234/any/path?x=1')).to.equal(true)
      expect(callbackMatches('http://localhost:*', 'http://localhost/cb')).to.equal(true)
      expect(callbackMatches('http://127.0.0.1:*', 'http://127.0.0.1:1/')).to.equal(true)
      expect(callbackMatches('http://127.0.0.1:*', 'https://127.0.0.1:1/')).to.equal(false)
      expect(callbackMatches('http://localhost:*', 'http://127.0.0.1:1/')).to.equal(false)
      for (const uri of ['http://localhost:13131', 'http://localhost:50123/cb', 'http://127.0.0.1:50123/']) {
        expect((await page(authorizeUrl(fake, {redirectUri: uri}))).status, uri).to.equal(200)
      }
    })

    it('redirects a scope the app may not ask for with error=invalid_scope and the state', async () => {
      const res = await page(
        authorizeUrl(fake, {redirectUri, scope: 'read:space:confluence manage:jira-configuration', state: 's1'}),
      )
      expect(res.status).to.equal(302)
      const location = new URL(res.headers.get('location') ?? '')
      expect(location.origin + location.pathname).to.equal(redirectUri)
      expect(location.searchParams.get('error')).to.equal('invalid_scope')
      expect(location.searchParams.get('error_description')).to.include('manage:jira-configuration')
      expect(location.searchParams.get('state')).to.equal('s1')
    })

    it('records a contract violation when audience=api.atlassian.com or prompt=consent is missing, as §1b says Atlassian requires them', async () => {
      const url = authorizeUrl(fake, {redirectUri})
      url.searchParams.delete('audience')
      url.searchParams.delete('prompt')
      expect((await page(url)).status).to.equal(200)
      expect(fake.contractViolations).to.have.length(2)
      expect(fake.contractViolations[0]).to.match(
        /^off-contract request: GET \/authorize: audience must be api\.atlassian\.com/,
      )
      expect(fake.contractViolations[1]).to.match(/prompt must be consent/)
      fake.contractViolations.length = 0
    })

    it('redirects a response_type other than code with unsupported_response_type, and records the violation', async () => {
      const url = authorizeUrl(fake, {redirectUri, state: 's2'})
      url.searchParams.set('response_type', 'token')
      const res = await page(url)
      expect(res.status).to.equal(302)
      const location = new URL(res.headers.get('location') ?? '')
      expect([location.searchParams.get('error'), location.searchParams.get('state')]).to.deep.equal([
        'unsupported_response_type',
        's2',
      ])
      expect(fake.contractViolations).to.have.length(1)
      fake.contractViolations.length = 0
    })
  })

  describe('POST /authorize (the consent form)', () => {
    it('Accept redirects (302) to redirect_uri with a code and the state echoed exactly', async () => {
      const state = 'a b&c=d/é+%20?#'
      const location = await consent(fake, authorizeUrl(fake, {redirectUri, state}))
      expect(location.origin + location.pathname).to.equal(redirectUri)
      expect(location.searchParams.get('code')).to.match(/^fake-oauth-code-/)
      expect(location.searchParams.get('state')).to.equal(state)
      expect([...location.searchParams.keys()]).to.deep.equal(['code', 'state'])
    })

    it('omits state from the redirect when the request had none', async () => {
      const location = await consent(fake, authorizeUrl(fake, {redirectUri}))
      expect([...location.searchParams.keys()]).to.deep.equal(['code'])
    })

    it('Cancel redirects with error=access_denied, a description and the state', async () => {
      const location = await consent(fake, authorizeUrl(fake, {redirectUri, state: 'st-9'}), {decision: 'deny'})
      expect(location.searchParams.get('error')).to.equal('access_denied')
      expect(location.searchParams.get('error_description')).to.be.a('string').and.not.equal('')
      expect(location.searchParams.get('state')).to.equal('st-9')
      expect(location.searchParams.has('code')).to.equal(false)
      expect(fake.state.oauthCodes).to.deep.equal([])
    })

    it('binds the code to the account and site chosen on the page', async () => {
      fake.state.sites.push({
        cloudId: 'cloud-fake-0002',
        hostUrl: 'https://globex.atlassian.net',
        name: 'globex',
        orgId: seed.orgId,
      })
      const {access_token: accessToken} = (
        await exchange(await codeFor({account: 'reader@acme.example', site: 'cloud-fake-0002'}))
      ).body
      expect(grantFor(fake)).to.deep.include({
        accountId: ids.accounts.reader,
        clientId: app.clientId,
        cloudIds: ['cloud-fake-0002'],
      })
      expect((await resources(accessToken)).body.map((r: {id: string}) => r.id)).to.deep.equal(['cloud-fake-0002'])
      expect((await gateway(accessToken)).status).to.equal(401)
    })

    it('answers a form post with an unregistered redirect_uri with the error page, not a redirect', async () => {
      const form = new URLSearchParams({
        account: seed.adminToken.email,
        client_id: app.clientId,
        decision: 'accept',
        redirect_uri: 'https://evil.example/cb',
        response_type: 'code',
        scope: 'read:space:confluence',
        site: seed.cloudId,
      })
      const res = await fetch(`${fake.url}/authorize`, {body: form, method: 'POST', redirect: 'manual'})
      expect(res.status).to.equal(400)
      expect(res.headers.get('location')).to.equal(null)
    })
  })

  describe('POST /oauth/token: authorization code', () => {
    it('exchanges a code for an access token, a refresh token (offline_access), expires_in and the scopes, as Atlassian shapes them', async () => {
      const {body, headers, status} = await exchange(
        await codeFor({scope: 'read:space:confluence read:confluence-user offline_access'}),
      )
      expect(status).to.equal(200)
      expect(headers.get('cache-control')).to.equal('no-store')
      expect(Object.keys(body).sort()).to.deep.equal([
        'access_token',
        'expires_in',
        'refresh_token',
        'scope',
        'token_type',
      ])
      expect(body).to.include({
        expires_in: 3600,
        scope: 'read:space:confluence read:confluence-user offline_access',
        token_type: 'Bearer',
      })
      const grant = grantFor(fake)!
      expect(grant).to.deep.include({accountId: ids.accounts.admin, cloudIds: [seed.cloudId], revoked: false})
      expect(currentRefreshToken(fake)).to.equal(body.refresh_token)
      const minted = fake.state.oauthTokens.find((t) => t.accessToken === body.access_token)!
      expect(minted.grantId).to.equal(grant.id)
      expect(Date.parse(minted.expiresAt!) - Date.now()).to.be.closeTo(3600_000, 5000)
      const me = await gateway(body.access_token)
      expect([me.status, me.body.accountId]).to.deep.equal([200, ids.accounts.admin])
    })

    it('gives no refresh token without offline_access', async () => {
      const body = await signIn('read:space:confluence')
      expect(body).to.have.property('access_token')
      expect(body).not.to.have.property('refresh_token')
      expect(grantFor(fake)?.refreshTokens).to.deep.equal([])
    })

    it('takes a form-encoded body as well as JSON', async () => {
      const code = await codeFor()
      const {body, status} = await token(
        {
          client_id: app.clientId,
          client_secret: app.clientSecret,
          code,
          grant_type: 'authorization_code',
          redirect_uri: redirectUri,
        },
        true,
      )
      expect(status).to.equal(200)
      expect(body).to.have.property('refresh_token')
    })

    it('a code is single-use: the second exchange answers 403 invalid_grant', async () => {
      const code = await codeFor()
      expect((await exchange(code)).status).to.equal(200)
      const again = await exchange(code)
      expect(again.status).to.equal(403)
      expect(again.body).to.deep.equal({error: 'invalid_grant', error_description: 'Invalid authorization code'})
      expect(fake.state.oauthGrants).to.have.length(1)
    })

    it('a code expires after 10 minutes', async () => {
      const code = await codeFor()
      fake.clock.advance(CODE_TTL_MS + 1)
      expect((await exchange(code)).body).to.deep.equal({
        error: 'invalid_grant',
        error_description: 'Invalid authorization code',
      })
    })

    it('refuses an unknown code with 403 invalid_grant', async () => {
      expect((await exchange('fake-oauth-code-nope')).status).to.equal(403)
    })

    it('refuses a redirect_uri other than the one of the authorization request, and keeps the code for the right one', async () => {
      const code = await codeFor()
      const wrong = await exchange(code, {redirect: 'http://127.0.0.1:4999/other'})
      expect([wrong.status, wrong.body.error]).to.deep.equal([403, 'invalid_grant'])
      expect((await exchange(code)).status).to.equal(200)
    })

    it('refuses a code issued to another app', async () => {
      fake.state.oauthApps.push({
        callbackUrls: ['http://127.0.0.1:*'],
        clientId: 'fake-oauth-client-0002',
        clientSecret: 'fake-oauth-secret-0002',
        name: 'Other (fake)',
        scopes: ['read:space:confluence'],
      })
      const code = await codeFor()
      expect(
        (await exchange(code, {clientId: 'fake-oauth-client-0002', secret: 'fake-oauth-secret-0002'})).status,
      ).to.equal(403)
    })

    it('answers a wrong client secret, or an unknown client, with 401 access_denied', async () => {
      const code = await codeFor()
      for (const options of [{secret: 'fake-oauth-secret-wrong'}, {clientId: 'fake-oauth-client-nope'}]) {
        const {body, status} = await exchange(code, options)
        expect(status).to.equal(401)
        expect(body).to.deep.equal({error: 'access_denied', error_description: 'Unauthorized'})
      }

      expect((await exchange(code)).status, 'the code survives a failed client check').to.equal(200)
    })

    it('answers missing fields with 400 invalid_request, another grant type with 400 unsupported_grant_type', async () => {
      const missing = await token({client_id: app.clientId, grant_type: 'authorization_code'})
      expect(missing.status).to.equal(400)
      expect(missing.body.error).to.equal('invalid_request')
      expect(missing.body.error_description).to.include('client_secret, code, redirect_uri')
      expect((await token({client_id: app.clientId})).body.error).to.equal('invalid_request')
      const other = await token({
        client_id: app.clientId,
        client_secret: app.clientSecret,
        grant_type: 'password',
      })
      expect([other.status, other.body.error]).to.deep.equal([400, 'unsupported_grant_type'])
    })
  })

  describe('POST /oauth/token: rotating refresh tokens', () => {
    it('rotation: a refresh answers a new access token and a new refresh token, which becomes the current one', async () => {
      const first = await signIn()
      const second = await refresh(first.refresh_token)
      expect(second.status).to.equal(200)
      expect(Object.keys(second.body).sort()).to.deep.equal([
        'access_token',
        'expires_in',
        'refresh_token',
        'scope',
        'token_type',
      ])
      expect(second.body.refresh_token).not.to.equal(first.refresh_token)
      expect(second.body.access_token).not.to.equal(first.access_token)
      expect(second.body.scope).to.equal('read:space:confluence offline_access')
      expect(currentRefreshToken(fake)).to.equal(second.body.refresh_token)
      expect(refreshCount(fake)).to.equal(1)
      expect(grantFor(fake)!.refreshTokens[0].rotatedAt).to.be.a('string')
      expect((await gateway(second.body.access_token)).status).to.equal(200)
    })

    it('leeway: a rotated refresh token presented again within 10 minutes is accepted and answers a new pair', async () => {
      const first = await signIn()
      const second = (await refresh(first.refresh_token)).body
      fake.clock.advance(9 * MINUTE)
      const again = await refresh(first.refresh_token)
      expect(again.status).to.equal(200)
      expect(again.body.refresh_token).not.to.be.oneOf([first.refresh_token, second.refresh_token])
      expect(currentRefreshToken(fake)).to.equal(again.body.refresh_token)
      expect(refreshCount(fake)).to.equal(2)
      expect(grantFor(fake)!.revoked).to.equal(false)
    })

    it('reuse after the leeway revokes the grant: 403 invalid_grant, and its refresh and access tokens die on the gateway', async () => {
      const first = await signIn()
      const second = (await refresh(first.refresh_token)).body
      fake.clock.advance(10 * MINUTE + 1)
      const reuse = await refresh(first.refresh_token)
      expect(reuse.status).to.equal(403)
      expect(reuse.body).to.deep.equal({error: 'invalid_grant', error_description: 'Unknown or invalid refresh token.'})
      expect(grantFor(fake)).to.deep.include({revoked: true})
      expect(currentRefreshToken(fake)).to.equal(undefined)
      expect((await refresh(second.refresh_token)).status, 'the current refresh token').to.equal(403)
      expect((await gateway(second.access_token)).status, 'an access token of the grant').to.equal(401)
      expect((await resources(second.access_token)).status).to.equal(401)
      expect((await gateway(seed.oauthAccessToken)).status, 'other tokens live on').to.equal(200)
    })

    it('behaviour.refreshTokenLeewayMs = 0 makes any reuse of a rotated refresh token fatal', async () => {
      fake.state.behaviour.refreshTokenLeewayMs = 0
      const first = await signIn()
      await refresh(first.refresh_token)
      fake.clock.advance(1)
      expect((await refresh(first.refresh_token)).status).to.equal(403)
      expect(grantFor(fake)?.revoked).to.equal(true)
    })

    it('refuses an unknown refresh token, or one of another app, with 403 invalid_grant', async () => {
      const unknown = await refresh('fake-oauth-refresh-nope')
      expect([unknown.status, unknown.body]).to.deep.equal([
        403,
        {error: 'invalid_grant', error_description: 'Unknown or invalid refresh token.'},
      ])
      fake.state.oauthApps.push({
        callbackUrls: [],
        clientId: 'fake-oauth-client-0002',
        clientSecret: 'fake-oauth-secret-0002',
        name: 'Other (fake)',
        scopes: [],
      })
      const {refresh_token: refreshToken} = await signIn()
      const other = await token({
        client_id: 'fake-oauth-client-0002',
        client_secret: 'fake-oauth-secret-0002',
        grant_type: 'refresh_token',
        refresh_token: refreshToken,
      })
      expect(other.status).to.equal(403)
      expect(grantFor(fake)?.revoked).to.equal(false)
    })

    it('access tokens expire after behaviour.accessTokenTtlSeconds (expires_in follows it)', async () => {
      fake.state.behaviour.accessTokenTtlSeconds = 60
      const body = await signIn()
      expect(body.expires_in).to.equal(60)
      expect((await gateway(body.access_token)).status).to.equal(200)
      fake.clock.advance(60_000)
      expect((await gateway(body.access_token)).status).to.equal(401)
      expect((await resources(body.access_token)).status).to.equal(401)
      expect((await refresh(body.refresh_token)).status, 'the refresh token outlives it').to.equal(200)
    })
  })

  describe('GET /oauth/token/accessible-resources', () => {
    it("lists the grant's sites: id (cloud ID), name, url (the first site: the fake's origin), scopes, avatarUrl", async () => {
      const body = await signIn('read:space:confluence read:group:confluence offline_access')
      const {body: sites, status} = await resources(body.access_token)
      expect(status).to.equal(200)
      expect(sites).to.deep.equal([
        {
          avatarUrl: 'https://site-admin-avatar-cdn.prod.public.atl-paas.net/avatars/240/flag.png',
          id: seed.cloudId,
          name: seed.siteName,
          scopes: ['read:space:confluence', 'read:group:confluence', 'offline_access'],
          url: fake.url,
        },
      ])
    })

    it('takes the seed tokens too, and answers 401 to an unknown token or none', async () => {
      expect((await resources(seed.oauthAccessToken)).body[0].id).to.equal(seed.cloudId)
      expect((await resources('fake-oauth-access-nope')).status).to.equal(401)
      expect((await resources()).status).to.equal(401)
    })
  })

  describe('request log', () => {
    it('never records a code, client secret, refresh token or access token (JSON and form bodies)', async () => {
      const code = await codeFor()
      const first = (await exchange(code)).body
      const formCode = await codeFor()
      const form = (
        await token(
          {
            client_id: app.clientId,
            client_secret: app.clientSecret,
            code: formCode,
            grant_type: 'authorization_code',
            redirect_uri: redirectUri,
          },
          true,
        )
      ).body
      const second = (await refresh(first.refresh_token)).body
      await token(
        {
          client_id: app.clientId,
          client_secret: app.clientSecret,
          grant_type: 'refresh_token',
          refresh_token: form.refresh_token,
        },
        true,
      )
      await resources(second.access_token)
      const log = JSON.stringify(fake.requests)
      const secrets = [
        code,
        formCode,
        app.clientSecret,
        first.access_token,
        first.refresh_token,
        form.access_token,
        form.refresh_token,
        second.access_token,
        second.refresh_token,
      ]
      for (const secret of secrets) expect(log).not.to.include(secret)
      const exchanged = fake.requests.find((r) => r.path === '/oauth/token')
      expect(exchanged?.body).to.deep.equal({
        client_id: app.clientId,
        client_secret: '[redacted]',
        code: '[redacted]',
        grant_type: 'authorization_code',
        redirect_uri: redirectUri,
      })
    })
  })

  describe('seed', () => {
    it('the default app may ask for every scope connectors.md and the §1b table name, plus offline_access, read:me, read:account', () => {
      const docs = resolve(projectRoot, 'docs')
      const connectors = readFileSync(resolve(docs, 'connectors.md'), 'utf8')
      const api = readFileSync(resolve(docs, 'atlassian-api.md'), 'utf8')
      const table = /Confluence 3LO scopes relevant[\s\S]*?Plus `offline_access`/.exec(api)?.[0] ?? ''
      const named = [...`${connectors}\n${table}`.matchAll(/`([a-z]+:[a-z.:-]+|offline_access)`/g)].map((m) => m[1])
      expect(named.length).to.be.greaterThan(40)
      const allowed = readSeed('default').oauthApps![0].scopes
      expect([...new Set(named)].filter((s) => !allowed.includes(s))).to.deep.equal([])
      expect(allowed).to.include.members(['offline_access', 'read:me', 'read:account'])
    })

    it('refuses a seed whose OAuth apps, grants or tokens do not fit together', () => {
      const base = readSeed('default')
      const bad = {
        ...base,
        oauthApps: [
          ...base.oauthApps!,
          {callbackUrls: ['not a url'], clientId: 'fake-oauth-client-0001', clientSecret: '', name: 'dup', scopes: []},
        ],
        oauthGrants: [
          {
            accountId: 'nobody',
            clientId: 'fake-oauth-client-9',
            cloudIds: ['cloud-nope'],
            createdAt: '2026-01-01T00:00:00Z',
            id: 'g1',
            refreshTokens: [],
            revoked: false,
            scopes: [],
          },
        ],
        oauthTokens: [
          {accessToken: 'x', accountId: ids.accounts.admin, cloudIds: [seed.cloudId], grantId: 'g2', scopes: []},
        ],
      }
      expect(() => createState(bad))
        .to.throw(Error)
        .with.property('message')
        .that.includes('duplicate OAuth clientId fake-oauth-client-0001')
        .and.includes('clientSecret must not be empty')
        .and.includes('callback not a url')
        .and.includes('OAuth grant g1: unknown OAuth app fake-oauth-client-9')
        .and.includes('OAuth grant g1: unknown account nobody')
        .and.includes('OAuth grant g1: unknown site cloud-nope')
        .and.includes('OAuth token: unknown grant g2')
    })
  })
})
