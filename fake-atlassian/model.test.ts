import {expect} from 'chai'

import {basicAuth, bearer, defaultSeedCredentials as seed, defaultSeedIds as ids} from './credentials.js'
import {generateSeed} from './generate.js'
import {hasSpacePermission, isMember, userByEmail, writes} from './helpers.js'
import {findGroupsByName, findSpace, findUserByEmail, isMember as modelIsMember, reindex, seatsUsed} from './model.js'
import {type FakeAtlassian, startFakeAtlassian} from './server.js'
import {createState, readSeed} from './state.js'
import {call} from './testing.js'
import type {RecordedRequest} from './types.js'

const admin = basicAuth(seed.adminToken.email, seed.adminToken.token)

describe('fake Atlassian: state helpers, indexes and generated seeds', () => {
  describe('helpers', () => {
    const state = createState(readSeed('default'))

    it('isMember, hasSpacePermission (own, through a group, direct only, group by name) and userByEmail', () => {
      expect(isMember(state, ids.groups.marketing, ids.accounts.marketer)).to.equal(true)
      expect(isMember({state}, ids.groups.marketing, ids.accounts.reader)).to.equal(false)
      expect(hasSpacePermission(state, 'ENG', {id: ids.accounts.reader, type: 'user'})).to.equal(true)
      expect(
        hasSpacePermission(state, 'ENG', {id: ids.accounts.reader, type: 'user'}, 'read', {direct: true}),
      ).to.equal(false)
      expect(hasSpacePermission(state, 'ENG', {id: 'confluence-users-acme', type: 'group'})).to.equal(true)
      expect(hasSpacePermission(state, 'HR', {id: ids.accounts.reader, type: 'user'})).to.equal(false)
      expect(hasSpacePermission(state, 'MKT', {id: ids.accounts.spaceAdmin, type: 'user'}, 'administer')).to.equal(true)
      expect(userByEmail(state, 'MIA.marketer@acme.example')?.accountId).to.equal(ids.accounts.marketer)
      expect(userByEmail(state, 'nobody@acme.example')).to.equal(undefined)
    })

    it('the default seed starts with some principals able to read a space and some not, one personal space, seats in use', () => {
      const personal = state.spaces.filter((s) => s.type === 'personal')
      expect(personal.map((s) => s.key)).to.deep.equal([ids.personalSpaceKey])
      expect(state.spaces).to.have.length(7)
      expect(seatsUsed(state, seed.cloudId)).to.equal(5)
      expect(state.sites[0].licenceLimit).to.equal(25)
      expect(hasSpacePermission(state, 'DOCS', {id: ids.accounts.crawler, type: 'user'})).to.equal(false)
    })

    it('writes() lists accepted non-GET requests, filtered by method, path (with or without gateway prefix), family, operation or a predicate', () => {
      const r = (method: string, path: string, status: number, operation?: string): RecordedRequest => ({
        durationMs: 1,
        family: path.startsWith('/admin') ? 'admin' : path.startsWith('/ex/') ? 'gateway' : 'site',
        method,
        operation,
        path,
        query: {},
        status,
        time: '',
      })
      const fake = {
        requests: [
          r('GET', '/wiki/api/v2/spaces', 200),
          r('POST', '/wiki/rest/api/space/ENG/permission', 200, 'confluence-v1 addPermissionToSpace'),
          r('POST', '/wiki/rest/api/space/ENG/permission', 400, 'confluence-v1 addPermissionToSpace'),
          r('POST', '/ex/confluence/cloud-fake-0001/wiki/rest/api/space/ENG/permission', 200),
          r('POST', '/admin/v2/orgs/o/directories/d/groups/g/memberships', 204),
          r('POST', '/wiki/rest/api/group', 0),
        ],
      }
      expect(writes(fake)).to.have.length(3)
      expect(writes(fake, {path: '/wiki/rest/api/space/ENG/permission'})).to.have.length(2)
      expect(writes(fake, {family: 'admin'})).to.have.length(1)
      expect(writes(fake, {operation: 'addPermissionToSpace'})).to.have.length(1)
      expect(writes(fake, {method: 'post', path: /memberships$/})).to.have.length(1)
      expect(writes(fake, (x) => x.status === 204)).to.have.length(1)
    })
  })

  describe('indexes', () => {
    it('follow lists that tests replace, push to or splice', () => {
      const state = createState(readSeed('default'))
      expect(findUserByEmail(state, 'new@acme.example')).to.equal(undefined)
      state.users.push({
        accountId: 'a-new',
        apiTokens: [],
        directoryId: seed.directoryId,
        email: 'new@acme.example',
        emailVisible: true,
        name: 'New',
        siteAdmin: false,
        status: 'active',
      })
      expect(findUserByEmail(state, 'NEW@acme.example')?.accountId).to.equal('a-new')
      state.memberships = state.memberships.filter((m) => m.groupId !== ids.groups.marketing)
      expect(modelIsMember(state, ids.groups.marketing, ids.accounts.marketer)).to.equal(false)
      state.spaces.splice(0, 1)
      expect(findSpace(state, 'ENG')).to.equal(undefined)
    })

    it('notice a renamed key on a hit, and reindex() covers the rest', () => {
      const state = createState(readSeed('default'))
      expect(findUserByEmail(state, 'reader@acme.example')).not.to.equal(undefined)
      state.users[1].email = 'rita@acme.example'
      expect(findUserByEmail(state, 'reader@acme.example')).to.equal(undefined)
      expect(findUserByEmail(state, 'rita@acme.example')?.accountId).to.equal(ids.accounts.reader)
      state.groups[5].name = 'growth'
      reindex(state)
      expect(findGroupsByName(state, 'growth').map((g) => g.id)).to.deep.equal([ids.groups.marketing])
    })
  })

  describe('generateSeed', () => {
    it('builds a valid, deterministic seed on top of the default one', () => {
      const a = generateSeed({groups: 5, spaces: 250, users: 30})
      expect(a).to.deep.equal(generateSeed({groups: 5, spaces: 250, users: 30}))
      const state = createState(a)
      expect(state.spaces).to.have.length(7 + 250)
      expect(state.users).to.have.length(12 + 30)
      expect(state.groups).to.have.length(7 + 5)
      expect(state.spaces.filter((s) => s.type === 'personal')).to.have.length(1 + 2)
      expect(hasSpacePermission(state, 'GEN00003', {id: ids.accounts.reader, type: 'user'})).to.equal(true) // confluence-users on every third
      expect(hasSpacePermission(state, 'GEN00001', {id: ids.accounts.reader, type: 'user'})).to.equal(false)
      expect(state.users.find((u) => u.accountId === ids.accounts.admin)?.apiTokens).to.include('fake-api-token-admin')
    })

    it('serves 1,000 spaces and a mixed load, every answer documented (prints the figures)', async function () {
      this.timeout(60_000)
      const started = performance.now()
      const fake: FakeAtlassian = await startFakeAtlassian({seed: generateSeed({groups: 50, spaces: 1000, users: 500})})
      const startMs = performance.now() - started
      try {
        const requests: [string, string, unknown?][] = []
        for (let i = 1; i <= 100; i++) {
          const n = i * 7 + (i % 100 === 0 ? 1 : 0) // every 100th generated space is a personal one, with another key
          const key = `GEN${String(n).padStart(5, '0')}`
          requests.push(
            ['GET', `/wiki/api/v2/spaces?keys=${key}`],
            ['GET', `/wiki/api/v2/spaces/${200_000 + n}/permissions?limit=250`],
            [
              'POST',
              `/wiki/rest/api/space/${key}/permission`,
              {operation: {key: 'read', target: 'space'}, subject: {identifier: ids.accounts.crawler, type: 'user'}},
            ],
          )
        }

        const admin2 = `/admin/v2/orgs/${seed.orgId}/directories/${seed.directoryId}`
        for (let i = 1; i <= 100; i++)
          requests.push([
            'POST',
            `${admin2}/users/search`,
            {emails: [`user-${String(i).padStart(5, '0')}@gen.acme.example`]},
          ])
        const t0 = performance.now()
        const statuses: number[] = []
        // 10 in flight at a time.
        for (let i = 0; i < requests.length; i += 10) {
          const batch = requests
            .slice(i, i + 10)
            .map(([method, path, body]) =>
              call(fake, method, path, path.startsWith('/admin') ? bearer(seed.adminKey) : admin, body),
            )
          for (const r of await Promise.all(batch)) statuses.push(r.status)
        }

        const ms = performance.now() - t0
        console.log(
          `      1,000 spaces: start ${Math.round(startMs)} ms; ${requests.length} requests in ${Math.round(ms)} ms (${(ms / requests.length).toFixed(2)} ms each)`,
        )
        expect(statuses.filter((s) => s !== 200)).to.deep.equal([])
        expect(fake.contractViolations).to.deep.equal([])
        expect(writes(fake)).to.have.length(100 + 100)
        expect(
          hasSpacePermission(fake, 'GEN00007', {id: ids.accounts.crawler, type: 'user'}, 'read', {direct: true}),
        ).to.equal(true)
        // Its speed is measured by npm run bench:grant-view (1,000 spaces), not asserted here.
      } finally {
        await fake.close()
      }
    })

    it('answers a full v2 space listing of 1,000 spaces in pages', async function () {
      this.timeout(30_000)
      const fake = await startFakeAtlassian({seed: generateSeed({spaces: 1000})})
      try {
        let next: string | undefined = '/wiki/api/v2/spaces?limit=250'
        let count = 0
        while (next) {
          const page = await call(fake, 'GET', next, admin)
          count += page.body.results.length
          next = page.body._links.next
        }

        expect(count).to.equal(1006)
        expect(fake.contractViolations).to.deep.equal([])
      } finally {
        await fake.close()
      }
    })
  })
})
