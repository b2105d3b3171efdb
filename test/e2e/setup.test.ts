import {copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {expect} from 'chai'

import {
  type FakeAtlassian,
  hasConfluenceAccess,
  hasSpacePermission,
  isMember,
  type RecordedRequest,
  startFakeAtlassian,
  userByEmail,
  writes,
} from '../../fake-atlassian/index.js'
import {useFakeAtlassian} from '../../fake-atlassian/use-fake.js'
import {projectRoot} from '../support/paths.js'
import {type CliRun, runCli, startCli} from '../support/run-cli.js'
import {useTempDir} from '../support/temp-dir.js'

const LOGIN = {
  CFADMIN_ADMIN_KEY: 'fake-admin-key-0001',
  CFADMIN_API_TOKEN: 'fake-api-token-admin',
  CFADMIN_EMAIL: 'admin@acme.example',
  CFADMIN_ORG_ID: 'org-fake-0001',
}
const SITE_ARI = 'ari:cloud:confluence::site/cloud-fake-0001'

/** What one accepted write changed, so a change sent twice shows as the same identity twice. */
function changeOf(request: RecordedRequest): string {
  const body = (request.body ?? {}) as {
    emails?: string[]
    name?: string
    accountId?: string
    subject?: {identifier?: string}
  }
  if (request.path.endsWith('/users/invite')) return `invite ${body.emails?.join(',')}`
  if (request.path.endsWith('/groups')) return `create ${body.name}`
  if (request.path.endsWith('/memberships')) return `member ${request.path} ${body.accountId}`
  if (request.path.endsWith('/permission')) return `view ${request.path} ${body.subject?.identifier}`
  return `${request.method} ${request.path} ${JSON.stringify(body)}`
}

/** Read-only POSTs: searches and the access check. */
const READ_ONLY_POST = /\/(search|workspaces|check-access-by-email)$/

/** The changes the fake accepted (writes that are not read-only POSTs), in order. */
const changes = (fake: FakeAtlassian) => writes(fake, (r) => !READ_ONLY_POST.test(r.path)).map(changeOf)

/** Every change the fake accepted, each once: fails listing those accepted twice. */
function expectEachChangeOnce(fake: FakeAtlassian): string[] {
  const accepted = changes(fake)
  const repeated = accepted.filter((change, i) => accepted.indexOf(change) !== i)
  expect(repeated, 'changes accepted more than once').to.deep.equal([])
  return accepted
}

const groupId = (fake: FakeAtlassian, name: string) =>
  fake.state.groups.find((g) => g.name === name)?.id ?? `(no group ${name})`
const accountOf = (fake: FakeAtlassian, email: string) => userByEmail(fake, email)?.accountId ?? `(no account ${email})`
const roles = (fake: FakeAtlassian, email: string) =>
  fake.state.roleAssignments
    .filter((r) => r.accountId === accountOf(fake, email) && r.resourceId === SITE_ARI)
    .map((r) => r.roleId)
/** The default seed's current global spaces; OPS is archived, left out unless a plan says `archived: true`. */
const GLOBAL_SPACES = ['ENG', 'HR', 'MKT', 'DOCS']
const ARCHIVED_SPACE = 'OPS'
/** Rita's personal space: the site admin cannot view it, so a plan never meets it (not listed, not granted). */
const PERSONAL_SPACE = '~712020:fake-0002-reader'
/** Archived too, and the site admin can view it but not administer it: a plan that takes it fails its items. */
const VIEW_ONLY_SPACE = 'LEGAL'
/** The default seed's service account (atlassian-2026.md §4b), the one examples/service-account.yaml names. */
const SERVICE_ACCOUNT = 'search-crawler@serviceaccount.atlassian.com'
/** Where the crash test kills a run, spread over its requests: enough to land in every phase (invites, groups, View, map). */
const KILL_POINTS = 10

describe('cfadmin setup PLAN against the fake Atlassian', function () {
  this.timeout(60_000)
  const fake = useFakeAtlassian()
  let dir: string

  const temp = useTempDir('cfadmin-e2e-setup-')
  beforeEach(() => {
    dir = temp.path
  })

  const env = (target: FakeAtlassian = fake, extra: Record<string, string> = {}) => ({
    CFADMIN_API_URL: target.url,
    CFADMIN_CONFIG_DIR: join(dir, 'config'),
    CFADMIN_SITE: target.url,
    ...LOGIN,
    ...extra,
  })
  const setup = (args: string[], extra?: Record<string, string>): Promise<CliRun> =>
    runCli(['setup', ...args], {env: env(fake, extra)})
  const plan = (name: string, text: string) => {
    const path = join(dir, name)
    writeFileSync(path, text)
    return path
  }

  const json = (run: CliRun) => JSON.parse(run.stdout)

  describe('the example plans', () => {
    /** What each example must have made true on the site. */
    const expectations: Record<string, () => void> = {
      'amazon-q.yaml'() {
        const group = groupId(fake, 'amazon-q-crawlers')
        expect(isMember(fake, group, accountOf(fake, 'amazon-q@acme.example'))).to.equal(true)
        for (const key of GLOBAL_SPACES)
          expect(hasSpacePermission(fake, key, {id: group, type: 'group'}), key).to.equal(true)
        // Personal spaces are taken, but the login cannot see Rita's: it stays out without a failure.
        for (const key of [ARCHIVED_SPACE, VIEW_ONLY_SPACE, PERSONAL_SPACE])
          expect(hasSpacePermission(fake, key, {id: group, type: 'group'}), key).to.equal(false)
      },
      'crawler.yaml'() {
        const account = accountOf(fake, 'crawler-bot@acme.example')
        expect(hasConfluenceAccess(fake, account)).to.equal(true)
        expect(isMember(fake, groupId(fake, 'confluence-users-acme'), account)).to.equal(true)
        for (const key of GLOBAL_SPACES)
          expect(hasSpacePermission(fake, key, {id: account, type: 'user'}, 'read', {direct: true}), key).to.equal(true)
        expect(hasSpacePermission(fake, PERSONAL_SPACE, {id: account, type: 'user'}, 'read', {direct: true})).to.equal(
          false,
        )
        const map = readFileSync(join(dir, 'crawler-user-map.csv'), 'utf8').trimEnd().split('\n')
        expect(map[0]).to.equal('accountId,email')
        expect(map).to.include('5e6f7a8b9c0d1e2f3a4b5c6d,grace.hopper@example.com').and.to.have.length(9)
      },
      'kore-ai.yaml'() {
        const account = accountOf(fake, 'kore-assistant@acme.example')
        for (const key of ['DOCS', 'ENG'])
          expect(hasSpacePermission(fake, key, {id: account, type: 'user'}, 'read', {direct: true}), key).to.equal(true)
        expect(hasSpacePermission(fake, 'HR', {id: account, type: 'user'})).to.equal(false)
      },
      'nice-knowledge-hub.yaml'() {
        const account = accountOf(fake, 'knowledge-hub@acme.example')
        const group = groupId(fake, 'knowledge-hub-readers')
        expect(roles(fake, 'knowledge-hub@acme.example')).to.include('atlassian/user')
        expect(isMember(fake, group, account)).to.equal(true)
        for (const key of ['ENG', 'MKT', 'DOCS'])
          expect(hasSpacePermission(fake, key, {id: group, type: 'group'}), key).to.equal(true)
        for (const key of ['HR', ARCHIVED_SPACE])
          expect(hasSpacePermission(fake, key, {id: group, type: 'group'}), key).to.equal(false)
      },
      'service-account.yaml'() {
        const account = accountOf(fake, SERVICE_ACCOUNT)
        const group = groupId(fake, 'search-crawler-readers')
        expect(roles(fake, SERVICE_ACCOUNT)).to.include('atlassian/user')
        expect(isMember(fake, group, account)).to.equal(true)
        for (const key of GLOBAL_SPACES)
          expect(hasSpacePermission(fake, key, {id: group, type: 'group'}), key).to.equal(true)
        // Never invited: no invitation request, and still the one account of the seed.
        expect(writes(fake, {path: /\/users\/invite$|invite-by-email$/})).to.deep.equal([])
        expect(fake.state.users.filter((u) => u.email === SERVICE_ACCOUNT)).to.have.length(1)
      },
      'snow-atlas.yaml'() {
        expect(roles(fake, 'snow-atlas@acme.example')).to.include('atlassian/admin')
        expect(
          isMember(fake, groupId(fake, 'confluence-admins-acme'), accountOf(fake, 'snow-atlas@acme.example')),
        ).to.equal(true)
      },
    }

    it('has an e2e check for each example in examples/', () => {
      expect(
        readdirSync(join(projectRoot, 'examples'))
          .filter((f) => f.endsWith('.yaml'))
          .sort(),
      ).to.deep.equal(Object.keys(expectations).sort())
    })

    for (const [example, expectDone] of Object.entries(expectations)) {
      it(`${example}: applies, a second apply sends no write, and --verify finds no drift`, async () => {
        for (const file of [example, 'users-export.csv'])
          copyFileSync(join(projectRoot, 'examples', file), join(dir, file))
        const path = join(dir, example)
        const first = await setup([path, '--yes', '--json'])
        expect(first.code, first.stderr).to.equal(0)
        expect(json(first).counts).to.include({blocked: 0, failed: 0})
        expect(json(first).counts.done).to.be.greaterThan(0)
        expectDone()
        const made = expectEachChangeOnce(fake)

        const again = await setup([path, '--yes', '--json'])
        expect(again.code, again.stderr).to.equal(0)
        expect(json(again).counts).to.include({done: 0, failed: 0})
        expect(changes(fake), 'a second apply changes nothing').to.deep.equal(made)

        const verify = await setup([path, '--verify', '--json'])
        expect(verify.code, verify.stdout).to.equal(0)
        expect(json(verify).drift).to.deep.equal([])
        expect(changes(fake)).to.deep.equal(made)
      })
    }
  })

  describe('checking before changing', () => {
    const CRAWLER =
      'users: [{email: bot@acme.example}]\ngroups: [{name: bots, create: true, members: [invited]}]\nspaces: [{include: [ENG, HR], grantView: {groups: [bots], users: [invited]}}]\n'

    it('--dry-run prints the plan grouped by section, what will change and what is already so, and changes nothing', async () => {
      copyFileSync(join(projectRoot, 'examples/users-export.csv'), join(dir, 'users-export.csv'))
      const path = plan('plan.yaml', CRAWLER + 'exportMap: {from: users-export.csv, to: map.csv}\n')
      const run = await setup([path, '--dry-run'])
      expect(run.code, run.stderr).to.equal(0)
      const headings = run.stdout.split('\n').filter((line) => /^[A-Z]\w+ \(/.test(line))
      expect(headings).to.deep.equal([
        'Users (1 to do)',
        'Roles (1 to do)',
        'Groups (1 to do)',
        'Memberships (1 to do)',
        'Spaces (4 to do)',
        'Map (1 to do)',
      ])
      expect(run.stdout).to.match(/to do\s+grant View on HR to group bots/)
      expect(changes(fake)).to.deep.equal([])
      expect(existsSync(join(dir, 'map.csv'))).to.equal(false)
    })

    it('--verify exits 3 listing the drift (and --json), without changing anything', async () => {
      const path = plan('plan.yaml', 'spaces: [{include: [ENG, HR], grantView: {groups: [marketing]}}]\n')
      const run = await setup([path, '--verify'])
      expect(run.code).to.equal(3)
      expect(run.stdout)
        .to.match(/to do\s+grant View on ENG to group marketing/)
        .and.match(/to do\s+grant View on HR to group marketing/)
      expect(run.stderr).to.include('Drift: 2 of 2 items are not as')
      const asJson = await setup([path, '--verify', '--json'])
      expect(asJson.code).to.equal(3)
      expect(json(asJson).drift.map((d: {key: string; section: string}) => [d.section, d.key])).to.deep.equal([
        ['Spaces', 'view:ENG:group:group-fake-0006'],
        ['Spaces', 'view:HR:group:group-fake-0006'],
      ])
      expect(changes(fake)).to.deep.equal([])
    })

    it('refuses to apply without a terminal unless --yes, before any request', async () => {
      const run = await setup([plan('plan.yaml', CRAWLER)])
      expect(run.code).to.equal(2)
      expect(run.stderr).to.include('no terminal to ask on').and.to.include('Add --yes')
      expect(fake.requests).to.deep.equal([])
    })

    it('refuses a plan written for another site', async () => {
      const run = await setup([plan('plan.yaml', 'site: globex\n' + CRAWLER), '--yes'])
      expect(run.code).to.equal(2)
      expect(run.stderr).to.match(/plan\.yaml:1:7: the plan is for the site globex/)
      expect(changes(fake)).to.deep.equal([])
    })
  })

  describe('bad plans: every problem at once, with its place, and nothing changed', () => {
    it('unknown keys, wrong types, duplicates and invalid emails: exit 2 before any request', async () => {
      const path = plan(
        'bad.yaml',
        `users:
  - email: bot@acme.example
    role: owner
  - email: BOT@acme.example
groups:
  - name: crawlers
    members: [not-an-email@, bot@acme.example]
spcaes: []
exportMap: {from: missing.csv, to: map.csv}
`,
      )
      const run = await setup([path, '--yes', '--json'])
      expect(run.code).to.equal(2)
      const {error} = json(run)
      expect(error).to.include({code: 'PLAN_INVALID', exit: 2})
      expect(error.message.split('\n').slice(1)).to.deep.equal([
        `  ${path}:3:11: users[0].role must be one of user, admin, user-access-admin, not string "owner"`,
        `  ${path}:7:15: "not-an-email@" is not a valid email`,
        `  ${path}:8:1: unknown key \`spcaes\` — did you mean \`spaces\`?`,
        `  ${path}:9:19: the export missing.csv does not exist (paths are relative to the plan file)`,
      ])
      const semantic = await setup([
        plan(
          'dup.yaml',
          'users:\n  - email: bot@acme.example\n  - email: BOT@acme.example\ngroups:\n  - name: crawlers\n    members: [not-an-email@]\n',
        ),
        '--yes',
      ])
      expect(semantic.code).to.equal(2)
      expect(semantic.stderr)
        .to.include('dup.yaml:3:12: email "bot@acme.example" is already given at users[0]')
        .and.to.include('dup.yaml:6:15: "not-an-email@" is not a valid email')
      expect(fake.requests).to.deep.equal([])
    })

    it('unknown spaces, groups and users: exit 2 naming each with its place, after reads only', async () => {
      const path = plan(
        'names.yaml',
        `groups:
  - name: ghosts
    members: [nobody@acme.example]
spaces:
  - include: all
    exclude: [NOPE]
    grantView: {groups: [phantoms]}
`,
      )
      const run = await setup([path, '--yes'])
      expect(run.code).to.equal(2)
      expect(run.stderr).to.include(
        `${path}:2:5: no group named ghosts on the site (looked up through the Admin API): add \`create: true\` to create it`,
      )
      expect(run.stderr).to.include(
        `${path}:3:15: no Atlassian account has the email nobody@acme.example: add it to \`users\` to invite it`,
      )
      expect(run.stderr).to.include(`${path}:6:15: no space has the key NOPE`)
      expect(run.stderr).to.include(
        `${path}:7:26: no group named phantoms on the site, and the plan does not create it`,
      )
      expect(changes(fake)).to.deep.equal([])
    })
  })

  it('a failed item does not stop independent ones, and the items that depend on it are blocked, not attempted', async () => {
    // No Confluence seat left: the invitation fails.
    fake.state.sites[0].licenceLimit = 1
    const path = plan(
      'plan.yaml',
      'users: [{email: newbie@acme.example}]\ngroups: [{name: finance, members: [invited, 712020:fake-0006-crawler]}]\nspaces: [{include: [HR], grantView: {users: [invited], groups: [marketing]}}]\n',
    )
    const run = await setup([path, '--yes', '--json'])
    expect(run.code).to.equal(3)
    const outcomes = Object.fromEntries(
      json(run).items.map((i: {key: string; outcome: string; reason?: string}) => [i.key, [i.outcome, i.reason]]),
    )
    expect(outcomes['invite:newbie@acme.example'][0]).to.equal('failed')
    expect(outcomes['invite:newbie@acme.example'][1]).to.match(/LicenceExceeded/)
    expect(outcomes['access:user:newbie@acme.example']).to.deep.equal([
      'blocked',
      'needs "invite newbie@acme.example to Confluence as user", which failed',
    ])
    expect(outcomes['member:finance:newbie@acme.example'][0]).to.equal('blocked')
    expect(outcomes['view:HR:user:newbie@acme.example'][0]).to.equal('blocked')
    expect(outcomes['member:finance:712020:fake-0006-crawler'][0]).to.equal('done')
    expect(outcomes['view:HR:group:group-fake-0006'][0]).to.equal('done')
    expect(changes(fake).filter((c) => !c.startsWith('invite'))).to.have.length(2)
  })

  describe('reliability', () => {
    const PLAN = `users:
  - email: ann@acme.example
  - email: bob@acme.example
    role: admin
groups:
  - name: connectors
    create: true
    members: [invited, 712020:fake-0006-crawler]
spaces:
  - include: all
    exclude: [${VIEW_ONLY_SPACE}]
    types: [global, personal]
    archived: true
    grantView: {groups: [connectors], users: [ann@acme.example]}
`
    /** Everything the plan asks for is true on the fake. */
    const expectPlanDone = (target: FakeAtlassian) => {
      const group = target.state.groups.find((g) => g.name === 'connectors')!.id
      for (const email of ['ann@acme.example', 'bob@acme.example'])
        expect(isMember(target, group, accountOf(target, email)), email).to.equal(true)
      expect(isMember(target, group, '712020:fake-0006-crawler')).to.equal(true)
      expect(roles(target, 'bob@acme.example')).to.include('atlassian/admin')
      // The personal space the login cannot view is never met.
      expect(hasSpacePermission(target, PERSONAL_SPACE, {id: group, type: 'group'})).to.equal(false)
      for (const key of [...GLOBAL_SPACES, ARCHIVED_SPACE]) {
        expect(hasSpacePermission(target, key, {id: group, type: 'group'}), key).to.equal(true)
        expect(
          hasSpacePermission(target, key, {id: accountOf(target, 'ann@acme.example'), type: 'user'}, 'read', {
            direct: true,
          }),
          key,
        ).to.equal(true)
      }
    }

    it('completes under 10% 5xx, 5% dropped connections and a 429 storm, every change accepted exactly once', async () => {
      fake.faults.setRandom({drop: 0.05, error5xx: 0.1, seed: 7})
      fake.faults.setRateLimit({burst: 3, perSecond: 25})
      // Resends wait about 1 s (the floor) instead of Atlassian's 5 s and more, so the test takes seconds, not a minute.
      const run = await setup([plan('plan.yaml', PLAN), '--yes', '--json'], {CFADMIN_RETRY_BASE_MS: '250'})
      const faults = fake.requests.filter((r) => r.fault)
      fake.faults.clear()
      expect(run.code, run.stdout + run.stderr).to.equal(0)
      expect(json(run).counts).to.include({blocked: 0, failed: 0})
      expect(faults.filter((r) => r.fault === 'random-5xx').length, 'random 5xx met').to.be.greaterThan(0)
      expect(faults.filter((r) => r.fault === 'random-drop').length, 'drops met').to.be.greaterThan(0)
      expect(faults.filter((r) => r.fault === 'rate-limited').length, '429s met').to.be.greaterThan(0)
      expectPlanDone(fake)
      // 1 group, 2 invitations (one per role, each carrying the role and the group), the crawler's membership,
      // 5 spaces (4 current global, 1 archived) x 2 principals.
      expect(expectEachChangeOnce(fake)).to.have.length(1 + 2 + 1 + 10)
      const invited = writes(fake, {path: '/admin/v2/orgs/org-fake-0001/users/invite'}).map(
        (r) => r.body as {emails: string[]; additionalGroups: string[]; permissionRules: Array<{role: string}>},
      )
      const connectors = fake.state.groups.find((g) => g.name === 'connectors')!.id
      expect(invited.map((b) => [b.emails, b.permissionRules[0].role, b.additionalGroups]).sort()).to.deep.equal([
        [['ann@acme.example'], 'atlassian/user', [connectors]],
        [['bob@acme.example'], 'atlassian/admin', [connectors]],
      ])
    })

    it('killed with SIGKILL at 10 different points, the same command started again finishes with no change repeated', async function () {
      // A guard against a hang, not a speed check: 21 CLI runs, slower when the suite runs two files at once.
      this.timeout(240_000)
      let onRequest: ((r: RecordedRequest) => void) | undefined
      const crashFake = await startFakeAtlassian({onRequest: (r) => onRequest?.(r)})
      // Kills land on requests, never inside a wait for propagation (propagation.test.ts covers those waits): without
      // the delay, each of the 21 runs saves the second a wait costs at least.
      const noDelay = () => {
        crashFake.state.behaviour.propagationDelayMs = 0
      }
      noDelay()
      try {
        const path = plan('plan.yaml', PLAN)
        const args = ['setup', path, '--yes', '--concurrency', '4']
        // How many requests a whole run sends: the kill points spread over it.
        const whole = await runCli(args, {env: {...env(crashFake), CFADMIN_CONFIG_DIR: join(dir, 'whole')}})
        expect(whole.code, whole.stderr).to.equal(0)
        const total = crashFake.requests.length
        const points = Array.from(
          {length: KILL_POINTS},
          (_, i) => 1 + Math.floor(((i + 0.5) * (total - 1)) / KILL_POINTS),
        )
        expect(new Set(points).size, `${KILL_POINTS} distinct points in ${total} requests`).to.equal(KILL_POINTS)
        for (const point of points) {
          crashFake.reset()
          noDelay()
          const config = join(dir, `config-${point}`)
          mkdirSync(config)
          const {child, done} = startCli(args, {env: {...env(crashFake), CFADMIN_CONFIG_DIR: config}})
          let seen = 0
          onRequest = () => {
            if (++seen === point) child.kill('SIGKILL')
          }

          const killed = await done
          onRequest = undefined
          expect(killed.code, `run killed after request ${point}`).to.equal(null)
          const again = await runCli(args, {env: {...env(crashFake), CFADMIN_CONFIG_DIR: config}})
          expect(again.code, `after a kill at request ${point}: ${again.stderr}`).to.equal(0)
          expectPlanDone(crashFake)
          expectEachChangeOnce(crashFake)
          expect(readdirSync(join(config, 'journals')), 'a finished run removes its journal').to.deep.equal([])
          expect(crashFake.contractViolations).to.deep.equal([])
        }
      } finally {
        await crashFake.close()
      }
    })
  })
})
