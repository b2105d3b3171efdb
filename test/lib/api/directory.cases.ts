import {expect} from 'chai'

import {
  addDirectoryGroupMember,
  assignUserRole,
  atlassianRoleId,
  createDirectoryGroup,
  getUserRoles,
  inviteUsers,
  searchGroups,
  searchUsersByEmail,
} from '../../../src/lib/api/directory.js'
import {CfadminError, ExitCode} from '../../../src/lib/errors.js'
import {AtlassianApiError} from '../../../src/lib/http/errors.js'
import {rejectionOf} from '../http/helpers.js'
import {adminClient, API_HOST, DIR, emailList, instantClock, intercept, noteTest, ORG} from './support.js'

const DIRECTORY = `/admin/v2/orgs/${ORG}/directories/${DIR}`
const SITE_ARI = 'ari:cloud:confluence::site/cloud-1'

type Body = Record<string, unknown>

describe('api/directory (Admin API)', () => {
  beforeEach(function () {
    noteTest(this.currentTest?.fullTitle() ?? '')
  })

  describe('searchUsersByEmail', () => {
    it('POSTs {emails, limit: 100} to users/search with the Bearer key and returns the users found', async () => {
      const scope = intercept(API_HOST)
        .post(`${DIRECTORY}/users/search`, {emails: ['ann@example.com', 'bob@example.com'], limit: 100})
        .reply(200, {
          data: [
            {accountId: 'acc-ann', accountStatus: 'active', email: 'ann@example.com', name: 'Ann', status: 'active'},
            {accountId: 'acc-bob', email: 'bob@example.com'},
          ],
          links: {next: null},
        })
      const users = await searchUsersByEmail(await adminClient(), ORG, DIR, ['ann@example.com', 'bob@example.com'])
      expect(users).to.deep.equal([
        {accountId: 'acc-ann', email: 'ann@example.com', name: 'Ann', status: 'active'},
        {accountId: 'acc-bob', email: 'bob@example.com'},
      ])
      scope.done()
    })

    it('follows the cursor, sending it in the body next to the same filter', async () => {
      const scope = intercept(API_HOST)
        .post(`${DIRECTORY}/users/search`, {emails: ['a@example.com', 'b@example.com'], limit: 100})
        .reply(200, {data: [{accountId: 'acc-a', email: 'a@example.com'}], links: {next: 'CURSOR+2/=='}})
        .post(`${DIRECTORY}/users/search`, {
          cursor: 'CURSOR+2/==',
          emails: ['a@example.com', 'b@example.com'],
          limit: 100,
        })
        .reply(200, {data: [{accountId: 'acc-b', email: 'b@example.com'}], links: {}})
      const users = await searchUsersByEmail(await adminClient(), ORG, DIR, ['a@example.com', 'b@example.com'])
      expect(users.map((u) => u.accountId)).to.deep.equal(['acc-a', 'acc-b'])
      scope.done()
    })

    it('asks 100 emails at a time, each distinct email (ignoring case) once', async () => {
      const emails = emailList(250)
      const sent: string[][] = []
      const scope = intercept(API_HOST)
        .post(`${DIRECTORY}/users/search`, (body: Body) => {
          sent.push(body.emails as string[])
          return body.limit === 100
        })
        .times(3)
        .reply(200, (_uri, body) => ({
          data: (body as {emails: string[]}).emails.map((email) => ({accountId: `acc-${email}`, email})),
          links: {},
        }))
      const users = await searchUsersByEmail(await adminClient(), ORG, DIR, [
        ...emails,
        'USER0@example.com',
        'user1@example.com',
      ])
      expect(sent.map((batch) => batch.length)).to.deep.equal([100, 100, 50])
      expect(sent.flat()).to.deep.equal(emails)
      expect(users).to.have.length(250)
      scope.done()
    })

    it('asks nothing for no emails', async () => {
      expect(await searchUsersByEmail(await adminClient(), ORG, DIR, [])).to.deep.equal([])
    })

    it('encodes the org and directory IDs as path segments', async () => {
      const scope = intercept(API_HOST)
        .post('/admin/v2/orgs/org%2F1/directories/dir%20one/users/search')
        .reply(200, {data: [], links: {}})
      expect(await searchUsersByEmail(await adminClient(), 'org/1', 'dir one', ['a@example.com'])).to.deep.equal([])
      scope.done()
    })

    it('throws the Admin API 403 as an AtlassianApiError with exit 4', async () => {
      const scope = intercept(API_HOST)
        .post(`${DIRECTORY}/users/search`)
        .reply(403, {errors: [{code: 'ADMIN-403-3', title: 'Forbidden'}]})
      const error = await rejectionOf(searchUsersByEmail(await adminClient(), ORG, DIR, ['a@example.com']))
      expect(error).to.be.instanceOf(AtlassianApiError).and.include({exit: ExitCode.notAuthenticated, status: 403})
      scope.done()
    })
  })

  describe('getUserRoles', () => {
    const path = `${DIRECTORY}/users/acc-1/role-assignments`

    it('reads {data: [{resourceId, roleId}]} and follows the cursor as a query parameter', async () => {
      const scope = intercept(API_HOST)
        .get(path)
        .reply(200, {data: [{resourceId: SITE_ARI, roleId: 'atlassian/user'}], links: {next: 'c2'}})
        .get(path)
        .query({cursor: 'c2'})
        .reply(200, {data: [{resourceId: 'ari:cloud:jira::site/x', roleId: 'atlassian/admin'}], links: {next: null}})
      expect(await getUserRoles(await adminClient(), ORG, DIR, 'acc-1')).to.deep.equal([
        {resourceId: SITE_ARI, roleId: 'atlassian/user'},
        {resourceId: 'ari:cloud:jira::site/x', roleId: 'atlassian/admin'},
      ])
      scope.done()
    })

    it('also reads {data: [{resource, role}]} (the shape is UNCONFIRMED)', async () => {
      const scope = intercept(API_HOST)
        .get(path)
        .reply(200, {data: [{resource: SITE_ARI, role: 'atlassian/user'}]})
      expect(await getUserRoles(await adminClient(), ORG, DIR, 'acc-1')).to.deep.equal([
        {resourceId: SITE_ARI, roleId: 'atlassian/user'},
      ])
      scope.done()
    })

    it("also reads the generated client's {resourceId, roles, roleAssignments: [{role}]}, one entry per role", async () => {
      const scope = intercept(API_HOST)
        .get(path)
        .reply(200, {
          data: [
            {
              directoryId: DIR,
              resourceId: SITE_ARI,
              roleAssignments: [{role: 'atlassian/user', roleAssignmentMethods: ['direct']}, {role: 'atlassian/admin'}],
              roles: ['atlassian/user'],
            },
          ],
        })
      expect(await getUserRoles(await adminClient(), ORG, DIR, 'acc-1')).to.deep.equal([
        {resourceId: SITE_ARI, roleId: 'atlassian/user'},
        {resourceId: SITE_ARI, roleId: 'atlassian/admin'},
      ])
      scope.done()
    })

    it('encodes the account ID and throws a 404 as exit 2', async () => {
      const scope = intercept(API_HOST)
        .get(`${DIRECTORY}/users/557058%3Aabc/role-assignments`)
        .reply(404, {errors: [{code: 'ADMIN-404-8', title: 'User not found'}]})
      const error = await rejectionOf(getUserRoles(await adminClient(), ORG, DIR, '557058:abc'))
      expect(error).to.be.instanceOf(AtlassianApiError).and.include({exit: ExitCode.badInput, status: 404})
      scope.done()
    })
  })

  describe('inviteUsers', () => {
    const invitePath = `/admin/v2/orgs/${ORG}/users/invite`
    const invited = (email: string, id: string) => ({
      email,
      id,
      results: [
        {
          groupAssignmentResult: [{group: 'grp-1', status: 'INVITED', statusReason: null}],
          roleAssignmentResult: [{resource: SITE_ARI, role: 'atlassian/user', status: 'INVITED', statusReason: null}],
        },
      ],
    })

    it('POSTs emails, permissionRules with the atlassian/ role, additionalGroups, sendNotification and notificationText', async () => {
      const scope = intercept(API_HOST)
        .post(invitePath, {
          additionalGroups: ['grp-1'],
          emails: ['ann@example.com', 'bob@example.com'],
          notificationText: 'Welcome',
          permissionRules: [{resource: SITE_ARI, role: 'atlassian/user'}],
          sendNotification: true,
        })
        .reply(200, {data: [invited('ann@example.com', 'acc-ann'), invited('bob@example.com', 'acc-bob')]})
      const outcomes = await inviteUsers(await adminClient(), ORG, {
        emails: ['ann@example.com', 'bob@example.com'],
        groupIds: ['grp-1'],
        message: 'Welcome',
        notify: true,
        resource: SITE_ARI,
        role: 'user',
      })
      expect(outcomes).to.deep.equal([
        {accountId: 'acc-ann', email: 'ann@example.com', status: 'INVITED'},
        {accountId: 'acc-bob', email: 'bob@example.com', status: 'INVITED'},
      ])
      scope.done()
    })

    it('keeps a role given with its atlassian/ prefix, and leaves out groups and text that were not given', async () => {
      const scope = intercept(API_HOST)
        .post(invitePath, {
          emails: ['ann@example.com'],
          permissionRules: [{resource: SITE_ARI, role: 'atlassian/admin'}],
          sendNotification: false,
        })
        .reply(200, {data: [{email: 'ann@example.com', id: 'acc-ann', results: []}]})
      const outcomes = await inviteUsers(await adminClient(), ORG, {
        emails: ['ann@example.com'],
        groupIds: [],
        notify: false,
        resource: SITE_ARI,
        role: 'atlassian/admin',
      })
      expect(outcomes).to.deep.equal([{accountId: 'acc-ann', email: 'ann@example.com', status: 'INVITED'}])
      scope.done()
    })

    it("maps a role or group ERROR to an ERROR outcome with Atlassian's statusReason, and a missing email to ERROR", async () => {
      const scope = intercept(API_HOST)
        .post(invitePath)
        .reply(200, {
          data: [
            {
              email: 'ANN@example.com',
              id: 'acc-ann',
              results: [
                {
                  roleAssignmentResult: [
                    {resource: SITE_ARI, role: 'atlassian/user', status: 'ERROR', statusReason: 'Licence exceeded'},
                  ],
                },
              ],
            },
            {
              email: 'bob@example.com',
              id: 'acc-bob',
              results: [
                {
                  groupAssignmentResult: [
                    {group: 'grp-1', status: 'ERROR', statusReason: 'Group is synced from an identity provider'},
                  ],
                  roleAssignmentResult: [{resource: SITE_ARI, role: 'atlassian/user', status: 'INVITED'}],
                },
              ],
            },
            {email: 'cat@example.com', results: [{groupAssignmentResult: [{group: 'grp-1', status: 'ERROR'}]}]},
          ],
        })
      const outcomes = await inviteUsers(await adminClient(), ORG, {
        emails: ['ann@example.com', 'bob@example.com', 'cat@example.com', 'dan@example.com'],
        groupIds: ['grp-1'],
        notify: true,
        resource: SITE_ARI,
        role: 'user',
      })
      expect(outcomes).to.deep.equal([
        {accountId: 'acc-ann', email: 'ann@example.com', reason: 'Licence exceeded', status: 'ERROR'},
        {
          accountId: 'acc-bob',
          email: 'bob@example.com',
          reason: 'Group is synced from an identity provider',
          status: 'ERROR',
        },
        {email: 'cat@example.com', reason: 'not added to group grp-1', status: 'ERROR'},
        {email: 'dan@example.com', reason: "not in Atlassian's answer", status: 'ERROR'},
      ])
      scope.done()
    })

    it('invites 25 emails a request (the cap Atlassian may enforce) and gives one outcome per distinct email, in order', async () => {
      const emails = emailList(60)
      const sizes: number[] = []
      const scope = intercept(API_HOST)
        .post(invitePath, (body: Body) => {
          sizes.push((body.emails as string[]).length)
          return true
        })
        .times(3)
        .reply(200, (_uri, body) => ({
          data: (body as {emails: string[]}).emails.map((email) => ({email, id: `acc-${email}`, results: []})),
        }))
      const outcomes = await inviteUsers(await adminClient(), ORG, {
        emails: [...emails, 'User3@Example.com'],
        notify: false,
        resource: SITE_ARI,
        role: 'user',
      })
      expect(sizes).to.deep.equal([25, 25, 10])
      expect(outcomes.map((o) => o.email)).to.deep.equal(emails)
      expect(outcomes.every((o) => o.status === 'INVITED')).to.equal(true)
      scope.done()
    })

    it('turns a 402 into NO_PAID_SUBSCRIPTION, exit 2 (the plan of the organization, not a cfadmin bug), with a hint naming the other routes', async () => {
      const scope = intercept(API_HOST)
        .post(invitePath)
        .reply(402, {errors: [{status: '402', title: 'Payment Required'}]})
      const error = await rejectionOf(
        inviteUsers(await adminClient(), ORG, {
          emails: ['ann@example.com'],
          notify: true,
          resource: SITE_ARI,
          role: 'user',
        }),
      )
      expect(error).to.be.instanceOf(CfadminError).and.not.be.instanceOf(AtlassianApiError)
      expect(error).to.include({code: 'NO_PAID_SUBSCRIPTION', exit: 2})
      expect(error.message).to.match(/at least one paid subscription/)
      expect((error as CfadminError).hint)
        .to.match(/invite-by-email/)
        .and.match(/admin\.atlassian\.com/)
      expect(error.cause).to.be.instanceOf(AtlassianApiError)
      scope.done()
    })

    it('throws a 403 as AtlassianApiError exit 4', async () => {
      const scope = intercept(API_HOST).post(invitePath).reply(403, {code: 403, message: 'Forbidden'})
      const error = await rejectionOf(
        inviteUsers(await adminClient(), ORG, {
          emails: ['ann@example.com'],
          notify: true,
          resource: SITE_ARI,
          role: 'user',
        }),
      )
      expect(error).to.be.instanceOf(AtlassianApiError).and.include({exit: ExitCode.notAuthenticated, status: 403})
      scope.done()
    })

    it('sends an invitation once: a 503 is not retried even by a client that retries', async () => {
      const scope = intercept(API_HOST).post(invitePath).reply(503, {code: 503, message: 'Unavailable'})
      const client = await adminClient({clock: instantClock, retryLimit: 2})
      const error = await rejectionOf(
        inviteUsers(client, ORG, {emails: ['ann@example.com'], notify: true, resource: SITE_ARI, role: 'user'}),
      )
      expect(error).to.be.instanceOf(AtlassianApiError).and.include({retries: 0, status: 503})
      scope.done()
    })
  })

  describe('assignUserRole', () => {
    it('POSTs {role: atlassian/<role>, resource} to the v1 roles/assign and accepts 204', async () => {
      const scope = intercept(API_HOST)
        .post(`/admin/v1/orgs/${ORG}/users/acc%2F1/roles/assign`, {resource: SITE_ARI, role: 'atlassian/user'})
        .reply(204)
        .post(`/admin/v1/orgs/${ORG}/users/acc-2/roles/assign`, {resource: SITE_ARI, role: 'atlassian/admin'})
        .reply(204)
      await assignUserRole(await adminClient(), ORG, 'acc/1', 'user', SITE_ARI)
      await assignUserRole(await adminClient(), ORG, 'acc-2', 'atlassian/admin', SITE_ARI)
      scope.done()
    })

    it("throws a 400 (invalid resource) as exit 2 with Atlassian's detail", async () => {
      const scope = intercept(API_HOST)
        .post(`/admin/v1/orgs/${ORG}/users/acc-1/roles/assign`)
        .reply(400, {
          errors: [
            {
              code: 'ADMIN-UAM-400-5',
              detail: 'Cloud Resource is invalid',
              status: '400',
              title: 'Empty/Invalid Resource',
            },
          ],
        })
      const error = await rejectionOf(
        assignUserRole(await adminClient(), ORG, 'acc-1', 'user', 'ari:cloud:jira-admin::site/x'),
      )
      expect(error).to.be.instanceOf(AtlassianApiError).and.include({exit: ExitCode.badInput, status: 400})
      expect(error.message).to.include('Empty/Invalid Resource: Cloud Resource is invalid')
      scope.done()
    })

    it('throws a 403 as exit 4', async () => {
      const scope = intercept(API_HOST)
        .post(`/admin/v1/orgs/${ORG}/users/acc-1/roles/assign`)
        .reply(403, {code: 403, message: 'no'})
      const error = await rejectionOf(assignUserRole(await adminClient(), ORG, 'acc-1', 'user', SITE_ARI))
      expect(error).to.include({exit: ExitCode.notAuthenticated, status: 403})
      scope.done()
    })
  })

  describe('searchGroups', () => {
    it('POSTs groupNames with expand ["counts.users"] and maps counts, description and IdP sync', async () => {
      const scope = intercept(API_HOST)
        .post(`${DIRECTORY}/groups/search`, {
          expand: ['counts.users'],
          groupNames: ['cf-crawler', 'org-admins'],
          limit: 50,
        })
        .reply(200, {
          data: [
            {
              counts: {users: 3},
              description: 'Crawler',
              directoryId: DIR,
              externalSynced: false,
              id: 'g1',
              managedBy: 'admins',
              name: 'cf-crawler',
            },
            {externalSynced: true, id: 'g2', name: 'org-admins'},
            {id: 'g3', managedBy: 'external', name: 'scim'},
            {name: 'no id'},
          ],
          links: {next: null},
        })
      const groups = await searchGroups(await adminClient(), ORG, DIR, {names: ['cf-crawler', 'org-admins']})
      expect(groups).to.deep.equal([
        {description: 'Crawler', id: 'g1', managedByIdp: false, memberCount: 3, name: 'cf-crawler'},
        {id: 'g2', managedByIdp: true, name: 'org-admins'},
        {id: 'g3', managedByIdp: true, name: 'scim'},
      ])
      scope.done()
    })

    it('sends searchTerm and accountIds and follows the cursor', async () => {
      const first = {accountIds: ['acc-1'], expand: ['counts.users'], limit: 50, searchTerm: 'confluence'}
      const scope = intercept(API_HOST)
        .post(`${DIRECTORY}/groups/search`, first)
        .reply(200, {data: [{id: 'g1', name: 'confluence-users-acme'}], links: {next: 'n2'}})
        .post(`${DIRECTORY}/groups/search`, {...first, cursor: 'n2'})
        .reply(200, {data: [{id: 'g2', name: 'confluence-admins-acme'}], links: {}})
      const groups = await searchGroups(await adminClient(), ORG, DIR, {
        accountIds: ['acc-1'],
        searchTerm: 'confluence',
      })
      expect(groups.map((g) => g.name)).to.deep.equal(['confluence-users-acme', 'confluence-admins-acme'])
      scope.done()
    })

    it('throws a 403 as exit 4', async () => {
      const scope = intercept(API_HOST).post(`${DIRECTORY}/groups/search`).reply(403, {code: 403, message: 'scope'})
      expect(await rejectionOf(searchGroups(await adminClient(), ORG, DIR, {names: ['x']}))).to.include({
        exit: ExitCode.notAuthenticated,
      })
      scope.done()
    })
  })

  describe('createDirectoryGroup', () => {
    it('POSTs {name, description} and returns the group Atlassian answers with', async () => {
      const scope = intercept(API_HOST)
        .post(`${DIRECTORY}/groups`, {description: 'Crawler account', name: 'cf-crawler'})
        .reply(201, {description: 'Crawler account', directoryId: DIR, id: 'g-new', name: 'cf-crawler'})
      expect(await createDirectoryGroup(await adminClient(), ORG, DIR, 'cf-crawler', 'Crawler account')).to.deep.equal({
        description: 'Crawler account',
        id: 'g-new',
        name: 'cf-crawler',
      })
      scope.done()
    })

    it('reads a v1-style {groupId} answer, and sends no description when none is given', async () => {
      const scope = intercept(API_HOST)
        .post(`${DIRECTORY}/groups`, {name: 'cf-crawler'})
        .reply(200, {groupId: 'g-new', message: 'Group cf-crawler was created'})
      expect(await createDirectoryGroup(await adminClient(), ORG, DIR, 'cf-crawler')).to.deep.equal({
        id: 'g-new',
        name: 'cf-crawler',
      })
      scope.done()
    })

    it('finds the new group by its name when the answer has no body (UNCONFIRMED answer)', async () => {
      const scope = intercept(API_HOST)
        .post(`${DIRECTORY}/groups`, {name: 'cf-crawler'})
        .reply(201)
        .post(`${DIRECTORY}/groups/search`, {expand: ['counts.users'], groupNames: ['cf-crawler'], limit: 50})
        .reply(200, {data: [{counts: {users: 0}, id: 'g-new', name: 'CF-Crawler'}], links: {}})
      expect(await createDirectoryGroup(await adminClient(), ORG, DIR, 'cf-crawler')).to.deep.equal({
        id: 'g-new',
        memberCount: 0,
        name: 'CF-Crawler',
      })
      scope.done()
    })

    it('says UNEXPECTED_RESPONSE when neither the answer nor a search shows the new group', async () => {
      const scope = intercept(API_HOST)
        .post(`${DIRECTORY}/groups`)
        .reply(204)
        .post(`${DIRECTORY}/groups/search`)
        .reply(200, {data: [], links: {}})
      const error = await rejectionOf(createDirectoryGroup(await adminClient(), ORG, DIR, 'cf-crawler'))
      expect(error)
        .to.be.instanceOf(CfadminError)
        .and.include({code: 'UNEXPECTED_RESPONSE', exit: ExitCode.unreachable})
      scope.done()
    })

    it('throws a 409 (name taken) as exit 2 and sends it once', async () => {
      const scope = intercept(API_HOST)
        .post(`${DIRECTORY}/groups`)
        .reply(409, {errors: [{title: 'Group already exists'}]})
      const error = await rejectionOf(
        createDirectoryGroup(await adminClient({clock: instantClock, retryLimit: 2}), ORG, DIR, 'cf-crawler'),
      )
      expect(error).to.be.instanceOf(AtlassianApiError).and.include({exit: ExitCode.badInput, retries: 0, status: 409})
      scope.done()
    })
  })

  describe('addDirectoryGroupMember', () => {
    it('POSTs {accountId} to the group memberships and accepts 204', async () => {
      const scope = intercept(API_HOST).post(`${DIRECTORY}/groups/g%2F1/memberships`, {accountId: 'acc-1'}).reply(204)
      await addDirectoryGroupMember(await adminClient(), ORG, DIR, 'g/1', 'acc-1')
      scope.done()
    })

    it('throws a 403 as exit 4 and a 400 as exit 2', async () => {
      const scope = intercept(API_HOST)
        .post(`${DIRECTORY}/groups/g1/memberships`)
        .reply(403, {errors: [{code: 'ADMIN-403-5', title: 'Not allowed'}]})
        .post(`${DIRECTORY}/groups/g2/memberships`)
        .reply(400, {errors: [{title: 'Cannot modify a group synced from an identity provider'}]})
      expect(await rejectionOf(addDirectoryGroupMember(await adminClient(), ORG, DIR, 'g1', 'acc-1'))).to.include({
        exit: ExitCode.notAuthenticated,
        status: 403,
      })
      expect(await rejectionOf(addDirectoryGroupMember(await adminClient(), ORG, DIR, 'g2', 'acc-1'))).to.include({
        exit: ExitCode.badInput,
        status: 400,
      })
      scope.done()
    })
  })

  it('atlassianRoleId adds the atlassian/ prefix only when missing', () => {
    expect(atlassianRoleId('user')).to.equal('atlassian/user')
    expect(atlassianRoleId('atlassian/site-admin')).to.equal('atlassian/site-admin')
  })
})
