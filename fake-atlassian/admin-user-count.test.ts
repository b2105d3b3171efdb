import {expect} from 'chai'

import {bearer, defaultSeedCredentials as seed, defaultSeedIds as ids} from './credentials.js'
import {generateSeed} from './generate.js'
import {addUser, reindex} from './model.js'
import {call} from './testing.js'
import {useFakeAtlassian} from './use-fake.js'

const key = bearer(seed.adminKey)
const org = `/admin/v2/orgs/${seed.orgId}`
const dir = `${org}/directories/${seed.directoryId}`

interface Listed {
  accountId: string
  nickname: string
  status: string
}

const collator = new Intl.Collator('en', {sensitivity: 'base'})

describe('fake Atlassian: Admin API users/count and a users/search sorted by nickname', () => {
  // 40 generated users: nicknames gen-000NN / Gen-000NN / GEN-000NN, three users each (ties in every case).
  const fake = useFakeAtlassian({seed: generateSeed({groups: 4, spaces: 0, users: 40})})

  const expectOffContract = (status: number, ...mentions: string[]) => {
    expect(status).to.equal(400)
    expect(fake.contractViolations).to.have.length(1)
    for (const m of mentions) expect(fake.contractViolations[0]).to.include(m)
    fake.contractViolations.length = 0
  }

  /** Every user a search lists, page by page through links.next; fails on a page that does not answer 200. */
  async function listAll(body: Record<string, unknown>, path = dir): Promise<Listed[]> {
    const users: Listed[] = []
    let request: Record<string, unknown> = body
    for (;;) {
      const answer = await call(fake, 'POST', `${path}/users/search`, key, request)
      expect(answer.status, JSON.stringify(answer.body)).to.equal(200)
      users.push(...(answer.body.data as Listed[]))
      const next = answer.body.links.next as string | undefined
      if (!next) return users
      request = {cursor: next}
    }
  }

  async function count(query = '', path = dir) {
    return call(fake, 'GET', `${path}/users/count${query ? `?${query}` : ''}`, key)
  }

  describe('GET .../users/count', () => {
    it('counts what users/search lists with the same filters: none, status, searchTerm, groupIds', async () => {
      const cases: [string, Record<string, unknown>][] = [
        ['', {}],
        ['status=active', {status: ['active']}],
        ['status=suspended&status=deactivated', {status: ['suspended', 'deactivated']}],
        ['searchTerm=user%201', {searchTerm: 'user 1'}],
        [
          `groupIds=${ids.groups.engineering}&groupIds=gen-group-0002`,
          {groupIds: [ids.groups.engineering, 'gen-group-0002']},
        ],
      ]
      for (const [query, body] of cases) {
        const listed = await listAll({...body, limit: 7})
        expect(listed.length, query).to.be.greaterThan(0)
        const {body: answer, status} = await count(query)
        expect(status, query).to.equal(200)
        expect(answer, query).to.deep.equal({count: listed.length})
      }
    })

    it('counts the whole org on directory "-" and only the accounts named by accountIds', async () => {
      expect((await count('', `${org}/directories/-`)).body.count).to.equal(
        (await listAll({}, `${org}/directories/-`)).length,
      )
      const query = `accountIds=${encodeURIComponent(ids.accounts.reader)}&accountIds=${encodeURIComponent(ids.accounts.crawler)}`
      expect((await count(query)).body).to.deep.equal({count: 2})
    })

    it('answers an unknown directory or org with 404, as users/search does', async () => {
      const {body, status} = await count('', `${org}/directories/dir-fake-9999`)
      expect(status).to.equal(404)
      expect(body.errors[0].code).to.equal('ADMIN-404-1')
      expect((await count('', '/admin/v2/orgs/org-fake-9999/directories/-')).status).to.equal(404)
    })

    it('wants the Admin key: a call without credentials is 401', async () => {
      const {status} = await call(fake, 'GET', `${dir}/users/count`)
      expect(status).to.equal(401)
    })

    it('refuses a misspelt filter, a bad status and a bad mfaEnabled as off-contract, naming them', async () => {
      expectOffContract((await count('statuses=active')).status, 'statuses')
      expectOffContract((await count('status=gone')).status, 'status')
      expectOffContract((await count('mfaEnabled=yes')).status, 'mfaEnabled')
      expectOffContract((await count('searchTerm=a&searchTerm=b')).status, 'searchTerm')
      expect((await count('mfaEnabled=false&claimStatus=managed')).status).to.equal(200)
    })

    it("userCount 'missing' answers 404 as an endpoint the org does not have", async () => {
      fake.state.behaviour.userCount = 'missing'
      const {body, status} = await count()
      expect(status).to.equal(404)
      expect(body.errors[0].detail).to.include('users/count')
    })

    it("userCount 'off-by-one' counts one user more than the search can list", async () => {
      fake.state.behaviour.userCount = 'off-by-one'
      expect((await count('status=active')).body.count).to.equal((await listAll({status: ['active']})).length + 1)
    })
  })

  describe('POST .../users/search with sortBy nick_name', () => {
    const sorted = (direction: 'asc' | 'desc') => ({limit: 7, sortBy: [{direction, field: 'nick_name'}]})

    /** Each neighbour pair in order: nicknames in `direction` (any case), equal nicknames by account ID ascending. */
    function expectOrdered(users: Listed[], direction: 'asc' | 'desc') {
      for (let i = 1; i < users.length; i++) {
        const [a, b] = [users[i - 1], users[i]]
        const byNickname = collator.compare(a.nickname, b.nickname)
        if (direction === 'asc') expect(byNickname, `${a.nickname} before ${b.nickname}`).to.be.at.most(0)
        else expect(byNickname, `${a.nickname} before ${b.nickname}`).to.be.at.least(0)
        if (byNickname === 0)
          expect(a.accountId < b.accountId, `tie ${a.nickname}: ${a.accountId}, ${b.accountId}`).to.be.true
      }
    }

    it('lists every user exactly once in each direction, ordered by nickname, ties by account ID ascending', async () => {
      const all = fake.state.users.filter((u) => u.directoryId === seed.directoryId).map((u) => u.accountId)
      for (const direction of ['asc', 'desc'] as const) {
        const listed = await listAll(sorted(direction))
        expect(listed.map((u) => u.accountId)).to.have.members(all)
        expect(new Set(listed.map((u) => u.accountId)).size).to.equal(listed.length)
        expectOrdered(listed, direction)
      }
    })

    it('meets ties in the generated seed, in any case, and breaks them the same way in both directions', async () => {
      const asc = await listAll(sorted('asc'))
      const desc = await listAll(sorted('desc'))
      const tie = (users: Listed[]) => users.filter((u) => u.nickname.toLowerCase() === 'gen-00001')
      expect(tie(asc).map((u) => u.nickname)).to.deep.equal(['gen-00001', 'Gen-00001', 'GEN-00001'])
      expect(tie(desc).map((u) => u.accountId)).to.deep.equal(tie(asc).map((u) => u.accountId))
      expect(desc.map((u) => u.accountId)).to.not.deep.equal(asc.map((u) => u.accountId).reverse())
    })

    it('keeps the filters and the sort on every page of the cursor', async () => {
      const listed = await listAll({...sorted('desc'), status: ['active']})
      expect(listed.every((u) => u.status === 'active')).to.be.true
      expect(listed.length).to.equal((await count('status=active')).body.count)
      expectOrdered(listed, 'desc')
    })

    it('sees a user added between two pages in a new listing, and the listing under way goes on in order', async () => {
      const first = await call(fake, 'POST', `${dir}/users/search`, key, sorted('asc'))
      addUser(fake.state, {directoryId: seed.directoryId, email: 'aaron.added@acme.example', name: 'AAA Added'})
      const rest = await listAll({cursor: first.body.links.next})
      expectOrdered([...first.body.data, ...rest], 'asc')
      const fresh = await listAll(sorted('asc'))
      expect(fresh[0].nickname).to.equal('AAA Added')
      expect(fresh.length).to.equal((await count()).body.count)
    })

    it('follows a user renamed in place once reindex(state) is called', async () => {
      const user = fake.state.users.find((u) => u.nickname === 'gen-00002')!
      expect((await listAll(sorted('asc')))[0].accountId).to.not.equal(user.accountId)
      user.nickname = '0 first'
      reindex(fake.state)
      expect((await listAll(sorted('asc')))[0].accountId).to.equal(user.accountId)
    })

    it('refuses an unknown sortBy field, two fields or another direction as off-contract, naming them', async () => {
      const search = (sortBy: unknown) => call(fake, 'POST', `${dir}/users/search`, key, {sortBy})
      expectOffContract((await search([{direction: 'asc', field: 'email'}])).status, 'sortBy', '"email"')
      expectOffContract(
        (
          await search([
            {direction: 'asc', field: 'nick_name'},
            {direction: 'desc', field: 'nick_name'},
          ])
        ).status,
        'sortBy',
        'one field',
      )
      expectOffContract((await search([{direction: 'up', field: 'nick_name'}])).status, 'sortBy', 'direction')
    })

    it("userSearchSort 'ignored' accepts sortBy and lists in the default order", async () => {
      fake.state.behaviour.userSearchSort = 'ignored'
      const asc = await call(fake, 'POST', `${dir}/users/search`, key, sorted('asc'))
      const desc = await call(fake, 'POST', `${dir}/users/search`, key, sorted('desc'))
      expect(asc.status).to.equal(200)
      expect(desc.body.data).to.deep.equal(asc.body.data)
      expect((await listAll(sorted('desc'))).map((u) => u.accountId)).to.deep.equal(
        (await listAll({limit: 7})).map((u) => u.accountId),
      )
    })

    it("userSearchSort 'refused' answers 400 naming sortBy as unsupported; without sortBy the search works", async () => {
      fake.state.behaviour.userSearchSort = 'refused'
      const {body, status} = await call(fake, 'POST', `${dir}/users/search`, key, sorted('asc'))
      expect(status).to.equal(400)
      expect(body.errors[0].detail).to.include('sortBy').and.include('not supported')
      expect(fake.contractViolations).to.deep.equal([])
      expect((await call(fake, 'POST', `${dir}/users/search`, key, {limit: 7})).status).to.equal(200)
    })

    it('answers the nickname of the seed, else the display name', async () => {
      const {body} = await call(fake, 'POST', `${dir}/users/search`, key, {
        accountIds: [ids.accounts.reader, '712020:gen-user-00015', '712020:gen-user-00029'],
      })
      expect(body.data.map((u: Listed & {name: string}) => [u.name, u.nickname])).to.deep.equal([
        ['Rita Reader', 'Rita Reader'],
        ['Generated User 15', 'Gen-00001'],
        ['Generated User 29', 'GEN-00001'],
      ])
    })
  })
})
