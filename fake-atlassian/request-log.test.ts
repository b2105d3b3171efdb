import {expect} from 'chai'

import {basicAuth, bearer, defaultSeedCredentials as seed} from './credentials.js'
import {type FakeAtlassian, startFakeAtlassian} from './server.js'

describe('fake Atlassian: request log', () => {
  let fake: FakeAtlassian

  before(async () => {
    fake = await startFakeAtlassian()
  })
  after(() => fake.close())

  it('records method, path, query, status, family and time of each request, and never a credential', async () => {
    const basic = basicAuth(seed.adminToken.email, seed.adminToken.token)
    await fetch(`${fake.url}/wiki/rest/api/user/current?expand=operations`, {headers: {authorization: basic}})
    await fetch(`${fake.url}/wiki/rest/api/user/current`, {headers: {authorization: bearer(seed.adminKey)}})
    await fetch(`${fake.url}/ex/confluence/${seed.cloudId}/wiki/rest/api/user/current`, {
      headers: {authorization: bearer(seed.oauthAccessToken)},
    })
    await fetch(`${fake.url}/admin/v1/orgs`, {headers: {authorization: bearer(seed.adminKey)}})
    await fetch(`${fake.url}/_edge/tenant_info?access_token=fake-query-secret-1`)
    await fetch(`${fake.url}/oauth/token`, {
      body: JSON.stringify({
        client_id: 'fake-client',
        client_secret: 'fake-client-secret-1',
        grant_type: 'refresh_token',
        refresh_token: 'fake-refresh-secret-1',
      }),
      headers: {'content-type': 'application/json'},
      method: 'POST',
    })

    expect(fake.requests.map((r) => [r.method, r.path, r.status, r.family])).to.deep.equal([
      ['GET', '/wiki/rest/api/user/current', 200, 'site'],
      ['GET', '/wiki/rest/api/user/current', 401, 'site'],
      ['GET', `/ex/confluence/${seed.cloudId}/wiki/rest/api/user/current`, 200, 'gateway'],
      ['GET', '/admin/v1/orgs', 200, 'admin'],
      ['GET', '/_edge/tenant_info', 200, 'edge'],
      ['POST', '/oauth/token', 401, 'auth'],
    ])
    expect(fake.requests[0].query).to.deep.equal({expand: 'operations'})
    expect(Date.parse(fake.requests[0].time)).to.be.closeTo(Date.now(), 60_000)
    expect(fake.requests[5].body).to.deep.include({client_id: 'fake-client', grant_type: 'refresh_token'})

    const log = JSON.stringify(fake.requests) + JSON.stringify(fake.contractViolations)
    const secrets = [
      seed.adminToken.token,
      basic.slice('Basic '.length),
      seed.adminKey,
      seed.oauthAccessToken,
      'fake-query-secret-1',
      'fake-client-secret-1',
      'fake-refresh-secret-1',
      'authorization',
    ]
    for (const secret of secrets) expect(log.toLowerCase(), secret).not.to.include(secret.toLowerCase())
  })

  it('records whether a request asked for the admin key (Atl-Confluence-With-Admin-Key), and no other header', async () => {
    fake.reset()
    const authorization = basicAuth(seed.adminToken.email, seed.adminToken.token)
    await fetch(`${fake.url}/wiki/rest/api/user/current`, {
      headers: {'Atl-Confluence-With-Admin-Key': 'true', authorization, 'x-other': 'not kept'},
    })
    await fetch(`${fake.url}/wiki/rest/api/user/current`, {headers: {authorization}})
    expect(fake.requests.map((r) => r.headers)).to.deep.equal([{'atl-confluence-with-admin-key': 'true'}, undefined])
  })

  it('keeps a space permission\'s operation.key in the logged body, while redacting other "key" fields', async () => {
    fake.requests.length = 0
    const basic = basicAuth(seed.adminToken.email, seed.adminToken.token)
    await fetch(`${fake.url}/wiki/rest/api/space/HR/permission`, {
      body: JSON.stringify({
        operation: {key: 'read', target: 'space'},
        subject: {identifier: 'marketing', type: 'group'},
      }),
      headers: {authorization: basic, 'content-type': 'application/json'},
      method: 'POST',
    })
    await fetch(`${fake.url}/oauth/token`, {
      body: JSON.stringify({key: 'fake-secret-key-1'}),
      headers: {'content-type': 'application/json'},
      method: 'POST',
    })
    expect(fake.requests[0].body).to.deep.equal({
      operation: {key: 'read', target: 'space'},
      subject: {identifier: 'marketing', type: 'group'},
    })
    expect(fake.requests[1].body).to.deep.equal({key: '[redacted]'})
  })
})
