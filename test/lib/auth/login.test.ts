import {expect} from 'chai'
import nock from 'nock'

import {CfadminError} from '../../../src/lib/errors.js'
import {login} from '../../../src/lib/auth/login.js'
import {ProfileStore} from '../../../src/lib/session/profile-store.js'
import {rejectionOf} from '../../support/rejection.js'
import {useTempDir} from '../../support/temp-dir.js'

const SITE = 'https://acme.atlassian.net'
const API = 'https://api.atlassian.com'

describe('login service', () => {
  let dir: string
  let store: ProfileStore
  const temp = useTempDir('cfadmin-login-')
  beforeEach(() => {
    dir = temp.path
    store = new ProfileStore(dir)
  })

  const tenant = () => nock(SITE).get('/_edge/tenant_info').reply(200, {cloudId: 'cloud-fake-1'})
  const orgs = (...ids: string[]) =>
    nock(API)
      .get('/admin/v1/orgs')
      .matchHeader('authorization', 'Bearer fake-admin-key-0001')
      .reply(200, {data: ids.map((id) => ({attributes: {name: `Org ${id}`}, id, type: 'orgs'})), links: {}})

  it('checks the API token, records whose it is and saves it with the site and cloud ID', async () => {
    tenant()
    nock(SITE)
      .get('/wiki/rest/api/user/current')
      .matchHeader(
        'authorization',
        `Basic ${Buffer.from('admin@acme.example:fake-api-token-admin').toString('base64')}`,
      )
      .reply(200, {accountId: 'acc-admin', displayName: 'Acme Admin', type: 'known'})
    const result = await login({
      apiToken: 'fake-api-token-admin',
      email: 'admin@acme.example',
      env: {},
      profileName: 'default',
      site: 'acme',
      store,
    })
    expect(result.apiToken).to.deep.equal({
      accountId: 'acc-admin',
      baseUrl: SITE,
      displayName: 'Acme Admin',
      email: 'admin@acme.example',
      kind: 'classic',
    })
    expect(await store.get('default')).to.deep.equal({
      apiToken: {
        accountId: 'acc-admin',
        displayName: 'Acme Admin',
        email: 'admin@acme.example',
        token: 'fake-api-token-admin',
      },
      site: {cloudId: 'cloud-fake-1', name: 'acme', url: SITE},
    })
  })

  it('saves nothing and exits 4 when Atlassian refuses the API token (on the site and through the gateway)', async () => {
    tenant()
    nock(SITE)
      .get('/wiki/rest/api/user/current')
      .reply(401, {message: 'Client must be authenticated to access this resource.', statusCode: 401})
    nock(`${API}/ex/confluence/cloud-fake-1`)
      .get('/wiki/rest/api/user/current')
      .reply(401, {code: 401, message: 'Unauthorized'})
    const error = await rejectionOf<CfadminError>(
      login({
        apiToken: 'fake-wrong-token',
        email: 'admin@acme.example',
        env: {},
        profileName: 'default',
        site: 'acme',
        store,
      }),
    )
    expect(error.exit).to.equal(4)
    expect(error.code).to.equal('CREDENTIAL_REFUSED')
    expect(error.message).not.to.include('fake-wrong-token')
    expect(await store.get('default')).to.equal(undefined)
  })

  it('adds an Admin API key to the existing profile, with the only org and its directory', async () => {
    await store.update('default', () => ({
      apiToken: {email: 'admin@acme.example', token: 'fake-api-token-admin'},
      site: {cloudId: 'cloud-fake-1', name: 'acme', url: SITE},
    }))
    tenant()
    orgs('org-1')
    nock(API)
      .get('/admin/v2/orgs/org-1/directories')
      .reply(200, {data: [{directoryId: 'dir-1', name: 'Acme'}], links: {}})
    await login({adminKey: 'fake-admin-key-0001', env: {}, profileName: 'default', store})
    const profile = await store.get('default')
    expect(profile?.adminKey).to.deep.equal({
      directoryId: 'dir-1',
      key: 'fake-admin-key-0001',
      orgId: 'org-1',
      orgName: 'Org org-1',
    })
    expect(profile?.apiToken?.token).to.equal('fake-api-token-admin')
  })

  it("keeps the directory that holds the logged-in account's user when the organization has several, not the first", async () => {
    await store.update('default', () => ({
      apiToken: {email: 'admin@acme.example', token: 'fake-api-token-admin'},
      site: {cloudId: 'cloud-fake-1', name: 'acme', url: SITE},
    }))
    tenant()
    orgs('org-1')
    const search = (directory: string, found: unknown[]) =>
      nock(API)
        .post(`/admin/v2/orgs/org-1/directories/${directory}/users/search`, {
          emails: ['admin@acme.example'],
          limit: 100,
        })
        .reply(200, {data: found, links: {}})
    nock(API)
      .get('/admin/v2/orgs/org-1/directories')
      .reply(200, {
        data: [
          {directoryId: 'dir-old', name: 'Old'},
          {directoryId: 'dir-users', name: 'Users'},
        ],
        links: {},
      })
    search('dir-old', [])
    search('dir-users', [{accountId: 'acc-admin', email: 'admin@acme.example', status: 'active'}])
    await login({adminKey: 'fake-admin-key-0001', env: {}, profileName: 'default', store})
    expect((await store.get('default'))?.adminKey?.directoryId).to.equal('dir-users')
    expect(nock.isDone()).to.equal(true)
  })

  it('stores no directory when it cannot tell which holds the site users (each run then asks for --directory)', async () => {
    tenant()
    orgs('org-1')
    nock(API)
      .get('/admin/v2/orgs/org-1/directories')
      .reply(200, {
        data: [
          {directoryId: 'dir-old', name: 'Old'},
          {directoryId: 'dir-users', name: 'Users'},
        ],
        links: {},
      })
    const result = await login({adminKey: 'fake-admin-key-0001', env: {}, profileName: 'default', site: 'acme', store})
    expect(result.adminKey).to.deep.equal({directoryId: undefined, orgId: 'org-1', orgName: 'Org org-1'})
  })

  it('asks for --org-id when the Admin API key sees several organizations, and uses the one given', async () => {
    tenant()
    orgs('org-1', 'org-2')
    const error = await rejectionOf<CfadminError>(
      login({adminKey: 'fake-admin-key-0001', env: {}, profileName: 'default', site: 'acme', store}),
    )
    expect(error.code).to.equal('ORG_AMBIGUOUS')
    expect(error.message).to.include('org-1').and.to.include('org-2')
    expect(error.hint).to.include('--org-id')

    tenant()
    orgs('org-1', 'org-2')
    nock(API)
      .get('/admin/v2/orgs/org-2/directories')
      .reply(200, {data: [{directoryId: 'dir-2', name: 'Two'}], links: {}})
    const result = await login({
      adminKey: 'fake-admin-key-0001',
      env: {},
      orgId: 'org-2',
      profileName: 'default',
      site: 'acme',
      store,
    })
    expect(result.adminKey).to.deep.equal({directoryId: 'dir-2', orgId: 'org-2', orgName: 'Org org-2'})
  })

  it('says the site is not an Atlassian site when tenant_info is not there (exit 2)', async () => {
    nock('https://wiki.example.com').get('/_edge/tenant_info').reply(404, 'Not Found')
    const error = await rejectionOf<CfadminError>(
      login({env: {}, profileName: 'default', site: 'wiki.example.com', store}),
    )
    expect(error.code).to.equal('SITE_UNKNOWN')
    expect(error.exit).to.equal(2)
  })

  it('asks for an email with an API token, and for a site when the profile has none', async () => {
    expect((await rejectionOf<CfadminError>(login({env: {}, profileName: 'default', store}))).code).to.equal(
      'SITE_MISSING',
    )
    tenant()
    expect(
      (
        await rejectionOf<CfadminError>(
          login({apiToken: 'fake-token', env: {}, profileName: 'default', site: 'acme', store}),
        )
      ).code,
    ).to.equal('EMAIL_MISSING')
  })
})
