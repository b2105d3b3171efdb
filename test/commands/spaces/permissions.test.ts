import {expect} from 'chai'

import type {SpacePermissionsResult} from '../../../src/commands/spaces/permissions.js'
import {runCommand} from '../../support/run-command.js'
import {
  admin,
  adminLogin,
  adminPage,
  allDone,
  DIR_PATH,
  site,
  roleMode,
  tenantInfo,
  useLogin,
  v1Page,
  v2Page,
  withAdminKey,
} from '../support.js'

const PICKER = '/wiki/rest/api/group/picker'

const permissions = (...args: string[]) => runCommand<SpacePermissionsResult>(['spaces', 'permissions', ...args])

const SPACES = '/wiki/api/v2/spaces'
const MEMBER_OF = '/wiki/rest/api/user/memberof'

const space = (id: string, key: string, name: string) => ({id, key, name, status: 'current', type: 'global'})
const ENG = space('101', 'ENG', 'Engineering')
const HR = space('102', 'HR', 'Human Resources')
const permission = (type: 'user' | 'group' | 'role', id: string, key = 'read', targetType = 'space') => ({
  id: `p-${type}-${id}-${key}`,
  operation: {key, targetType},
  principal: {id, type},
})

/** Both spaces by key, and their permissions, each read once: ENG viewable by group g-crawl, HR only by user 712020:acc-hr. */
const twoSpaces = () => [
  site()
    .get(SPACES)
    .query({keys: 'ENG,HR', limit: 250})
    .reply(200, v2Page([ENG, HR])),
  site()
    .get(`${SPACES}/101/permissions`)
    .query({limit: 250})
    .once()
    .reply(
      200,
      v2Page([
        permission('group', 'g-crawl'),
        permission('user', '712020:acc-admin'),
        permission('user', '712020:acc-admin', 'administer'),
        permission('role', 'r-1'),
      ]),
    ),
  site()
    .get(`${SPACES}/102/permissions`)
    .query({limit: 250})
    .once()
    .reply(200, v2Page([permission('user', '712020:acc-hr'), permission('group', 'g-crawl', 'create', 'page')])),
]

