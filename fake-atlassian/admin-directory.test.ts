import {expect} from 'chai'

import {basicAuth, bearer, defaultSeedCredentials as seed, defaultSeedIds as ids} from './credentials.js'
import {hasConfluenceAccess, isMember, userByEmail, writes} from './helpers.js'
import {type FakeAtlassian, startFakeAtlassian} from './server.js'
import {call} from './testing.js'
import {useFakeAtlassian} from './use-fake.js'

const key = bearer(seed.adminKey)
const org = `/admin/v2/orgs/${seed.orgId}`
const dir = `${org}/directories/${seed.directoryId}`
const {accounts, groups} = ids

describe('fake Atlassian: Admin API users and groups (default seed)', () => {
  const fake = useFakeAtlassian()

  const expectOffContract = (status: number, ...mentions: string[]) => {
    expect(status).to.equal(400)
    expect(fake.contractViolations).to.have.length(1)
    for (const m of mentions) expect(fake.contractViolations[0]).to.include(m)
    fake.contractViolations.length = 0
  }

  describe('POST .../directories/{directoryId}/users/search', () => {
    it('finds users by exact email, case-insensitive, hidden emails included', async () => {
      const {body, status} = await call(fake, 'POST', `${dir}/users/search`, key, {
        emails: ['HIDDEN@acme.example', 'mia.marketer@acme.EXAMPLE', 'nobody@acme.example'],
        limit: 50,
      })
      expect(status).to.equal(200)
      expect(body.links).to.deep.equal({})
      expect(body.data.map((u: {accountId: string}) => u.accountId)).to.deep.equal([accounts.hidden, accounts.marketer])
      expect(body.data[0]).to.deep.include({
        accountStatus: 'active',
        email: 'hidden@acme.example',
        membershipStatus: 'active',
        name: 'Hugo Hidden',
        status: 'active',
      })
    })

    it('does not match a part of an email', async () => {
      expect((await call(fake, 'POST', `${dir}/users/search`, key, {emails: ['hidden@acme']})).body.data).to.deep.equal(
        [],
      )
    })

    it('gives the composite statuses of suspended and deactivated accounts', async () => {
      const {body} = await call(fake, 'POST', `${dir}/users/search`, key, {
        emails: ['suspended@acme.example', 'deactivated@acme.example'],
      })
      expect(
        body.data.map((u: Record<string, string>) => [u.status, u.accountStatus, u.membershipStatus]),
      ).to.deep.equal([
        ['suspended', 'active', 'suspended'],
        ['deactivated', 'inactive', 'active'],
      ])
    })

    it('filters by accountIds and searchTerm (name or email), and works on directory "-"', async () => {
      const byId = await call(fake, 'POST', `${org}/directories/-/users/search`, key, {
        accountIds: [accounts.reader, accounts.crawler],
      })
      expect(byId.body.data.map((u: {email: string}) => u.email)).to.deep.equal([
        'reader@acme.example',
        'crawler@acme.example',
      ])
      const byTerm = await call(fake, 'POST', `${dir}/users/search`, key, {searchTerm: 'quin'})
      expect(byTerm.body.data.map((u: {accountId: string}) => u.accountId)).to.deep.equal([accounts.quiet])
    })

    it('pages with limit and a links.next cursor sent back in the body', async () => {
      const first = await call(fake, 'POST', `${dir}/users/search`, key, {limit: 4})
      expect(first.body.data).to.have.length(4)
      const seen = first.body.data.map((u: {accountId: string}) => u.accountId)
      let next = first.body.links.next as string | undefined
      while (next) {
        const more = await call(fake, 'POST', `${dir}/users/search`, key, {cursor: next})
        seen.push(...more.body.data.map((u: {accountId: string}) => u.accountId))
        next = more.body.links.next
      }

      expect(seen).to.deep.equal(fake.state.users.map((u) => u.accountId))
    })

    it('leaves out hidden emails when listing, unless the knob shows them; a search naming the email shows it', async () => {
      const hidden = fake.state.users.find((u) => !u.emailVisible)!
      const listed = async () =>
        (await call(fake, 'POST', `${dir}/users/search`, key, {accountIds: [hidden.accountId]})).body.data[0]
      expect(await listed()).to.not.have.property('email')
      fake.state.behaviour.adminSearchHiddenEmails = 'shown'
      expect((await listed()).email).to.equal(hidden.email)
      fake.state.behaviour.adminSearchHiddenEmails = 'omitted'
      const byEmail = await call(fake, 'POST', `${dir}/users/search`, key, {emails: [hidden.email]})
      expect(byEmail.body.data[0].email).to.equal(hidden.email)
    })

    it('gives each user its groups with expand ["groups"], on every page of the cursor', async () => {
      const first = await call(fake, 'POST', `${dir}/users/search`, key, {expand: ['groups'], limit: 1})
      const second = await call(fake, 'POST', `${dir}/users/search`, key, {cursor: first.body.links.next})
      for (const user of [...first.body.data, ...second.body.data]) {
        const expected = fake.state.memberships
          .filter((m) => m.accountId === user.accountId)
          .map((m) => fake.state.groups.find((g) => g.id === m.groupId)!.name)
        expect(user.groups.map((g: {name: string}) => g.name)).to.have.members(expected)
      }

      const plain = await call(fake, 'POST', `${dir}/users/search`, key, {limit: 1})
      expect(plain.body.data[0]).to.not.have.property('groups')
    })

    it('refuses emails with searchTerm as an off-contract 400 (§5)', async () => {
      const {body, status} = await call(fake, 'POST', `${dir}/users/search`, key, {
        emails: ['a@acme.example'],
        searchTerm: 'a',
      })
      expectOffContract(status, 'emails', 'searchTerm')
      expect(body.errors[0].code).to.equal('ADMIN-400-24')
    })

    it('refuses an unknown body property as off-contract', async () => {
      expectOffContract(
        (await call(fake, 'POST', `${dir}/users/search`, key, {email: 'a@acme.example'})).status,
        'searchDirectoryUsers',
        'email',
      )
    })

    it('answers a directory of another org, or none, with 404', async () => {
      const {body, status} = await call(fake, 'POST', `${org}/directories/dir-fake-9999/users/search`, key, {})
      expect(status).to.equal(404)
      expect(body.errors[0].code).to.equal('ADMIN-404-1')
      expect(
        (await call(fake, 'POST', '/admin/v2/orgs/org-fake-9999/directories/dir-fake-0001/users/search', key, {}))
          .status,
      ).to.equal(404)
    })

    it('wants the Admin key: a site API token or an OAuth token is 401 in the proxy shape', async () => {
      for (const credential of [
        basicAuth(seed.adminToken.email, seed.adminToken.token),
        bearer(seed.oauthAccessToken),
        undefined,
      ]) {
        const {body, status} = await call(fake, 'POST', `${dir}/users/search`, credential, {
          emails: ['admin@acme.example'],
        })
        expect(status).to.equal(401)
        expect(body).to.deep.equal({code: 401, message: 'Unauthorized'})
      }
    })
  })

  describe('POST /admin/v2/orgs/{orgId}/users/invite', () => {
    const confluenceUser = {resource: ids.siteAri, role: 'atlassian/user'}

    it('creates an unknown user, gives the Confluence role and puts them in the default users group', async () => {
      const {body, status} = await call(fake, 'POST', `${org}/users/invite`, key, {
        emails: ['Ann@New.example'],
        permissionRules: [confluenceUser],
        sendNotification: false,
      })
      expect(status).to.equal(200)
      const user = userByEmail(fake, 'ann@new.example')
      expect(user).to.include({
        directoryId: seed.directoryId,
        email: 'Ann@New.example',
        invited: true,
        status: 'active',
      })
      expect(body.data).to.deep.equal([
        {
          email: 'Ann@New.example',
          id: user!.accountId,
          results: [
            {
              groupAssignmentResult: [],
              roleAssignmentResult: [{...confluenceUser, status: 'INVITED', statusReason: null}],
            },
          ],
        },
      ])
      expect(isMember(fake, groups.confluenceUsers, user!.accountId)).to.equal(true)
      expect(hasConfluenceAccess(fake, user!.accountId)).to.equal(true)
    })

    it('gives atlassian/admin through confluence-admins-<site>, and keeps an existing account', async () => {
      const {body} = await call(fake, 'POST', `${org}/users/invite`, key, {
        emails: ['crawler@acme.example'],
        permissionRules: [{resource: ids.siteAri, role: 'atlassian/admin'}],
      })
      expect(body.data[0].id).to.equal(accounts.crawler)
      expect(isMember(fake, groups.confluenceAdmins, accounts.crawler)).to.equal(true)
      expect(isMember(fake, groups.confluenceUsers, accounts.crawler)).to.equal(false)
      expect(fake.state.users.filter((u) => u.email === 'crawler@acme.example')).to.have.length(1)
    })

    it('reports a rule with an unknown resource ARI as ERROR "Empty/Invalid Resource", the others still apply', async () => {
      const jira = {resource: 'ari:cloud:jira-admin::site/cloud-fake-0001', role: 'atlassian/user'}
      const {body} = await call(fake, 'POST', `${org}/users/invite`, key, {
        emails: ['crawler@acme.example'],
        permissionRules: [jira, confluenceUser],
      })
      expect(body.data[0].results[0].roleAssignmentResult).to.deep.equal([
        {...jira, status: 'ERROR', statusReason: 'Empty/Invalid Resource'},
        {...confluenceUser, status: 'INVITED', statusReason: null},
      ])
    })

    it('adds additionalGroups and reports each: unknown and IdP-synced groups are ERROR', async () => {
      const {body} = await call(fake, 'POST', `${org}/users/invite`, key, {
        additionalGroups: [groups.marketing, 'group-nope', groups.engineering],
        emails: ['crawler@acme.example'],
      })
      expect(body.data[0].results[0].groupAssignmentResult).to.deep.equal([
        {group: groups.marketing, status: 'INVITED', statusReason: null},
        {group: 'group-nope', status: 'ERROR', statusReason: 'Group not found'},
        {group: groups.engineering, status: 'ERROR', statusReason: 'Group is managed by an identity provider'},
      ])
      expect(isMember(fake, groups.marketing, accounts.crawler)).to.equal(true)
    })

    it('reports LicenceExceeded when the site has no seat left, and grants nothing', async () => {
      fake.state.sites[0].licenceLimit = 5 // the seed uses 5 seats
      const {body} = await call(fake, 'POST', `${org}/users/invite`, key, {
        emails: ['crawler@acme.example'],
        permissionRules: [confluenceUser],
      })
      const [result] = body.data[0].results[0].roleAssignmentResult
      expect(result).to.include({status: 'ERROR'})
      expect(result.statusReason).to.equal(`LicenceExceededException: Licence exceeded for: ${ids.siteAri}`)
      expect(isMember(fake, groups.confluenceUsers, accounts.crawler)).to.equal(false)
      // Someone who already holds a seat is fine.
      const again = await call(fake, 'POST', `${org}/users/invite`, key, {
        emails: ['reader@acme.example'],
        permissionRules: [confluenceUser],
      })
      expect(again.body.data[0].results[0].roleAssignmentResult[0].status).to.equal('INVITED')
    })

    it('answers 402 {code, message} for an org without a paid subscription, creating nobody', async () => {
      fake.state.orgs[0].paidSubscription = false
      const {body, status} = await call(fake, 'POST', `${org}/users/invite`, key, {emails: ['ann@new.example']})
      expect(status).to.equal(402)
      expect(body).to.have.keys('code', 'message')
      expect(body.code).to.equal(402)
      expect(userByEmail(fake, 'ann@new.example')).to.equal(undefined)
    })

    it('answers 400 for an invalid email, and off-contract for a role without the atlassian/ prefix or no emails', async () => {
      expect((await call(fake, 'POST', `${org}/users/invite`, key, {emails: ['not-an-email']})).status).to.equal(400)
      expectOffContract(
        (
          await call(fake, 'POST', `${org}/users/invite`, key, {
            emails: ['a@b.example'],
            permissionRules: [{resource: ids.siteAri, role: 'user'}],
          })
        ).status,
        'role',
      )
      expectOffContract((await call(fake, 'POST', `${org}/users/invite`, key, {emails: []})).status, 'emails')
    })
  })

  describe('GET .../users/{accountId}/role-assignments', () => {
    it('lists {resourceId, roleId} pairs, direct and through groups', async () => {
      const {body, status} = await call(fake, 'GET', `${dir}/users/${accounts.reader}/role-assignments`, key)
      expect(status).to.equal(200)
      expect(body).to.deep.equal({data: [{resourceId: ids.siteAri, roleId: 'atlassian/user'}], links: {}})
      const none = await call(fake, 'GET', `${dir}/users/${accounts.crawler}/role-assignments`, key)
      expect(none.body.data).to.deep.equal([])
    })

    it('filters by roleIds and answers 404 ADMIN-404-8 for an unknown account', async () => {
      const {body} = await call(
        fake,
        'GET',
        `${dir}/users/${accounts.admin}/role-assignments?roleIds=atlassian/admin`,
        key,
      )
      expect(body.data).to.deep.equal([{resourceId: ids.siteAri, roleId: 'atlassian/admin'}])
      const missing = await call(fake, 'GET', `${dir}/users/712020:nobody/role-assignments`, key)
      expect(missing.status).to.equal(404)
      expect(missing.body.errors[0].code).to.equal('ADMIN-404-8')
    })
  })

  describe('POST /admin/v1/orgs/{orgId}/users/{accountId}/roles/assign', () => {
    const path = (accountId: string) => `/admin/v1/orgs/${seed.orgId}/users/${accountId}/roles/assign`

    it('answers 204, records the role and adds atlassian/user to the default group', async () => {
      const {body, status} = await call(fake, 'POST', path(accounts.contractor), key, {
        resource: ids.siteAri,
        role: 'atlassian/user',
      })
      expect(status).to.equal(204)
      expect(body).to.equal(undefined)
      expect(isMember(fake, groups.confluenceUsers, accounts.contractor)).to.equal(true)
      expect(fake.state.roleAssignments).to.deep.include({
        accountId: accounts.contractor,
        resourceId: ids.siteAri,
        roleId: 'atlassian/user',
      })
      const roles = await call(fake, 'GET', `${dir}/users/${accounts.contractor}/role-assignments`, key)
      expect(roles.body.data).to.deep.equal([{resourceId: ids.siteAri, roleId: 'atlassian/user'}])
    })

    it('answers an invalid resource with the exact ADMIN-UAM-400-5 error (ID-8887)', async () => {
      for (const resource of [
        'ari:cloud:jira-admin::site/cloud-fake-0001',
        'ari:cloud:confluence::site/cloud-nope',
        undefined,
      ]) {
        const {body, status} = await call(fake, 'POST', path(accounts.contractor), key, {
          resource,
          role: 'atlassian/user',
        })
        expect(status).to.equal(400)
        expect(body.errors).to.have.length(1)
        expect(body.errors[0]).to.deep.include({
          code: 'ADMIN-UAM-400-5',
          detail: 'Cloud Resource is invalid',
          status: '400',
          title: 'Empty/Invalid Resource',
        })
        expect(body.errors[0].id).to.be.a('string')
      }

      expect(isMember(fake, groups.confluenceUsers, accounts.contractor)).to.equal(false)
    })

    it('answers 404 for an unknown user, 400 LicenceExceeded on a full site, 204 again for a role already held', async () => {
      expect(
        (await call(fake, 'POST', path('712020:nobody'), key, {resource: ids.siteAri, role: 'atlassian/user'})).status,
      ).to.equal(404)
      expect(
        (await call(fake, 'POST', path(accounts.reader), key, {resource: ids.siteAri, role: 'atlassian/user'})).status,
      ).to.equal(204)
      fake.state.sites[0].licenceLimit = 5
      const full = await call(fake, 'POST', path(accounts.contractor), key, {
        resource: ids.siteAri,
        role: 'atlassian/user',
      })
      expect(full.status).to.equal(400)
      expect(full.body.errors[0].detail).to.include('LicenceExceededException')
      // A role that takes no seat is still given.
      expect(
        (
          await call(fake, 'POST', path(accounts.contractor), key, {
            resource: ids.siteAri,
            role: 'atlassian/user-access-admin',
          })
        ).status,
      ).to.equal(204)
    })

    it('takes atlassian/org-admin without a resource', async () => {
      expect((await call(fake, 'POST', path(accounts.reader), key, {role: 'atlassian/org-admin'})).status).to.equal(204)
    })
  })

  describe('POST .../groups/search', () => {
    const search = (body: unknown) => call(fake, 'POST', `${dir}/groups/search`, key, body)

    it('finds groups by exact name, case-insensitive, with counts.users on request', async () => {
      const {body, status} = await search({
        expand: ['counts.users'],
        groupNames: ['Marketing', 'confluence-users-acme', 'nope'],
        limit: 50,
      })
      expect(status).to.equal(200)
      expect(body.data).to.deep.equal([
        {
          counts: {users: 2},
          description: 'Marketing team',
          directoryId: seed.directoryId,
          externalSynced: false,
          id: groups.marketing,
          managedBy: 'admins',
          name: 'marketing',
        },
        {
          counts: {users: 6},
          description: 'Default group: Confluence user access',
          directoryId: seed.directoryId,
          externalSynced: false,
          id: groups.confluenceUsers,
          managedBy: 'admins',
          name: 'confluence-users-acme',
        },
      ])
      expect((await search({groupNames: ['market']})).body.data).to.deep.equal([])
    })

    it('marks an IdP-synced group and leaves counts out unless asked', async () => {
      const {body} = await search({groupIds: [groups.engineering]})
      expect(body.data).to.deep.equal([
        {
          description: '',
          directoryId: seed.directoryId,
          externalSynced: true,
          id: groups.engineering,
          managedBy: 'external',
          name: 'engineering',
        },
      ])
    })

    it('gives the groups of accounts, combining filters with AND', async () => {
      const ofMarketer = await search({accountIds: [accounts.marketer]})
      expect(ofMarketer.body.data.map((g: {name: string}) => g.name)).to.deep.equal([
        'confluence-users-acme',
        'marketing',
      ])
      const both = await search({accountIds: [accounts.marketer], searchTerm: 'MARK'})
      expect(both.body.data.map((g: {name: string}) => g.name)).to.deep.equal(['marketing'])
    })

    it('pages with a cursor', async () => {
      const first = await search({limit: 3})
      expect(first.body.data).to.have.length(3)
      const second = await search({cursor: first.body.links.next})
      expect(second.body.data[0].name).to.equal(fake.state.groups[3].name)
    })

    it('refuses groupNames with searchTerm or groupIds as off-contract (jira.js: mutually exclusive)', async () => {
      expectOffContract((await search({groupNames: ['a'], searchTerm: 'a'})).status, 'groupNames')
      expectOffContract((await search({groupIds: ['a'], groupNames: ['a']})).status, 'groupNames')
    })
  })

  describe('POST .../groups', () => {
    it('creates a group: 201 with the group', async () => {
      const {body, status} = await call(fake, 'POST', `${dir}/groups`, key, {
        description: 'Crawler accounts',
        name: 'cf-crawler',
      })
      expect(status).to.equal(201)
      expect(body).to.deep.include({description: 'Crawler accounts', directoryId: seed.directoryId, name: 'cf-crawler'})
      expect(fake.state.groups.find((g) => g.name === 'cf-crawler')?.id).to.equal(body.id)
      expect(
        (await call(fake, 'POST', `${dir}/groups/search`, key, {groupNames: ['cf-crawler']})).body.data[0].id,
      ).to.equal(body.id)
    })

    it('refuses a name already used in the directory (any case) with 400 "Group already exists"', async () => {
      const {body, status} = await call(fake, 'POST', `${dir}/groups`, key, {name: 'Marketing'})
      expect(status).to.equal(400)
      expect(body.errors[0]).to.include({code: 'ADMIN-400-24', title: 'Group already exists'})
      expect(writes(fake)).to.deep.equal([])
    })

    it('refuses directory "-" and an empty name', async () => {
      expect((await call(fake, 'POST', `${org}/directories/-/groups`, key, {name: 'x'})).status).to.equal(400)
      expectOffContract((await call(fake, 'POST', `${dir}/groups`, key, {name: ''})).status, 'name')
    })
  })

  describe('POST .../groups/{groupId}/memberships', () => {
    const add = (groupId: string, accountId: string) =>
      call(fake, 'POST', `${dir}/groups/${groupId}/memberships`, key, {accountId})

    it('adds a member: 204; adding again is 204 too', async () => {
      expect((await add(groups.finance, accounts.crawler)).status).to.equal(204)
      expect(isMember(fake, groups.finance, accounts.crawler)).to.equal(true)
      expect((await add(groups.finance, accounts.crawler)).status).to.equal(204)
      expect(fake.state.memberships.filter((m) => m.groupId === groups.finance)).to.have.length(1)
    })

    it('refuses an IdP-synced group with 403 "Group is managed by an identity provider"', async () => {
      const {body, status} = await add(groups.engineering, accounts.crawler)
      expect(status).to.equal(403)
      expect(body.errors[0]).to.include({code: 'ADMIN-403-5', title: 'Group is managed by an identity provider'})
    })

    it('refuses a user of another directory with 400', async () => {
      fake.state.directories.push({id: 'dir-fake-0002', name: 'Contractors', orgId: seed.orgId})
      fake.state.users.push({
        accountId: '712020:fake-0099-other',
        apiTokens: [],
        directoryId: 'dir-fake-0002',
        email: 'other@partner.example',
        emailVisible: true,
        name: 'Otto Other',
        siteAdmin: false,
        status: 'active',
      })
      const {body, status} = await add(groups.finance, '712020:fake-0099-other')
      expect(status).to.equal(400)
      expect(body.errors[0].title).to.equal("User is not in the group's directory")
    })

    it('answers 400 LicenceExceeded when the group gives the user role on a full site, not for other groups', async () => {
      fake.state.sites[0].licenceLimit = 5
      const {body, status} = await add(groups.confluenceUsers, accounts.crawler)
      expect(status).to.equal(400)
      expect(body.errors[0]).to.include({
        detail: `LicenceExceededException: Licence exceeded for: ${ids.siteAri}`,
        title: 'LicenceExceededException',
      })
      expect((await add(groups.finance, accounts.crawler)).status).to.equal(204)
      expect((await add(groups.confluenceUserAccessAdmins, accounts.crawler)).status).to.equal(204) // user-access-admin takes no seat
    })

    it('refuses org-admins after the Units rollout (every seed), and accepts it with unitsRollout false', async () => {
      expect((await add(groups.orgAdmins, accounts.crawler)).status).to.equal(400)
      fake.state.orgs[0].unitsRollout = false
      expect((await add(groups.orgAdmins, accounts.reader)).status).to.equal(204)
    })

    it('answers 404 for an unknown group (ADMIN-404-10) or user (ADMIN-404-8)', async () => {
      expect((await add('group-nope', accounts.crawler)).body.errors[0].code).to.equal('ADMIN-404-10')
      expect((await add(groups.finance, '712020:nobody')).body.errors[0].code).to.equal('ADMIN-404-8')
    })

    it('records the accepted writes for "no repeated POST" checks', async () => {
      await add(groups.finance, accounts.crawler)
      await add(groups.engineering, accounts.crawler)
      await call(fake, 'POST', `${dir}/users/search`, key, {emails: ['a@b.example']})
      expect(writes(fake).map((r) => [r.method, r.path, r.status])).to.deep.equal([
        ['POST', `${dir}/groups/${groups.finance}/memberships`, 204],
        ['POST', `${dir}/users/search`, 200],
      ])
      expect(writes(fake, {operation: 'addUserToGroup'})).to.have.length(1)
      expect(writes(fake, {path: /memberships$/})).to.have.length(1)
    })
  })
})

