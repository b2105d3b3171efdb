import {expect} from 'chai'

import type {GroupsListResult} from '../../../src/commands/groups/list.js'
import {runCommand} from '../../support/run-command.js'
import {
  admin,
  adminLogin,
  adminPage,
  allDone,
  DIR_PATH,
  site,
  tenantInfo,
  useLogin,
  v1Page,
  withAdminKey,
} from '../support.js'

const list = (...args: string[]) => runCommand<GroupsListResult>(['groups', 'list', ...args])

const GROUPS_SEARCH = `${DIR_PATH}/groups/search`
const PICKER = '/wiki/rest/api/group/picker'

const directoryGroup = (id: string, name: string, users: number) => ({
  counts: {users},
  description: '',
  externalSynced: false,
  id,
  managedBy: 'admins',
  name,
})
const group = (id: string, name: string) => ({id, name, type: 'group'})
const member = (accountId: string) => ({accountId, accountType: 'atlassian', displayName: accountId, type: 'known'})

/** The data rows of a table (after the header and the rule), each cut into its columns. */
const rows = (stdout: string) =>
  stdout
    .trimEnd()
    .split('\n')
    .slice(2)
    .map((line) => line.split(/ {2,}/).map((cell) => cell.trim()))

describe('groups list', () => {
  useLogin()

  describe('through the Admin API (an Admin key in the login)', () => {
    beforeEach(withAdminKey)

    it("lists the directory's groups with their member counts", async () => {
      const scopes = [
        ...adminLogin(),
        admin()
          .post(GROUPS_SEARCH, {expand: ['counts.users'], limit: 50})
          .reply(
            200,
            adminPage([
              directoryGroup('g-users', 'confluence-users-acme', 12),
              directoryGroup('g-crawl', 'crawlers', 1),
            ]),
          ),
      ]
      const {error, result, stderr, stdout} = await list()
      expect(error).to.equal(undefined)
      expect(result).to.deep.equal({
        groups: [
          {id: 'g-users', members: 12, name: 'confluence-users-acme'},
          {id: 'g-crawl', members: 1, name: 'crawlers'},
        ],
        via: 'Admin API',
      })
      expect(stdout.split('\n').slice(0, 2)).to.deep.equal([
        'Group                  Members',
        '---------------------  -------',
      ])
      expect(rows(stdout)).to.deep.equal([
        ['confluence-users-acme', '12'],
        ['crawlers', '1'],
      ])
      expect(stderr).to.equal('(through the Admin API)\n')
      allDone(...scopes)
    })

    it('passes --search to Atlassian as the searchTerm', async () => {
      const scopes = [
        ...adminLogin(),
        admin()
          .post(GROUPS_SEARCH, {expand: ['counts.users'], limit: 50, searchTerm: 'crawl'})
          .reply(200, adminPage([directoryGroup('g-crawl', 'crawlers', 1)])),
      ]
      const {result} = await list('--search', 'crawl', '--json')
      expect(result?.groups.map((g) => g.name)).to.deep.equal(['crawlers'])
      allDone(...scopes)
    })

    it('shows the four recommended groups for the site, whether each exists (yes/NO), its members and what it is for', async () => {
      const byName = (name: string, found: unknown[]) =>
        admin()
          .post(GROUPS_SEARCH, {expand: ['counts.users'], groupNames: [name], limit: 50})
          .reply(200, adminPage(found))
      const scopes = [
        ...adminLogin(),
        byName('confluence-admins-acme', [directoryGroup('g-admins', 'confluence-admins-acme', 2)]),
        byName('confluence-user-access-admins-acme', []),
        byName('confluence-users-acme', [directoryGroup('g-users', 'confluence-users-acme', 12)]),
        byName('org-admins', []),
      ]
      const {error, result, stdout} = await list('--recommended')
      expect(error).to.equal(undefined)
      expect(rows(stdout)).to.deep.equal([
        ['confluence-admins-acme', '2', 'yes', 'Confluence administrators (the app admin role)'],
        ['confluence-user-access-admins-acme', 'NO', 'may manage who can use Confluence'],
        ['confluence-users-acme', '12', 'yes', 'may use Confluence (the User role; takes a licence)'],
        [
          'org-admins',
          'NO',
          'organization admins (since the Units change, membership alone no longer makes an org admin)',
        ],
      ])
      expect(stdout.split('\n')[0]).to.match(/^Group\s+Members\s+Exists\s+For$/)
      expect(result?.groups.map((g) => [g.name, g.exists, g.id])).to.deep.equal([
        ['confluence-admins-acme', true, 'g-admins'],
        ['confluence-user-access-admins-acme', false, undefined],
        ['confluence-users-acme', true, 'g-users'],
        ['org-admins', false, undefined],
      ])
      allDone(...scopes)
    })
  })

  describe('through Confluence (no Admin key)', () => {
    it("lists the site's groups and counts each group's members", async () => {
      const scopes = [
        tenantInfo(),
        site()
          .get('/wiki/rest/api/group')
          .query({limit: 200})
          .reply(200, v1Page([group('g-users', 'confluence-users-acme'), group('g-crawl', 'crawlers')])),
        site()
          .get('/wiki/rest/api/group/g-users/membersByGroupId')
          .query({limit: 200})
          .reply(200, v1Page([member('712020:acc-1'), member('712020:acc-2'), member('712020:acc-3')])),
        site().get('/wiki/rest/api/group/g-crawl/membersByGroupId').query({limit: 200}).reply(200, v1Page([])),
      ]
      const {error, result, stderr, stdout} = await list()
      expect(error).to.equal(undefined)
      expect(result).to.deep.equal({
        groups: [
          {id: 'g-users', members: 3, name: 'confluence-users-acme'},
          {id: 'g-crawl', members: 0, name: 'crawlers'},
        ],
        via: 'Confluence',
      })
      expect(rows(stdout)).to.deep.equal([
        ['confluence-users-acme', '3'],
        ['crawlers', '0'],
      ])
      expect(stderr).to.equal('(through Confluence)\n')
      allDone(...scopes)
    })

    it('shows a group name with terminal control sequences escaped, never raw', async () => {
      const hostile = 'crawlers\u001B]0;owned\u0007\u001B[2J'
      const scopes = [
        tenantInfo(),
        site()
          .get('/wiki/rest/api/group')
          .query({limit: 200})
          .reply(200, v1Page([group('g-evil', hostile)])),
        site().get('/wiki/rest/api/group/g-evil/membersByGroupId').query({limit: 200}).reply(200, v1Page([])),
      ]
      const {result, stdout} = await list()
      expect(result?.groups[0].name).to.equal(hostile)
      expect(stdout).to.not.include('\u001B').and.not.include('\u0007')
      expect(rows(stdout)).to.deep.equal([['crawlers\\u001b]0;owned\\u0007\\u001b[2J', '0']])
      allDone(...scopes)
    })

    it('keeps only the groups whose name contains --search, in any case, and counts only their members', async () => {
      const scopes = [
        tenantInfo(),
        site()
          .get('/wiki/rest/api/group')
          .query({limit: 200})
          .reply(200, v1Page([group('g-users', 'confluence-users-acme'), group('g-crawl', 'Crawlers')])),
        site()
          .get('/wiki/rest/api/group/g-crawl/membersByGroupId')
          .query({limit: 200})
          .reply(200, v1Page([member('712020:acc-1')])),
      ]
      const {result} = await list('--search', 'CRAWL', '--json')
      expect(result?.groups).to.deep.equal([{id: 'g-crawl', members: 1, name: 'Crawlers'}])
      allDone(...scopes)
    })

    it('shows the recommended groups looked up by name, NO for those the site does not have', async () => {
      const scopes = [
        tenantInfo(),
        site()
          .get(PICKER)
          .query({limit: 200, query: 'confluence-admins-acme'})
          .reply(200, v1Page([group('g-admins', 'confluence-admins-acme')])),
        site()
          .get(PICKER)
          .query({limit: 200, query: 'confluence-user-access-admins-acme'})
          .reply(200, v1Page([group('g-uaa', 'confluence-user-access-admins-acme')])),
        site()
          .get(PICKER)
          .query({limit: 200, query: 'confluence-users-acme'})
          .reply(200, v1Page([group('g-users', 'confluence-users-acme')])),
        site().get(PICKER).query({limit: 200, query: 'org-admins'}).reply(200, v1Page([])),
      ]
      const {result, stdout} = await list('--recommended')
      expect(rows(stdout).map(([name, ...rest]) => [name, rest[0]])).to.deep.equal([
        ['confluence-admins-acme', 'yes'],
        ['confluence-user-access-admins-acme', 'yes'],
        ['confluence-users-acme', 'yes'],
        ['org-admins', 'NO'],
      ])
      expect(result?.via).to.equal('Confluence')
      expect(result?.groups.map((g) => g.exists)).to.deep.equal([true, true, true, false])
      allDone(...scopes)
    })
  })
})