describe('space permissions', () => {
  useLogin()

  describe('who can view', () => {
    it('lists, for each space, the principals holding View (read:space) and nothing else', async () => {
      const scopes = [tenantInfo(), roleMode(), ...twoSpaces()]
      const {error, result, stdout} = await permissions('ENG', 'HR')
      expect(error).to.equal(undefined)
      expect(result).to.deep.equal({
        spaces: [
          {
            key: 'ENG',
            name: 'Engineering',
            viewers: [
              {id: 'g-crawl', through: 'permission', type: 'group'},
              {id: '712020:acc-admin', through: 'permission', type: 'user'},
              {id: 'r-1', through: 'permission', type: 'role'},
            ],
          },
          {
            key: 'HR',
            name: 'Human Resources',
            viewers: [{id: '712020:acc-hr', through: 'permission', type: 'user'}],
          },
        ],
        unknownKeys: [],
        unreadable: [],
      })
      const engViewers = 'group:g-crawl (permission), user:712020:acc-admin (permission), role:r-1 (permission)'
      expect(stdout).to.equal(
        [
          'Space  Can view',
          `-----  ${'-'.repeat(engViewers.length)}`,
          `ENG    ${engViewers}`,
          'HR     user:712020:acc-hr (permission)',
          '',
        ].join('\n'),
      )
      expect(process.exitCode ?? 0).to.equal(0)
      allDone(...scopes)
    })

    it('warns about a key no space has, still lists the others, and exits 3', async () => {
      const scopes = [
        tenantInfo(),
        roleMode(),
        site()
          .get(SPACES)
          .query({keys: 'ENG,NOPE', limit: 250})
          .reply(200, v2Page([ENG])),
        site()
          .get(`${SPACES}/101/permissions`)
          .query({limit: 250})
          .reply(200, v2Page([permission('group', 'g-crawl')])),
        site()
          .get(SPACES)
          .query({limit: 250})
          .reply(200, v2Page([ENG, HR])),
      ]
      const {result, stderr, stdout} = await permissions('ENG', 'NOPE')
      expect(result?.unknownKeys).to.deep.equal(['NOPE'])
      expect(result?.spaces.map((s) => s.key)).to.deep.equal(['ENG'])
      expect(stdout).to.contain('ENG    group:g-crawl (permission)')
      expect(stderr).to.equal('Warning: no space has the key NOPE.\n')
      expect(process.exitCode).to.equal(3)
      allDone(...scopes)
    })

    it('reads every page of every space with --all-spaces', async () => {
      const scopes = [
        tenantInfo(),
        roleMode(),
        site()
          .get(SPACES)
          .query({limit: 250, status: 'current'})
          .reply(200, {_links: {next: '/wiki/api/v2/spaces?cursor=page-2&limit=250&status=current'}, results: [ENG]}),
        site()
          .get(SPACES)
          .query({cursor: 'page-2', limit: 250, status: 'current'})
          .reply(200, v2Page([HR])),
        site().get(SPACES).query({limit: 250, status: 'archived'}).reply(200, v2Page([])),
        site().get(`${SPACES}/101/permissions`).query({limit: 250}).reply(200, v2Page([])),
        site()
          .get(`${SPACES}/102/permissions`)
          .query({limit: 250})
          .reply(200, v2Page([permission('user', '712020:acc-hr')])),
      ]
      const {result} = await permissions('--all-spaces', '--json')
      expect(result?.spaces.map((s) => [s.key, s.viewers.length])).to.deep.equal([
        ['ENG', 0],
        ['HR', 1],
      ])
      allDone(...scopes)
    })
  })

  describe('--type and progress', () => {
    const everySpace = (spaces = [ENG, HR]) => [
      tenantInfo(),
      roleMode(),
      site().get(SPACES).query({limit: 250, status: 'current'}).reply(200, v2Page(spaces)),
      site().get(SPACES).query({limit: 250, status: 'archived'}).reply(200, v2Page([])),
      site().get(`${SPACES}/101/permissions`).query({limit: 250}).reply(200, v2Page([])),
      site().get(`${SPACES}/102/permissions`).query({limit: 250}).reply(200, v2Page([])),
    ]

    it('reads only global spaces with --all-spaces --type global, as grant-view does', async () => {
      const scopes = everySpace([ENG, HR, {...space('103', '~ann', 'Ann'), type: 'personal'}])
      const {error, result} = await permissions('--all-spaces', '--type', 'global', '--json')
      expect(error).to.equal(undefined)
      expect(result?.spaces.map((s) => s.key)).to.deep.equal(['ENG', 'HR'])
      expect(result?.choice).to.deep.equal({archived: 0, chosen: {global: 2}, typeNotChosen: {personal: 1}})
      allDone(...scopes)
    })

    describe('on a terminal', () => {
      let wasTTY: boolean | undefined
      beforeEach(() => {
        wasTTY = process.stderr.isTTY
        process.stderr.isTTY = true
      })
      afterEach(() => {
        process.stderr.isTTY = wasTTY as true
      })

      it('shows how many spaces of how many it has read, on stderr, with --all-spaces', async () => {
        const scopes = everySpace()
        const {stderr, stdout} = await permissions('--all-spaces')
        expect(stderr).to.match(/spaces permissions: \d\/2 spaces read/)
        expect(stdout).to.not.contain('spaces read')
        allDone(...scopes)
      })

      it('shows no progress under --json', async () => {
        const scopes = everySpace()
        const {stderr} = await permissions('--all-spaces', '--json')
        expect(stderr).to.equal('')
        allDone(...scopes)
      })
    })
  })

  describe('what a principal cannot view', () => {
    it("lists the spaces a --user cannot view, counting View held by the user's groups, and exits 3", async () => {
      const scopes = [
        tenantInfo(),
        roleMode(),
        ...twoSpaces(),
        site()
          .get(MEMBER_OF)
          .query({accountId: '712020:acc-crawler', limit: 200})
          .reply(200, v1Page([{id: 'g-crawl', name: 'crawlers', type: 'group'}])),
      ]
      const {error, result, stderr, stdout} = await permissions('ENG', 'HR', '--user', '712020:acc-crawler')
      expect(error).to.equal(undefined)
      expect(result?.principal).to.deep.equal({
        canView: 1,
        cannotView: [{key: 'HR', name: 'Human Resources'}],
        principal: '712020:acc-crawler',
        views: [{key: 'ENG', name: 'Engineering', through: 'group crawlers'}],
      })
      expect(stdout).to.equal(
        [
          'Can view  Name         Through',
          '--------  -----------  --------------',
          'ENG       Engineering  group crawlers',
          'Cannot view  Name',
          '-----------  ---------------',
          'HR           Human Resources',
          '',
        ].join('\n'),
      )
      expect(stderr).to.equal('712020:acc-crawler cannot view 1 of 2 spaces.\n')
      expect(process.exitCode).to.equal(3)
      allDone(...scopes)
    })

    it('says a --user can view all spaces, and exits 0, when it can', async () => {
      const scopes = [
        tenantInfo(),
        roleMode(),
        ...twoSpaces(),
        site()
          .get(MEMBER_OF)
          .query({accountId: '712020:acc-hr', limit: 200})
          .reply(200, v1Page([{id: 'g-crawl', name: 'crawlers', type: 'group'}])),
      ]
      const {result, stdout} = await permissions('ENG', 'HR', '--user', '712020:acc-hr')
      expect(result?.principal).to.deep.equal({
        canView: 2,
        cannotView: [],
        principal: '712020:acc-hr',
        views: [
          {key: 'ENG', name: 'Engineering', through: 'group crawlers'},
          {key: 'HR', name: 'Human Resources', through: 'permission'},
        ],
      })
      expect(stdout).to.match(/^HR\s+Human Resources\s+permission$/m)
      expect(stdout).to.match(/\n712020:acc-hr can view all 2 spaces\.\n$/)
      expect(process.exitCode ?? 0).to.equal(0)
      allDone(...scopes)
    })

    it('lists the spaces a --group cannot view, looking the group up by name', async () => {
      const scopes = [
        tenantInfo(),
        roleMode(),
        ...twoSpaces(),
        site()
          .get(PICKER)
          .query({limit: 200, query: 'crawlers'})
          .reply(200, v1Page([{id: 'g-crawl', name: 'crawlers', type: 'group'}])),
      ]
      const {result} = await permissions('ENG', 'HR', '--group', 'crawlers', '--json')
      expect(result?.principal).to.deep.equal({
        canView: 1,
        cannotView: [{key: 'HR', name: 'Human Resources'}],
        principal: 'group crawlers',
        views: [{key: 'ENG', name: 'Engineering', through: 'permission'}],
      })
      expect(process.exitCode).to.equal(3)
      allDone(...scopes)
    })

    it("turns a --user email into an account ID and reads the user's groups through the Admin API with an Admin key", async () => {
      withAdminKey()
      const scopes = [
        ...adminLogin(),
        roleMode(),
        ...twoSpaces(),
        admin()
          .post(`${DIR_PATH}/users/search`, {emails: ['crawler@acme.example'], limit: 100})
          .reply(200, adminPage([{accountId: '712020:acc-crawler', email: 'crawler@acme.example'}])),
        admin()
          .post(`${DIR_PATH}/groups/search`, {accountIds: ['712020:acc-crawler'], expand: ['counts.users'], limit: 50})
          .reply(200, adminPage([{id: 'g-crawl', name: 'crawlers'}])),
      ]
      const {result} = await permissions('ENG', 'HR', '--user', 'crawler@acme.example', '--json')
      expect(result?.principal).to.deep.equal({
        canView: 1,
        cannotView: [{key: 'HR', name: 'Human Resources'}],
        principal: 'crawler@acme.example',
        views: [{key: 'ENG', name: 'Engineering', through: 'group crawlers'}],
      })
      allDone(...scopes)
    })

    it('refuses a --user email no account has (exit 2, USER_UNKNOWN) before reading any space', async () => {
      withAdminKey()
      const scopes = [...adminLogin(), admin().post(`${DIR_PATH}/users/search`).reply(200, adminPage([]))]
      const {error, stderr} = await permissions('ENG', '--user', 'ghost@acme.example')
      expect(error?.oclif?.exit).to.equal(2)
      expect((error as {code?: string} | undefined)?.code).to.equal('USER_UNKNOWN')
      expect(stderr).to.contain('Error: no Atlassian account has the email ghost@acme.example')
      allDone(...scopes)
    })

    it('refuses a --user email without an Admin key or --map (exit 2)', async () => {
      const scopes = [tenantInfo()]
      const {error} = await permissions('ENG', '--user', 'crawler@acme.example')
      expect(error?.oclif?.exit).to.equal(2)
      expect((error as {code?: string} | undefined)?.code).to.equal('EMAILS_NEED_ADMIN_KEY')
      allDone(...scopes)
    })
  })

  describe('bad input (exit 2, nothing sent)', () => {
    it('refuses "ENG,HR", which Confluence would read as two spaces, asking for one key per argument', async () => {
      const {error, stderr} = await permissions('ENG,HR')
      expect(error?.oclif?.exit).to.equal(2)
      expect((error as {code?: string} | undefined)?.code).to.equal('SPACE_KEY_LIST')
      expect(stderr).to.contain('Hint: Give each key as its own argument: cfadmin spaces permissions ENG HR.')
      allDone()
    })

    it('refuses a mistyped --group naming the closest group (exit 2), before reading any space', async () => {
      const scopes = [
        tenantInfo(),
        site().get(PICKER).query({limit: 200, query: 'crawler'}).reply(200, v1Page([])),
        site()
          .get('/wiki/rest/api/group')
          .query(true)
          .reply(200, v1Page([{id: 'g-crawl', name: 'crawlers', type: 'group'}])),
      ]
      const {error, stderr} = await permissions('--all-spaces', '--group', 'crawler')
      expect(error?.oclif?.exit).to.equal(2)
      expect(stderr).to.contain('Error: No group named crawler on the site (did you mean crawlers?).')
      allDone(...scopes)
    })

    it('names the closest space key for a mistyped one', async () => {
      const scopes = [
        tenantInfo(),
        roleMode(),
        site().get(SPACES).query({keys: 'ENGG', limit: 250}).reply(200, v2Page([])),
        site()
          .get(SPACES)
          .query({limit: 250})
          .reply(200, v2Page([ENG, HR])),
      ]
      const {stderr} = await permissions('ENGG')
      expect(stderr).to.equal('Warning: no space has the key ENGG (did you mean ENG?).\n')
      expect(process.exitCode).to.equal(3)
      allDone(...scopes)
    })

    it('refuses a run without space keys or --all-spaces', async () => {
      const {error, stderr} = await permissions('--user', '712020:acc-crawler')
      expect(error?.oclif?.exit).to.equal(2)
      expect((error as {code?: string} | undefined)?.code).to.equal('SPACES_MISSING')
      expect(stderr).to.contain('Hint: Give space keys, or --all-spaces.')
      allDone()
    })

    it('refuses --user together with --group', async () => {
      const {error} = await permissions('ENG', '--user', '712020:acc-crawler', '--group', 'crawlers')
      expect(error?.oclif?.exit).to.equal(2)
      allDone()
    })
  })
})
