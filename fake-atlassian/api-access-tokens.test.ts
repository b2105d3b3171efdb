import {expect} from 'chai'

import {basicAuth, bearer, defaultSeedCredentials as seed, defaultSeedIds as ids} from './credentials.js'
import {call} from './testing.js'
import {useFakeAtlassian} from './use-fake.js'

const DAY = 86_400_000
const key = bearer(seed.adminKey)
const base = `/admin/api-access/v1/orgs/${seed.orgId}`
const admin = basicAuth(seed.adminToken.email, seed.adminToken.token)

describe('fake Atlassian: API-access listings and credential expiry (atlassian-2026.md §4a, §4d)', () => {
  const fake = useFakeAtlassian()

  it("lists the org's API tokens with owner, label, expiresAt and lastActiveAt, the seed's relative dates resolved", async () => {
    const {body, status} = await call(fake, 'GET', `${base}/api-tokens?limit=100`, key)
    expect(status).to.equal(200)
    const reader = body.data.find((t: {id: string}) => t.id === 'token-fake-0002')
    expect(reader).to.deep.include({label: 'reading bot', status: 'ALLOWED'})
    expect(reader.user).to.deep.equal({
      email: seed.readerToken.email,
      id: ids.accounts.reader,
      name: 'Rita Reader',
      orgId: seed.orgId,
    })
    const days = (Date.parse(reader.expiresAt) - fake.clock.now()) / DAY
    expect(days).to.be.within(24.9, 25.1)
    // Tokens the seed says nothing about still expire (a year on), as every real token does.
    const hidden = body.data.find((t: {user: {id: string}}) => t.user.id === ids.accounts.hidden)
    expect((Date.parse(hidden.expiresAt) - fake.clock.now()) / DAY).to.be.within(364.9, 365.1)
  })

  it('pages the token listing with a links.next cursor', async () => {
    const first = await call(fake, 'GET', `${base}/api-tokens?limit=2`, key)
    expect(first.body.data).to.have.length(2)
    const second = await call(fake, 'GET', `${base}/api-tokens?cursor=${first.body.links.next}`, key)
    expect(second.status).to.equal(200)
    expect(second.body.data[0].id).to.not.equal(first.body.data[0].id)
  })

  it('records when a token is used, and refuses it with 401 once the clock passes its expiry', async () => {
    fake.clock.pause()
    expect((await call(fake, 'GET', '/wiki/rest/api/user/current', admin)).status).to.equal(200)
    const record = fake.state.apiTokenRecords.find((r) => r.token === seed.adminToken.token)!
    expect(record.lastActiveAt).to.equal(new Date(fake.clock.now()).toISOString())
    record.expiresAt = new Date(fake.clock.now() + DAY).toISOString()
    fake.clock.advance(DAY)
    expect((await call(fake, 'GET', '/wiki/rest/api/user/current', admin)).status).to.equal(401)
  })

  it('lists the Admin keys, and refuses an expired key with 401', async () => {
    fake.clock.pause()
    const {body} = await call(fake, 'GET', `${base}/api-keys`, key)
    expect(body.data).to.have.length(1)
    expect(body.data[0]).to.deep.include({id: 'key-fake-0001', lastActiveAt: new Date(fake.clock.now()).toISOString()})
    expect(body.data[0].createdBy.email).to.equal(seed.adminToken.email)
    fake.clock.advance(181 * DAY)
    expect((await call(fake, 'GET', `${base}/api-keys`, key)).status).to.equal(401)
  })

  it('refuses the listings with 403 to a key with scopes that lacks read:tokens:admin or read:keys:admin', async () => {
    fake.state.adminKeys[0].scopes = ['read:tokens:admin']
    expect((await call(fake, 'GET', `${base}/api-tokens`, key)).status).to.equal(200)
    const refused = await call(fake, 'GET', `${base}/api-keys`, key)
    expect(refused.status).to.equal(403)
    expect(refused.body.errors[0].detail).to.include('read:keys:admin')
  })

  it('answers 404 for an org the key does not see', async () => {
    expect((await call(fake, 'GET', '/admin/api-access/v1/orgs/org-other/api-tokens', key)).status).to.equal(404)
  })
})
