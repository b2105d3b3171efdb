import {expect} from 'chai'

import {basicAuth, bearer, defaultSeedCredentials as seed} from './credentials.js'
import {type FakeAtlassian, startFakeAtlassian} from './server.js'
import {useFakeAtlassian} from './use-fake.js'

const admin = basicAuth(seed.adminToken.email, seed.adminToken.token)
const adminKey = bearer(seed.adminKey)

async function call(fake: FakeAtlassian, method: string, path: string, authorization?: string, body?: unknown) {
  const headers: Record<string, string> = authorization ? {authorization} : {}
  if (body !== undefined) headers['content-type'] = 'application/json'
  const res = await fetch(fake.url + path, {
    body: body === undefined ? undefined : JSON.stringify(body),
    headers,
    method,
  })
  const text = await res.text()
  return {body: text ? (JSON.parse(text) as Record<string, any>) : undefined, res, status: res.status} // eslint-disable-line @typescript-eslint/no-explicit-any
}

describe('fake Atlassian: endpoints (default seed)', () => {
  const fake = useFakeAtlassian()

  it('GET /_edge/tenant_info gives the cloud ID of the first site, without authentication', async () => {
    const {body, status} = await call(fake, 'GET', '/_edge/tenant_info')
    expect(status).to.equal(200)
    expect(body).to.deep.equal({cloudId: seed.cloudId})
  })

  describe('GET /wiki/rest/api/user/current', () => {
    it('describes the signed-in user in the v1 User shape, email included when visible', async () => {
      const {body, status} = await call(fake, 'GET', '/wiki/rest/api/user/current', admin)
      expect(status).to.equal(200)
      expect(body).to.include({
        accountId: '712020:fake-0001-admin',
        accountType: 'atlassian',
        displayName: 'Ada Admin',
        email: 'admin@acme.example',
        publicName: 'Ada Admin',
        type: 'known',
      })
      expect(body?._links.base).to.equal(`${fake.url}/wiki`)
    })

    it('omits the email of a user who hides it', async () => {
      const {body, status} = await call(
        fake,
        'GET',
        '/wiki/rest/api/user/current',
        basicAuth(seed.hiddenEmailToken.email, seed.hiddenEmailToken.token),
      )
      expect(status).to.equal(200)
      expect(body?.accountId).to.equal('712020:fake-0003-hidden')
      expect(body).not.to.have.property('email')
    })

    it('answers through the OAuth gateway, with links under the gateway prefix', async () => {
      const {body, status} = await call(
        fake,
        'GET',
        `/ex/confluence/${seed.cloudId}/wiki/rest/api/user/current`,
        bearer(seed.oauthAccessToken),
      )
      expect(status).to.equal(200)
      expect(body?.accountId).to.equal('712020:fake-0001-admin')
      expect(body?._links.base).to.equal(`${fake.url}/ex/confluence/${seed.cloudId}/wiki`)
    })

    it('accepts the documented expand values', async () => {
      const {body, status} = await call(fake, 'GET', '/wiki/rest/api/user/current?expand=operations', admin)
      expect(status).to.equal(200)
      expect(body?.operations).to.be.an('array')
    })
  })

  describe('GET /admin/v1/orgs', () => {
    it('lists the organizations the key sees, in the Organizations spec shape', async () => {
      const {body, status} = await call(fake, 'GET', '/admin/v1/orgs', adminKey)
      expect(status).to.equal(200)
      expect(body?.links).to.deep.equal({})
      expect(body?.data).to.have.length(1)
      expect(body?.data[0]).to.deep.include({attributes: {name: 'Acme (fake)'}, id: seed.orgId, type: 'orgs'})
    })

    it('GET /admin/v1/orgs/{orgId} gives one org, 404 ADMIN-404-2 for another', async () => {
      expect((await call(fake, 'GET', `/admin/v1/orgs/${seed.orgId}`, adminKey)).body?.data.id).to.equal(seed.orgId)
      const missing = await call(fake, 'GET', '/admin/v1/orgs/org-fake-9999', adminKey)
      expect(missing.status).to.equal(404)
      expect(missing.body?.errors[0]).to.include({code: 'ADMIN-404-2', status: '404'})
    })
  })

  describe('GET /admin/v2/orgs/{orgId}/directories', () => {
    it('lists the directories as {data: [{directoryId, name}], links}', async () => {
      const {body, status} = await call(fake, 'GET', `/admin/v2/orgs/${seed.orgId}/directories`, adminKey)
      expect(status).to.equal(200)
      expect(body).to.deep.equal({data: [{directoryId: seed.directoryId, name: 'Acme directory'}], links: {}})
    })

    it('filters by searchTerm and accountId', async () => {
      fake.state.directories.push({id: 'dir-fake-0002', name: 'Contractors', orgId: seed.orgId})
      const byName = await call(fake, 'GET', `/admin/v2/orgs/${seed.orgId}/directories?searchTerm=contract`, adminKey)
      expect(byName.body?.data.map((d: {directoryId: string}) => d.directoryId)).to.deep.equal(['dir-fake-0002'])
      const byAccount = await call(
        fake,
        'GET',
        `/admin/v2/orgs/${seed.orgId}/directories?accountId=712020:fake-0002-reader`,
        adminKey,
      )
      expect(byAccount.body?.data.map((d: {directoryId: string}) => d.directoryId)).to.deep.equal([seed.directoryId])
    })

    it('pages with limit and an opaque links.next cursor', async () => {
      fake.state.directories.push({id: 'dir-fake-0002', name: 'Contractors', orgId: seed.orgId})
      const first = await call(fake, 'GET', `/admin/v2/orgs/${seed.orgId}/directories?limit=1`, adminKey)
      expect(first.body?.data).to.have.length(1)
      expect(first.body?.links.next).to.be.a('string')
      const second = await call(
        fake,
        'GET',
        `/admin/v2/orgs/${seed.orgId}/directories?cursor=${first.body?.links.next}`,
        adminKey,
      )
      expect(second.body?.data.map((d: {directoryId: string}) => d.directoryId)).to.deep.equal(['dir-fake-0002'])
      expect(second.body?.links).to.deep.equal({})
    })

    it('answers an unknown org with 404 in the Admin error shape', async () => {
      const {body, status} = await call(fake, 'GET', '/admin/v2/orgs/org-fake-9999/directories', adminKey)
      expect(status).to.equal(404)
      expect(body?.errors[0]).to.include({code: 'ADMIN-404-2', status: '404', title: 'Not Found'})
    })
  })

  describe('POST /admin/v2/orgs/{orgId}/workspaces', () => {
    const confluenceOnly = {limit: 20, query: {and: [{field: {name: 'attributes.type', values: ['confluence']}}]}}

    it('gives the site as a Confluence workspace whose id is its resource ARI', async () => {
      const {body, status} = await call(
        fake,
        'POST',
        `/admin/v2/orgs/${seed.orgId}/workspaces`,
        adminKey,
        confluenceOnly,
      )
      expect(status).to.equal(200)
      expect(body?.data).to.have.length(1)
      expect(body?.data[0].id).to.equal(`ari:cloud:confluence::site/${seed.cloudId}`)
      expect(body?.data[0].attributes).to.include({
        hostUrl: fake.url,
        name: 'acme',
        status: 'online',
        type: 'confluence',
      })
      expect(body?.meta).to.include({total: 1})
    })

    it('takes no body at all (the request body is optional)', async () => {
      expect((await call(fake, 'POST', `/admin/v2/orgs/${seed.orgId}/workspaces`, adminKey)).body?.data).to.have.length(
        1,
      )
    })

    it('filters by type', async () => {
      const {body} = await call(fake, 'POST', `/admin/v2/orgs/${seed.orgId}/workspaces`, adminKey, {
        query: {field: {name: 'attributes.type', values: ['jira']}},
      })
      expect(body?.data).to.deep.equal([])
    })

    it('pages with a cursor that must come alone', async () => {
      fake.state.sites.push({cloudId: 'cloud-fake-0002', name: 'acme-sandbox', orgId: seed.orgId})
      const first = await call(fake, 'POST', `/admin/v2/orgs/${seed.orgId}/workspaces`, adminKey, {
        ...confluenceOnly,
        limit: 1,
      })
      expect(first.body?.data[0].attributes.name).to.equal('acme')
      const cursor = first.body?.links.next as string
      const second = await call(fake, 'POST', `/admin/v2/orgs/${seed.orgId}/workspaces`, adminKey, {cursor})
      expect(second.body?.data[0].attributes).to.include({
        hostUrl: 'https://acme-sandbox.atlassian.net',
        name: 'acme-sandbox',
      })
      const mixed = await call(fake, 'POST', `/admin/v2/orgs/${seed.orgId}/workspaces`, adminKey, {cursor, limit: 1})
      expect(mixed.status).to.equal(400)
      expect(fake.contractViolations).to.have.length(1)
      fake.contractViolations.length = 0
    })

    it('answers an unknown org with 404', async () => {
      const {body, status} = await call(
        fake,
        'POST',
        '/admin/v2/orgs/org-fake-9999/workspaces',
        adminKey,
        confluenceOnly,
      )
      expect(status).to.equal(404)
      expect(body?.errors[0].code).to.equal('ADMIN-404-2')
    })
  })

  it("answers 404 for a path nothing serves, 405 for a wrong method, 501 for a spec'd operation not built yet", async () => {
    expect((await call(fake, 'GET', '/nothing/here')).status).to.equal(404)
    const wrongMethod = await call(fake, 'DELETE', '/_edge/tenant_info')
    expect(wrongMethod.status).to.equal(405)
    expect(wrongMethod.res.headers.get('allow')).to.equal('GET')
    const notBuilt = await call(fake, 'GET', '/wiki/rest/api/space', admin)
    expect(notBuilt.status).to.equal(501)
    expect(notBuilt.body?.message).to.include('getSpaces')
  })
})

