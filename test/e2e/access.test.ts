import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {expect} from 'chai'

import {
  type FakeAtlassian,
  generateSeed,
  hasSpacePermission,
  isMember,
  startFakeAtlassian,
  writes,
} from '../../fake-atlassian/index.js'
import {useFakeAtlassian} from '../../fake-atlassian/use-fake.js'
import {type CliRun, runCli, startCli} from '../support/run-cli.js'
import {useTempDir} from '../support/temp-dir.js'

const SITE_TOKEN = {CFADMIN_API_TOKEN: 'fake-api-token-admin', CFADMIN_EMAIL: 'admin@acme.example'}
const ADMIN_KEY = {CFADMIN_ADMIN_KEY: 'fake-admin-key-0001', CFADMIN_ORG_ID: 'org-fake-0001'}

describe('access commands against the fake Atlassian: invite, grant-access, add-members, grant-view', function () {
  this.timeout(60_000)
  const fake = useFakeAtlassian()
  let configDir: string

  const temp = useTempDir('cfadmin-e2e-access-')
  beforeEach(() => {
    configDir = temp.path
  })

  /** Logged in through environment variables, as in CI; the Admin key only when asked. */
  const cli = (
    args: string[],
    options: {admin?: boolean; env?: Record<string, string>; target?: FakeAtlassian} = {},
  ): Promise<CliRun> => {
    const target = options.target ?? fake
    return runCli(args, {
      env: {
        CFADMIN_API_URL: target.url,
        CFADMIN_CONFIG_DIR: configDir,
        CFADMIN_SITE: target.url,
        ...SITE_TOKEN,
        ...(options.admin ? ADMIN_KEY : {}),
        ...options.env,
      },
    })
  }

  const json = (run: CliRun) => JSON.parse(run.stdout)
  const groupId = (name: string) => fake.state.groups.find((g) => g.name === name)!.id
  const accountOf = (email: string) => fake.state.users.find((u) => u.email === email)?.accountId

  describe('space grant-view', () => {
    it('grants View where it is missing, and a re-run changes nothing', async () => {
      const first = await cli([
        'spaces',
        'grant-view',
        '--space',
        'HR',
        '--space',
        'MKT',
        '--group',
        'marketing',
        '--user',
        '712020:fake-0006-crawler',
        '--json',
      ])
      expect(first.code, first.stderr).to.equal(0)
      expect(hasSpacePermission(fake, 'HR', {id: groupId('marketing'), type: 'group'})).to.equal(true)
      expect(hasSpacePermission(fake, 'MKT', {id: '712020:fake-0006-crawler', type: 'user'})).to.equal(true)
      const changed = writes(fake).length
      expect(json(first).counts.done).to.equal(changed)

      const second = await cli([
        'spaces',
        'grant-view',
        '--space',
        'HR',
        '--space',
        'MKT',
        '--group',
        'marketing',
        '--user',
        '712020:fake-0006-crawler',
        '--json',
      ])
      expect(second.code).to.equal(0)
      expect(json(second).counts).to.include({already: 4, done: 0})
      expect(writes(fake)).to.have.length(changed)
    })

    it('changes nothing with --dry-run, and says what it would change', async () => {
      const run = await cli(['spaces', 'grant-view', '--all-spaces', '--group', 'marketing', '--dry-run'])
      expect(run.code, run.stderr).to.equal(0)
      expect(run.stdout).to.match(/planned\s+grant View on HR to group marketing/)
      expect(writes(fake)).to.deep.equal([])
    })

    it('exits 3 on a mix of good and bad items, does the good ones, and writes the failed rows to re-run', async () => {
      const failed = join(configDir, 'failed.csv')
      const run = await cli([
        'spaces',
        'grant-view',
        '--space',
        'HR',
        '--space',
        'NOPE',
        '--group',
        'marketing',
        '--group',
        'no-such-group',
        '--failed-to',
        failed,
      ])
      expect(run.code).to.equal(3)
      expect(run.stdout).to.include('no space has the key NOPE').and.to.include('no group named no-such-group')
      expect(hasSpacePermission(fake, 'HR', {id: groupId('marketing'), type: 'group'})).to.equal(true)
      const rows = readFileSync(failed, 'utf8').trim().split('\n')
      expect(rows[0]).to.equal('space,group')
      expect(rows.slice(1).sort()).to.deep.equal(['HR,no-such-group', 'NOPE,marketing', 'NOPE,no-such-group'])
    })

    it('finishes through a 429 storm with every item done and no POST accepted twice', async () => {
      fake.faults.setRateLimit({burst: 3, perSecond: 20})
      const run = await cli([
        'spaces',
        'grant-view',
        '--all-spaces',
        '--group',
        'marketing',
        '--user',
        '712020:fake-0006-crawler',
        '--json',
      ])
      fake.faults.clear()
      expect(run.code, run.stderr).to.equal(0)
      expect(fake.requests.filter((r) => r.status === 429).length).to.be.greaterThan(0)
      expect(json(run).counts.failed).to.equal(0)
      const posts = writes(fake, {method: 'POST'}).map((r) => r.path)
      expect(posts.length).to.equal(json(run).counts.done)
      expect(new Set(posts).size, 'each POST path accepted once per principal').to.be.greaterThan(0)
    })

    it('with --include-archived, fails the space the login can view but not administer, with the fix, and grants the rest (exit 3)', async () => {
      const args = ['spaces', 'grant-view', '--all-spaces', '--include-archived', '--group', 'marketing', '--json']
      const run = await cli(args)
      expect(run.code, run.stderr).to.equal(3)
      const failed = json(run).items.filter((i: {outcome: string}) => i.outcome === 'failed')
      expect(failed.map((i: {reason: string}) => i.reason)).to.deep.equal([
        'you are not an admin of space LEGAL: give yourself space admin, or use Recover permissions in Confluence administration; on Premium/Enterprise try --admin-key',
      ])
      expect(hasSpacePermission(fake, 'LEGAL', {id: groupId('marketing'), type: 'group'})).to.equal(false)
      for (const key of ['ENG', 'HR', 'DOCS', 'OPS'])
        expect(hasSpacePermission(fake, key, {id: groupId('marketing'), type: 'group'}), key).to.equal(true)
      // Rita's personal space is invisible to the site admin: not listed, so neither granted nor failed.
      expect(JSON.stringify(json(run).items)).not.to.include('fake-0002-reader')
    })
  })

  describe('bad inputs stop the run before any change', () => {
    it('refuses --space "HR,MKT" (which Confluence would split into two spaces): exit 2, no View granted', async () => {
      const run = await cli(['spaces', 'grant-view', '--space', 'HR,MKT', '--group', 'marketing'])
      expect(run.code).to.equal(2)
      expect(run.stderr).to.contain('Give --space once per key: --space ENG --space HR.')
      expect(writes(fake)).to.deep.equal([])
      expect(fake.requests).to.deep.equal([])
    })

    it('fails first (exit 2) on a --failed-to it cannot create: the fake sees no write, and the report file is not there', async () => {
      const failed = join(configDir, 'no-such-folder', 'failed.csv')
      const run = await cli([
        'spaces',
        'grant-view',
        '--space',
        'HR',
        '--space',
        'NOPE',
        '--group',
        'marketing',
        '--failed-to',
        failed,
      ])
      expect(run.code, run.stderr).to.equal(2)
      expect(run.stderr).to.contain('does not exist')
      expect(writes(fake)).to.deep.equal([])
      expect(hasSpacePermission(fake, 'HR', {id: groupId('marketing'), type: 'group'})).to.equal(false)
    })

    it('refuses account IDs like .. or --dry-run read from a file: exit 2 naming them, no request', async () => {
      const file = join(configDir, 'users.txt')
      writeFileSync(file, '712020:fake-0006-crawler\n..\n--dry-run\n')
      const run = await cli(['users', 'grant-access', '--file', file])
      expect(run.code).to.equal(2)
      expect(run.stderr).to.contain(`".." (${file} line 2), "--dry-run" (${file} line 3)`)
      expect(fake.requests).to.deep.equal([])
    })

    it('suggests the closest space key for a mistyped one, and grants nothing on it', async () => {
      const run = await cli(['spaces', 'grant-view', '--space', 'MKTT', '--group', 'marketing', '--json'])
      expect(run.code).to.equal(3)
      expect(json(run).items[0].reason).to.equal('no space has the key MKTT (did you mean MKT?)')
      expect(writes(fake)).to.deep.equal([])
    })
  })

  describe('interrupted runs', () => {
    it('grant-view killed mid-run and started again ends with every space granted exactly once', async () => {
      const big = await startFakeAtlassian({latencyMs: 5, seed: generateSeed({groups: 3, spaces: 120, users: 5})})
      try {
        const args = ['spaces', 'grant-view', '--all-spaces', '--group', 'gen-team-0002', '--concurrency', '4']
        const env = {CFADMIN_API_URL: big.url, CFADMIN_CONFIG_DIR: configDir, CFADMIN_SITE: big.url, ...SITE_TOKEN}
        const {child, done} = startCli(args, {env})
        while (writes(big, {method: 'POST'}).length < 20) await new Promise((resolve) => setTimeout(resolve, 10))
        child.kill('SIGKILL')
        await done
        const again = await runCli(args, {env})
        expect(again.code, again.stderr).to.equal(0)
        const group = big.state.groups.find((g) => g.name === 'gen-team-0002')!.id
        // --all-spaces: the current global spaces (personal and archived ones only when asked).
        const chosen = big.state.spaces.filter((s) => s.type === 'global' && s.status !== 'archived')
        expect(chosen.length).to.be.greaterThan(100)
        expect(chosen.every((s) => hasSpacePermission(big, s.key, {id: group, type: 'group'}))).to.equal(true)
        const posts = writes(big, {method: 'POST'}).map((r) => r.path)
        expect(posts.length).to.equal(new Set(posts).size)
        expect(big.contractViolations).to.deep.equal([])
      } finally {
        await big.close()
      }
    })

    it('invite killed mid-run and started again invites every email exactly once', async () => {
      fake.faults.setLatency(30)
      const emails = Array.from({length: 12}, (_, i) => `new${i}@acme.example`)
      const args = ['users', 'invite', ...emails, '--concurrency', '2']
      const env = {
        CFADMIN_API_URL: fake.url,
        CFADMIN_CONFIG_DIR: configDir,
        CFADMIN_SITE: fake.url,
        ...SITE_TOKEN,
        ...ADMIN_KEY,
      }
      const {child, done} = startCli(args, {env})
      while (writes(fake, {method: 'POST', path: '/admin/v2/orgs/org-fake-0001/users/invite'}).length < 3)
        await new Promise((resolve) => setTimeout(resolve, 5))
      child.kill('SIGKILL')
      await done
      fake.faults.clear()
      const again = await runCli(args, {env})
      expect(again.code, again.stderr).to.equal(0)
      expect(emails.every((email) => accountOf(email))).to.equal(true)
      const invited = writes(fake, {method: 'POST', path: '/admin/v2/orgs/org-fake-0001/users/invite'})
      expect(invited).to.have.length(emails.length)
    })
  })

  describe('users invite', () => {
    it('invites through the Admin API with the role, reports existing users as already, and re-runs as already', async () => {
      const run = await cli(['users', 'invite', 'newbie@acme.example', 'reader@acme.example', '--json'], {admin: true})
      expect(run.code, run.stderr).to.equal(0)
      expect(json(run).items.map((i: {outcome: string; key: string}) => [i.key, i.outcome])).to.deep.equal([
        ['invite:newbie@acme.example', 'done'],
        ['invite:reader@acme.example', 'already'],
      ])
      const again = await cli(['users', 'invite', 'newbie@acme.example', '--json'], {admin: true})
      expect(json(again).counts).to.include({already: 1, done: 0})
      expect(writes(fake, {method: 'POST', path: '/admin/v2/orgs/org-fake-0001/users/invite'})).to.have.length(1)
    })

    it('invites by email through Confluence without an Admin key, and says that route cannot set a role', async () => {
      const run = await cli(['users', 'invite', 'someone@acme.example', '--role', 'admin'])
      expect(run.code, run.stderr).to.equal(0)
      expect(run.stderr).to.include('cannot set a role').and.to.include('--role admin is ignored')
    })

    it('rejects an invalid email before sending anything (exit 2, with where it came from)', async () => {
      const run = await cli(['users', 'invite', 'good@acme.example', 'not an email@'])
      expect(run.code).to.equal(2)
      expect(run.stderr).to.include('argument 2')
      expect(fake.requests.filter((r) => r.method === 'POST')).to.deep.equal([])
    })
  })

  describe('users grant-access and groups add-members', () => {
    it('assigns the Confluence role through the Admin API, and a re-run is already', async () => {
      const first = await cli(['users', 'grant-access', 'reader@acme.example', '--role', 'admin', '--json'], {
        admin: true,
      })
      expect(first.code, first.stderr).to.equal(0)
      expect(json(first).counts.done).to.equal(1)
      const again = await cli(['users', 'grant-access', 'reader@acme.example', '--role', 'admin', '--json'], {
        admin: true,
      })
      expect(json(again).counts).to.include({already: 1, done: 0})
    })

    it("gives a role without an Admin key by adding the user to the site's default group for it", async () => {
      const run = await cli(['users', 'grant-access', '712020:fake-0006-crawler', '--role', 'user-access-admin'], {
        env: {CFADMIN_SITE_NAME: 'acme'},
      })
      expect(run.code, run.stderr).to.equal(0)
      expect(isMember(fake, groupId('confluence-user-access-admins-acme'), '712020:fake-0006-crawler')).to.equal(true)
    })

    it('adds members to recommended groups, creates a missing group with --create, and reports members already in', async () => {
      const run = await cli(
        [
          'groups',
          'add-members',
          'crawlers',
          '--create',
          '--recommended',
          'users',
          '--user',
          'reader@acme.example',
          '--json',
        ],
        {admin: true},
      )
      expect(run.code, run.stderr).to.equal(0)
      const outcomes = Object.fromEntries(
        json(run).items.map((i: {key: string; outcome: string}) => [i.key, i.outcome]),
      )
      expect(outcomes).to.deep.equal({
        'group:crawlers': 'done',
        'member:confluence-users-acme:712020:fake-0002-reader': 'already',
        'member:crawlers:712020:fake-0002-reader': 'done',
      })
      expect(isMember(fake, groupId('crawlers'), '712020:fake-0002-reader')).to.equal(true)
    })

    it('refuses a missing group without --create, naming it, before changing anything', async () => {
      const run = await cli(['groups', 'add-members', 'ghosts', '--user', '712020:fake-0006-crawler'])
      expect(run.code).to.equal(2)
      expect(run.stderr).to.include('ghosts').and.to.include('--create')
      expect(writes(fake)).to.deep.equal([])
    })

    it('explains that an identity-provider group cannot be changed here (exit 3)', async () => {
      const run = await cli(['groups', 'add-members', 'engineering', '--user', '712020:fake-0006-crawler'], {
        admin: true,
      })
      expect(run.code).to.equal(3)
      expect(run.stdout).to.include('synced from an identity provider')
    })
  })

  describe('read-only commands', () => {
    it('finds users by email through the Admin API, showing hidden emails as the admin sees them', async () => {
      const run = await cli(['users', 'find', 'quiet@acme.example', '--json'], {admin: true})
      expect(run.code, run.stderr).to.equal(0)
      expect(json(run).users[0]).to.include({accountId: '712020:fake-0009-quiet', email: 'quiet@acme.example'})
    })

    it('lists the recommended groups and whether each exists', async () => {
      const run = await cli(['groups', 'list', '--recommended', '--json'], {env: {}})
      expect(run.code, run.stderr).to.equal(2) // a local server has no site name without an Admin key or --site-name
      const withKey = await cli(['groups', 'list', '--recommended', '--json'], {admin: true})
      expect(withKey.code, withKey.stderr).to.equal(0)
      expect(json(withKey).groups.map((g: {name: string; exists: boolean}) => [g.name, g.exists])).to.deep.include([
        'confluence-users-acme',
        true,
      ])
    })

    it('says a group that does not exist does not exist, rather than that it can view nothing (exit 2)', async () => {
      const run = await cli(['spaces', 'permissions', '--all-spaces', '--group', 'no-such-group'])
      expect(run.code).to.equal(2)
      expect(run.stderr).to.include('No group named no-such-group')
    })

    it('lists the spaces a principal cannot view, counting its groups (exit 3 when there are some)', async () => {
      const run = await cli(['spaces', 'permissions', '--all-spaces', '--user', '712020:fake-0006-crawler', '--json'])
      expect(run.code).to.equal(3)
      const {principal} = json(run)
      expect(principal.cannotView.map((s: {key: string}) => s.key)).to.include('HR')
    })
  })
})
