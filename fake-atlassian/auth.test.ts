import {expect} from 'chai'

import {requireSiteAdmin} from './auth.js'
import {basicAuth, bearer, defaultSeedCredentials as seed} from './credentials.js'
import {FakeHttpError} from './errors.js'
import type {RouteContext} from './router.js'
import {type FakeAtlassian, startFakeAtlassian} from './server.js'

describe('fake Atlassian: authentication', () => {
  let fake: FakeAtlassian
  const admin = basicAuth(seed.adminToken.email, seed.adminToken.token)
  const adminKey = bearer(seed.adminKey)
  const oauth = bearer(seed.oauthAccessToken)

  before(async () => {
    fake = await startFakeAtlassian()
  })
  after(() => fake.close())
  afterEach(() => {
    expect(fake.contractViolations).to.deep.equal([])
    fake.reset()
  })

  const get = (path: string, authorization?: string) =>
    fetch(fake.url + path, {headers: authorization ? {authorization} : {}})

  const families = [
    {
      family: 'site (Basic email + API token)',
      path: '/wiki/rest/api/user/current',
      right: admin,
      unknown: basicAuth(seed.adminToken.email, 'fake-api-token-wrong'),
      wrong: {'Admin key': adminKey, 'OAuth token': oauth},
    },
    {
      family: 'gateway (Bearer OAuth)',
      path: `/ex/confluence/${seed.cloudId}/wiki/rest/api/user/current`,
      right: oauth,
      unknown: bearer('fake-oauth-unknown'),
      wrong: {'Admin key': adminKey, 'API token': admin},
    },
    {
      family: 'admin (Bearer Admin key)',
      path: '/admin/v1/orgs',
      right: adminKey,
      unknown: bearer('fake-admin-key-9999'),
      wrong: {'API token': admin, 'OAuth token': oauth},
    },
  ]

  for (const {family, path, right, unknown, wrong} of families) {
    describe(family, () => {
      it('answers the right credential with 200', async () => {
        expect((await get(path, right)).status).to.equal(200)
      })

      for (const [name, credential] of Object.entries(wrong)) {
        it(`answers a credential of another family (${name}) with 401`, async () => {
          expect((await get(path, credential)).status).to.equal(401)
        })
      }

      it('answers an unknown token with 401', async () => {
        expect((await get(path, unknown)).status).to.equal(401)
      })

      it('answers no credential with 401', async () => {
        expect((await get(path)).status).to.equal(401)
      })
    })
  }

  it('answers a 401 in the family error shape: Confluence {statusCode, message}, Admin {code, message}', async () => {
    expect(await (await get('/wiki/rest/api/user/current')).json()).to.deep.equal({
      message: 'Unauthorized',
      statusCode: 401,
    })
    expect(await (await get('/admin/v1/orgs', admin)).json()).to.deep.equal({code: 401, message: 'Unauthorized'})
  })

  it('refuses the API token of a suspended account', async () => {
    expect(
      (await get('/wiki/rest/api/user/current', basicAuth(seed.suspendedToken.email, seed.suspendedToken.token)))
        .status,
    ).to.equal(401)
  })

  it('refuses a valid token given with another account email', async () => {
    expect(
      (await get('/wiki/rest/api/user/current', basicAuth(seed.readerToken.email, seed.adminToken.token))).status,
    ).to.equal(401)
  })

  it('accepts the email in any case, like Atlassian', async () => {
    expect(
      (await get('/wiki/rest/api/user/current', basicAuth('ADMIN@acme.example', seed.adminToken.token))).status,
    ).to.equal(200)
  })

  it('refuses an expired OAuth access token, and one whose grant does not cover the site', async () => {
    fake.state.oauthTokens[0].expiresAt = new Date(Date.now() - 1000).toISOString()
    expect((await get(`/ex/confluence/${seed.cloudId}/wiki/rest/api/user/current`, oauth)).status).to.equal(401)
    fake.reset()
    fake.state.sites.push({cloudId: 'cloud-fake-0009', name: 'other', orgId: seed.orgId})
    expect((await get('/ex/confluence/cloud-fake-0009/wiki/rest/api/user/current', oauth)).status).to.equal(401)
  })

  it('answers 404 on the gateway for an unknown cloud ID', async () => {
    expect((await get('/ex/confluence/cloud-nope/wiki/rest/api/user/current', oauth)).status).to.equal(404)
  })

  it('serves tenant_info without any credential', async () => {
    expect((await get('/_edge/tenant_info')).status).to.equal(200)
  })

  it('takes a token added to the state at run time', async () => {
    fake.state.users[1].apiTokens.push('fake-api-token-new')
    expect(
      (await get('/wiki/rest/api/user/current', basicAuth(seed.readerToken.email, 'fake-api-token-new'))).status,
    ).to.equal(200)
  })

  describe('requireSiteAdmin', () => {
    const ctxFor = (siteAdmin: boolean) =>
      ({
        principal: {kind: 'user', user: {...fake.state.users[0], siteAdmin}, via: 'api-token'},
      }) as unknown as RouteContext

    it('gives back a site admin', () => {
      expect(requireSiteAdmin(ctxFor(true)).email).to.equal(seed.adminToken.email)
    })

    it('throws 403 for anyone else', () => {
      expect(() => requireSiteAdmin(ctxFor(false)))
        .to.throw(FakeHttpError)
        .with.property('status', 403)
    })
  })
})
