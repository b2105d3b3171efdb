import {mkdirSync, readFileSync, rmSync} from 'node:fs'
import {join} from 'node:path'

import {expect} from 'chai'

import SpaceGrantView from '../../../src/commands/spaces/grant-view.js'
import {STDERR_NOTICES} from '../../../src/lib/http/client.js'
import type {RunReport} from '../../../src/lib/engine/operation.js'
import {runCommand} from '../../support/run-command.js'
import {
  admin,
  adminLogin,
  adminPage,
  allDone,
  DIR_PATH,
  itemOf,
  outcomes,
  site,
  roleMode,
  spaced,
  tenantInfo,
  useLogin,
  v1Page,
  v2Page,
  withAdminKey,
} from '../support.js'

const grantView = (...args: string[]) => runCommand<RunReport>(['spaces', 'grant-view', ...args])

const SPACES = '/wiki/api/v2/spaces'
const PICKER = '/wiki/rest/api/group/picker'

const space = (id: string, key: string, name = key) => ({id, key, name, status: 'current', type: 'global'})
const ENG = space('101', 'ENG', 'Engineering')
const HR = space('102', 'HR', 'Human Resources')
/** A v2 space permission: who holds which operation. */
const permission = (type: 'user' | 'group', id: string, key = 'read', targetType = 'space') => ({
  id: `p-${type}-${id}-${key}`,
  operation: {key, targetType},
  principal: {id, type},
})
const viewBody = (type: 'user' | 'group', identifier: string) => ({
  operation: {key: 'read', target: 'space'},
  subject: {identifier, type},
})

/** GET a space's permissions, exactly once. */
const permissionsOf = (spaceId: string, permissions: unknown[]) =>
  site().get(`${SPACES}/${spaceId}/permissions`).query({limit: 250}).once().reply(200, v2Page(permissions))
/** POST View on a space to a principal. */
const addView = (key: string, type: 'user' | 'group', identifier: string) =>
  site().post(`/wiki/rest/api/space/${key}/permission`, viewBody(type, identifier))
/** The listing of every space, which names the closest key when one asked for does not exist. */
const allSpaces = (spaces: unknown[]) => site().get(SPACES).query({limit: 250}).reply(200, v2Page(spaces))
const crawlersGroup = () =>
  site()
    .get(PICKER)
    .query({limit: 200, query: 'crawlers'})
    .reply(200, v1Page([{id: 'g-crawl', name: 'crawlers', type: 'group'}]))

