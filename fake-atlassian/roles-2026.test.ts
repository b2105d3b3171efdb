import {expect} from 'chai'

import {basicAuth} from './credentials.js'
import {hasSpacePermission} from './helpers.js'
import {findSpace} from './model.js'
import {defaultSpaceRoles} from './state.js'
import {call} from './testing.js'
import {useFakeAtlassian} from './use-fake.js'

/** The 2026 seeds use the default seed's credentials (README: Bundled seeds). */
const admin = basicAuth('admin@acme.example', 'fake-api-token-admin')
const reader = basicAuth('reader@acme.example', 'fake-api-token-reader')
const spaceAdmin = basicAuth('spaceadmin@acme.example', 'fake-api-token-spaceadmin')
const XSRF = {'x-atlassian-token': 'no-check'}
const WITH_KEY = {'atl-confluence-with-admin-key': 'true'}
const keysOf = (body: {results: {key: string}[]}) => body.results.map((s) => s.key)
const readSpace = {key: 'read', target: 'space'}
const ids = {
  admin: '712020:fake-2601-admin',
  crawler: '712020:fake-2603-crawler',
  members: 'group-fake-2601',
  reader: '712020:fake-2602-reader',
}

describe('fake Atlassian 2026: space roles, space types, what an admin cannot see (site-2026 seed)', () => {
  const fake = useFakeAtlassian({seed: 'site-2026'})
  const spaceId = (key: string) => findSpace(fake.state, key)!.id
  const roles = async () => {
    const {body} = await call(fake, 'GET', '/wiki/api/v2/space-roles', admin)
    return Object.fromEntries((body.results as {id: string; name: string}[]).map((r) => [r.name, r.id]))
  }

  const assign = (key: string, entries: unknown[], auth = admin, headers: Record<string, string> = {}) =>
    call(fake, 'POST', `/wiki/api/v2/spaces/${spaceId(key)}/role-assignments`, auth, entries, headers)

  describe('role mode and roles', () => {
    it('answers the site role mode ROLES', async () => {
      const {body, status} = await call(fake, 'GET', '/wiki/api/v2/space-role-mode', reader)
      expect(status).to.equal(200)
      expect(body).to.deep.equal({mode: 'ROLES'})
    })

    it('answers the mode a test sets apart from the one writes enforce, or 404 as a site without the endpoint', async () => {
      fake.state.sites[0].roleModeAnswer = 'PRE_ROLES'
      const told = await call(fake, 'GET', '/wiki/api/v2/space-role-mode', reader)
      expect(told.body).to.deep.equal({mode: 'PRE_ROLES'})
      // Writes still follow roleMode (ROLES): the individual permission is refused.
      const write = await call(
        fake,
        'POST',
        '/wiki/rest/api/space/ENG/permission',
        admin,
        {operation: readSpace, subject: {identifier: ids.crawler, type: 'user'}},
        XSRF,
      )
      expect(write.status).to.equal(400)
      expect(write.body.message).to.match(/roles/i)
      fake.state.sites[0].roleModeAnswer = 'missing'
      expect((await call(fake, 'GET', '/wiki/api/v2/space-role-mode', reader)).status).to.equal(404)
    })

    it('lists the four system roles and a custom one, with site-specific ids, filtered by role-type', async () => {
      const {body} = await call(fake, 'GET', '/wiki/api/v2/space-roles?role-type=SYSTEM', admin)
      expect(body.results.map((r: {name: string}) => r.name)).to.deep.equal([
        'Admin',
        'Manager',
        'Collaborator',
        'Viewer',
      ])
      const viewer = body.results.find((r: {name: string}) => r.name === 'Viewer')
      expect(viewer).to.include({type: 'SYSTEM'})
      expect(viewer.spacePermissions).to.deep.equal(['read/space'])
      expect(viewer.id).to.match(/^[\da-f]{8}-[\da-f]{4}-/)
      const custom = await call(fake, 'GET', '/wiki/api/v2/space-roles?role-type=CUSTOM', admin)
      expect(custom.body.results.map((r: {name: string}) => r.name)).to.deep.equal(['Read-only auditor'])
    })

    it('pages the roles with a cursor (next link and Link header) and filters by principal', async () => {
      const first = await call(fake, 'GET', '/wiki/api/v2/space-roles?limit=3', admin)
      expect(first.body.results).to.have.length(3)
      expect(first.headers.get('link')).to.contain('rel="next"')
      const second = await call(fake, 'GET', first.body._links.next, admin)
      expect(second.body.results.map((r: {name: string}) => r.name)).to.deep.equal(['Viewer', 'Read-only auditor'])
      const held = await call(
        fake,
        'GET',
        `/wiki/api/v2/space-roles?space-id=${spaceId('LOCKED')}&principal-type=USER&principal-id=${ids.admin}`,
        admin,
      )
      expect(held.body.results.map((r: {name: string}) => r.name)).to.deep.equal(['Viewer'])
      const half = await call(fake, 'GET', `/wiki/api/v2/space-roles?principal-type=USER`, admin)
      expect(half.status).to.equal(400)
    })

    it('gives role ids that differ per site', async () => {
      const here = (await call(fake, 'GET', '/wiki/api/v2/space-roles', admin)).body.results.map(
        (r: {id: string}) => r.id,
      )
      const elsewhere = defaultSpaceRoles([{cloudId: 'cloud-fake-2025'}]).map((r) => r.id)
      expect(here).to.have.length(5)
      expect(elsewhere.filter((id) => here.includes(id))).to.deep.equal([])
    })
  })

  describe('role assignments', () => {
    it('lists a space’s assignments, paged and filtered by role and principal', async () => {
      const {Viewer} = await roles()
      const all = await call(fake, 'GET', `/wiki/api/v2/spaces/${spaceId('ENG')}/role-assignments`, admin)
      expect(all.status).to.equal(200)
      expect(all.body.results).to.deep.include({
        principal: {principalId: ids.members, principalType: 'GROUP'},
        roleId: Viewer,
      })
      const viewers = await call(
        fake,
        'GET',
        `/wiki/api/v2/spaces/${spaceId('ENG')}/role-assignments?role-id=${Viewer}`,
        admin,
      )
      expect(viewers.body.results).to.have.length(1)
      const page = await call(fake, 'GET', `/wiki/api/v2/spaces/${spaceId('ENG')}/role-assignments?limit=1`, admin)
      expect(page.body.results).to.have.length(1)
      const next = await call(fake, 'GET', page.body._links.next, admin)
      expect(next.body.results).to.have.length(1)
      const mine = await call(
        fake,
        'GET',
        `/wiki/api/v2/spaces/${spaceId('ENG')}/role-assignments?principal-type=USER&principal-id=${ids.admin}`,
        admin,
      )
      expect(mine.body.results).to.have.length(1)
    })

    it('sets, replaces and (with an entry without roleId) removes a principal’s role', async () => {
      const {Collaborator, Viewer} = await roles()
      const crawler = {principalId: ids.crawler, principalType: 'USER'}
      const set = await assign('ENG', [{principal: crawler, roleId: Viewer}])
      expect(set.status).to.equal(200)
      expect(set.body.results).to.deep.equal([{principal: crawler, roleId: Viewer}])
      expect(hasSpacePermission(fake, 'ENG', {id: ids.crawler, type: 'user'})).to.equal(true)
      await assign('ENG', [{principal: crawler, roleId: Collaborator}])
      const held = fake.state.spaceRoleAssignments.filter((a) => a.principal.id === ids.crawler)
      expect(held.map((a) => a.roleId)).to.deep.equal([Collaborator]) // one role per principal
      const removed = await assign('ENG', [{principal: crawler}])
      expect(removed.status).to.equal(200)
      expect(fake.state.spaceRoleAssignments.some((a) => a.principal.id === ids.crawler)).to.equal(false)
      expect(hasSpacePermission(fake, 'ENG', {id: ids.crawler, type: 'user'})).to.equal(false)
    })

    it('refuses the whole request (nothing changes) for an unknown role, group or user', async () => {
      const {Viewer} = await roles()
      const before = structuredClone(fake.state.spaceRoleAssignments)
      const crawler = {principalId: ids.crawler, principalType: 'USER'}
      for (const bad of [
        {principal: {principalId: 'no-such-group', principalType: 'GROUP'}, roleId: Viewer},
        {principal: {principalId: '712020:nobody', principalType: 'USER'}, roleId: Viewer},
        {principal: crawler, roleId: 'no-such-role'},
      ]) {
        const {status} = await assign('ENG', [{principal: crawler, roleId: Viewer}, bad])
        expect(status).to.equal(400)
      }

      expect(fake.state.spaceRoleAssignments).to.deep.equal(before)
    })

    it('refuses a role for a principal with custom access (individual permissions): 400', async () => {
      const {Viewer} = await roles()
      fake.state.spacePermissions.push({
        id: 99001,
        operation: readSpace,
        principal: {id: ids.crawler, type: 'user'},
        spaceKey: 'TEAM',
      })
      const {body, status} = await assign('TEAM', [
        {principal: {principalId: ids.crawler, principalType: 'USER'}, roleId: Viewer},
      ])
      expect(status).to.equal(400)
      expect(body.message).to.match(/custom access/)
    })

    it('a role implies view: the role holder lists the space; /permissions shows individual permissions only', async () => {
      // Rita holds no role on TEAM; the Viewer role makes it visible to her.
      expect(keysOf((await call(fake, 'GET', '/wiki/api/v2/spaces?limit=250', reader)).body)).not.to.include('TEAM')
      const {Viewer} = await roles()
      await assign('TEAM', [{principal: {principalId: ids.reader, principalType: 'USER'}, roleId: Viewer}])
      expect(keysOf((await call(fake, 'GET', '/wiki/api/v2/spaces?limit=250', reader)).body)).to.include('TEAM')
      const permissions = await call(fake, 'GET', `/wiki/api/v2/spaces/${spaceId('TEAM')}/permissions`, reader)
      expect(permissions.status).to.equal(200)
      expect(permissions.body.results).to.deep.equal([]) // roles site: no individual permissions
    })
    it('a role given to all licensed users lets each user with Confluence access view the space, and no one else', async () => {
      const {Viewer} = await roles()
      fake.state.spaceRoleAssignments.push({
        principal: {id: 'all-licensed-users', type: 'access-class'},
        roleId: Viewer,
        spaceKey: 'TEAM',
      })
      const listed = await call(fake, 'GET', `/wiki/api/v2/spaces/${spaceId('TEAM')}/role-assignments`, admin)
      expect(listed.body.results).to.deep.include({
        principal: {principalId: 'all-licensed-users', principalType: 'ACCESS_CLASS'},
        roleId: Viewer,
      })
      expect(keysOf((await call(fake, 'GET', '/wiki/api/v2/spaces?limit=250', reader)).body)).to.include('TEAM')
      // Without Confluence access (out of the group that gives it), the class no longer holds her.
      fake.state.memberships = fake.state.memberships.filter(
        (m) => !(m.accountId === ids.reader && m.groupId === ids.members),
      )
      expect(hasSpacePermission(fake, 'TEAM', {id: ids.reader, type: 'user'})).to.equal(false)
      expect(
        hasSpacePermission(fake, 'TEAM', {id: ids.members, type: 'group'}),
        'a class holds users, not groups',
      ).to.equal(false)
    })
  })

  describe('v1 space permission write on a ROLES site', () => {
    it('answers 400 "classic permissions are off … use space roles" even for the space admin', async () => {
      const {body, status} = await call(
        fake,
        'POST',
        '/wiki/rest/api/space/ENG/permission',
        admin,
        {operation: readSpace, subject: {identifier: ids.crawler, type: 'user'}},
        XSRF,
      )
      expect(status).to.equal(400)
      expect(body.message)
        .to.match(/classic permissions are off site-wide/i)
        .and.match(/role/)
    })
  })

  describe('space types and status', () => {
    it('lists all seven types and both statuses when no filter is given (the spec names no default)', async () => {
      // With the admin key the admin lists every space, the reader's personal one included.
      await call(fake, 'POST', '/wiki/api/v2/admin-key', admin)
      const {body} = await call(fake, 'GET', '/wiki/api/v2/spaces?limit=250', admin, undefined, WITH_KEY)
      const types = new Set(body.results.map((s: {type: string}) => s.type))
      expect([...types].sort()).to.deep.equal(
        ['collaboration', 'global', 'knowledge_base', 'onboarding', 'personal', 'system', 'xflow_sample_space'].sort(),
      )
      expect(body.results.find((s: {key: string}) => s.key === 'OLD')).to.include({status: 'archived'})
    })

    it('filters by type and by status', async () => {
      expect(keysOf((await call(fake, 'GET', '/wiki/api/v2/spaces?type=collaboration', admin)).body)).to.deep.equal([
        'TEAM',
        'LOCKED',
      ])
      expect(keysOf((await call(fake, 'GET', '/wiki/api/v2/spaces?type=knowledge_base', admin)).body)).to.deep.equal([
        'KB',
      ])
      expect(keysOf((await call(fake, 'GET', '/wiki/api/v2/spaces?status=archived', admin)).body)).to.deep.equal([
        'OLD',
      ])
      expect(
        keysOf((await call(fake, 'GET', '/wiki/api/v2/spaces?status=current&limit=250', admin)).body),
      ).not.to.include('OLD')
    })

    it('refuses a type outside the seven (off-contract)', async () => {
      const {status} = await call(fake, 'GET', '/wiki/api/v2/spaces?type=team', admin)
      expect(status).to.equal(400)
      expect(fake.contractViolations).to.have.length(1)
      fake.contractViolations.length = 0
    })
  })

  describe('spaces the admin cannot view or cannot administer', () => {
    it('leaves out a space the site admin cannot view, and answers 404 on direct reads and writes', async () => {
      expect(keysOf((await call(fake, 'GET', '/wiki/api/v2/spaces?limit=250', admin)).body)).not.to.include('SECRET')
      const id = spaceId('SECRET')
      expect((await call(fake, 'GET', `/wiki/api/v2/spaces/${id}/permissions`, admin)).status).to.equal(404)
      expect((await call(fake, 'GET', `/wiki/api/v2/spaces/${id}/role-assignments`, admin)).status).to.equal(404)
      expect((await call(fake, 'GET', `/wiki/api/v2/space-roles?space-id=${id}`, admin)).status).to.equal(404)
      expect(
        (await assign('SECRET', [{principal: {principalId: ids.crawler, principalType: 'USER'}}])).status,
      ).to.equal(404)
      // Its own admin sees it.
      expect(keysOf((await call(fake, 'GET', '/wiki/api/v2/spaces?limit=250', spaceAdmin)).body)).to.include('SECRET')
    })

    it('lists a space the admin can view but not administer; managing its roles answers 404 (spec), or 403 by knob', async () => {
      expect(keysOf((await call(fake, 'GET', '/wiki/api/v2/spaces?limit=250', admin)).body)).to.include('LOCKED')
      expect(
        (await call(fake, 'GET', `/wiki/api/v2/spaces/${spaceId('LOCKED')}/role-assignments`, admin)).status,
      ).to.equal(200)
      const {Viewer} = await roles()
      const entry = [{principal: {principalId: ids.crawler, principalType: 'USER'}, roleId: Viewer}]
      expect((await assign('LOCKED', entry)).status).to.equal(404)
      fake.state.behaviour.roleAssignmentDeniedStatus = 403
      expect((await assign('LOCKED', entry)).status).to.equal(403)
      expect((await assign('LOCKED', entry, spaceAdmin)).status).to.equal(200)
    })
  })

  describe('admin key (Premium)', () => {
    it('is off at first (GET 404), on with POST (default 10 minutes), off again with DELETE (204)', async () => {
      expect((await call(fake, 'GET', '/wiki/api/v2/admin-key', admin)).status).to.equal(404)
      fake.clock.pause()
      const on = await call(fake, 'POST', '/wiki/api/v2/admin-key', admin)
      expect(on.status).to.equal(200)
      expect(on.body.accountId).to.equal(ids.admin)
      expect(Date.parse(on.body.expirationTime) - fake.clock.now()).to.equal(10 * 60_000)
      expect((await call(fake, 'GET', '/wiki/api/v2/admin-key', admin)).status).to.equal(200)
      expect((await call(fake, 'DELETE', '/wiki/api/v2/admin-key', admin)).status).to.equal(204)
      expect((await call(fake, 'GET', '/wiki/api/v2/admin-key', admin)).status).to.equal(404)
    })

    it('takes durationInMinutes up to 60 (400 beyond) and expires by the fake clock', async () => {
      expect((await call(fake, 'POST', '/wiki/api/v2/admin-key', admin, {durationInMinutes: 61})).status).to.equal(400)
      fake.clock.pause()
      const on = await call(fake, 'POST', '/wiki/api/v2/admin-key', admin, {durationInMinutes: 30})
      expect(Date.parse(on.body.expirationTime) - fake.clock.now()).to.equal(30 * 60_000)
      fake.clock.advance(30 * 60_000 - 1)
      expect((await call(fake, 'GET', '/wiki/api/v2/admin-key', admin)).status).to.equal(200)
      fake.clock.advance(1)
      expect((await call(fake, 'GET', '/wiki/api/v2/admin-key', admin)).status).to.equal(404)
    })

    it('is refused (404) to a user who is not a site admin', async () => {
      expect((await call(fake, 'POST', '/wiki/api/v2/admin-key', reader)).status).to.equal(404)
    })

    it('with the key on, requests carrying the header see and administer every space; without the header nothing changes', async () => {
      await call(fake, 'POST', '/wiki/api/v2/admin-key', admin)
      expect(keysOf((await call(fake, 'GET', '/wiki/api/v2/spaces?limit=250', admin)).body)).not.to.include('SECRET')
      const listed = await call(fake, 'GET', '/wiki/api/v2/spaces?limit=250', admin, undefined, WITH_KEY)
      expect(keysOf(listed.body)).to.include('SECRET')
      const {Viewer} = await roles()
      const entry = [{principal: {principalId: ids.crawler, principalType: 'USER'}, roleId: Viewer}]
      expect((await assign('SECRET', entry, admin, WITH_KEY)).status).to.equal(200)
      expect((await assign('LOCKED', entry, admin, WITH_KEY)).status).to.equal(200)
    })

    it('behaviour.adminKeyListsHiddenSpaces false: hidden spaces stay unlisted, direct requests still work', async () => {
      fake.state.behaviour.adminKeyListsHiddenSpaces = false
      await call(fake, 'POST', '/wiki/api/v2/admin-key', admin)
      expect(
        keysOf((await call(fake, 'GET', '/wiki/api/v2/spaces?limit=250', admin, undefined, WITH_KEY)).body),
      ).not.to.include('SECRET')
      const read = await call(
        fake,
        'GET',
        `/wiki/api/v2/spaces/${spaceId('SECRET')}/role-assignments`,
        admin,
        undefined,
        WITH_KEY,
      )
      expect(read.status).to.equal(200)
    })
  })
})