describe('fake Atlassian: Admin API across orgs (two-orgs seed)', () => {
  let fake: FakeAtlassian

  before(async () => {
    fake = await startFakeAtlassian({seed: 'two-orgs'})
  })
  after(() => fake.close())
  afterEach(() => {
    expect(fake.contractViolations).to.deep.equal([])
    fake.reset()
  })

  it('keeps each org to its own directories, users, groups and sites', async () => {
    const globexKey = bearer('fake-admin-key-0002')
    expect(
      (await call(fake, 'POST', '/admin/v2/orgs/org-fake-0001/directories/dir-fake-0001/users/search', globexKey, {}))
        .status,
    ).to.equal(404)
    expect(
      (await call(fake, 'POST', '/admin/v2/orgs/org-fake-0002/directories/dir-fake-0001/users/search', globexKey, {}))
        .status,
    ).to.equal(404)
    const globexUsers = await call(
      fake,
      'POST',
      '/admin/v2/orgs/org-fake-0002/directories/-/users/search',
      globexKey,
      {},
    )
    expect(globexUsers.body.data.map((u: {email: string}) => u.email)).to.deep.equal(['gina@globex.example'])
    // An Acme account is unknown to Globex; Acme's site is not a Globex resource.
    expect(
      (
        await call(fake, 'POST', '/admin/v1/orgs/org-fake-0002/users/712020:fake-0001-admin/roles/assign', globexKey, {
          resource: 'ari:cloud:confluence::site/cloud-fake-0002',
          role: 'atlassian/user',
        })
      ).status,
    ).to.equal(404)
    const wrongSite = await call(
      fake,
      'POST',
      '/admin/v1/orgs/org-fake-0002/users/712020:fake-0101-globex/roles/assign',
      globexKey,
      {resource: 'ari:cloud:confluence::site/cloud-fake-0001', role: 'atlassian/user'},
    )
    expect(wrongSite.body.errors[0].code).to.equal('ADMIN-UAM-400-5')
  })

  it('derives the default groups of each site from their names when the seed lists no group roles', async () => {
    expect(fake.state.groupRoleAssignments).to.deep.equal([
      {groupId: 'group-fake-0001', resourceId: 'ari:cloud:confluence::site/cloud-fake-0001', roleId: 'atlassian/user'},
      {groupId: 'group-fake-0101', resourceId: 'ari:cloud:confluence::site/cloud-fake-0002', roleId: 'atlassian/user'},
    ])
  })
})
