import {expect} from 'chai'
import type nock from 'nock'

import {countDirectoryUsers, directoryUserPages} from '../../../src/lib/api/directory-listing.js'
import {adminClient, API_HOST, DIR, intercept, noteTest, ORG} from './support.js'

const DIRECTORY = `/admin/v2/orgs/${ORG}/directories/${DIR}`
const COUNT = `${DIRECTORY}/users/count?directoryIds=${DIR}`
const SEARCH = `${DIRECTORY}/users/search`

/** Every user of the listing, its pages put end to end. */
const all = async <T>(pages: AsyncIterable<T[]>) => {
  const list: T[] = []
  for await (const page of pages) list.push(...page)
  return list
}

/** `n` users u000.. sorted by name, each with an email. */
const people = (from: number, to: number) =>
  Array.from({length: to - from}, (_, i) => {
    const n = String(from + i).padStart(3, '0')
    return {accountId: `acc-${n}`, email: `u${n}@example.com`, name: `U${n}`, status: 'active'}
  })

const sorted = (direction: 'asc' | 'desc', extra: object = {}) => ({
  limit: 100,
  sortBy: [{direction, field: 'nick_name'}],
  ...extra,
})

/**
 * One end's listing of `users` (in that end's order), 100 a page, on `scope`; the pages from `optionalFrom` on may go
 * unasked (the other end got there first, or the end was dropped).
 */
function listedEnd(scope: nock.Scope, direction: 'asc' | 'desc', users: object[], optionalFrom = Infinity): void {
  for (let page = 0; page * 100 < users.length; page++) {
    const more = (page + 1) * 100 < users.length
    const interceptor = scope.post(SEARCH, sorted(direction, page === 0 ? {} : {cursor: `${direction}-${page}`}))
    ;(page >= optionalFrom ? interceptor.optionally() : interceptor).reply(200, {
      data: users.slice(page * 100, page * 100 + 100),
      links: more ? {next: `${direction}-${page + 1}`} : {},
    })
  }
}