describe('fake Atlassian 2026: transition and classic sites', () => {
  describe('ROLES_TRANSITION (transition seed)', () => {
    const fake = useFakeAtlassian({seed: 'transition'})
    const grant = (identifier: string, operation = readSpace, key = 'ENG') =>
      call(
        fake,
        'POST',
        `/wiki/rest/api/space/${key}/permission`,
        admin,
        {operation, subject: {identifier, type: 'user'}},
        XSRF,
      )

    it('answers its mode', async () => {
      expect((await call(fake, 'GET', '/wiki/api/v2/space-role-mode', admin)).body).to.deep.equal({
        mode: 'ROLES_TRANSITION',
      })
    })

    it('takes a v1 write for a principal that has custom access, and refuses one without (400, "roles")', async () => {
      const crawler = '712020:fake-2502-crawler'
      expect((await grant(crawler, {key: 'export', target: 'space'})).status).to.equal(200)
      const reader = await grant('712020:fake-2503-reader') // holds the Viewer role
      expect(reader.status).to.equal(400)
      expect(reader.body.message).to.match(/role/)
      expect((await grant(crawler, readSpace, 'TEAM')).status).to.equal(400) // no custom access on TEAM
    })

    it('takes a role for a principal without custom access, refuses one for the principal with it', async () => {
      const role = fake.state.spaceRoles.find((r) => r.name === 'Viewer')!
      const post = (principalId: string) =>
        call(fake, 'POST', '/wiki/api/v2/spaces/25001/role-assignments', admin, [
          {principal: {principalId, principalType: 'USER'}, roleId: role.id},
        ])
      expect((await post('712020:fake-2502-crawler')).status).to.equal(400)
      expect((await post('712020:fake-2501-admin')).status).to.equal(200)
    })
  })

  describe('PRE_ROLES (classic-legacy seed)', () => {
    const fake = useFakeAtlassian({seed: 'classic-legacy'})

    it('answers PRE_ROLES and takes the v1 individual permission', async () => {
      expect((await call(fake, 'GET', '/wiki/api/v2/space-role-mode', admin)).body).to.deep.equal({mode: 'PRE_ROLES'})
      const {status} = await call(
        fake,
        'POST',
        '/wiki/rest/api/space/ENG/permission',
        admin,
        {operation: readSpace, subject: {identifier: '712020:fake-1903-crawler', type: 'user'}},
        XSRF,
      )
      expect(status).to.equal(200)
    })

    it('has no admin key on a Standard site: 404 as the spec lists', async () => {
      expect((await call(fake, 'POST', '/wiki/api/v2/admin-key', admin)).status).to.equal(404)
      expect((await call(fake, 'GET', '/wiki/api/v2/admin-key', admin)).status).to.equal(404)
    })

    it('refuses role assignments on a PRE_ROLES site (400)', async () => {
      const role = fake.state.spaceRoles.find((r) => r.name === 'Viewer')!
      const {status} = await call(fake, 'POST', '/wiki/api/v2/spaces/19001/role-assignments', admin, [
        {principal: {principalId: '712020:fake-1903-crawler', principalType: 'USER'}, roleId: role.id},
      ])
      expect(status).to.equal(400)
    })
  })
})
