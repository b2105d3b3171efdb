import {expect} from 'chai'

import {ExitCode} from '../../../src/lib/errors.js'
import {createHttpClient, type RetryNotices} from '../../../src/lib/http/client.js'
import {captureStderr, madeUp, rejectionOf, SITE} from './helpers.js'

function notices(): RetryNotices & {lines: string[]} {
  const lines: string[] = []
  return {lines, rateLimitMentioned: false, say: (line) => lines.push(line)}
}

const client = (family: 'site' | 'gateway' | 'admin' = 'site', told = notices(), baseUrl = SITE) =>
  createHttpClient({baseUrl, family, notices: told, retry: {limit: 0}})

/** Which X-Atlassian-Token each request carried (undefined: none). */
function tokenHeaders(): {scope: ReturnType<typeof madeUp>; seen: Array<string | undefined>} {
  const seen: Array<string | undefined> = []
  const scope = madeUp()
  const record = function (this: {req: {headers: Record<string, string | undefined>}}) {
    seen.push(this.req.headers['x-atlassian-token'])
    return [201, {}]
  } as unknown as () => [number, object]
  scope.post('/wiki/rest/api/group').reply(record)
  scope.delete('/wiki/rest/api/group/userByGroupId').query(true).reply(record)
  scope.put('/wiki/rest/api/content/1').reply(record)
  scope.get('/wiki/rest/api/group').reply(record)
  scope.post('/wiki/api/v2/user/access/invite-by-email').reply(record)
  return {scope, seen}
}

describe('http client: Confluence of 2026 (atlassian-2026.md §2, §6)', () => {
  it('sends X-Atlassian-Token: no-check on v1 writes (POST, PUT, DELETE under /wiki/rest/api), not on reads or v2', async () => {
    const {scope, seen} = tokenHeaders()
    const site = await client()
    await site.post('wiki/rest/api/group', {json: {name: 'x'}})
    await site.delete('wiki/rest/api/group/userByGroupId', {searchParams: {groupId: 'g'}})
    await site.put('wiki/rest/api/content/1', {json: {}})
    await site.get('wiki/rest/api/group')
    await site.post('wiki/api/v2/user/access/invite-by-email', {json: {emails: []}})
    expect(seen).to.deep.equal(['no-check', 'no-check', 'no-check', undefined, undefined])
    scope.done()
  })

  it('sends it on the OAuth gateway too, and never to the Admin API', async () => {
    const seen: Array<string | undefined> = []
    const scope = madeUp('https://api.atlassian.com')
      .post('/ex/confluence/cloud-1/wiki/rest/api/group')
      .reply(function () {
        seen.push(this.req.headers['x-atlassian-token'] as string | undefined)
        return [201, {}]
      })
      .post('/admin/v2/orgs/o/users/invite')
      .reply(function () {
        seen.push(this.req.headers['x-atlassian-token'] as string | undefined)
        return [200, {}]
      })
    await (
      await client('gateway', notices(), 'https://api.atlassian.com/ex/confluence/cloud-1')
    ).post('wiki/rest/api/group', {json: {}})
    await (
      await client('admin', notices(), 'https://api.atlassian.com/admin')
    ).post('v2/orgs/o/users/invite', {
      json: {},
    })
    expect(seen).to.deep.equal(['no-check', undefined])
    scope.done()
  })

  it('tells a Warning: 299 once per run and endpoint, naming the endpoint; DEBUG shows the header every time', async () => {
    const warning = '299 - "Deprecated API, will be removed on 2027-01-01"'
    const scope = madeUp()
      .get('/wiki/rest/api/group/by-name')
      .query(true)
      .times(2)
      .reply(200, {}, {Warning: warning})
      .get('/wiki/rest/api/group/picker')
      .query(true)
      .reply(200, {}, {Warning: warning})
      .get('/wiki/rest/api/group')
      .reply(200, {}, {Warning: '199 - "something else"'})
    const told = notices()
    const first = await client('site', told)
    const second = await client('site', told)
    const saved = process.env.DEBUG
    process.env.DEBUG = 'cfadmin*'
    let debug = ''
    try {
      debug = await captureStderr(async () => {
        await first.get('wiki/rest/api/group/by-name', {searchParams: {name: 'a'}})
        await second.get('wiki/rest/api/group/by-name', {searchParams: {name: 'b'}})
        await first.get('wiki/rest/api/group/picker', {searchParams: {query: 'a'}})
        await first.get('wiki/rest/api/group')
      })
    } finally {
      if (saved === undefined) delete process.env.DEBUG
      else process.env.DEBUG = saved
    }

    expect(told.lines).to.deep.equal([
      `Warning: Atlassian removed or is removing this endpoint: GET /wiki/rest/api/group/by-name (${warning})`,
      `Warning: Atlassian removed or is removing this endpoint: GET /wiki/rest/api/group/picker (${warning})`,
    ])
    expect(debug.match(/GET \/wiki\/rest\/api\/group\/by-name Warning: 299/g)).to.have.length(2)
    scope.done()
  })

  it('reports a 410 as an endpoint Atlassian removed, naming it, exit 2 (trying again cannot help)', async () => {
    const scope = madeUp('https://api.atlassian.com')
      .get('/ex/confluence/cloud-1/wiki/rest/api/group/by-name')
      .query(true)
      .reply(410, {message: 'This deprecated endpoint has been removed'})
    const gateway = await client('gateway', notices(), 'https://api.atlassian.com/ex/confluence/cloud-1')
    const error = await rejectionOf(gateway.get('wiki/rest/api/group/by-name', {searchParams: {name: 'x'}}).json())
    expect(error.message).to.equal(
      'Atlassian removed or is removing this endpoint: GET /ex/confluence/cloud-1/wiki/rest/api/group/by-name (Confluence (via api.atlassian.com) answered 410: This deprecated endpoint has been removed)',
    )
    expect(error).to.include({code: 'HTTP_410', exit: ExitCode.badInput})
    expect((error as {hint?: string}).hint).to.match(/update cfadmin; meanwhile an API token on the site URL/)
    scope.done()
  })
})
