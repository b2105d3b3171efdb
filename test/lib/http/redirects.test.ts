import {expect} from 'chai'
import nock from 'nock'

import {CfadminError, ExitCode} from '../../../src/lib/errors.js'
import {createHttpClient} from '../../../src/lib/http/client.js'
import type {ApiFamily} from '../../../src/lib/http/family.js'
import {type HostileAnswer, type HostileServer, startHostileServer} from '../../support/hostile-server.js'
import {rejectionOf, SITE} from './helpers.js'

const TOKEN = 'fake-api-token-0123456789'
const KEY = 'fake-admin-key-0123456789'

const server = (answer: (url: string) => HostileAnswer) => startHostileServer((request) => answer(request.url))

describe('credentials and redirects', () => {
  let thief: HostileServer
  beforeEach(async () => {
    thief = await server(() => ({body: '{"accountId":"stolen"}', status: 200}))
  })
  afterEach(async () => {
    await thief.close()
  })

  const cases: Array<{family: ApiFamily; path: string; authorization: string; secret: string}> = [
    {
      authorization: `Basic ${Buffer.from(`admin@example.com:${TOKEN}`).toString('base64')}`,
      family: 'site',
      path: '',
      secret: TOKEN,
    },
    {authorization: `Bearer ${KEY}`, family: 'admin', path: '/admin', secret: KEY},
    {authorization: `Bearer ${TOKEN}`, family: 'gateway', path: '/ex/confluence/c1', secret: TOKEN},
  ]
  for (const {authorization, family, path, secret} of cases) {
    for (const status of [301, 302, 303, 307, 308]) {
      it(`a ${status} from the ${family} host to another host does not deliver the credential there (exit 2 naming that host)`, async () => {
        const home = await server(() => ({headers: {location: `${thief.url}/steal`}, status}))
        try {
          const client = await createHttpClient({
            baseUrl: `${home.url}${path}`,
            credentials: {authorization: async () => authorization},
            family,
            retry: {limit: 0},
          })
          const error = await rejectionOf(client.get('wiki/rest/api/user/current').json())
          expect(error).to.be.instanceOf(CfadminError).and.include({code: 'REDIRECT_REFUSED', exit: ExitCode.badInput})
          expect(error.message).to.include(`answered ${status}`).and.include(`pointing to ${thief.url}`)
          expect(error.message).not.to.include(secret)
          expect(thief.seen).to.deep.equal([])
          expect(home.seen).to.have.length(1)
        } finally {
          await home.close()
        }
      })
    }
  }

  it('a same-host redirect is not followed with credentials either', async () => {
    const home = await server((url) =>
      url.endsWith('/moved') ? {status: 200} : {headers: {location: '/moved'}, status: 302},
    )
    try {
      const client = await createHttpClient({
        baseUrl: home.url,
        credentials: {authorization: async () => `Bearer ${TOKEN}`},
        family: 'site',
        retry: {limit: 0},
      })
      const error = await rejectionOf(client.get('x').json())
      expect(error).to.include({code: 'REDIRECT_REFUSED', exit: ExitCode.badInput})
      expect(home.seen.map((s) => s.url)).to.deep.equal(['/x'])
    } finally {
      await home.close()
    }
  })

  it('a 307 from the OAuth token endpoint does not resend the client secret and refresh token to another host', async () => {
    const home = await server(() => ({headers: {location: `${thief.url}/oauth/token`}, status: 307}))
    try {
      const client = await createHttpClient({baseUrl: home.url, family: 'auth', retry: {limit: 0}})
      const json = {
        client_id: 'id',
        client_secret: 'fake-client-secret-42',
        grant_type: 'refresh_token',
        refresh_token: 'fake-refresh-token-42',
      }
      const error = await rejectionOf(client.post('oauth/token', {json}).json())
      expect(error).to.include({code: 'REDIRECT_REFUSED', exit: ExitCode.badInput})
      expect(thief.seen).to.deep.equal([])
    } finally {
      await home.close()
    }
  })

  it('an anonymous request (tenant_info) still follows an https redirect to another host', async () => {
    const scope = nock(SITE)
      .get('/_edge/tenant_info')
      .reply(301, '', {location: 'https://renamed.atlassian.net/_edge/tenant_info'})
    const renamed = nock('https://renamed.atlassian.net').get('/_edge/tenant_info').reply(200, {cloudId: 'c1'})
    const client = await createHttpClient({baseUrl: SITE, family: 'site', retry: {limit: 0}})
    expect(await client.get('_edge/tenant_info').json()).to.deep.equal({cloudId: 'c1'})
    scope.done()
    renamed.done()
  })

  it('no request follows a redirect from https to plain http, even without credentials', async () => {
    const scope = nock(SITE)
      .get('/_edge/tenant_info')
      .reply(302, '', {location: 'http://acme.atlassian.net/_edge/tenant_info'})
    const plain = nock('http://acme.atlassian.net').get('/_edge/tenant_info').reply(200, {cloudId: 'c1'})
    const client = await createHttpClient({baseUrl: SITE, family: 'site', retry: {limit: 0}})
    const error = await rejectionOf(client.get('_edge/tenant_info').json())
    expect(error).to.include({code: 'REDIRECT_REFUSED', exit: ExitCode.badInput})
    expect(error.message).to.include('pointing to http://acme.atlassian.net').and.include('from https to plain http')
    expect(plain.isDone()).to.equal(false)
    scope.done()
  })

  it('refuses to send credentials over plain http to a host that is not this machine (exit 2)', async () => {
    for (const family of ['site', 'admin', 'gateway', 'auth'] as const) {
      let error: unknown
      try {
        await createHttpClient({
          baseUrl: 'http://acme.atlassian.net',
          credentials: family === 'auth' ? undefined : {authorization: async () => `Bearer ${TOKEN}`},
          family,
        })
      } catch (error_) {
        error = error_
      }

      expect(error, family)
        .to.be.instanceOf(CfadminError)
        .and.include({code: 'BASE_URL_INSECURE', exit: ExitCode.badInput})
    }
    // Loopback is the one plain-http host allowed (the fake Atlassian, a local proxy).
    await createHttpClient({
      baseUrl: 'http://127.0.0.1:4567',
      credentials: {authorization: async () => 'Bearer x'},
      family: 'site',
    })
  })

  it('puts the credential only on requests to its own origin, whatever URL a caller builds', async () => {
    const home = await server(() => ({status: 200}))
    try {
      const client = await createHttpClient({
        baseUrl: home.url,
        credentials: {authorization: async () => `Bearer ${TOKEN}`},
        family: 'site',
        retry: {limit: 0},
      })
      await client.get(`${thief.url}/steal`, {prefixUrl: ''}).json()
      expect(thief.seen).to.have.length(1)
      expect(thief.seen[0].headers.authorization).to.equal(undefined)
    } finally {
      await home.close()
    }
  })
})