describe('fake Atlassian: endpoints (two-orgs seed)', () => {
  let fake: FakeAtlassian

  before(async () => {
    fake = await startFakeAtlassian({seed: 'two-orgs'})
  })
  after(() => fake.close())
  afterEach(() => {
    expect(fake.contractViolations).to.deep.equal([])
  })

  it('lists both organizations for a key that sees both', async () => {
    const {body} = await call(fake, 'GET', '/admin/v1/orgs', adminKey)
    expect(body?.data.map((o: {id: string}) => o.id)).to.deep.equal(['org-fake-0001', 'org-fake-0002'])
  })

  it('lists only its own organization for a key of one org, and 404s the other', async () => {
    const key = bearer('fake-admin-key-0002')
    expect((await call(fake, 'GET', '/admin/v1/orgs', key)).body?.data.map((o: {id: string}) => o.id)).to.deep.equal([
      'org-fake-0002',
    ])
    expect((await call(fake, 'GET', '/admin/v2/orgs/org-fake-0001/directories', key)).status).to.equal(404)
    expect((await call(fake, 'POST', '/admin/v2/orgs/org-fake-0001/workspaces', key, {limit: 5})).status).to.equal(404)
  })

  it('gives each organization its own directories and sites', async () => {
    const directories = await call(fake, 'GET', '/admin/v2/orgs/org-fake-0002/directories', adminKey)
    expect(directories.body?.data).to.deep.equal([{directoryId: 'dir-fake-0002', name: 'Globex directory'}])
    const workspaces = await call(fake, 'POST', '/admin/v2/orgs/org-fake-0002/workspaces', adminKey, {limit: 5})
    expect(workspaces.body?.data.map((w: {id: string}) => w.id)).to.deep.equal([
      'ari:cloud:confluence::site/cloud-fake-0002',
    ])
    expect(workspaces.body?.data[0].attributes.hostUrl).to.equal('https://globex.atlassian.net')
  })
})
