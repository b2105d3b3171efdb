import {expect} from 'chai'

import {basicAuth, bearer} from './credentials.js'
import {isMember, userByEmail} from './helpers.js'
import {call} from './testing.js'
import {useFakeAtlassian} from './use-fake.js'

const admin = basicAuth('admin@acme.example', 'fake-api-token-admin')
const oauth = bearer('fake-oauth-access-admin')
const key = bearer('fake-admin-key-0001')
const XSRF = {'x-atlassian-token': 'no-check'}
const NO_XSRF = {'x-atlassian-token': ''}
const namesOf = (body: {results: {name: string}[]}) => body.results.map((g) => g.name)
const user = (permissionRules: unknown[] = []) => ({permissionRules})

describe('fake Atlassian 2026: groups, XSRF, Admin API rules, propagation (site-2026 seed)', () => {
  const fake = useFakeAtlassian({seed: 'site-2026'})
  const gateway = '/ex/confluence/cloud-fake-2026'
  const org = '/admin/v2/orgs/org-fake-2026'
  const site = 'ari:cloud:confluence::site/cloud-fake-2026'

  describe('by-name group routes are gone', () => {
    for (const [method, path] of [
      ['GET', '/wiki/rest/api/group/by-name?name=Marketing'],
      ['GET', '/wiki/rest/api/group/Marketing/member'],
      ['POST', '/wiki/rest/api/group/user?name=Marketing'],
      ['DELETE', '/wiki/rest/api/group/user?name=Marketing&accountId=712020:fake-2602-reader'],
    ]) {
      it(`${method} ${path.split('?')[0]}: 404 on the site URL, 410 "removed" on the OAuth gateway`, async () => {
        const body = method === 'POST' ? {accountId: '712020:fake-2602-reader'} : undefined
        expect((await call(fake, method, path, admin, body, XSRF)).status).to.equal(404)
        const gone = await call(fake, method, gateway + path, oauth, body, XSRF)
        expect(gone.status).to.equal(410)
        expect(gone.body).to.deep.equal({message: 'This deprecated endpoint has been removed'})
      })
    }
  })

  describe('group picker and accessType', () => {
    it('finds groups by a case-insensitive substring of the name', async () => {
      const {body, status} = await call(fake, 'GET', '/wiki/rest/api/group/picker?query=MARK', admin)
      expect(status).to.equal(200)
      expect(namesOf(body)).to.deep.equal(['Marketing'])
      const confluence = await call(fake, 'GET', `${gateway}/wiki/rest/api/group/picker?query=confluence`, oauth)
      expect(namesOf(confluence.body)).to.deep.equal(['acme-confluence-members', 'acme-confluence-admins'])
    })

    it('lists the groups that grant user, admin and site-admin access (renamed default groups)', async () => {
      const of = async (accessType: string) =>
        namesOf((await call(fake, 'GET', `/wiki/rest/api/group?accessType=${accessType}`, admin)).body)
      expect(await of('user')).to.deep.equal(['acme-confluence-members'])
      expect(await of('admin')).to.deep.equal(['acme-confluence-admins'])
      expect(await of('site-admin')).to.deep.equal(['acme-confluence-admins'])
    })
  })

  describe('XSRF', () => {
    it('answers 403 "XSRF check failed" to a v1 write without X-Atlassian-Token: no-check', async () => {
      const {body, status} = await call(fake, 'POST', '/wiki/rest/api/group', admin, {name: 'new-group'}, NO_XSRF)
      expect(status).to.equal(403)
      expect(body.message).to.equal('XSRF check failed')
      expect(fake.state.groups.some((g) => g.name === 'new-group')).to.equal(false)
      expect((await call(fake, 'POST', '/wiki/rest/api/group', admin, {name: 'new-group'}, XSRF)).status).to.equal(201)
    })

    it('behaviour.xsrfRequired false takes the write without the header', async () => {
      fake.state.behaviour.xsrfRequired = false
      expect((await call(fake, 'POST', '/wiki/rest/api/group', admin, {name: 'new-group'}, NO_XSRF)).status).to.equal(
        201,
      )
    })
  })

  describe('Admin API invite', () => {
    it('refuses the whole batch (400, nobody created) when one rule names atlassian/user-access-admin', async () => {
      const {body, status} = await call(fake, 'POST', `${org}/users/invite`, key, {
        emails: ['new1@acme.example'],
        permissionRules: [
          {resource: site, role: 'atlassian/user'},
          {resource: site, role: 'atlassian/user-access-admin'},
        ],
      })
      expect(status).to.equal(400)
      expect(body.errors[0].detail).to.contain('atlassian/user-access-admin')
      expect(userByEmail(fake, 'new1@acme.example')).to.equal(undefined)
    })

    it('takes at most 25 emails a request (400 beyond; behaviour.inviteEmailCap moves the cap)', async () => {
      const emails = (n: number) => Array.from({length: n}, (_, i) => `bulk-${i}@acme.example`)
      expect((await call(fake, 'POST', `${org}/users/invite`, key, {emails: emails(26)})).status).to.equal(400)
      expect(userByEmail(fake, 'bulk-0@acme.example')).to.equal(undefined)
      expect((await call(fake, 'POST', `${org}/users/invite`, key, {emails: emails(25)})).status).to.equal(200)
      fake.state.behaviour.inviteEmailCap = 2
      expect((await call(fake, 'POST', `${org}/users/invite`, key, {emails: emails(3)})).status).to.equal(400)
    })

    it('sends an email only with sendNotification and a notificationText', async () => {
      await call(fake, 'POST', `${org}/users/invite`, key, {emails: ['quiet@acme.example'], sendNotification: true})
      await call(fake, 'POST', `${org}/users/invite`, key, {emails: ['text-only@acme.example'], notificationText: 'Hi'})
      await call(fake, 'POST', `${org}/users/invite`, key, {
        emails: ['told@acme.example'],
        notificationText: 'Welcome to the wiki',
        sendNotification: true,
      })
      expect(fake.state.sentInviteEmails).to.deep.equal([
        {email: 'told@acme.example', orgId: 'org-fake-2026', text: 'Welcome to the wiki'},
      ])
    })

    it('puts invitees into the directory that holds the site’s users (the second one)', async () => {
      await call(fake, 'POST', `${org}/users/invite`, key, {
        emails: ['dir@acme.example'],
        ...user([{resource: site, role: 'atlassian/user'}]),
      })
      expect(userByEmail(fake, 'dir@acme.example')?.directoryId).to.equal('dir-fake-2602')
    })

    it('roles/assign takes atlassian/user-access-admin', async () => {
      const {status} = await call(
        fake,
        'POST',
        '/admin/v1/orgs/org-fake-2026/users/712020:fake-2602-reader/roles/assign',
        key,
        {
          resource: site,
          role: 'atlassian/user-access-admin',
        },
      )
      expect(status).to.equal(204)
    })

    it('refuses adding a member to org-admins (400 with a message)', async () => {
      const {body, status} = await call(
        fake,
        'POST',
        `${org}/directories/dir-fake-2602/groups/group-fake-2603/memberships`,
        key,
        {accountId: '712020:fake-2602-reader'},
      )
      expect(status).to.equal(400)
      expect(body.errors[0].detail).to.match(/org-admins/)
      expect(isMember(fake, 'group-fake-2603', '712020:fake-2602-reader')).to.equal(false)
    })
  })

  describe('propagation delay', () => {
    it('a group the Admin API made is unknown to Confluence for propagationDelayMs of the fake clock', async () => {
      fake.clock.pause()
      const made = await call(fake, 'POST', `${org}/directories/dir-fake-2602/groups`, key, {name: 'crawlers'})
      expect(made.status).to.equal(201)
      const groupId = made.body.id as string
      const picker = () => call(fake, 'GET', '/wiki/rest/api/group/picker?query=crawlers', admin)
      expect(namesOf((await picker()).body)).to.deep.equal([])
      expect((await call(fake, 'GET', `/wiki/rest/api/group/${groupId}/membersByGroupId`, admin)).status).to.equal(404)
      const viewer = fake.state.spaceRoles.find((r) => r.name === 'Viewer')!.id
      const assign = () =>
        call(fake, 'POST', '/wiki/api/v2/spaces/26001/role-assignments', admin, [
          {principal: {principalId: groupId, principalType: 'GROUP'}, roleId: viewer},
        ])
      const early = await assign()
      expect(early.status).to.equal(400)
      expect(early.body.message).to.match(/No group found/)
      fake.clock.advance(2999)
      expect(namesOf((await picker()).body)).to.deep.equal([])
      fake.clock.advance(1)
      expect(namesOf((await picker()).body)).to.deep.equal(['crawlers'])
      expect((await assign()).status).to.equal(200)
    })

    it('an account an Admin API invite created is unknown to Confluence until the delay has passed', async () => {
      fake.clock.pause()
      const invited = await call(fake, 'POST', `${org}/users/invite`, key, {emails: ['late@acme.example']})
      const accountId = invited.body.data[0].id as string
      const lookup = () => call(fake, 'GET', `/wiki/rest/api/user?accountId=${accountId}`, admin)
      expect((await lookup()).status).to.equal(404)
      const addToGroup = () =>
        call(fake, 'POST', '/wiki/rest/api/group/userByGroupId?groupId=group-fake-2604', admin, {accountId}, XSRF)
      expect((await addToGroup()).status).to.equal(400)
      fake.clock.advance(3000)
      expect((await lookup()).status).to.equal(200)
      expect((await addToGroup()).status).to.equal(201)
    })
  })
})