describe('space grant-view', () => {
  const login = useLogin()

  describe('through Confluence (no Admin key)', () => {
    it("reads each space's permissions once and adds View only where a principal lacks it", async () => {
      const scopes = [
        tenantInfo(),
        roleMode(),
        site()
          .get(SPACES)
          .query({keys: 'ENG,HR', limit: 250})
          .reply(200, v2Page([ENG, HR])),
        crawlersGroup(),
        permissionsOf('101', [
          permission('group', 'g-crawl'),
          permission('user', '712020:acc-crawler', 'create', 'page'),
        ]),
        permissionsOf('102', [
          permission('user', '712020:acc-crawler'),
          permission('group', 'g-crawl', 'administer', 'space'),
        ]),
        addView('ENG', 'user', '712020:acc-crawler').reply(200, viewBody('user', '712020:acc-crawler')),
        addView('HR', 'group', 'g-crawl').reply(200, viewBody('group', 'g-crawl')),
      ]
      const {error, result, stderr} = await grantView(
        '--space',
        'ENG',
        '--space',
        'HR',
        '--group',
        'crawlers',
        '--user',
        '712020:acc-crawler',
        '--json',
      )
      expect(error, stderr).to.equal(undefined)
      expect(outcomes(result)).to.deep.equal({
        'view:ENG:group:g-crawl': 'already',
        'view:ENG:user:712020:acc-crawler': 'done',
        'view:HR:group:g-crawl': 'done',
        'view:HR:user:712020:acc-crawler': 'already',
      })
      expect(itemOf(result, 'view:HR:group:g-crawl')).to.include({description: 'grant View on HR to group crawlers'})
      expect(itemOf(result, 'view:ENG:user:712020:acc-crawler').row).to.deep.equal({
        space: 'ENG',
        user: '712020:acc-crawler',
      })
      expect(result?.counts).to.include({already: 2, done: 2, failed: 0})
      expect(process.exitCode ?? 0).to.equal(0)
      allDone(...scopes)
    })

    it('counts Atlassian\'s 400 "permission already exists" as already, not as a failure', async () => {
      const scopes = [
        tenantInfo(),
        roleMode(),
        site()
          .get(SPACES)
          .query({keys: 'ENG', limit: 250})
          .reply(200, v2Page([ENG])),
        crawlersGroup(),
        permissionsOf('101', []),
        addView('ENG', 'group', 'g-crawl').reply(400, {
          message:
            'com.atlassian.confluence.api.service.exceptions.BadRequestException: Permission already exists for the given user or group',
          statusCode: 400,
        }),
      ]
      const {result} = await grantView('--space', 'ENG', '--group', 'crawlers', '--json')
      expect(itemOf(result, 'view:ENG:group:g-crawl')).to.include({
        outcome: 'already',
        reason: 'Atlassian says it already existed',
      })
      expect(result?.counts).to.include({already: 1, done: 0, failed: 0})
      expect(process.exitCode ?? 0).to.equal(0)
      allDone(...scopes)
    })

    it('fails only the items of an unknown space key, grants the rest, and exits 3', async () => {
      const scopes = [
        tenantInfo(),
        roleMode(),
        site()
          .get(SPACES)
          .query({keys: 'ENG,NOPE', limit: 250})
          .reply(200, v2Page([ENG])),
        allSpaces([ENG, HR]),
        crawlersGroup(),
        permissionsOf('101', []),
        addView('ENG', 'group', 'g-crawl').reply(200, viewBody('group', 'g-crawl')),
      ]
      const {result, stderr, stdout} = await grantView('--space', 'ENG', '--space', 'NOPE', '--group', 'crawlers')
      expect(outcomes(result)).to.deep.equal({'view:ENG:group:g-crawl': 'done', 'view:NOPE:group crawlers': 'failed'})
      expect(itemOf(result, 'view:NOPE:group crawlers').reason).to.equal('no space has the key NOPE')
      expect(stdout).to.match(/failed\s+grant View on NOPE to group crawlers\s+no space has the key NOPE/)
      expect(stderr).to.match(/^1 done, 0 already, 1 failed \(\d+\.\d s\)$/m)
      expect(process.exitCode).to.equal(3)
      allDone(...scopes)
    })

    it('fails only the items of an unknown group, grants the other principals, and exits 3', async () => {
      const scopes = [
        tenantInfo(),
        roleMode(),
        site()
          .get(SPACES)
          .query({keys: 'ENG', limit: 250})
          .reply(200, v2Page([ENG])),
        site().get(PICKER).query({limit: 200, query: 'ghosts'}).reply(200, v1Page([])),
        site()
          .get('/wiki/rest/api/group')
          .query(true)
          .reply(200, v1Page([{id: 'g-crawl', name: 'crawlers', type: 'group'}])),
        permissionsOf('101', []),
        addView('ENG', 'user', '712020:acc-crawler').reply(200, viewBody('user', '712020:acc-crawler')),
      ]
      const {result} = await grantView('--space', 'ENG', '--group', 'ghosts', '--user', '712020:acc-crawler', '--json')
      expect(outcomes(result)).to.deep.equal({
        'view:ENG:group:group ghosts': 'failed',
        'view:ENG:user:712020:acc-crawler': 'done',
      })
      expect(itemOf(result, 'view:ENG:group:group ghosts').reason).to.equal('no group named ghosts on the site')
      expect(process.exitCode).to.equal(3)
      allDone(...scopes)
    })

    it('fails the item saying the login is not an admin of the space, and the fix, when Confluence answers 403', async () => {
      const scopes = [
        tenantInfo(),
        roleMode(),
        site()
          .get(SPACES)
          .query(true)
          .reply(200, v2Page([ENG])),
        crawlersGroup(),
        permissionsOf('101', []),
        addView('ENG', 'group', 'g-crawl').reply(403, {
          message: 'User is not permitted to administer space ENG',
          statusCode: 403,
        }),
      ]
      const {result} = await grantView('--space', 'ENG', '--group', 'crawlers', '--json')
      expect(itemOf(result, 'view:ENG:group:g-crawl').reason).to.equal(
        'you are not an admin of space ENG: give yourself space admin, or use Recover permissions in Confluence administration; on Premium/Enterprise try --admin-key',
      )
      expect(process.exitCode).to.equal(3)
      allDone(...scopes)
    })

    it('grants on every current space of every page with --all-spaces --type global', async () => {
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
          .reply(200, v2Page([HR, {...space('103', 'TEAM'), type: 'collaboration'}])),
        site()
          .get(SPACES)
          .query({limit: 250, status: 'archived'})
          .reply(200, v2Page([{...space('104', 'OLD'), status: 'archived'}])),
        crawlersGroup(),
        permissionsOf('101', []),
        permissionsOf('102', [permission('group', 'g-crawl')]),
        addView('ENG', 'group', 'g-crawl').reply(200, viewBody('group', 'g-crawl')),
      ]
      const {result} = await grantView('--all-spaces', '--type', 'global', '--group', 'crawlers', '--json')
      expect(outcomes(result)).to.deep.equal({'view:ENG:group:g-crawl': 'done', 'view:HR:group:g-crawl': 'already'})
      allDone(...scopes)
    })

    it('prints the report as CSV with --csv', async () => {
      const scopes = [
        tenantInfo(),
        roleMode(),
        site()
          .get(SPACES)
          .query({keys: 'ENG,NOPE', limit: 250})
          .reply(200, v2Page([ENG])),
        allSpaces([ENG]),
        crawlersGroup(),
        permissionsOf('101', [permission('group', 'g-crawl')]),
      ]
      const {stdout} = await grantView('--space', 'ENG', '--space', 'NOPE', '--group', 'crawlers', '--csv')
      expect(stdout).to.equal(
        [
          'key,description,outcome,reason,detail',
          'view:NOPE:group crawlers,grant View on NOPE to group crawlers,failed,no space has the key NOPE,',
          'view:ENG:group:g-crawl,grant View on ENG to group crawlers,already,permission,',
          '',
        ].join('\n'),
      )
      expect(process.exitCode).to.equal(3)
      allDone(...scopes)
    })

    it('reads but adds nothing with --dry-run', async () => {
      const scopes = [
        tenantInfo(),
        roleMode(),
        site()
          .get(SPACES)
          .query(true)
          .reply(200, v2Page([ENG])),
        permissionsOf('101', []),
      ]
      const {result, stderr} = await grantView('--space', 'ENG', '--user', '712020:acc-crawler', '--dry-run')
      expect(outcomes(result)).to.deep.equal({'view:ENG:user:712020:acc-crawler': 'planned'})
      expect(stderr).to.contain('would change 1, already 0')
      allDone(...scopes)
    })
  })

  describe('what it acts on', () => {
    it('grants only on the spaces asked for, even when Confluence answers with another', async () => {
      const scopes = [
        tenantInfo(),
        roleMode(),
        site()
          .get(SPACES)
          .query({keys: 'ENG', limit: 250})
          .reply(200, v2Page([ENG, HR])),
        crawlersGroup(),
        permissionsOf('101', []),
        addView('ENG', 'group', 'g-crawl').reply(200, viewBody('group', 'g-crawl')),
      ]
      const {result} = await grantView('--space', 'ENG', '--group', 'crawlers', '--json')
      expect(outcomes(result)).to.deep.equal({'view:ENG:group:g-crawl': 'done'})
      // A POST on HR would have no scope and show up as a stray request.
      allDone(...scopes)
    })

    it('names the closest space key for a mistyped one', async () => {
      const scopes = [
        tenantInfo(),
        roleMode(),
        site().get(SPACES).query({keys: 'ENGG', limit: 250}).reply(200, v2Page([])),
        allSpaces([ENG, HR]),
        crawlersGroup(),
      ]
      const {result} = await grantView('--space', 'ENGG', '--group', 'crawlers', '--json')
      expect(itemOf(result, 'view:ENGG:group crawlers').reason).to.equal(
        'no space has the key ENGG (did you mean ENG?)',
      )
      expect(process.exitCode).to.equal(3)
      allDone(...scopes)
    })

    it('names the closest group for a mistyped one', async () => {
      const scopes = [
        tenantInfo(),
        roleMode(),
        site()
          .get(SPACES)
          .query({keys: 'ENG', limit: 250})
          .reply(200, v2Page([ENG])),
        site().get(PICKER).query({limit: 200, query: 'crawler'}).reply(200, v1Page([])),
        site()
          .get('/wiki/rest/api/group')
          .query(true)
          .reply(
            200,
            v1Page([
              {id: 'g-crawl', name: 'crawlers', type: 'group'},
              {id: 'g-users', name: 'confluence-users-acme', type: 'group'},
            ]),
          ),
      ]
      const {result} = await grantView('--space', 'ENG', '--group', 'crawler', '--json')
      expect(itemOf(result, 'view:ENG:group:group crawler').reason).to.equal(
        'no group named crawler on the site (did you mean crawlers?)',
      )
      allDone(...scopes)
    })

    it('titles its progress on a terminal with the command name, not its help sentence', async () => {
      const wasTTY = process.stderr.isTTY
      process.stderr.isTTY = true
      const scopes = [
        tenantInfo(),
        roleMode(),
        site()
          .get(SPACES)
          .query({keys: 'ENG', limit: 250})
          .reply(200, v2Page([ENG])),
        crawlersGroup(),
        permissionsOf('101', [permission('group', 'g-crawl')]),
      ]
      try {
        const {stderr} = await grantView('--space', 'ENG', '--group', 'crawlers')
        expect(stderr).to.contain('grant-view: 1/1 (1 already)')
        expect(stderr).to.not.contain(SpaceGrantView.summary)
      } finally {
        process.stderr.isTTY = wasTTY as true
      }

      allDone(...scopes)
    })

    it('mentions a 429 slow-down once, however many 429s come', async () => {
      const scopes = [
        tenantInfo(),
        roleMode(),
        site()
          .get(SPACES)
          .query({keys: 'ENG,HR', limit: 250})
          .reply(429, {message: 'Too many requests'}, {'Retry-After': '0'}),
        site()
          .get(SPACES)
          .query({keys: 'ENG,HR', limit: 250})
          .reply(200, v2Page([ENG, HR])),
        crawlersGroup(),
        permissionsOf('101', [permission('group', 'g-crawl')]),
        site()
          .get(`${SPACES}/102/permissions`)
          .query({limit: 250})
          .reply(429, {message: 'Too many requests'}, {'Retry-After': '0'}),
        permissionsOf('102', [permission('group', 'g-crawl')]),
      ]
      STDERR_NOTICES.rateLimitMentioned = false // earlier tests in this process may have met a 429
      const {result, stderr} = await grantView('--space', 'ENG', '--space', 'HR', '--group', 'crawlers')
      expect(result?.counts).to.include({already: 2, failed: 0})
      expect(stderr.split('Atlassian asked cfadmin to slow down (429')).to.have.length(2)
      allDone(...scopes)
    })
  })

  describe('--failed-to', () => {
    it('runs the users of its failed-rows file again with --file, as the other access commands do', async () => {
      // The columns grant-view writes to --failed-to: space, and user or group (a formula-looking cell quoted).
      const failed = login.file('failed.csv', 'space,user,group\nENG,712020:acc-crawler,\nENG,,crawlers\n')
      const scopes = [
        tenantInfo(),
        roleMode(),
        site()
          .get(SPACES)
          .query({keys: 'ENG', limit: 250})
          .reply(200, v2Page([ENG])),
        permissionsOf('101', []),
        addView('ENG', 'user', '712020:acc-crawler').reply(200, viewBody('user', '712020:acc-crawler')),
      ]
      const {error, result, stderr} = await grantView('--space', 'ENG', '--file', failed, '--json')
      expect(error, stderr).to.equal(undefined)
      expect(outcomes(result)).to.deep.equal({'view:ENG:user:712020:acc-crawler': 'done'})
      allDone(...scopes)
    })

    it('fails before any request (exit 2) when the file cannot be created', async () => {
      const path = join(login.dir, 'no-such-folder', 'failed.csv')
      const {error, stderr} = await grantView('--space', 'ENG', '--group', 'crawlers', '--failed-to', path)
      expect(error?.oclif?.exit).to.equal(2)
      expect(stderr).to.contain(`Cannot write ${path}: the folder`)
      allDone()
    })

    it('fails before any request (exit 2) when its folder is a file', async () => {
      const path = join(login.file('plain.txt', 'x'), 'failed.csv')
      const {error, stderr} = await grantView('--space', 'ENG', '--group', 'crawlers', '--failed-to', path)
      expect(error?.oclif?.exit).to.equal(2)
      expect(stderr).to.contain(`Cannot write --failed-to ${path}: ENOTDIR`)
      allDone()
    })

    it('refuses a folder, the --map input, or a file in the journal folder, before any request', async () => {
      const map = login.file('export.csv', 'User id,email\n')
      mkdirSync(join(login.dir, 'journals'), {recursive: true})
      for (const [path, words] of [
        [login.dir, 'is a folder'],
        [map, 'is the --map input'],
        [join(login.dir, '.', 'export.csv'), 'is the --map input'],
        [join(login.dir, 'journals', 'x.jsonl'), "is inside cfadmin's journal folder"],
      ]) {
        const {error, stderr} = await grantView(
          '--space',
          'ENG',
          '--user',
          'crawler@acme.example',
          '--map',
          map,
          '--failed-to',
          path,
        )
        expect(error?.oclif?.exit, path).to.equal(2)
        expect(stderr).to.contain(`--failed-to ${path} ${words}`)
      }

      expect(readFileSync(map, 'utf8')).to.equal('User id,email\n')
      allDone()
    })

    it('keeps the report, and exits 2, when the failed rows cannot be written after the run', async () => {
      const folder = join(login.dir, 'out')
      mkdirSync(folder)
      const scopes = [
        tenantInfo(),
        roleMode(),
        site()
          .get(SPACES)
          .query({keys: 'ENG,NOPE', limit: 250})
          .reply(() => {
            // The folder goes away while the run is on: the rename into place fails.
            rmSync(folder, {force: true, recursive: true})
            return [200, v2Page([ENG])]
          }),
        allSpaces([ENG]),
        crawlersGroup(),
        permissionsOf('101', [permission('group', 'g-crawl')]),
      ]
      const {error, result, stderr, stdout} = await grantView(
        '--space',
        'ENG',
        '--space',
        'NOPE',
        '--group',
        'crawlers',
        '--failed-to',
        join(folder, 'failed.csv'),
        '--json',
      )
      expect(error).to.equal(undefined)
      expect(JSON.parse(stdout).counts).to.deep.equal(result?.counts)
      expect(result?.counts).to.include({already: 1, failed: 1})
      expect(stderr).to.contain(`Error: could not write the failed rows to ${join(folder, 'failed.csv')}`)
      expect(process.exitCode).to.equal(2)
      allDone(...scopes)
    })
  })

  describe('through the Admin API (an Admin key in the login)', () => {
    beforeEach(withAdminKey)

    it('finds the group in the directory and turns emails into account IDs there; the grants still go to Confluence', async () => {
      const scopes = [
        ...adminLogin(),
        roleMode(),
        admin()
          .post(`${DIR_PATH}/users/search`, {emails: ['crawler@acme.example'], limit: 100})
          .reply(200, adminPage([{accountId: '712020:acc-crawler', email: 'crawler@acme.example', status: 'active'}])),
        admin()
          .post(`${DIR_PATH}/groups/search`, {expand: ['counts.users'], groupNames: ['crawlers'], limit: 50})
          .reply(200, adminPage([{counts: {users: 1}, id: 'g-crawl', name: 'crawlers'}])),
        site()
          .get(SPACES)
          .query({keys: 'ENG', limit: 250})
          .reply(200, v2Page([ENG])),
        permissionsOf('101', []),
        addView('ENG', 'group', 'g-crawl').reply(200, viewBody('group', 'g-crawl')),
        addView('ENG', 'user', '712020:acc-crawler').reply(200, viewBody('user', '712020:acc-crawler')),
      ]
      const {error, result} = await grantView(
        '--space',
        'ENG',
        '--group',
        'crawlers',
        '--user',
        'crawler@acme.example',
        '--json',
      )
      expect(error).to.equal(undefined)
      expect(outcomes(result)).to.deep.equal({
        'view:ENG:group:g-crawl': 'done',
        'view:ENG:user:712020:acc-crawler': 'done',
      })
      expect(itemOf(result, 'view:ENG:user:712020:acc-crawler').row).to.deep.equal({
        space: 'ENG',
        user: 'crawler@acme.example',
      })
      allDone(...scopes)
    })
  })

  describe('bad input (exit 2, nothing sent)', () => {
    it('refuses a run without --space or --all-spaces', async () => {
      const {error, stderr} = await grantView('--group', 'crawlers')
      expect(error?.oclif?.exit).to.equal(2)
      expect((error as {code?: string} | undefined)?.code).to.equal('SPACES_MISSING')
      expect(stderr).to.contain('Hint: Give --space KEY (repeatable) or --all-spaces.')
      allDone()
    })

    it('refuses a run without --user or --group', async () => {
      const {error, stderr} = await grantView('--space', 'ENG')
      expect(error?.oclif?.exit).to.equal(2)
      expect((error as {code?: string} | undefined)?.code).to.equal('PRINCIPALS_MISSING')
      expect(stderr).to.contain('Error: View for whom?')
      allDone()
    })

    it('refuses --space together with --all-spaces', async () => {
      const {error} = await grantView('--space', 'ENG', '--all-spaces', '--group', 'crawlers')
      expect(error?.oclif?.exit).to.equal(2)
      allDone()
    })

    it('refuses --space "ENG,HR", which Confluence would read as two spaces, asking for --space twice', async () => {
      const {error, stderr} = await grantView('--space', 'ENG,HR', '--group', 'crawlers')
      expect(error?.oclif?.exit).to.equal(2)
      expect((error as {code?: string} | undefined)?.code).to.equal('SPACE_KEY_LIST')
      expect(stderr).to.contain('Error: "ENG,HR" is several space keys in one: a space key has no comma.')
      expect(stderr).to.contain('Hint: Give --space once per key: --space ENG --space HR.')
      allDone()
    })

    it('refuses a space key that is not one (a path, a flag, a control character)', async () => {
      for (const key of ['../x', 'EN G', 'ENG\u001B[2J', '~', 'A/B', '~..', 'ENG;x']) {
        const {error, stderr} = await grantView(`--space=${JSON.stringify(key)}`, '--group', 'crawlers')
        expect(error?.oclif?.exit, key).to.equal(2)
        expect((error as {code?: string} | undefined)?.code, stderr).to.equal('SPACE_KEY_INVALID')
        expect(stderr).to.contain('Error: Not a space key:').and.not.include('\u001B')
      }

      allDone()
    })

    it('accepts personal space keys', async () => {
      const personal = {...space('103', '~712020:acc-crawler', 'Crawler'), type: 'personal'}
      const scopes = [
        tenantInfo(),
        roleMode(),
        site()
          .get(SPACES)
          .query({keys: '~712020:acc-crawler', limit: 250})
          .reply(200, v2Page([personal])),
        crawlersGroup(),
        permissionsOf('103', [permission('group', 'g-crawl')]),
      ]
      const {result} = await grantView('--space', '~712020:acc-crawler', '--group', 'crawlers', '--json')
      expect(outcomes(result)).to.deep.equal({'view:~712020:acc-crawler:group:g-crawl': 'already'})
      allDone(...scopes)
    })

    it('refuses a malformed --user before any request', async () => {
      const {error, stderr} = await grantView('--space', 'ENG', '--user', 'crawler@acme')
      expect(error?.oclif?.exit).to.equal(2)
      expect(stderr).to.contain('"crawler@acme" (argument 1)')
      allDone()
    })
  })

  describe("the route each grant takes under the site's space role mode", () => {
    const ROLES = '/wiki/api/v2/space-roles'
    const roleList = () =>
      site()
        .get(ROLES)
        .query({limit: 250})
        .reply(
          200,
          v2Page([
            {description: '', id: 'r-admin', name: 'Admin', spacePermissions: [], type: 'SYSTEM'},
            {description: '', id: 'r-viewer', name: 'Viewer', spacePermissions: ['read/space'], type: 'SYSTEM'},
            {description: '', id: 'r-ro', name: 'Read only', spacePermissions: ['read/space'], type: 'CUSTOM'},
          ]),
        )
    const assignmentsOf = (spaceId: string, held: Array<[string, string]>) =>
      site()
        .get(`${SPACES}/${spaceId}/role-assignments`)
        .query({limit: 250})
        .once()
        .reply(
          200,
          v2Page(held.map(([principalId, roleId]) => ({principal: {principalId, principalType: 'USER'}, roleId}))),
        )
    const assign = (spaceId: string, principalId: string, roleId: string) =>
      site()
        .post(`${SPACES}/${spaceId}/role-assignments`, [{principal: {principalId, principalType: 'USER'}, roleId}])
        .reply(200, v2Page([]))
    const bothSpaces = () =>
      site()
        .get(SPACES)
        .query({keys: 'ENG,HR', limit: 250})
        .reply(200, v2Page([ENG, HR]))
    const run = (...more: string[]) =>
      grantView('--space', 'ENG', '--space', 'HR', '--user', '712020:acc-crawler', '--json', ...more)

    it('ROLES: gives the Viewer role, found by name, and leaves a principal that holds any role alone', async () => {
      const scopes = [
        tenantInfo(),
        roleMode('ROLES'),
        roleList(),
        bothSpaces(),
        permissionsOf('101', []),
        permissionsOf('102', []),
        assignmentsOf('101', [['712020:acc-crawler', 'r-admin']]),
        assignmentsOf('102', []),
        assign('102', '712020:acc-crawler', 'r-viewer'),
      ]
      const {error, result} = await run()
      expect(error).to.equal(undefined)
      expect(itemOf(result, 'view:ENG:user:712020:acc-crawler')).to.include({outcome: 'already', reason: 'role Admin'})
      expect(itemOf(result, 'view:HR:user:712020:acc-crawler')).to.include({detail: 'role Viewer', outcome: 'done'})
      allDone(...scopes)
    })

    it('ROLES: --role gives a custom role, named in any case', async () => {
      const scopes = [
        tenantInfo(),
        roleMode('ROLES'),
        roleList(),
        bothSpaces(),
        permissionsOf('101', []),
        permissionsOf('102', []),
        assignmentsOf('101', []),
        assignmentsOf('102', []),
        assign('101', '712020:acc-crawler', 'r-ro'),
        assign('102', '712020:acc-crawler', 'r-ro'),
      ]
      const {result} = await run('--role', spaced('READ ONLY'))
      expect(result?.items.map((i) => i.detail)).to.deep.equal(['role Read only', 'role Read only'])
      allDone(...scopes)
    })

    it('ROLES_TRANSITION: custom access keeps the individual permission; without it, the role', async () => {
      const scopes = [
        tenantInfo(),
        roleMode('ROLES_TRANSITION'),
        roleList(),
        bothSpaces(),
        permissionsOf('101', [permission('user', '712020:acc-crawler', 'create', 'page')]),
        permissionsOf('102', []),
        assignmentsOf('101', []),
        assignmentsOf('102', []),
        addView('ENG', 'user', '712020:acc-crawler').reply(200, viewBody('user', '712020:acc-crawler')),
        assign('102', '712020:acc-crawler', 'r-viewer'),
      ]
      const {result} = await run()
      expect(itemOf(result, 'view:ENG:user:712020:acc-crawler')).to.include({detail: 'permission', outcome: 'done'})
      expect(itemOf(result, 'view:HR:user:712020:acc-crawler')).to.include({detail: 'role Viewer', outcome: 'done'})
      allDone(...scopes)
    })

    it('PRE_ROLES: a v1 write refused because the site uses roles switches the run to roles once, with one notice', async () => {
      const scopes = [
        tenantInfo(),
        roleMode('PRE_ROLES'),
        bothSpaces(),
        permissionsOf('101', []),
        permissionsOf('102', []),
        addView('ENG', 'user', '712020:acc-crawler').reply(400, {
          message: 'Classic permissions are off site-wide; use space roles',
          statusCode: 400,
        }),
        roleList(),
        assignmentsOf('101', []),
        assignmentsOf('102', [['712020:acc-crawler', 'r-viewer']]),
        assign('101', '712020:acc-crawler', 'r-viewer'),
      ]
      const {result, stderr} = await run('--concurrency', '1')
      expect(itemOf(result, 'view:ENG:user:712020:acc-crawler')).to.include({detail: 'role Viewer', outcome: 'done'})
      expect(itemOf(result, 'view:HR:user:712020:acc-crawler')).to.include({outcome: 'already', reason: 'role Viewer'})
      expect(stderr.match(/uses space roles/g)).to.have.length(1)
      allDone(...scopes)
    })

    it('PRE_ROLES: reads no role assignments, and a --role is not looked up', async () => {
      const scopes = [
        tenantInfo(),
        roleMode('PRE_ROLES'),
        bothSpaces(),
        permissionsOf('101', [permission('user', '712020:acc-crawler')]),
        permissionsOf('102', [permission('user', '712020:acc-crawler')]),
      ]
      const {result} = await run('--role', 'Anything')
      expect(result?.items.map((i) => `${i.outcome} ${i.reason}`)).to.deep.equal([
        'already permission',
        'already permission',
      ])
      allDone(...scopes)
    })

    it('refuses a role the site does not have before reading any space (exit 2)', async () => {
      const scopes = [tenantInfo(), roleMode('ROLES'), roleList()]
      const {error} = await run('--role', 'Viewr')
      expect(error?.oclif?.exit).to.equal(2)
      expect(error?.message).to.equal('No space role named Viewr on the site (did you mean Viewer?).')
      allDone(...scopes)
    })
  })
})
