import {expect} from 'chai'

import {basicAuth, bearer, defaultSeedCredentials as seed, defaultSeedIds as ids} from './credentials.js'
import {isMember, writes} from './helpers.js'
import {call} from './testing.js'
import {useFakeAtlassian} from './use-fake.js'

const admin = basicAuth(seed.adminToken.email, seed.adminToken.token)
const reader = basicAuth(seed.readerToken.email, seed.readerToken.token)
const oauth = bearer(seed.oauthAccessToken)
const gateway = `/ex/confluence/${seed.cloudId}`
const {accounts, groups} = ids
const PERMISSION_EXCEPTION = /^com\.atlassian\.confluence\.api\.service\.exceptions\.PermissionException: /

describe('fake Atlassian: Confluence v1 groups and users (default seed)', () => {
  const fake = useFakeAtlassian()

  describe('GET /wiki/rest/api/group', () => {
    it("lists the site's groups as GroupArrayWithLinks, to any signed-in user", async () => {
      const {body, status} = await call(fake, 'GET', '/wiki/rest/api/group', reader)
      expect(status).to.equal(200)
      expect(body).to.include({limit: 200, size: 7, start: 0})
      expect(body.results[0]).to.deep.equal({
        _links: {self: `${fake.url}/wiki/rest/api/group/by-id?id=${groups.confluenceUsers}`},
        id: groups.confluenceUsers,
        name: 'confluence-users-acme',
        type: 'group',
      })
      expect(body._links).to.deep.include({base: `${fake.url}/wiki`, context: '/wiki'})
      expect(body._links).not.to.have.property('next')
    })

    it('pages with start and limit, with a relative _links.next', async () => {
      const first = await call(fake, 'GET', '/wiki/rest/api/group?start=0&limit=5', admin)
      expect(first.body).to.include({limit: 5, size: 5, start: 0})
      expect(first.body._links.next).to.equal('/rest/api/group?next=true&limit=5&start=5')
      const second = await call(fake, 'GET', `/wiki${first.body._links.next}`, admin)
      expect(second.body).to.include({size: 2, start: 5})
      expect(second.body._links).not.to.have.property('next')
    })

    it('filters by accessType', async () => {
      const {body} = await call(fake, 'GET', '/wiki/rest/api/group?accessType=admin', admin)
      expect(body.results.map((g: {name: string}) => g.name)).to.deep.equal(['confluence-admins-acme'])
    })
  })

  describe('GET /wiki/rest/api/group/by-name (behaviour.byNameGroups "available")', () => {
    beforeEach(() => {
      fake.state.behaviour.byNameGroups = 'available'
    })

    it('gives the group of that name, case-insensitive', async () => {
      const {body, status} = await call(fake, 'GET', '/wiki/rest/api/group/by-name?name=Marketing', reader)
      expect(status).to.equal(200)
      expect(body).to.include({id: groups.marketing, name: 'marketing', type: 'group'})
    })

    it('answers 404 {statusCode, message} for an unknown name', async () => {
      const {body, status} = await call(fake, 'GET', '/wiki/rest/api/group/by-name?name=cf-crawler', admin)
      expect(status).to.equal(404)
      expect(body.statusCode).to.equal(404)
      expect(body.message).to.match(/NotFoundException/)
    })
  })

  describe('POST /wiki/rest/api/group', () => {
    it('creates a group for a site admin: 201 Group, then findable by name', async () => {
      const {body, status} = await call(fake, 'POST', '/wiki/rest/api/group', admin, {name: 'cf-crawler'})
      expect(status).to.equal(201)
      expect(body).to.include({name: 'cf-crawler', type: 'group'})
      const found = await call(fake, 'GET', '/wiki/rest/api/group/picker?query=cf-crawler', admin)
      expect(found.body.results.map((g: {id: string}) => g.id)).to.deep.equal([body.id])
    })

    it('answers 400 for a name that exists (any case) or is blank — the spec documents no 409', async () => {
      const taken = await call(fake, 'POST', '/wiki/rest/api/group', admin, {name: 'MARKETING'})
      expect(taken.status).to.equal(400)
      expect(taken.body.message).to.match(/BadRequestException: Group already exists/)
      expect((await call(fake, 'POST', '/wiki/rest/api/group', admin, {name: ' '})).status).to.equal(400)
    })

    it('answers 403 PermissionException to a user who is not a site admin', async () => {
      const {body, status} = await call(fake, 'POST', '/wiki/rest/api/group', reader, {name: 'cf-crawler'})
      expect(status).to.equal(403)
      expect(body.statusCode).to.equal(403)
      expect(body.message).to.match(PERMISSION_EXCEPTION)
      expect(fake.state.groups.some((g) => g.name === 'cf-crawler')).to.equal(false)
    })

    it('records a body without name as off-contract', async () => {
      const {status} = await call(fake, 'POST', '/wiki/rest/api/group', admin, {title: 'cf-crawler'})
      expect(status).to.equal(400)
      expect(fake.contractViolations).to.have.length(1)
      expect(fake.contractViolations[0]).to.include('createGroup')
      fake.contractViolations.length = 0
    })
  })

  describe('POST /wiki/rest/api/group/userByGroupId', () => {
    const add = (groupId: string, accountId: string, who = admin) =>
      call(fake, 'POST', `/wiki/rest/api/group/userByGroupId?groupId=${groupId}`, who, {accountId})

    it('adds a member: 201 without a body; again: 201 too', async () => {
      const first = await add(groups.finance, accounts.crawler)
      expect(first.status).to.equal(201)
      expect(first.body).to.equal(undefined)
      expect(isMember(fake, groups.finance, accounts.crawler)).to.equal(true)
      expect((await add(groups.finance, accounts.crawler)).status).to.equal(201)
      expect(fake.state.memberships.filter((m) => m.groupId === groups.finance)).to.have.length(1)
    })

    it('gives Confluence access through the default group', async () => {
      await add(groups.confluenceUsers, accounts.crawler)
      const check = await call(fake, 'POST', '/wiki/api/v2/user/access/check-access-by-email', admin, {
        emails: ['crawler@acme.example'],
      })
      expect(check.body.emailsWithoutAccess).to.deep.equal([])
    })

    it('answers 403 to a non-admin, 404 for an unknown group, 400 for an unknown account', async () => {
      expect((await add(groups.finance, accounts.crawler, reader)).status).to.equal(403)
      expect((await add('group-nope', accounts.crawler)).status).to.equal(404)
      expect((await add(groups.finance, '712020:nobody')).status).to.equal(400)
    })

    it('answers 400 for an IdP-synced group, and 400 LicenceExceededException on a full site', async () => {
      expect((await add(groups.engineering, accounts.crawler)).status).to.equal(400)
      fake.state.sites[0].licenceLimit = 5
      const full = await add(groups.confluenceUsers, accounts.crawler)
      expect(full.status).to.equal(400)
      expect(full.body.message).to.include(`LicenceExceededException: Licence exceeded for: ${ids.siteAri}`)
      expect(isMember(fake, groups.confluenceUsers, accounts.crawler)).to.equal(false)
    })
  })

  describe('GET /wiki/rest/api/group/{groupId}/membersByGroupId', () => {
    it('lists members as v1 Users, emails only when visible, with totalSize on request', async () => {
      const {body, status} = await call(
        fake,
        'GET',
        `/wiki/rest/api/group/${groups.confluenceUsers}/membersByGroupId?shouldReturnTotalSize=true&limit=3`,
        reader,
      )
      expect(status).to.equal(200)
      expect(body).to.include({limit: 3, size: 3, start: 0, totalSize: 6})
      expect(body.results.map((u: {accountId: string}) => u.accountId)).to.deep.equal([
        accounts.admin,
        accounts.reader,
        accounts.hidden,
      ])
      expect(body.results[2]).not.to.have.property('email')
      expect(body.results[0].email).to.equal('admin@acme.example')
      expect(body._links.next).to.equal(
        `/rest/api/group/${groups.confluenceUsers}/membersByGroupId?next=true&limit=3&start=3`,
      )
      const rest = await call(fake, 'GET', `/wiki${body._links.next}`, reader)
      expect(rest.body).to.include({size: 3, start: 3})
    })

    it('answers 400 for a limit over 200 and 404 for an unknown group', async () => {
      expect(
        (await call(fake, 'GET', `/wiki/rest/api/group/${groups.finance}/membersByGroupId?limit=201`, admin)).status,
      ).to.equal(400)
      expect((await call(fake, 'GET', '/wiki/rest/api/group/group-nope/membersByGroupId', admin)).status).to.equal(404)
    })
  })

  describe('GET /wiki/rest/api/user and /user/memberof', () => {
    it('gives a user by accountId, without a hidden email', async () => {
      const visible = await call(fake, 'GET', `/wiki/rest/api/user?accountId=${accounts.marketer}`, reader)
      expect(visible.body).to.include({
        accountId: accounts.marketer,
        displayName: 'Mia Marketer',
        email: 'Mia.Marketer@Acme.example',
        timeZone: 'America/New_York',
      })
      const hidden = await call(fake, 'GET', `/wiki/rest/api/user?accountId=${accounts.quiet}`, reader)
      expect(hidden.status).to.equal(200)
      expect(hidden.body).not.to.have.property('email')
      expect((await call(fake, 'GET', '/wiki/rest/api/user?accountId=712020:nobody', reader)).status).to.equal(404)
    })

    it('lists the groups of a user', async () => {
      const {body, status} = await call(
        fake,
        'GET',
        `/wiki/rest/api/user/memberof?accountId=${accounts.marketer}`,
        reader,
      )
      expect(status).to.equal(200)
      expect(body.results.map((g: {name: string}) => g.name)).to.deep.equal(['confluence-users-acme', 'marketing'])
      expect(body).to.include({size: 2, start: 0})
      expect(
        (await call(fake, 'GET', `/wiki/rest/api/user/memberof?accountId=${accounts.crawler}`, reader)).body.results,
      ).to.deep.equal([])
    })

    it('records a missing accountId as off-contract', async () => {
      expect((await call(fake, 'GET', '/wiki/rest/api/user', reader)).status).to.equal(400)
      expect(fake.contractViolations[0]).to.include('accountId')
      fake.contractViolations.length = 0
    })
  })

  describe('through the OAuth gateway', () => {
    it('serves the same routes with links under the gateway prefix', async () => {
      const {body, status} = await call(fake, 'GET', `${gateway}/wiki/rest/api/group/picker?query=marketing`, oauth)
      expect(status).to.equal(200)
      expect(body.results[0]._links.self).to.equal(
        `${fake.url}${gateway}/wiki/rest/api/group/by-id?id=${groups.marketing}`,
      )
      expect(
        (
          await call(fake, 'POST', `${gateway}/wiki/rest/api/group/userByGroupId?groupId=${groups.finance}`, oauth, {
            accountId: accounts.crawler,
          })
        ).status,
      ).to.equal(201)
      expect(writes(fake, {path: '/wiki/rest/api/group/userByGroupId'})).to.have.length(1)
    })

    it('answers 401 "scope does not match" when the token lacks the operation\'s scopes', async () => {
      const {body, status} = await call(
        fake,
        'GET',
        `${gateway}/wiki/rest/api/group`,
        bearer(seed.readerOAuthAccessToken),
      )
      expect(status).to.equal(401)
      expect(body).to.deep.equal({code: 401, message: 'Unauthorized; scope does not match'})
    })

    it('refuses a grant of granular scopes only on a v1 route that takes a classic scope, naming the scope check', async () => {
      const token = fake.state.oauthTokens[0]
      token.scopes = ['read:group:confluence', 'read:user:confluence', 'offline_access']
      const path = `${gateway}/wiki/rest/api/group`
      const refused = await fetch(`${fake.url}${path}`, {headers: {authorization: bearer(token.accessToken)}})
      expect(refused.status).to.equal(401)
      expect(refused.headers.get('x-failure-category')).to.equal('FAILURE_CLIENT_SCOPE_CHECK')
      expect(await refused.json()).to.deep.equal({code: 401, message: 'Unauthorized; scope does not match'})
      fake.state.behaviour.v1GranularOnly = 'accepted'
      expect((await call(fake, 'GET', path, bearer(token.accessToken))).status, 'lenient knob').to.equal(200)
    })

    it('answers 403 "Current user not permitted to use Confluence" to an account without Confluence access, on the site and the gateway', async () => {
      const token = fake.state.oauthTokens[0]
      const user = fake.state.users.find((u) => u.accountId === token.accountId)!
      user.noConfluenceAccess = true
      const {body, status} = await call(fake, 'GET', `${gateway}/wiki/rest/api/user/current`, bearer(token.accessToken))
      expect([status, body.message]).to.deep.equal([403, 'Current user not permitted to use Confluence'])
    })

    it('still wants a site admin for writes', async () => {
      fake.state.oauthTokens[1].scopes.push('write:confluence-groups')
      expect(
        (await call(fake, 'POST', `${gateway}/wiki/rest/api/group`, bearer(seed.readerOAuthAccessToken), {name: 'x'}))
          .status,
      ).to.equal(403)
    })

    it('refuses an API token or an Admin key on the gateway, and an OAuth token on the site', async () => {
      expect((await call(fake, 'GET', `${gateway}/wiki/rest/api/group`, admin)).status).to.equal(401)
      expect((await call(fake, 'GET', `${gateway}/wiki/rest/api/group`, bearer(seed.adminKey))).status).to.equal(401)
      expect((await call(fake, 'GET', '/wiki/rest/api/group', oauth)).status).to.equal(401)
    })
  })
})
