import {execFile} from 'node:child_process'
import {join} from 'node:path'
import {promisify} from 'node:util'

import {expect} from 'chai'
import got from 'got'
import nock from 'nock'

import {allowUndocumentedRequests, takeContractProblems, undocumentedScope} from './nock.js'
import {projectRoot} from './paths.js'

const SITE = 'https://acme.atlassian.net'
const API = 'https://api.atlassian.com'
const AUTH = 'https://auth.atlassian.com'

/** Sends one request through a scope made for it and gives the contract problems the harness found. */
async function problemsOf(
  origin: string,
  method: 'get' | 'post',
  path: string,
  body?: unknown,
  scope: nock.Scope = nock(origin),
): Promise<string[]> {
  scope.intercept(path.split('?')[0], method.toUpperCase()).query(true).reply(200, {})
  await got(`${origin}${path}`, {method: method.toUpperCase() as 'GET' | 'POST', ...(body ? {json: body} : {})})
  return takeContractProblems()
}

describe('nock harness: every request a scope answers is checked against the contracts', function () {
  this.timeout(60_000) // the first check loads the contracts

  it('fails the test that sent an off-contract request, naming it, and runs the next test', async () => {
    const {stdout} = await promisify(execFile)(
      process.execPath,
      [
        join(projectRoot, 'node_modules/mocha/bin/mocha.js'),
        '--reporter',
        'json',
        join(projectRoot, 'test/fixtures/nock-contract/off-contract.fixture.ts'),
      ],
      {cwd: projectRoot, env: {...process.env, NODE_V8_COVERAGE: ''}},
    ).catch((error: {stdout?: string}) => ({stdout: error.stdout ?? ''}))
    const report = JSON.parse(stdout) as {
      failures: Array<{err: {message: string}; title: string}>
      passes: Array<{title: string}>
    }
    expect(report.failures.map((failure) => failure.title)).to.deep.equal(['sends an undocumented request'])
    expect(report.failures[0].err.message).to.include(
      "on https://acme.atlassian.net: POST /wiki/rest/api/group (confluence-v1 createGroup): requestBody must have required property 'name'",
    )
    expect(report.passes.map((pass) => pass.title)).to.include('runs after it and passes')
  })

  it('accepts documented requests on the host that serves them, the gateway and the OAuth endpoints included', async () => {
    expect(await problemsOf(SITE, 'get', '/wiki/rest/api/user/current')).to.deep.equal([])
    expect(await problemsOf(SITE, 'get', '/wiki/api/v2/spaces?limit=250')).to.deep.equal([])
    expect(await problemsOf(API, 'get', '/ex/confluence/c1/wiki/api/v2/spaces')).to.deep.equal([])
    expect(await problemsOf(API, 'post', '/admin/v2/orgs/o1/users/invite', {emails: ['a@example.com']})).to.deep.equal(
      [],
    )
    expect(await problemsOf(SITE, 'get', '/_edge/tenant_info')).to.deep.equal([])
    expect(await problemsOf(API, 'get', '/oauth/token/accessible-resources')).to.deep.equal([])
    expect(await problemsOf(AUTH, 'post', '/oauth/token', {grant_type: 'refresh_token'})).to.deep.equal([])
  })

  it('names the method, the address and the complaint of an unknown path, a bad query or a bad body', async () => {
    expect(await problemsOf(SITE, 'get', '/wiki/rest/api/nothing')).to.deep.equal([
      'on https://acme.atlassian.net: GET /wiki/rest/api/nothing matches no operation of confluence-v1',
    ])
    expect(await problemsOf(API, 'get', '/ex/confluence/c1/wiki/api/v2/spaces?limit=1000')).to.deep.equal([
      'on https://api.atlassian.com/ex/confluence/c1: GET /wiki/api/v2/spaces?limit=1000 (confluence-v2 getSpaces): query.limit must be <= 250',
    ])
    const [badBody] = await problemsOf(SITE, 'post', '/wiki/rest/api/space/ENG/permission', {
      operation: {key: 'read', target: 'galaxy'},
      subject: {identifier: 'g-1', type: 'group'},
    })
    expect(badBody).to.match(/^on https:\/\/acme\.atlassian\.net: POST \/wiki\/rest\/api\/space\/ENG\/permission \(/)
    expect(badBody).to.include('operation.target must be equal to one of the allowed values')
  })

  it('refuses a path on a host that does not serve it', async () => {
    expect(await problemsOf(SITE, 'post', '/admin/v2/orgs/o1/users/invite', {emails: ['a@example.com']})).to.deep.equal(
      [
        'POST https://acme.atlassian.net/admin/v2/orgs/o1/users/invite: acme.atlassian.net serves no Atlassian API at this path',
      ],
    )
    expect(await problemsOf(API, 'post', '/oauth/token', {grant_type: 'refresh_token'})).to.deep.equal([
      'POST https://api.atlassian.com/oauth/token: api.atlassian.com serves no Atlassian API at this path',
    ])
    expect(await problemsOf(AUTH, 'get', '/oauth/token/nothing')).to.deep.equal([
      "GET https://auth.atlassian.com/oauth/token/nothing: no Atlassian endpoint (the documents in contracts/ and the fake's OAuth and identity routes)",
    ])
  })

  it('lets a scope, or a whole test, answer undocumented requests when told why', async () => {
    const exempt = undocumentedScope(nock(SITE), 'this test is about the exemption')
    expect(await problemsOf(SITE, 'get', '/x', undefined, exempt)).to.deep.equal([])
    expect(await problemsOf(SITE, 'get', '/y'), 'other scopes are still checked').to.have.length(1)
    allowUndocumentedRequests('this test is about the exemption')
    expect(await problemsOf(SITE, 'get', '/z')).to.deep.equal([])
  })

  it('ends a test exemption with the test', async () => {
    expect(await problemsOf(SITE, 'get', '/z')).to.have.length(1)
  })
})
