import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {setTimeout} from 'node:timers/promises'

import {expect} from 'chai'

import {hasSpacePermission, writes} from '../../fake-atlassian/index.js'
import {useFakeAtlassian} from '../../fake-atlassian/use-fake.js'
import {type CliRun, runCli, startCli} from '../support/run-cli.js'
import {useTempDir} from '../support/temp-dir.js'

const SITE_TOKEN = {CFADMIN_API_TOKEN: 'fake-api-token-admin', CFADMIN_EMAIL: 'admin@acme.example'}
const ADMIN = '712020:fake-2601-admin'
const CRAWLER = '712020:fake-2603-crawler'
const ADMIN_KEY_PATH = '/wiki/api/v2/admin-key'

/**
 * The site-2026 seed: seven space types, archived OLD, SECRET (the admin cannot view it) and LOCKED (it can view, not
 * administer), Premium with the admin key; every knob strict.
 */
describe('space types, archived spaces and spaces the admin cannot administer, against the 2026 fake site', function () {
  this.timeout(60_000)
  const fake = useFakeAtlassian({seed: 'site-2026'})
  const temp = useTempDir('cfadmin-e2e-space-types-')

  const cli = (args: string[]): Promise<CliRun> =>
    runCli(args, {
      env: {CFADMIN_API_URL: fake.url, CFADMIN_CONFIG_DIR: temp.path, CFADMIN_SITE: fake.url, ...SITE_TOKEN},
    })
  const json = (run: CliRun) => JSON.parse(run.stdout)
  const crawlerCanView = (key: string) =>
    hasSpacePermission(fake, key, {id: CRAWLER, type: 'user'}, 'read', {direct: true})
  const grantedOn = () =>
    ['ENG', 'TEAM', 'KB', '~712020:fake-2602-reader', 'SYS', 'ONB', 'XFLOW', 'OLD', 'SECRET', 'LOCKED'].filter(
      crawlerCanView,
    )
  const outcome = (run: CliRun, key: string) =>
    (json(run).items as Array<{detail?: string; key: string; outcome: string; reason?: string}>).find(
      (i) => i.key === `view:${key}:user:${CRAWLER}`,
    )
  const adminKeyOn = () =>
    fake.state.adminKeySessions.some((k) => k.accountId === ADMIN && k.expiresAt > fake.clock.now())

  describe('which spaces --all-spaces takes', () => {
    it('takes the global, collaboration and knowledge_base spaces the login can see, current ones, and counts the rest', async () => {
      const run = await cli(['spaces', 'grant-view', '--all-spaces', '--user', CRAWLER, '--json'])
      // LOCKED fails (below); the rest are done.
      expect(run.code, run.stderr).to.equal(3)
      expect(grantedOn()).to.deep.equal(['ENG', 'TEAM', 'KB'])
      expect(json(run).spaces).to.deep.equal({
        archived: 1,
        chosen: {collaboration: 2, global: 1, knowledge_base: 1},
        // The reader's personal space and SECRET are invisible to this login: not listed, not counted.
        typeNotChosen: {onboarding: 1, system: 1, xflow_sample_space: 1},
      })
    })

    it('says on stderr how many spaces of each type it took, what it left out and why, and what "all spaces" means', async () => {
      const run = await cli(['spaces', 'grant-view', '--all-spaces', '--user', CRAWLER])
      expect(run.stderr).to.contain(
        'Spaces: 4 chosen (1 global, 2 collaboration, 1 knowledge_base); 4 left out: 3 of a type not chosen (1 system, 1 onboarding, 1 xflow_sample_space; name it with --type), 1 archived (--include-archived takes them).',
      )
      expect(run.stderr).to.contain('"All spaces" means the spaces this login can see')
    })

    it('takes system, onboarding and sample spaces only when --type names them', async () => {
      const run = await cli([
        'spaces',
        'grant-view',
        '--all-spaces',
        '--type',
        'system',
        '--type',
        'onboarding',
        '--type',
        'xflow_sample_space',
        '--user',
        CRAWLER,
        '--json',
      ])
      expect(run.code, run.stderr).to.equal(0)
      expect(grantedOn()).to.deep.equal(['SYS', 'ONB', 'XFLOW'])
    })

    it('leaves the archived space out without --include-archived and takes it with it', async () => {
      const without = await cli([
        'spaces',
        'grant-view',
        '--all-spaces',
        '--type',
        'global',
        '--user',
        CRAWLER,
        '--json',
      ])
      expect(without.code, without.stderr).to.equal(0)
      expect(grantedOn()).to.deep.equal(['ENG'])

      const withArchived = await cli([
        'spaces',
        'grant-view',
        '--all-spaces',
        '--type',
        'global',
        '--include-archived',
        '--user',
        CRAWLER,
        '--json',
      ])
      expect(withArchived.code, withArchived.stderr).to.equal(0)
      expect(grantedOn()).to.deep.equal(['ENG', 'OLD'])
    })
  })

  describe('a space the login can see but not administer (LOCKED)', () => {
    it('fails that one item with the reason and the fix, does the others, exits 3', async () => {
      const run = await cli(['spaces', 'grant-view', '--all-spaces', '--user', CRAWLER, '--json'])
      expect(run.code, run.stderr).to.equal(3)
      expect(outcome(run, 'LOCKED')).to.deep.include({
        outcome: 'failed',
        reason:
          'you are not an admin of space LOCKED: give yourself space admin, or use Recover permissions in Confluence administration; on Premium/Enterprise try --admin-key',
      })
      expect(['ENG', 'TEAM', 'KB'].map((key) => outcome(run, key)?.outcome)).to.deep.equal(['done', 'done', 'done'])
      // A ROLES site: View is granted as the Viewer role, not as an individual permission.
      expect(['ENG', 'TEAM', 'KB'].map((key) => outcome(run, key)?.detail)).to.deep.equal([
        'role Viewer',
        'role Viewer',
        'role Viewer',
      ])
      expect(writes(fake, {method: 'POST'}).some((w) => w.path.includes('/rest/api/space/'))).to.equal(false)
      expect(crawlerCanView('LOCKED')).to.equal(false)
    })
  })

  describe('--admin-key', () => {
    it('switches the key on before the first space is read, sends the header on every Confluence request, and off at the end', async () => {
      const run = await cli(['spaces', 'grant-view', '--all-spaces', '--user', CRAWLER, '--admin-key', '--json'])
      expect(run.code, run.stderr).to.equal(0)
      // With the key, LOCKED is administered and SECRET listed (the fake's UNCONFIRMED adminKeyListsHiddenSpaces).
      expect(grantedOn()).to.deep.equal(['ENG', 'TEAM', 'KB', 'SECRET', 'LOCKED'])
      const confluence = fake.requests.filter((r) => r.path.startsWith('/wiki/'))
      expect(confluence.filter((r) => r.headers?.['atl-confluence-with-admin-key'] !== 'true')).to.deep.equal([])
      const steps = confluence.map((r) => `${r.method} ${r.path}`)
      const enabled = steps.indexOf(`POST ${ADMIN_KEY_PATH}`)
      expect(steps.indexOf(`GET ${ADMIN_KEY_PATH}`)).to.equal(0)
      expect(enabled).to.be.lessThan(steps.indexOf('GET /wiki/api/v2/spaces'))
      expect(steps.at(-1)).to.equal(`DELETE ${ADMIN_KEY_PATH}`)
      expect(adminKeyOn()).to.equal(false)
    })

    it('leaves a key that was on before the run on', async () => {
      fake.state.adminKeySessions.push({
        accountId: ADMIN,
        cloudId: 'cloud-fake-2026',
        expiresAt: fake.clock.now() + 30 * 60_000,
      })
      const run = await cli(['spaces', 'grant-view', '--space', 'LOCKED', '--user', CRAWLER, '--admin-key', '--json'])
      expect(run.code, run.stderr).to.equal(0)
      expect(crawlerCanView('LOCKED')).to.equal(true)
      expect(writes(fake, {path: ADMIN_KEY_PATH})).to.deep.equal([])
      expect(adminKeyOn()).to.equal(true)
    })

    it('switches the key off again after a run with failed items', async () => {
      const run = await cli(['spaces', 'grant-view', '--space', 'ENG', '--group', 'no-such-group', '--admin-key'])
      expect(run.code, run.stderr).to.equal(3)
      expect(writes(fake, {method: 'DELETE', path: ADMIN_KEY_PATH})).to.have.length(1)
      expect(adminKeyOn()).to.equal(false)
    })

    it('switches the key off when the run is interrupted with Ctrl-C (SIGINT)', async () => {
      // Every answer slowed down, so the run is still going when the signal comes.
      fake.faults.setLatency(300)
      const {child, done} = startCli(['spaces', 'grant-view', '--all-spaces', '--user', CRAWLER, '--admin-key'], {
        env: {CFADMIN_API_URL: fake.url, CFADMIN_CONFIG_DIR: temp.path, CFADMIN_SITE: fake.url, ...SITE_TOKEN},
      })
      while (!adminKeyOn()) await setTimeout(20)
      child.kill('SIGINT')
      const run = await done
      expect(run.code, run.stderr).to.equal(130)
      expect(writes(fake, {method: 'DELETE', path: ADMIN_KEY_PATH})).to.have.length(1)
      expect(adminKeyOn()).to.equal(false)
    })

    it('refuses on a Standard site before anything changes (exit 2), naming the fix', async () => {
      fake.state.sites[0].edition = 'standard'
      const run = await cli(['spaces', 'grant-view', '--all-spaces', '--user', CRAWLER, '--admin-key'])
      expect(run.code, run.stderr).to.equal(2)
      expect(run.stderr).to.contain('cannot use an admin key. Nothing was changed.')
      expect(run.stderr).to.contain('Premium and Enterprise').and.contain('drop --admin-key')
      expect(writes(fake)).to.deep.equal([])
      expect(fake.requests.some((r) => r.path.startsWith('/wiki/api/v2/spaces'))).to.equal(false)
    })

    it('reads the permissions of a space the login cannot view with space permissions --admin-key', async () => {
      const without = await cli(['spaces', 'permissions', 'SECRET', '--json'])
      expect(without.code).to.equal(3)
      expect(json(without).unknownKeys).to.deep.equal(['SECRET'])

      const withKey = await cli(['spaces', 'permissions', 'SECRET', '--admin-key', '--json'])
      expect(withKey.code, withKey.stderr).to.equal(0)
      expect(json(withKey).spaces.map((s: {key: string}) => s.key)).to.deep.equal(['SECRET'])
      expect(adminKeyOn()).to.equal(false)
    })
  })

  describe('setup with include: all', () => {
    const writePlan = (spaces: string) => {
      const plan = join(temp.path, 'plan.yaml')
      writeFileSync(plan, `spaces:\n  - include: all\n${spaces}    grantView:\n      users: ['${CRAWLER}']\n`)
      return plan
    }

    it("takes the plan's types, says what it took and left out, and fails only the space it cannot administer", async () => {
      const run = await cli(['setup', writePlan('    archived: true\n'), '--yes'])
      expect(run.code, run.stderr).to.equal(3)
      expect(grantedOn()).to.deep.equal(['ENG', 'TEAM', 'KB', 'OLD'])
      expect(run.stderr).to.contain(
        'Spaces: 5 chosen (2 global, 2 collaboration, 1 knowledge_base); 3 left out: 3 of a type not chosen (1 system, 1 onboarding, 1 xflow_sample_space; name it with `types`).',
      )
      expect(run.stderr).to.contain('"All spaces" means the spaces this login can see')
      expect(run.stderr).to.contain('you are not an admin of space LOCKED')
    })

    it('reaches every space with --admin-key, and switches the key off at the end', async () => {
      const run = await cli(['setup', writePlan('    types: [collaboration]\n'), '--yes', '--admin-key'])
      expect(run.code, run.stderr).to.equal(0)
      expect(grantedOn()).to.deep.equal(['TEAM', 'LOCKED'])
      expect(adminKeyOn()).to.equal(false)
      expect(writes(fake, {method: 'DELETE', path: ADMIN_KEY_PATH})).to.have.length(1)
    })
  })
})
