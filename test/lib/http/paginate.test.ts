import {expect} from 'chai'
import nock from 'nock'

import {CfadminError} from '../../../src/lib/errors.js'
import {createHttpClient} from '../../../src/lib/http/client.js'
import type {RatePacer} from '../../../src/lib/http/pacer.js'
import {
  nextFromLinkHeader,
  paginateAdmin,
  paginateV1,
  paginateV2,
  resolveNextLink,
} from '../../../src/lib/http/paginate.js'
import {madeUp, rejectionOf, SITE} from './helpers.js'

const GATEWAY = 'https://api.atlassian.com/ex/confluence/cloud-1'
const ADMIN = 'https://api.atlassian.com/admin'

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = []
  for await (const item of items) all.push(item)
  return all
}

const site = () => createHttpClient({family: 'site', baseUrl: SITE, retry: {limit: 0}})

describe('http pagination', () => {
  describe('Confluence v1 (start/limit)', () => {
    it('follows _links.next relative to the /wiki context, as Confluence Cloud sends it', async () => {
      const scope = nock(SITE)
        .get('/wiki/rest/api/group')
        .query({accessType: 'user', limit: 2})
        .reply(200, {
          results: [{name: 'a'}, {name: 'b'}],
          start: 0,
          limit: 2,
          size: 2,
          _links: {
            base: `${SITE}/wiki`,
            context: '/wiki',
            next: '/rest/api/group?next=true&limit=2&start=2&accessType=user',
          },
        })
        .get('/wiki/rest/api/group')
        .query({next: 'true', limit: 2, start: 2, accessType: 'user'})
        .reply(200, {
          results: [{name: 'c'}],
          start: 2,
          limit: 2,
          size: 1,
          _links: {base: `${SITE}/wiki`, context: '/wiki'},
        })
      const names = await collect(
        paginateV1<{name: string}>(await site(), 'wiki/rest/api/group', {accessType: 'user'}, 2),
      )
      expect(names.map((g) => g.name)).to.deep.equal(['a', 'b', 'c'])
      scope.done()
    })

    it('without next links, asks for the next start until a page comes back short', async () => {
      const scope = nock(SITE)
        .get('/wiki/rest/api/search/user')
        .query({cql: 'type=user', limit: 2})
        .reply(200, {results: [1, 2], start: 0, limit: 2, size: 2})
        .get('/wiki/rest/api/search/user')
        .query({cql: 'type=user', limit: 2, start: 2})
        .reply(200, {results: [3, 4], start: 2, limit: 2, size: 2})
        .get('/wiki/rest/api/search/user')
        .query({cql: 'type=user', limit: 2, start: 4})
        .reply(200, {results: [5], start: 4, limit: 2, size: 1})
      expect(
        await collect(paginateV1(await site(), '/wiki/rest/api/search/user', {cql: 'type=user'}, 2)),
      ).to.deep.equal([1, 2, 3, 4, 5])
      scope.done()
    })

    it('stops on an empty page even when it is not short of a known limit', async () => {
      const scope = nock(SITE)
        .get('/wiki/rest/api/group')
        .reply(200, {results: [1], start: 0, limit: 1, size: 1})
        .get('/wiki/rest/api/group')
        .query({start: 1, limit: 1})
        .reply(200, {results: [], start: 1, limit: 1, size: 0})
      expect(await collect(paginateV1(await site(), 'wiki/rest/api/group'))).to.deep.equal([1])
      scope.done()
    })

    it('refuses a page without a results list with UNEXPECTED_RESPONSE', async () => {
      const scope = nock(SITE).get('/wiki/rest/api/group').reply(200, {groups: []})
      const error = await rejectionOf(collect(paginateV1(await site(), 'wiki/rest/api/group')))
      expect(error).to.be.instanceOf(CfadminError).and.include({code: 'UNEXPECTED_RESPONSE', exit: 2})
      expect(error.message).to.equal('Unexpected page from GET /wiki/rest/api/group: no "results" list')
      scope.done()
    })
  })

  it('reports a 200 answer that is not JSON (e.g. a login page) as UNEXPECTED_RESPONSE, without the query', async () => {
    const scope = madeUp()
      .get('/wiki/api/v2/spaces')
      .query({token: 'FAKE-QUERY-TOKEN'})
      .reply(200, '<html>Log in</html>')
    const error = await rejectionOf(
      collect(paginateV2(await site(), 'wiki/api/v2/spaces', {token: 'FAKE-QUERY-TOKEN'})),
    )
    expect(error).to.be.instanceOf(CfadminError).and.include({code: 'UNEXPECTED_RESPONSE', exit: 2})
    expect(error.message).to.equal('Confluence sent a body that is not valid JSON to GET /wiki/api/v2/spaces')
    scope.done()
  })

  describe('Confluence v2 (cursor)', () => {
    it('resolves a relative _links.next under the gateway base path', async () => {
      const scope = nock('https://api.atlassian.com')
        .get('/ex/confluence/cloud-1/wiki/api/v2/spaces')
        .query({keys: 'ENG,OPS', limit: 1})
        .reply(200, {
          results: [{key: 'ENG'}],
          _links: {next: '/wiki/api/v2/spaces?keys=ENG,OPS&limit=1&cursor=x', base: 'https://acme.atlassian.net/wiki'},
        })
        .get('/ex/confluence/cloud-1/wiki/api/v2/spaces')
        .query({keys: 'ENG,OPS', limit: 1, cursor: 'x'})
        .reply(200, {results: [{key: 'OPS'}], _links: {}})
      const client = await createHttpClient({family: 'gateway', baseUrl: GATEWAY, retry: {limit: 0}})
      const spaces = await collect(paginateV2<{key: string}>(client, 'wiki/api/v2/spaces', {keys: 'ENG,OPS'}, 1))
      expect(spaces.map((s) => s.key)).to.deep.equal(['ENG', 'OPS'])
      scope.done()
    })

    it('follows the Link rel="next" header when the body has no next link', async () => {
      const scope = nock(SITE)
        .get('/wiki/api/v2/spaces/9/permissions')
        .reply(200, {results: [1]}, {Link: '</wiki/api/v2/spaces/9/permissions?cursor=abc%2Fdef>; rel="next"'})
        .get('/wiki/api/v2/spaces/9/permissions')
        .query({cursor: 'abc/def'})
        .reply(200, {results: [2], _links: {}})
      expect(await collect(paginateV2(await site(), 'wiki/api/v2/spaces/9/permissions'))).to.deep.equal([1, 2])
      scope.done()
    })

    it('stops when the next link repeats one already followed', async () => {
      const next = '/wiki/api/v2/spaces?cursor=same'
      const scope = nock(SITE)
        .get('/wiki/api/v2/spaces')
        .reply(200, {results: [1], _links: {next}})
        .get('/wiki/api/v2/spaces')
        .query({cursor: 'same'})
        .reply(200, {results: [2], _links: {next}})
      expect(await collect(paginateV2(await site(), 'wiki/api/v2/spaces'))).to.deep.equal([1, 2])
      scope.done()
      expect(nock.pendingMocks()).to.deep.equal([])
    })
  })

  describe('Admin API (cursor)', () => {
    const admin = () => createHttpClient({family: 'admin', baseUrl: ADMIN, retry: {limit: 0}})

    it('sends links.next back as the cursor query parameter for GET', async () => {
      const scope = madeUp('https://api.atlassian.com')
        .get('/admin/v2/orgs/o1/directories/-/groups')
        .query({searchTerm: 'conf'})
        .reply(200, {data: [{id: 'g1'}], links: {next: 'c+2/=='}})
        .get('/admin/v2/orgs/o1/directories/-/groups')
        .query({searchTerm: 'conf', cursor: 'c+2/=='})
        .reply(200, {data: [{id: 'g2'}], links: {}})
      const groups = await collect(
        paginateAdmin<{id: string}>(await admin(), 'v2/orgs/o1/directories/-/groups', {
          searchParams: {searchTerm: 'conf'},
        }),
      )
      expect(groups.map((g) => g.id)).to.deep.equal(['g1', 'g2'])
      scope.done()
    })

    it('sends the cursor as a body field for POST searches, keeping the search', async () => {
      const scope = nock('https://api.atlassian.com')
        .post('/admin/v2/orgs/o1/directories/-/users/search', {emails: ['a@x.com'], limit: 1})
        .reply(200, {data: ['u1'], links: {next: 'n1'}})
        .post('/admin/v2/orgs/o1/directories/-/users/search', {emails: ['a@x.com'], limit: 1, cursor: 'n1'})
        .reply(200, {data: ['u2'], links: {next: null}})
      const users = await collect(
        paginateAdmin(await admin(), 'v2/orgs/o1/directories/-/users/search', {
          method: 'POST',
          json: {emails: ['a@x.com'], limit: 1},
        }),
      )
      expect(users).to.deep.equal(['u1', 'u2'])
      scope.done()
    })

    it('paces every page of a listing that asks for it on the request budget the answers report', async () => {
      const shares: (number | undefined)[] = []
      const pacer = {async acquire() {}, rateLimited() {}, succeeded: (share?: number) => shares.push(share)}
      const budget = (remaining: number) => ({'X-RateLimit-Limit': '10', 'X-RateLimit-Remaining': String(remaining)})
      const scope = nock('https://api.atlassian.com')
        .post('/admin/v2/orgs/o1/directories/-/users/search', {limit: 1})
        .reply(200, {data: ['u1'], links: {next: 'n1'}}, budget(8))
        .post('/admin/v2/orgs/o1/directories/-/users/search', {limit: 1, cursor: 'n1'})
        .reply(200, {data: ['u2'], links: {}}, budget(3))
      const client = await createHttpClient({
        baseUrl: ADMIN,
        family: 'admin',
        pacer: pacer as unknown as RatePacer,
        retry: {limit: 0},
      })
      const users = await collect(
        paginateAdmin(client, 'v2/orgs/o1/directories/-/users/search', {
          json: {limit: 1},
          method: 'POST',
          paceOnBudget: true,
        }),
      )
      expect(users).to.deep.equal(['u1', 'u2'])
      expect(shares).to.deep.equal([0.8, 0.3])
      scope.done()
    })

    it('sends {cursor} alone when asked (Workspaces API rule)', async () => {
      const scope = nock('https://api.atlassian.com')
        .post('/admin/v2/orgs/o1/workspaces', {limit: 1})
        .reply(200, {data: ['w1'], links: {next: 'n1'}})
        .post('/admin/v2/orgs/o1/workspaces', {cursor: 'n1'})
        .reply(200, {data: ['w2'], links: {}})
      const items = await collect(
        paginateAdmin(await admin(), 'v2/orgs/o1/workspaces', {method: 'POST', json: {limit: 1}, cursorOnly: true}),
      )
      expect(items).to.deep.equal(['w1', 'w2'])
      scope.done()
    })

    it('takes the cursor parameter out of an Admin v1 links.next URL', async () => {
      const scope = nock('https://api.atlassian.com')
        .get('/admin/v1/orgs/o1/users')
        .reply(200, {data: [1], links: {next: 'https://api.atlassian.com/admin/v1/orgs/o1/users?cursor=abc'}})
        .get('/admin/v1/orgs/o1/users')
        .query({cursor: 'abc'})
        .reply(200, {data: [2], links: {}})
      expect(await collect(paginateAdmin(await admin(), '/v1/orgs/o1/users'))).to.deep.equal([1, 2])
      scope.done()
    })

    it('retries a POST search page, which is read-only', async () => {
      const scope = nock('https://api.atlassian.com')
        .post('/admin/v2/orgs/o1/directories/-/groups/search')
        .reply(503)
        .post('/admin/v2/orgs/o1/directories/-/groups/search')
        .reply(200, {data: ['g'], links: {}})
      const client = await createHttpClient({
        family: 'admin',
        baseUrl: ADMIN,
        retry: {limit: 1, baseDelayMs: 5, maxDelayMs: 20, minDelayMs: 1},
      })
      expect(
        await collect(paginateAdmin(client, 'v2/orgs/o1/directories/-/groups/search', {method: 'POST', json: {}})),
      ).to.deep.equal(['g'])
      scope.done()
    })

    it('stops when the cursor repeats', async () => {
      const scope = nock('https://api.atlassian.com')
        .get('/admin/v1/orgs')
        .reply(200, {data: [1], links: {next: 'loop'}})
        .get('/admin/v1/orgs')
        .query({cursor: 'loop'})
        .reply(200, {data: [2], links: {next: 'loop'}})
      expect(await collect(paginateAdmin(await admin(), 'v1/orgs'))).to.deep.equal([1, 2])
      scope.done()
    })
  })

  describe('next links', () => {
    it('resolves links against the base URL, with or without a base path, never to another host', async () => {
      const gateway = await createHttpClient({family: 'gateway', baseUrl: GATEWAY})
      expect(resolveNextLink(gateway, '/wiki/api/v2/spaces?cursor=x')).to.equal(
        `${GATEWAY}/wiki/api/v2/spaces?cursor=x`,
      )
      expect(resolveNextLink(gateway, '/ex/confluence/cloud-1/wiki/api/v2/spaces?cursor=x')).to.equal(
        `${GATEWAY}/wiki/api/v2/spaces?cursor=x`,
      )
      expect(resolveNextLink(gateway, 'https://evil.example/wiki/api/v2/spaces?cursor=x')).to.equal(
        `${GATEWAY}/wiki/api/v2/spaces?cursor=x`,
      )
      expect(resolveNextLink(gateway, '/rest/api/group?start=2', {context: '/wiki'})).to.equal(
        `${GATEWAY}/wiki/rest/api/group?start=2`,
      )
      const local = await createHttpClient({family: 'site', baseUrl: 'http://127.0.0.1:4567'})
      expect(resolveNextLink(local, '/wiki/api/v2/spaces?cursor=y', {context: '/wiki'})).to.equal(
        'http://127.0.0.1:4567/wiki/api/v2/spaces?cursor=y',
      )
    })

    it('reads rel="next" among several Link header entries', () => {
      expect(nextFromLinkHeader('</a?cursor=1>; rel="prev", </a?cursor=2>; rel="next"')).to.equal('/a?cursor=2')
      expect(nextFromLinkHeader('</a?cursor=1>; rel="prev"')).to.equal(undefined)
      expect(nextFromLinkHeader(undefined)).to.equal(undefined)
    })
  })
})
