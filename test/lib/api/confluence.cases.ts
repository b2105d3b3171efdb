import {expect} from 'chai'

import {
  addGroupMember,
  addSpacePermission,
  createGroup,
  emailsWithoutAccess,
  findGroupByName,
  getSpacePermissions,
  getUser,
  getUserGroups,
  inviteByEmail,
  listGroupMembers,
  listGroups,
  listGroupsGiving,
  listSpaces,
} from '../../../src/lib/api/confluence.js'
import {CfadminError, ExitCode} from '../../../src/lib/errors.js'
import {AtlassianApiError} from '../../../src/lib/http/errors.js'
import {rejectionOf} from '../http/helpers.js'
import {emailList, instantClock, intercept, noteTest, SITE, siteClient} from './support.js'

type Body = Record<string, unknown>

const v1Links = {base: `${SITE}/wiki`, context: '/wiki'}
const user = (accountId: string, displayName: string, email = '') => ({
  accountId,
  accountType: 'atlassian',
  displayName,
  email,
  publicName: displayName,
  type: 'known',
})

describe('api/confluence (site)', () => {
  beforeEach(function () {
    noteTest(this.currentTest?.fullTitle() ?? '')
  })

  describe('getUser', () => {
    it('GETs wiki/rest/api/user?accountId= with Basic auth and maps the user', async () => {
      const scope = intercept(SITE)
        .get('/wiki/rest/api/user')
        .query({accountId: '557058:abc'})
        .reply(200, user('557058:abc', 'Ann Example', 'ann@example.com'))
      expect(await getUser(await siteClient(), '557058:abc')).to.deep.equal({
        accountId: '557058:abc',
        accountType: 'atlassian',
        displayName: 'Ann Example',
        email: 'ann@example.com',
      })
      scope.done()
    })

    it('leaves out an email the user hides (empty string or null)', async () => {
      const scope = intercept(SITE)
        .get('/wiki/rest/api/user')
        .query({accountId: 'acc-1'})
        .reply(200, {...user('acc-1', 'Hidden'), email: null})
      expect(await getUser(await siteClient(), 'acc-1')).to.deep.equal({
        accountId: 'acc-1',
        accountType: 'atlassian',
        displayName: 'Hidden',
      })
      scope.done()
    })

    it('gives undefined on 404', async () => {
      const scope = intercept(SITE)
        .get('/wiki/rest/api/user')
        .query({accountId: 'gone'})
        .reply(404, {message: 'No user', statusCode: 404})
      expect(await getUser(await siteClient(), 'gone')).to.equal(undefined)
      scope.done()
    })

    it('throws a 403 as an AtlassianApiError with exit 4', async () => {
      const scope = intercept(SITE)
        .get('/wiki/rest/api/user')
        .query(true)
        .reply(403, {message: 'Forbidden', statusCode: 403})
      const error = await rejectionOf(getUser(await siteClient(), 'acc-1'))
      expect(error).to.be.instanceOf(AtlassianApiError).and.include({exit: ExitCode.notAuthenticated, status: 403})
      scope.done()
    })
  })

  describe('getUserGroups', () => {
    it('pages user/memberof by start/limit 200 and returns {id, name}', async () => {
      const groups = (from: number, n: number) =>
        Array.from({length: n}, (_, i) => ({id: `g${from + i}`, name: `group-${from + i}`, type: 'group'}))
      const scope = intercept(SITE)
        .get('/wiki/rest/api/user/memberof')
        .query({accountId: 'acc-1', limit: 200})
        .reply(200, {_links: v1Links, limit: 200, results: groups(0, 200), size: 200, start: 0})
        .get('/wiki/rest/api/user/memberof')
        .query({accountId: 'acc-1', limit: 200, start: 200})
        .reply(200, {_links: v1Links, limit: 200, results: groups(200, 1), size: 1, start: 200})
      const result = await getUserGroups(await siteClient(), 'acc-1')
      expect(result).to.have.length(201)
      expect(result[200]).to.deep.equal({id: 'g200', name: 'group-200'})
      scope.done()
    })
  })

  describe('listGroups', () => {
    it('GETs wiki/rest/api/group with limit 200 and follows _links.next', async () => {
      const scope = intercept(SITE)
        .get('/wiki/rest/api/group')
        .query({limit: 200})
        .reply(200, {
          _links: {...v1Links, next: '/rest/api/group?next=true&limit=200&start=200'},
          limit: 200,
          results: [{id: 'g1', name: 'confluence-users-acme', type: 'group'}],
          size: 1,
          start: 0,
        })
        .get('/wiki/rest/api/group')
        .query({limit: 200, next: 'true', start: 200})
        .reply(200, {
          _links: v1Links,
          limit: 200,
          results: [{id: 'g2', name: 'cf-crawler', type: 'group'}],
          size: 1,
          start: 200,
        })
      expect(await listGroups(await siteClient())).to.deep.equal([
        {id: 'g1', name: 'confluence-users-acme'},
        {id: 'g2', name: 'cf-crawler'},
      ])
      scope.done()
    })
  })

  describe('findGroupByName', () => {
    const page = (results: unknown[], next?: string) => ({
      _links: {...v1Links, ...(next ? {next} : {})},
      limit: 200,
      results,
      size: results.length,
      start: 0,
    })
    const raw = (id: string, name: string) => ({id, name, type: 'group'})

    it('asks the group picker (never by-name) and takes the exact name, ignoring case, from the partial matches', async () => {
      const scope = intercept(SITE)
        .get('/wiki/rest/api/group/picker')
        .query({limit: 200, query: 'Crawlers'})
        .reply(200, page([raw('g1', 'crawlers-old'), raw('g2', 'CRAWLERS'), raw('g3', 'web-crawlers')]))
      expect(await findGroupByName(await siteClient(), 'Crawlers')).to.deep.equal({id: 'g2', name: 'CRAWLERS'})
      scope.done()
    })

    it('follows the next page until the exact name, and gives undefined when no group has it', async () => {
      const scope = intercept(SITE)
        .get('/wiki/rest/api/group/picker')
        .query({limit: 200, query: 'team'})
        .reply(200, page([raw('g1', 'team-a')], '/rest/api/group/picker?next=true&limit=200&start=200&query=team'))
        .get('/wiki/rest/api/group/picker')
        .query({limit: 200, next: 'true', query: 'team', start: 200})
        .reply(200, page([raw('g9', 'Team')]))
        .get('/wiki/rest/api/group/picker')
        .query({limit: 200, query: 'nobody'})
        .reply(200, page([raw('g1', 'nobody-else')]))
      expect(await findGroupByName(await siteClient(), 'team')).to.deep.equal({id: 'g9', name: 'Team'})
      expect(await findGroupByName(await siteClient(), 'nobody')).to.equal(undefined)
      scope.done()
    })

    it('throws a 403 as exit 4', async () => {
      const scope = intercept(SITE)
        .get('/wiki/rest/api/group/picker')
        .query({limit: 200, query: 'secret'})
        .reply(403, {message: 'Forbidden', statusCode: 403})
      expect(await rejectionOf(findGroupByName(await siteClient(), 'secret'))).to.include({
        exit: ExitCode.notAuthenticated,
        status: 403,
      })
      scope.done()
    })
  })

  describe('listGroupsGiving', () => {
    it('lists the groups that give an access type: GET group?accessType=', async () => {
      const scope = intercept(SITE)
        .get('/wiki/rest/api/group')
        .query({accessType: 'user', limit: 200})
        .reply(200, {
          _links: v1Links,
          limit: 200,
          results: [{id: 'g-legacy', name: 'confluence-users', type: 'group'}],
          size: 1,
          start: 0,
        })
      expect(await listGroupsGiving(await siteClient(), 'user')).to.deep.equal([
        {id: 'g-legacy', name: 'confluence-users'},
      ])
      scope.done()
    })
  })

  describe('createGroup', () => {
    it('POSTs {name} and returns the created group', async () => {
      const scope = intercept(SITE)
        .post('/wiki/rest/api/group', {name: 'cf-crawler'})
        .reply(201, {id: 'g-new', name: 'cf-crawler', type: 'group'})
      expect(await createGroup(await siteClient(), 'cf-crawler')).to.deep.equal({id: 'g-new', name: 'cf-crawler'})
      scope.done()
    })

    it('throws a 403 (not site admin) as exit 4 and sends it once', async () => {
      const scope = intercept(SITE)
        .post('/wiki/rest/api/group')
        .reply(403, {message: 'Not a site admin', statusCode: 403})
      const error = await rejectionOf(createGroup(await siteClient({clock: instantClock, retryLimit: 2}), 'cf-crawler'))
      expect(error).to.be.instanceOf(AtlassianApiError).and.include({exit: ExitCode.notAuthenticated, retries: 0})
      scope.done()
    })

    it('says UNEXPECTED_RESPONSE when the answer has no group ID', async () => {
      const scope = intercept(SITE).post('/wiki/rest/api/group').reply(201, {name: 'cf-crawler'})
      const error = await rejectionOf(createGroup(await siteClient(), 'cf-crawler'))
      expect(error).to.be.instanceOf(CfadminError).and.include({code: 'UNEXPECTED_RESPONSE', exit: 5})
      scope.done()
    })
  })

  describe('addGroupMember', () => {
    it('POSTs {accountId} to group/userByGroupId?groupId=', async () => {
      const scope = intercept(SITE)
        .post('/wiki/rest/api/group/userByGroupId', {accountId: 'acc-1'})
        .query({groupId: 'g-1'})
        .reply(201)
      await addGroupMember(await siteClient(), 'g-1', 'acc-1')
      scope.done()
    })

    it('throws a 404 (no such group) as exit 2 and a 403 as exit 4', async () => {
      const scope = intercept(SITE)
        .post('/wiki/rest/api/group/userByGroupId')
        .query({groupId: 'missing'})
        .reply(404, {message: 'Group not found', statusCode: 404})
        .post('/wiki/rest/api/group/userByGroupId')
        .query({groupId: 'g-1'})
        .reply(403, {message: 'Forbidden', statusCode: 403})
      expect(await rejectionOf(addGroupMember(await siteClient(), 'missing', 'acc-1'))).to.include({
        exit: ExitCode.badInput,
        status: 404,
      })
      expect(await rejectionOf(addGroupMember(await siteClient(), 'g-1', 'acc-1'))).to.include({
        exit: ExitCode.notAuthenticated,
        status: 403,
      })
      scope.done()
    })
  })

  describe('listGroupMembers', () => {
    it('pages group/{groupId}/membersByGroupId with the ID encoded, and maps the users', async () => {
      const scope = intercept(SITE)
        .get('/wiki/rest/api/group/g%2F1/membersByGroupId')
        .query({limit: 200})
        .reply(200, {
          _links: {...v1Links, next: '/rest/api/group/g%2F1/membersByGroupId?limit=200&start=200'},
          limit: 200,
          results: [user('acc-1', 'Ann', 'ann@example.com')],
          size: 1,
          start: 0,
        })
        .get('/wiki/rest/api/group/g%2F1/membersByGroupId')
        .query({limit: 200, start: 200})
        .reply(200, {
          _links: v1Links,
          limit: 200,
          results: [user('acc-2', 'Bob'), {type: 'anonymous'}],
          size: 2,
          start: 200,
        })
      expect(await listGroupMembers(await siteClient(), 'g/1')).to.deep.equal([
        {accountId: 'acc-1', accountType: 'atlassian', displayName: 'Ann', email: 'ann@example.com'},
        {accountId: 'acc-2', accountType: 'atlassian', displayName: 'Bob'},
      ])
      scope.done()
    })
  })

  describe('inviteByEmail', () => {
    it('POSTs {emails} 100 at a time, each distinct email once', async () => {
      const sent: string[][] = []
      const scope = intercept(SITE)
        .post('/wiki/api/v2/user/access/invite-by-email', (body: Body) => {
          sent.push(body.emails as string[])
          return true
        })
        .times(3)
        .reply(200)
      const emails = emailList(201)
      await inviteByEmail(await siteClient(), [...emails, 'USER7@example.com'])
      expect(sent.map((batch) => batch.length)).to.deep.equal([100, 100, 1])
      expect(sent.flat()).to.deep.equal(emails)
      scope.done()
    })

    it('sends an invitation again after a 429, which Atlassian refused before doing anything', async () => {
      const scope = intercept(SITE)
        .post('/wiki/api/v2/user/access/invite-by-email')
        .reply(429, {}, {'Retry-After': '1'})
        .post('/wiki/api/v2/user/access/invite-by-email')
        .reply(200, {})
      await inviteByEmail(await siteClient({clock: instantClock, retryLimit: 2}), ['a@example.com'])
      scope.done()
    })

    it('sends an invitation once: a 503 is not retried', async () => {
      const scope = intercept(SITE)
        .post('/wiki/api/v2/user/access/invite-by-email')
        .reply(503, {errors: [{status: 503, title: 'API disabled'}]})
      const error = await rejectionOf(
        inviteByEmail(await siteClient({clock: instantClock, retryLimit: 2}), ['a@example.com']),
      )
      expect(error).to.be.instanceOf(AtlassianApiError).and.include({retries: 0, status: 503})
      scope.done()
    })

    it('asks nothing for no emails', async () => {
      await inviteByEmail(await siteClient(), [])
    })
  })

  describe('emailsWithoutAccess', () => {
    it('checks 100 emails a request and merges the answers', async () => {
      const emails = emailList(150)
      const scope = intercept(SITE)
        .post('/wiki/api/v2/user/access/check-access-by-email', {emails: emails.slice(0, 100)})
        .reply(200, {emailsWithoutAccess: ['user1@example.com'], invalidEmails: []})
        .post('/wiki/api/v2/user/access/check-access-by-email', {emails: emails.slice(100)})
        .reply(200, {emailsWithoutAccess: ['user120@example.com'], invalidEmails: ['user149@example.com']})
      expect(await emailsWithoutAccess(await siteClient(), emails)).to.deep.equal({
        invalid: ['user149@example.com'],
        withoutAccess: ['user1@example.com', 'user120@example.com'],
      })
      scope.done()
    })

    it('retries a 503, since the check changes nothing', async () => {
      const scope = intercept(SITE)
        .post('/wiki/api/v2/user/access/check-access-by-email')
        .reply(503, {errors: []})
        .post('/wiki/api/v2/user/access/check-access-by-email')
        .reply(200, {emailsWithoutAccess: [], invalidEmails: []})
      expect(
        await emailsWithoutAccess(await siteClient({clock: instantClock, retryLimit: 2}), ['a@example.com']),
      ).to.deep.equal({invalid: [], withoutAccess: []})
      scope.done()
    })

    it('throws a 404 (no permission) as exit 2', async () => {
      const scope = intercept(SITE)
        .post('/wiki/api/v2/user/access/check-access-by-email')
        .reply(404, {errors: [{status: 404, title: 'Not found'}]})
      expect(await rejectionOf(emailsWithoutAccess(await siteClient(), ['a@example.com']))).to.include({
        exit: ExitCode.badInput,
        status: 404,
      })
      scope.done()
    })
  })

  describe('listSpaces', () => {
    const space = (id: number, key: string, type = 'global') => ({
      id: String(id),
      key,
      name: `Space ${key}`,
      status: 'current',
      type,
    })

    it('GETs wiki/api/v2/spaces?limit=250 and follows _links.next', async () => {
      const scope = intercept(SITE)
        .get('/wiki/api/v2/spaces')
        .query({limit: 250})
        .reply(200, {
          _links: {base: `${SITE}/wiki`, next: '/wiki/api/v2/spaces?limit=250&cursor=abc'},
          results: [space(1, 'ENG')],
        })
        .get('/wiki/api/v2/spaces')
        .query({cursor: 'abc', limit: 250})
        .reply(200, {_links: {base: `${SITE}/wiki`}, results: [{...space(2, '~ann', 'personal'), id: 2}]})
      expect(await listSpaces(await siteClient())).to.deep.equal([
        {id: '1', key: 'ENG', name: 'Space ENG', status: 'current', type: 'global'},
        {id: '2', key: '~ann', name: 'Space ~ann', status: 'current', type: 'personal'},
      ])
      scope.done()
    })

    it('sends keys as a comma-separated list, 250 keys a request, with the status', async () => {
      const keys = Array.from({length: 300}, (_, i) => `K${i}`)
      const scope = intercept(SITE)
        .get('/wiki/api/v2/spaces')
        .query({keys: keys.slice(0, 250).join(','), limit: 250, status: 'current'})
        .reply(200, {_links: {}, results: [space(1, 'K0')]})
        .get('/wiki/api/v2/spaces')
        .query({keys: keys.slice(250).join(','), limit: 250, status: 'current'})
        .reply(200, {_links: {}, results: [space(251, 'K250')]})
      const spaces = await listSpaces(await siteClient(), {keys: [...keys, 'K0'], status: 'current'})
      expect(spaces.map((s) => s.key)).to.deep.equal(['K0', 'K250'])
      scope.done()
    })

    it('drops a space whose key was not asked for, whatever the server answers (keys=ENG,HR read as two)', async () => {
      const scope = intercept(SITE)
        .get('/wiki/api/v2/spaces')
        .query({keys: 'ENG', limit: 250})
        .reply(200, {_links: {}, results: [space(1, 'ENG'), space(2, 'HR'), space(3, 'eng')]})
      expect((await listSpaces(await siteClient(), {keys: ['ENG']})).map((s) => s.key)).to.deep.equal(['ENG'])
      scope.done()
    })

    it('asks nothing for an empty key list', async () => {
      expect(await listSpaces(await siteClient(), {keys: []})).to.deep.equal([])
    })

    it('throws a 401 as exit 4', async () => {
      const scope = intercept(SITE)
        .get('/wiki/api/v2/spaces')
        .query(true)
        .reply(401, {errors: [{status: 401, title: 'Unauthorized'}]})
      expect(await rejectionOf(listSpaces(await siteClient(), {status: 'archived'}))).to.include({
        exit: ExitCode.notAuthenticated,
        status: 401,
      })
      scope.done()
    })
  })

  describe('getSpacePermissions', () => {
    it('pages spaces/{id}/permissions at 250 and gives principal and "key:targetType"', async () => {
      const scope = intercept(SITE)
        .get('/wiki/api/v2/spaces/65537/permissions')
        .query({limit: 250})
        .reply(
          200,
          {
            _links: {base: `${SITE}/wiki`},
            results: [
              {id: '1', operation: {key: 'read', targetType: 'space'}, principal: {id: 'g1', type: 'group'}},
              {id: '2', operation: {key: 'create', targetType: 'page'}, principal: {id: 'acc-1', type: 'user'}},
            ],
          },
          {link: '</wiki/api/v2/spaces/65537/permissions?limit=250&cursor=p2>; rel="next"'},
        )
        .get('/wiki/api/v2/spaces/65537/permissions')
        .query({cursor: 'p2', limit: 250})
        .reply(200, {
          _links: {},
          results: [
            {id: '3', operation: {key: 'administer', targetType: 'space'}, principal: {id: 'r1', type: 'role'}},
          ],
        })
      expect(await getSpacePermissions(await siteClient(), '65537')).to.deep.equal([
        {operation: 'read:space', principalId: 'g1', principalType: 'group'},
        {operation: 'create:page', principalId: 'acc-1', principalType: 'user'},
        {operation: 'administer:space', principalId: 'r1', principalType: 'role'},
      ])
      scope.done()
    })

    it('throws a 404 (no such space) as exit 2', async () => {
      const scope = intercept(SITE)
        .get('/wiki/api/v2/spaces/99/permissions')
        .query(true)
        .reply(404, {errors: [{status: 404, title: 'Not Found'}]})
      expect(await rejectionOf(getSpacePermissions(await siteClient(), '99'))).to.include({
        exit: ExitCode.badInput,
        status: 404,
      })
      scope.done()
    })
  })

  describe('addSpacePermission', () => {
    it('POSTs read:space for a group by default and says added', async () => {
      const scope = intercept(SITE)
        .post('/wiki/rest/api/space/ENG/permission', {
          operation: {key: 'read', target: 'space'},
          subject: {identifier: 'g-1', type: 'group'},
        })
        .reply(200, {id: 42, operation: {key: 'read', target: 'space'}, subject: {identifier: 'g-1', type: 'group'}})
      expect(await addSpacePermission(await siteClient(), 'ENG', {identifier: 'g-1', type: 'group'})).to.equal('added')
      scope.done()
    })

    it('sends another operation for a user, with the space key encoded', async () => {
      const scope = intercept(SITE)
        .post('/wiki/rest/api/space/~ann%2Fx/permission', {
          operation: {key: 'create', target: 'page'},
          subject: {identifier: 'acc-1', type: 'user'},
        })
        .reply(200, {id: 43})
      expect(
        await addSpacePermission(
          await siteClient(),
          '~ann/x',
          {identifier: 'acc-1', type: 'user'},
          {key: 'create', target: 'page'},
        ),
      ).to.equal('added')
      scope.done()
    })

    it('says already on a 400 saying the permission already exists (any case)', async () => {
      const scope = intercept(SITE).post('/wiki/rest/api/space/ENG/permission').reply(400, {
        message:
          'com.atlassian.confluence.api.service.exceptions.BadRequestException: Permission Already Exists for the given user or group',
        statusCode: 400,
      })
      expect(await addSpacePermission(await siteClient(), 'ENG', {identifier: 'g-1', type: 'group'})).to.equal(
        'already',
      )
      scope.done()
    })

    it('throws any other 400 as exit 2', async () => {
      const scope = intercept(SITE)
        .post('/wiki/rest/api/space/ENG/permission')
        .reply(400, {message: 'No group found with the given groupName or groupId', statusCode: 400})
      const error = await rejectionOf(
        addSpacePermission(await siteClient(), 'ENG', {identifier: 'nope', type: 'group'}),
      )
      expect(error).to.be.instanceOf(AtlassianApiError).and.include({exit: ExitCode.badInput, status: 400})
      expect(error.message).to.include('No group found')
      scope.done()
    })

    it('sends a permission again after a 503: a second add only answers "already exists"', async () => {
      const scope = intercept(SITE)
        .post('/wiki/rest/api/space/ENG/permission')
        .reply(503)
        .post('/wiki/rest/api/space/ENG/permission')
        .reply(400, {message: 'Permission already exists for the given user or group', statusCode: 400})
      expect(
        await addSpacePermission(await siteClient({clock: instantClock, retryLimit: 2}), 'ENG', {
          identifier: 'g-1',
          type: 'group',
        }),
      ).to.equal('already')
      scope.done()
    })

    it('throws a 403 (not space admin) as exit 4, once', async () => {
      const scope = intercept(SITE).post('/wiki/rest/api/space/ENG/permission').reply(403, {
        message:
          "com.atlassian.confluence.api.service.exceptions.PermissionException: User isn't authorized to modify permissions.",
        statusCode: 403,
      })
      const error = await rejectionOf(
        addSpacePermission(await siteClient({clock: instantClock, retryLimit: 2}), 'ENG', {
          identifier: 'g-1',
          type: 'group',
        }),
      )
      expect(error)
        .to.be.instanceOf(AtlassianApiError)
        .and.include({exit: ExitCode.notAuthenticated, retries: 0, status: 403})
      scope.done()
    })
  })
})
