import {linkSync, readFileSync, writeFileSync} from 'node:fs'
import {basename, join} from 'node:path'

import {expect} from 'chai'

import type {RunReport} from '../../../src/lib/engine/operation.js'
import {runCommand} from '../../support/run-command.js'
import {
  admin,
  adminLogin,
  adminPage,
  allDone,
  DIR_PATH,
  DIRECTORY,
  ORG,
  ORG_PATH,
  itemOf,
  outcomes,
  requestLog,
  site,
  SITE,
  tenantInfo,
  useLogin,
  v1Page,
  withAdminKey,
} from '../support.js'

const addMembers = (...args: string[]) => runCommand<RunReport>(['groups', 'add-members', ...args])

const GROUPS_SEARCH = `${DIR_PATH}/groups/search`
const PICKER = '/wiki/rest/api/group/picker'
const MEMBER_OF = '/wiki/rest/api/user/memberof'
const ADD_MEMBER = '/wiki/rest/api/group/userByGroupId'

const directoryGroup = (id: string, name: string, externalSynced = false) => ({
  counts: {users: 1},
  externalSynced,
  id,
  managedBy: externalSynced ? 'external' : 'admins',
  name,
})
const group = (id: string, name: string) => ({id, name, type: 'group'})

describe('groups add-members', () => {
  const login = useLogin()

  describe('through the Admin API (an Admin key in the login)', () => {
    beforeEach(withAdminKey)

    const byName = (name: string, found: unknown[]) =>
      admin()
        .post(GROUPS_SEARCH, {expand: ['counts.users'], groupNames: [name], limit: 50})
        .reply(200, adminPage(found))
    const groupsOf = (accountId: string, found: unknown[]) =>
      admin()
        .post(GROUPS_SEARCH, {accountIds: [accountId], expand: ['counts.users'], limit: 50})
        .reply(200, adminPage(found))
    const membership = (groupId: string, accountId: string) =>
      admin().post(`${DIR_PATH}/groups/${groupId}/memberships`, {accountId})

    it('adds users not in the group yet, and reports members already in as "already"', async () => {
      const crawlers = directoryGroup('g-crawl', 'crawlers')
      const scopes = [
        ...adminLogin(),
        byName('crawlers', [crawlers]),
        groupsOf('712020:acc-reader', [directoryGroup('g-users', 'confluence-users-acme'), crawlers]),
        groupsOf('712020:acc-crawler', []),
        membership('g-crawl', '712020:acc-crawler').reply(204),
      ]
      const {error, result, stderr, stdout} = await addMembers(
        'crawlers',
        '--user',
        '712020:acc-reader',
        '--user',
        '712020:acc-crawler',
      )
      expect(error).to.equal(undefined)
      expect(outcomes(result)).to.deep.equal({
        'member:crawlers:712020:acc-crawler': 'done',
        'member:crawlers:712020:acc-reader': 'already',
      })
      expect(stdout)
        .to.match(/already\s+add 712020:acc-reader to crawlers/)
        .and.match(/done\s+add 712020:acc-crawler to crawlers/)
      expect(stderr).to.match(/^1 done, 1 already \(\d+\.\d s\)$/m)
      expect(process.exitCode ?? 0).to.equal(0)
      allDone(...scopes)
    })

    it('refuses org-admins (any case) before sending, saying to add org admins in admin.atlassian.com; a member already in is "already"', async () => {
      const orgAdmins = directoryGroup('g-org', 'org-admins')
      const scopes = [
        ...adminLogin(),
        byName('org-admins', [orgAdmins]),
        groupsOf('712020:acc-reader', [orgAdmins]),
        groupsOf('712020:acc-crawler', []),
      ]
      const {result} = await addMembers(
        'ORG-Admins',
        '--user',
        '712020:acc-reader',
        '--user',
        '712020:acc-crawler',
        '--json',
      )
      expect(outcomes(result)).to.deep.equal({
        'member:ORG-Admins:712020:acc-crawler': 'failed',
        'member:ORG-Admins:712020:acc-reader': 'already',
      })
      expect(itemOf(result, 'member:ORG-Admins:712020:acc-crawler').reason).to.equal(
        'Atlassian no longer lets the API add members to org-admins (since the Units rollout): add org admins in admin.atlassian.com (Settings > Administrators)',
      )
      expect(process.exitCode).to.equal(3)
      allDone(...scopes)
    })

    it("explains Atlassian's refusal of an org-admins membership instead of passing on a bare 400", async () => {
      const scopes = [
        ...adminLogin(),
        byName('admins-of-org', [directoryGroup('g-org', 'admins-of-org')]),
        groupsOf('712020:acc-crawler', []),
        membership('g-org', '712020:acc-crawler').reply(400, {
          errors: [
            {code: 'ADMIN-400-24', status: '400', title: 'org-admins group is not supported after the Units rollout'},
          ],
        }),
      ]
      const {result} = await addMembers('admins-of-org', '--user', '712020:acc-crawler', '--json')
      expect(itemOf(result, 'member:admins-of-org:712020:acc-crawler').reason).to.match(
        /^Atlassian no longer lets the API add members to org-admins \(since the Units rollout\): add org admins in admin\.atlassian\.com .*\(.*400/,
      )
      allDone(...scopes)
    })

    it("uses the directory that holds the site's users when the organization has several, and remembers --directory", async () => {
      const other = `${ORG_PATH}/directories/dir-0/users/search`
      const scopes = [
        tenantInfo(),
        admin()
          .get(`${ORG_PATH}/directories`)
          .reply(200, {
            data: [
              {directoryId: 'dir-0', name: 'Legacy'},
              {directoryId: DIRECTORY, name: 'Acme'},
            ],
            links: {},
          }),
        admin()
          .post(other, {emails: ['admin@acme.example'], limit: 100})
          .reply(200, adminPage([])),
        admin()
          .post(`${DIR_PATH}/users/search`, {emails: ['admin@acme.example'], limit: 100})
          .reply(200, adminPage([{accountId: '712020:acc-admin', email: 'admin@acme.example', status: 'active'}])),
        byName('crawlers', [directoryGroup('g-crawl', 'crawlers')]),
        groupsOf('712020:acc-crawler', []),
        membership('g-crawl', '712020:acc-crawler').reply(204),
      ]
      const {result} = await addMembers('crawlers', '--user', '712020:acc-crawler', '--json')
      expect(outcomes(result)).to.deep.equal({'member:crawlers:712020:acc-crawler': 'done'})
      allDone(...scopes)
    })

    it('refuses to guess the directory when the login is in none or several of them (exit 2, asking for --directory)', async () => {
      const scopes = [
        tenantInfo(),
        admin()
          .get(`${ORG_PATH}/directories`)
          .reply(200, {
            data: [
              {directoryId: 'dir-0', name: 'Legacy'},
              {directoryId: DIRECTORY, name: 'Acme'},
            ],
            links: {},
          }),
        admin().post(`${ORG_PATH}/directories/dir-0/users/search`).reply(200, adminPage([])),
        admin().post(`${DIR_PATH}/users/search`).reply(200, adminPage([])),
      ]
      const {error, stderr} = await addMembers('crawlers', '--user', '712020:acc-crawler')
      expect(error?.oclif?.exit).to.equal(2)
      expect(stderr).to.contain(
        "Error: Organization org-1 has 2 user directories (dir-0 (Legacy), dir-1 (Acme)), and cfadmin cannot tell which holds the site's users (admin@acme.example is in none of them).",
      )
      expect(stderr).to.contain('Hint: Name it with --directory ID (remembered in the profile).')
      allDone(...scopes)
    })

    it('takes --directory, checked against the organization, and remembers it in the profile', async () => {
      const profiles = join(login.dir, 'profiles.json')
      writeFileSync(
        profiles,
        JSON.stringify({
          profiles: {default: {adminKey: {key: 'fake-admin-key', orgId: ORG}, site: {url: SITE}}},
          version: 1,
        }),
        {mode: 0o600},
      )
      const scopes = [
        tenantInfo(),
        admin()
          .get(`${ORG_PATH}/directories`)
          .reply(200, {
            data: [
              {directoryId: 'dir-0', name: 'Legacy'},
              {directoryId: DIRECTORY, name: 'Acme'},
            ],
            links: {},
          }),
        byName('crawlers', [directoryGroup('g-crawl', 'crawlers')]),
        groupsOf('712020:acc-crawler', [directoryGroup('g-crawl', 'crawlers')]),
      ]
      const {error, result} = await addMembers(
        'crawlers',
        '--user',
        '712020:acc-crawler',
        '--directory',
        DIRECTORY,
        '--json',
      )
      expect(error?.message).to.equal(undefined)
      expect(outcomes(result)).to.deep.equal({'member:crawlers:712020:acc-crawler': 'already'})
      expect(JSON.parse(readFileSync(profiles, 'utf8')).profiles.default.adminKey).to.include({directoryId: DIRECTORY})
      allDone(...scopes)
    })

    it('refuses a group that does not exist without --create (exit 2), naming it with the closest name, and changes nothing', async () => {
      const everyGroup = admin()
        .post(GROUPS_SEARCH, {expand: ['counts.users'], limit: 50})
        .reply(200, adminPage([directoryGroup('g-crawl', 'crawlers'), directoryGroup('g-host', 'hosts')]))
      const scopes = [
        ...adminLogin(),
        byName('crawlers', [directoryGroup('g-crawl', 'crawlers')]),
        byName('ghosts', []),
        everyGroup,
      ]
      const {error, stderr, stdout} = await addMembers('crawlers', 'ghosts', '--user', '712020:acc-crawler')
      expect(error?.oclif?.exit).to.equal(2)
      expect((error as {code?: string} | undefined)?.code).to.equal('GROUP_UNKNOWN')
      expect(stderr).to.contain(
        'Error: No group named ghosts (did you mean hosts?) on the site (looked up through the Admin API).',
      )
      expect(stderr).to.contain('Hint: Check the name, or add --create to create it.')
      expect(stdout).to.equal('')
      allDone(...scopes)
    })

    it('creates a missing group with --create before adding its members', async () => {
      const created = directoryGroup('g-new', 'crawlers')
      const scopes = [
        ...adminLogin(),
        byName('crawlers', []),
        // The members use the group the create answered with: a search right after may not show it yet.
        admin().post(`${DIR_PATH}/groups`, {name: 'crawlers'}).reply(201, created),
        membership('g-new', '712020:acc-crawler').reply(204),
        membership('g-new', '712020:acc-reader').reply(204),
      ]
      const log = requestLog(...scopes)
      const {error, result} = await addMembers(
        'crawlers',
        '--create',
        '--user',
        '712020:acc-crawler',
        '--user',
        '712020:acc-reader',
        '--json',
      )
      expect(error).to.equal(undefined)
      expect(outcomes(result)).to.deep.equal({
        'group:crawlers': 'done',
        'member:crawlers:712020:acc-crawler': 'done',
        'member:crawlers:712020:acc-reader': 'done',
      })
      expect(itemOf(result, 'group:crawlers')).to.include({description: 'create group crawlers', detail: 'created'})
      const create = log.indexOf(`POST ${DIR_PATH}/groups`)
      const adds = log.flatMap((entry, i) => (entry === `POST ${DIR_PATH}/groups/g-new/memberships` ? [i] : []))
      expect(create, log.join('\n')).to.be.greaterThan(-1)
      expect(adds).to.have.length(2)
      expect(
        adds.every((i) => i > create),
        log.join('\n'),
      ).to.equal(true)
      allDone(...scopes)
    })

    it('reports the members of a group it could not create as blocked, not attempted, and exits 3', async () => {
      const scopes = [
        ...adminLogin(),
        byName('crawlers', []),
        admin()
          .post(`${DIR_PATH}/groups`, {name: 'crawlers'})
          .reply(403, {
            errors: [{code: 'ADMIN-403-1', status: '403', title: 'Forbidden', detail: 'Not allowed to create groups'}],
          }),
      ]
      const {result} = await addMembers('crawlers', '--create', '--user', '712020:acc-crawler', '--json')
      expect(outcomes(result)).to.deep.equal({
        'group:crawlers': 'failed',
        'member:crawlers:712020:acc-crawler': 'blocked',
      })
      expect(itemOf(result, 'member:crawlers:712020:acc-crawler').reason).to.equal(
        'needs "create group crawlers", which failed',
      )
      expect(process.exitCode).to.equal(3)
      allDone(...scopes)
    })

    it('plans the creation and the members with --create --dry-run, and creates nothing', async () => {
      const scopes = [...adminLogin(), byName('crawlers', [])]
      const {result} = await addMembers('crawlers', '--create', '--user', '712020:acc-crawler', '--dry-run', '--json')
      expect(outcomes(result)).to.deep.equal({
        'group:crawlers': 'planned',
        'member:crawlers:712020:acc-crawler': 'planned',
      })
      allDone(...scopes)
    })

    it("explains Atlassian's refusal to change a group synced from an identity provider, and exits 3", async () => {
      const scopes = [
        ...adminLogin(),
        byName('engineering', [directoryGroup('g-eng', 'engineering', true)]),
        groupsOf('712020:acc-crawler', []),
        membership('g-eng', '712020:acc-crawler').reply(403, {
          errors: [
            {
              code: 'ADMIN-403-5',
              detail: 'Group engineering is synced from an identity provider; change its members there.',
              status: '403',
              title: 'Group is managed by an identity provider',
            },
          ],
        }),
      ]
      const {result, stdout} = await addMembers('engineering', '--user', '712020:acc-crawler')
      const {reason} = itemOf(result, 'member:engineering:712020:acc-crawler')
      expect(reason).to.match(
        /^engineering is synced from an identity provider: change its members there \(The Atlassian Admin API answered 403 to POST /,
      )
      expect(stdout).to.contain('engineering is synced from an identity provider: change its members there')
      expect(process.exitCode).to.equal(3)
      allDone(...scopes)
    })

    it('writes the group,user rows that failed to --failed-to, to run again', async () => {
      const failed = join(login.dir, 'failed.csv')
      const scopes = [
        ...adminLogin(),
        admin()
          .post(`${DIR_PATH}/users/search`, {emails: ['ghost@acme.example'], limit: 100})
          .reply(200, adminPage([])),
        byName('crawlers', [directoryGroup('g-crawl', 'crawlers')]),
        groupsOf('712020:acc-crawler', []),
        membership('g-crawl', '712020:acc-crawler').reply(204),
      ]
      const {result, stderr} = await addMembers(
        'crawlers',
        '--user',
        '712020:acc-crawler',
        '--user',
        'ghost@acme.example',
        '--failed-to',
        failed,
      )
      expect(itemOf(result, 'member:crawlers:ghost@acme.example')).to.include({
        outcome: 'failed',
        reason: 'no Atlassian account has the email ghost@acme.example',
      })
      expect(readFileSync(failed, 'utf8')).to.equal('group,user\ncrawlers,ghost@acme.example\n')
      expect(stderr).to.contain(`Wrote 1 failed row(s) to ${failed}: fix them and run again with --file ${failed}.`)
      expect(process.exitCode).to.equal(3)
      allDone(...scopes)
    })
  })

  describe('through Confluence (no Admin key)', () => {
    it("expands --recommended users,admins to the site's group names, and reads the user's groups once", async () => {
      const scopes = [
        tenantInfo(),
        site()
          .get(PICKER)
          .query({limit: 200, query: 'confluence-users-acme'})
          .reply(200, v1Page([group('g-users', 'confluence-users-acme')])),
        site()
          .get(PICKER)
          .query({limit: 200, query: 'confluence-admins-acme'})
          .reply(200, v1Page([group('g-admins', 'confluence-admins-acme')])),
        site().get(MEMBER_OF).query({accountId: '712020:acc-crawler', limit: 200}).once().reply(200, v1Page([])),
        site().post(ADD_MEMBER, {accountId: '712020:acc-crawler'}).query({groupId: 'g-users'}).reply(201),
        site().post(ADD_MEMBER, {accountId: '712020:acc-crawler'}).query({groupId: 'g-admins'}).reply(201),
      ]
      const {error, result} = await addMembers(
        '--recommended',
        'users,admins',
        '--user',
        '712020:acc-crawler',
        '--json',
      )
      expect(error).to.equal(undefined)
      expect(result?.items.map((i) => [i.key, i.outcome])).to.deep.equal([
        ['member:confluence-users-acme:712020:acc-crawler', 'done'],
        ['member:confluence-admins-acme:712020:acc-crawler', 'done'],
      ])
      allDone(...scopes)
    })

    it('creates a missing group with --create through Confluence, then adds the member to it', async () => {
      const scopes = [
        tenantInfo(),
        site().get(PICKER).query({limit: 200, query: 'crawlers'}).reply(200, v1Page([])),
        site().post('/wiki/rest/api/group', {name: 'crawlers'}).reply(201, group('g-new', 'crawlers')),
        site().post(ADD_MEMBER, {accountId: '712020:acc-crawler'}).query({groupId: 'g-new'}).reply(201),
      ]
      const log = requestLog(...scopes)
      const {result} = await addMembers('crawlers', '--create', '--user', '712020:acc-crawler', '--json')
      expect(outcomes(result)).to.deep.equal({'group:crawlers': 'done', 'member:crawlers:712020:acc-crawler': 'done'})
      expect(log.indexOf('POST /wiki/rest/api/group')).to.be.lessThan(log.indexOf(`POST ${ADD_MEMBER}`))
      allDone(...scopes)
    })

    it('names a missing group looked up through Confluence without --create (exit 2)', async () => {
      const scopes = [
        tenantInfo(),
        site().get(PICKER).query({limit: 200, query: 'ghosts'}).reply(200, v1Page([])),
        site()
          .get('/wiki/rest/api/group')
          .query(true)
          .reply(200, v1Page([group('g-crawl', 'crawlers')])),
      ]
      const {error, stderr} = await addMembers('ghosts', '--user', '712020:acc-crawler')
      expect(error?.oclif?.exit).to.equal(2)
      expect(stderr).to.contain('Error: No group named ghosts on the site (looked up through Confluence).')
      allDone(...scopes)
    })

    it('explains a Confluence refusal to add a member of a group managed by an identity provider', async () => {
      const scopes = [
        tenantInfo(),
        site()
          .get(PICKER)
          .query({limit: 200, query: 'engineering'})
          .reply(200, v1Page([group('g-eng', 'engineering')])),
        site().get(MEMBER_OF).query(true).reply(200, v1Page([])),
        site().post(ADD_MEMBER).query({groupId: 'g-eng'}).reply(400, {
          message:
            'com.atlassian.confluence.api.service.exceptions.BadRequestException: Group engineering is managed by an identity provider; change its members there',
          statusCode: 400,
        }),
      ]
      const {result} = await addMembers('engineering', '--user', '712020:acc-crawler', '--json')
      expect(itemOf(result, 'member:engineering:712020:acc-crawler').reason).to.match(
        /^engineering is synced from an identity provider: change its members there \(/,
      )
      expect(process.exitCode).to.equal(3)
      allDone(...scopes)
    })
  })

  describe('bad input (exit 2, nothing sent)', () => {
    it('refuses a --failed-to that is the --file input, which it would overwrite, and leaves the file as it was', async () => {
      const file = login.file('members.csv', 'user\n712020:acc-crawler\n')
      for (const failedTo of [file, join(login.dir, '..', basename(login.dir), 'members.csv')]) {
        const {error, stderr} = await addMembers('crawlers', '--file', file, '--failed-to', failedTo)
        expect(error?.oclif?.exit).to.equal(2)
        expect((error as {code?: string} | undefined)?.code).to.equal('SIDE_FILE_CLASH')
        expect(stderr).to.contain(`Error: --failed-to ${failedTo} is the --file input`)
      }

      expect(readFileSync(file, 'utf8')).to.equal('user\n712020:acc-crawler\n')
      allDone()
    })

    it('refuses a --failed-to that is a hard link to the --file input', async () => {
      const file = login.file('members.csv', 'user\n712020:acc-crawler\n')
      const link = join(login.dir, 'failed.csv')
      linkSync(file, link)
      const {error} = await addMembers('crawlers', '--file', file, '--failed-to', link)
      expect((error as {code?: string} | undefined)?.code).to.equal('SIDE_FILE_CLASH')
      allDone()
    })

    it('refuses an unknown --recommended keyword, listing the known ones, before any request', async () => {
      const {error, stderr} = await addMembers('--recommended', 'users,viewers', '--user', '712020:acc-crawler')
      expect(error?.oclif?.exit).to.equal(2)
      expect((error as {code?: string} | undefined)?.code).to.equal('RECOMMENDED_UNKNOWN')
      expect(stderr).to.contain('Error: Not a recommended group: viewers.')
      expect(stderr).to.contain('Hint: Use admins, user-access-admins, users, org-admins.')
      allDone()
    })

    it('refuses a run without any group, before any request', async () => {
      const {error, stderr} = await addMembers('--user', '712020:acc-crawler')
      expect(error?.oclif?.exit).to.equal(2)
      expect(stderr).to.contain('Error: Which groups?')
      allDone()
    })

    it('refuses a run without any user', async () => {
      const {error, stderr} = await addMembers('crawlers')
      expect(error?.oclif?.exit).to.equal(2)
      expect(stderr).to.contain('Error: No users given.')
      allDone()
    })
  })
})