describe('fake Atlassian 2026: lenient knobs', () => {
  describe('default seed with behaviour.byNameGroups "available": by-name served, with Warning: 299', () => {
    const fake = useFakeAtlassian()
    beforeEach(() => {
      fake.state.behaviour.byNameGroups = 'available'
    })

    it('serves by-name with a deprecation warning, and not the picker without it', async () => {
      const byName = await call(fake, 'GET', '/wiki/rest/api/group/by-name?name=marketing', admin)
      expect(byName.status).to.equal(200)
      expect(byName.headers.get('warning')).to.match(/^299 - "Deprecated API, will be removed/)
      const picker = await call(fake, 'GET', '/wiki/rest/api/group/picker?query=market', admin)
      expect(picker.headers.get('warning')).to.equal(null)
      expect(namesOf(picker.body)).to.deep.equal(['marketing'])
    })

    it('serves the by-name member list and member add/remove on the group name', async () => {
      const members = await call(fake, 'GET', '/wiki/rest/api/group/marketing/member', admin)
      expect(members.status).to.equal(200)
      expect(members.body.results).to.have.length(2)
      const crawler = '712020:fake-0006-crawler'
      expect(
        (await call(fake, 'POST', '/wiki/rest/api/group/user?name=finance', admin, {accountId: crawler})).status,
      ).to.equal(201)
      expect(isMember(fake, 'group-fake-0007', crawler)).to.equal(true)
      expect(
        (await call(fake, 'DELETE', `/wiki/rest/api/group/user?name=finance&accountId=${crawler}`, admin)).status,
      ).to.equal(204)
      expect(isMember(fake, 'group-fake-0007', crawler)).to.equal(false)
    })

    it('behaviour.deprecatedRoutes chooses which routes carry the warning', async () => {
      fake.state.behaviour.deprecatedRoutes = ['GET /wiki/rest/api/group/picker']
      const picker = await call(fake, 'GET', '/wiki/rest/api/group/picker?query=market', admin)
      expect(picker.headers.get('warning')).to.match(/^299 /)
      expect(
        (await call(fake, 'GET', '/wiki/rest/api/group/by-name?name=marketing', admin)).headers.get('warning'),
      ).to.equal(null)
    })
  })

  describe('classic-legacy seed: confluence-users without a suffix', () => {
    const fake = useFakeAtlassian({seed: 'classic-legacy'})

    it('finds the legacy product-access groups through accessType', async () => {
      const of = async (accessType: string) =>
        namesOf((await call(fake, 'GET', `/wiki/rest/api/group?accessType=${accessType}`, admin)).body)
      expect(await of('user')).to.deep.equal(['confluence-users'])
      expect(await of('admin')).to.deep.equal(['confluence-administrators'])
      expect(await of('site-admin')).to.deep.equal(['site-admins'])
    })
  })
})
