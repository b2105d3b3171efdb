import {readFileSync} from 'node:fs'
import {resolve} from 'node:path'

import {expect} from 'chai'

import {loadContracts, specsDir} from './contract.js'
import {basicAuth, bearer, defaultSeedCredentials as seed} from './credentials.js'
import {type FakeAtlassian, startFakeAtlassian} from './server.js'

const admin = basicAuth(seed.adminToken.email, seed.adminToken.token)
const adminKey = bearer(seed.adminKey)

describe('fake Atlassian: contract checks', () => {
  let fake: FakeAtlassian

  before(async () => {
    fake = await startFakeAtlassian()
  })
  after(() => fake.close())
  afterEach(() => fake.reset())

  const send = (method: string, path: string, authorization: string, body?: string) =>
    fetch(fake.url + path, {
      body,
      headers: {authorization, ...(body === undefined ? {} : {'content-type': 'application/json'})},
      method,
    })

  async function expectOffContract(res: Response, ...mentions: string[]) {
    expect(res.status).to.equal(400)
    const text = await res.text()
    expect(text).to.include('off-contract request')
    expect(fake.contractViolations).to.have.length(1)
    for (const m of mentions) expect(fake.contractViolations[0]).to.include(m)
  }

  it('answers 400 and records a query value outside the documented enum', async () => {
    await expectOffContract(
      await send('GET', '/wiki/rest/api/user/current?expand=everything', admin),
      'getCurrentUser',
      'expand',
    )
  })

  it('answers 400 and records an undocumented query parameter', async () => {
    await expectOffContract(
      await send('GET', '/wiki/rest/api/user/current?includeSecrets=true', admin),
      'includeSecrets',
    )
  })

  it("answers 400 and records a query parameter of the wrong type, on the fake's own Admin v2 schemas too", async () => {
    await expectOffContract(
      await send('GET', `/admin/v2/orgs/${seed.orgId}/directories?limit=lots`, adminKey),
      'getDirectoriesForOrg',
      'limit',
    )
  })

  it('answers 400 and records a POST body missing a required field', async () => {
    await expectOffContract(
      await send('POST', `/admin/v1/orgs/${seed.orgId}/directory/groups`, adminKey, '{"description":"no name"}'),
      'name',
    )
  })

  it('answers 400 and records a body property of the wrong type', async () => {
    await expectOffContract(
      await send('POST', `/admin/v2/orgs/${seed.orgId}/workspaces`, adminKey, '{"limit":"twenty"}'),
      'queryWorkspacesV2',
      'limit',
    )
  })

  it('answers 400 and records a body that is not JSON', async () => {
    await expectOffContract(
      await send('POST', `/admin/v2/orgs/${seed.orgId}/workspaces`, adminKey, '{limit: 20'),
      'not valid JSON',
    )
  })

  it('answers 400 and records an operation no spec has', async () => {
    await expectOffContract(
      await send('GET', '/wiki/rest/api/user/favourite-colour', admin),
      'matches no operation of confluence-v1',
    )
    fake.contractViolations.length = 0
    await expectOffContract(
      await send('GET', `/admin/v3/orgs/${seed.orgId}`, adminKey),
      'admin-organization or admin-v2-extras',
    )
  })

  it('checks gateway requests against the same specs once the prefix is removed', async () => {
    await expectOffContract(
      await send(
        'GET',
        `/ex/confluence/${seed.cloudId}/wiki/rest/api/user/current?expand=nope`,
        bearer(seed.oauthAccessToken),
      ),
      'getCurrentUser',
    )
  })

  it('answers 400 in the Admin error shape on /admin', async () => {
    const res = await send('GET', `/admin/v2/orgs/${seed.orgId}/directories?limit=0`, adminKey)
    const body = (await res.json()) as {errors: {code: string; detail: string}[]}
    expect(body.errors[0].code).to.equal('ADMIN-400-24')
    expect(body.errors[0].detail).to.match(/^off-contract request: /)
  })

  it('passes a valid request for an operation it does not implement (501), recording nothing', async () => {
    const res = await send('POST', `/admin/v1/orgs/${seed.orgId}/directory/groups`, adminKey, '{"name":"cf-crawler"}')
    expect(res.status).to.equal(501)
    expect(fake.contractViolations).to.deep.equal([])
  })

  it('records its own answers that do not fit the response schema (a fake bug), yet still sends them', async () => {
    ;(fake.state.users[0] as {accountType?: string}).accountType = 'robot'
    const res = await send('GET', '/wiki/rest/api/user/current', admin)
    expect(res.status).to.equal(200)
    expect(fake.contractViolations).to.have.length(1)
    expect(fake.contractViolations[0]).to.match(
      /^off-contract response \(fake bug\): GET \/wiki\/rest\/api\/user\/current 200 .*accountType/,
    )
  })

  it('records the operation each request matched', async () => {
    await send('GET', '/wiki/rest/api/user/current', admin)
    await send('GET', `/admin/v2/orgs/${seed.orgId}/directories`, adminKey)
    expect(fake.requests.map((r) => r.operation)).to.deep.equal([
      'confluence-v1 getCurrentUser',
      'admin-v2-extras getDirectoriesForOrg',
    ])
  })

  it('checks nothing when started with validate: false', async () => {
    const loose = await startFakeAtlassian({validate: false})
    try {
      const res = await fetch(`${loose.url}/wiki/rest/api/user/current?expand=everything`, {
        headers: {authorization: admin},
      })
      expect(res.status).to.equal(200)
      expect(loose.contractViolations).to.deep.equal([])
    } finally {
      await loose.close()
    }
  })

  it('compiles every request and response schema of the Organizations spec and of its own Admin v2 document', async () => {
    const contracts = await loadContracts()
    expect(contracts.operations('admin-organization')).to.have.length(26)
    expect(contracts.compileProblems('admin-organization')).to.deep.equal([])
    expect(contracts.compileProblems('admin-v2-extras')).to.deep.equal([])
  })

  it('loads every operation of the Confluence documents in contracts/, the 2026 v2 one with space-role-mode included', async () => {
    const contracts = await loadContracts()
    const documented = (file: string) => {
      const document = JSON.parse(readFileSync(resolve(specsDir, file), 'utf8')) as {paths: Record<string, object>}
      return Object.values(document.paths).flatMap((item) =>
        Object.keys(item).filter((k) => ['delete', 'get', 'patch', 'post', 'put'].includes(k)),
      ).length
    }

    expect(contracts.operations('confluence-v1'))
      .to.have.length(documented('confluence-v1.openapi.json'))
      .and.to.have.length.above(150)
    expect(contracts.operations('confluence-v2'))
      .to.have.length(documented('confluence-v2.openapi.json'))
      .and.to.have.length.above(200)
    expect(contracts.operations('confluence-v2').map((o) => o.operationId)).to.include.members([
      'getSpaceRoleMode',
      'getSpaces',
    ])
  })
})