describe('api/directory-listing (Admin API)', () => {
  beforeEach(function () {
    noteTest(this.currentTest?.fullTitle() ?? '')
  })

  describe('one listing (no count, or a small directory)', () => {
    it('lists the directory 100 users a page, following the cursor, and gives users without an email as such', async () => {
      const scope = intercept(API_HOST)
        .get(COUNT)
        .reply(404, {code: 404, message: 'Not Found'})
        .post(SEARCH, {limit: 100})
        .reply(200, {
          data: [
            {accountId: 'acc-ann', email: 'ann@example.com', name: 'Ann', status: 'active'},
            {accountId: 'acc-hid', name: 'Hid', status: 'active'},
          ],
          links: {next: 'PAGE-2'},
        })
        .post(SEARCH, {cursor: 'PAGE-2', limit: 100})
        .reply(200, {data: [{accountId: 'acc-sus', email: 'sus@example.com', status: 'suspended'}], links: {}})
      expect(await all(directoryUserPages(await adminClient(), ORG, DIR))).to.deep.equal([
        {accountId: 'acc-ann', email: 'ann@example.com', name: 'Ann', status: 'active'},
        {accountId: 'acc-hid', name: 'Hid', status: 'active'},
        {accountId: 'acc-sus', email: 'sus@example.com', status: 'suspended'},
      ])
      scope.done()
    })

    it('asks for expand ["groups"] on every page with groups, and gives the group names', async () => {
      const scope = intercept(API_HOST)
        .get(COUNT)
        .reply(200, {count: 2})
        .post(SEARCH, {expand: ['groups'], limit: 100})
        .reply(200, {
          data: [{accountId: 'acc-a', email: 'a@example.com', groups: [{id: 'g1', name: 'eng'}, {id: 'g2'}]}],
          links: {next: 'N'},
        })
        .post(SEARCH, {cursor: 'N', expand: ['groups'], limit: 100})
        .reply(200, {data: [{accountId: 'acc-b', email: 'b@example.com'}], links: {}})
      const users = await all(directoryUserPages(await adminClient(), ORG, DIR, {groups: true}))
      expect(users.map((u) => u.groups)).to.deep.equal([['eng'], []])
      scope.done()
    })
  })

  describe('from both ends (a count above two pages)', () => {
    it('reads ascending and descending by nick_name at once and stops at the count, each user once', async () => {
      // 250 users: the ascending end's second page reaches the descending end's first; the overlap is given once.
      const everyone = people(0, 250)
      const scope = intercept(API_HOST).get(COUNT).reply(200, {count: 250})
      listedEnd(scope, 'asc', everyone, 2)
      listedEnd(scope, 'desc', [...everyone].reverse(), 1)
      const users = await all(directoryUserPages(await adminClient(), ORG, DIR))
      expect(users).to.have.length(250)
      expect(new Set(users.map((u) => u.accountId)).size).to.equal(250)
      expect(users.find((u) => u.accountId === 'acc-042')).to.deep.equal(everyone[42])
      scope.done()
    })

    it('falls back to one listing when Atlassian ignores sortBy (both ends start with the same page)', async () => {
      const everyone = people(0, 250)
      const scope = intercept(API_HOST).get(COUNT).reply(200, {count: 250})
      listedEnd(scope, 'asc', everyone)
      listedEnd(scope, 'desc', everyone, 1)
      const users = await all(directoryUserPages(await adminClient(), ORG, DIR))
      expect(users.map((u) => u.accountId)).to.deep.equal(everyone.map((u) => u.accountId))
      scope.done()
    })

    it('lists the directory unsorted when Atlassian refuses sortBy with a 400', async () => {
      const everyone = people(0, 250)
      const refusal = {errors: [{code: 'ADMIN-400', title: 'Bad Request', detail: 'sortBy is not supported'}]}
      const scope = intercept(API_HOST)
        .get(COUNT)
        .reply(200, {count: 250})
        .post(SEARCH, sorted('asc'))
        .reply(400, refusal)
        .post(SEARCH, sorted('desc'))
        .reply(400, refusal)
        .post(SEARCH, {limit: 100})
        .reply(200, {data: everyone.slice(0, 200), links: {next: 'P2'}})
        .post(SEARCH, {cursor: 'P2', limit: 100})
        .reply(200, {data: everyone.slice(200, 250), links: {}})
      const users = await all(directoryUserPages(await adminClient(), ORG, DIR))
      expect(users.map((u) => u.accountId)).to.deep.equal(everyone.map((u) => u.accountId))
      scope.done()
    })

    it('when the count is more than the search lists, lets the ascending end finish alone once both ends meet', async () => {
      const everyone = people(0, 300)
      const scope = intercept(API_HOST).get(COUNT).reply(200, {count: 301})
      listedEnd(scope, 'asc', everyone)
      listedEnd(scope, 'desc', [...everyone].reverse(), 2)
      const users = await all(directoryUserPages(await adminClient(), ORG, DIR))
      expect(new Set(users.map((u) => u.accountId)).size).to.equal(300)
      expect(users).to.have.length(300)
      scope.done()
    })
  })

  describe('countDirectoryUsers', () => {
    it('reads {count} for this directory only', async () => {
      const scope = intercept(API_HOST).get(COUNT).reply(200, {count: 12_345})
      expect(await countDirectoryUsers(await adminClient(), ORG, DIR)).to.equal(12_345)
      scope.done()
    })

    it('says nothing (the listing goes one way) for a refusal, a missing endpoint or a count that is not a whole number', async () => {
      for (const [status, body] of [
        [403, {errors: [{code: 'ADMIN-403', title: 'Forbidden'}]}],
        [404, {code: 404, message: 'Not Found'}],
        [200, {count: '12'}],
        [200, {count: -1}],
        [200, {count: 1.5}],
        [200, {}],
      ] as const) {
        const scope = intercept(API_HOST).get(COUNT).reply(status, body)
        expect(await countDirectoryUsers(await adminClient(), ORG, DIR), JSON.stringify(body)).to.equal(undefined)
        scope.done()
      }
    })
  })
})
