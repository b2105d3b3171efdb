import {writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {expect} from 'chai'

import {type FakeAtlassian, hasSpacePermission, reindex, writes} from '../../fake-atlassian/index.js'
import {useFakeAtlassian} from '../../fake-atlassian/use-fake.js'
import {type CliRun, runCli} from '../support/run-cli.js'
import {useTempDir} from '../support/temp-dir.js'

/** The 2026 seeds take the default seed's API token (fake-atlassian/README.md, Bundled seeds). */
const LOGIN = {CFADMIN_API_TOKEN: 'fake-api-token-admin', CFADMIN_EMAIL: 'admin@acme.example'}
const ROLE_WRITES = /\/wiki\/api\/v2\/spaces\/\d+\/role-assignments$/
const V1_WRITES = /\/wiki\/rest\/api\/space\/[^/]+\/permission$/

interface Item {
  key: string
  outcome: string
  reason?: string
  detail?: string
}

/** The run's report items by key: outcome and what it says (reason, else detail). */
const byKey = (report: {items: Item[]}) =>
  Object.fromEntries(report.items.map((i) => [i.key, `${i.outcome}: ${i.reason ?? i.detail ?? ''}`]))

/** Every role-assignment entry cfadmin sent carries a roleId: an entry without one would remove a role. */
function expectEveryEntryHasRoleId(fake: FakeAtlassian) {
  for (const request of fake.requests.filter((r) => r.method === 'POST' && ROLE_WRITES.test(r.path))) {
    for (const entry of request.body as Array<{roleId?: unknown}>)
      expect(entry.roleId, JSON.stringify(request.body)).to.be.a('string').and.not.equal('')
  }
}

/** The role (by name) a principal holds on a space in the fake, if any. */
function roleOn(fake: FakeAtlassian, key: string, id: string): string | undefined {
  const held = fake.state.spaceRoleAssignments.find((a) => a.spaceKey === key && a.principal.id === id)
  return held && fake.state.spaceRoles.find((r) => r.id === held.roleId)?.name
}

function useCli(fake: FakeAtlassian) {
  const temp = useTempDir('cfadmin-e2e-roles-')
  const cli = (args: string[]): Promise<CliRun> =>
    runCli(args, {
      env: {
        CFADMIN_API_URL: fake.url,
        CFADMIN_CONFIG_DIR: join(temp.path, 'config'),
        CFADMIN_SITE: fake.url,
        ...LOGIN,
      },
    })
  const plan = (text: string) => {
    const path = join(temp.path, 'plan.yaml')
    writeFileSync(path, text)
    return path
  }

  return {cli, plan}
}

const json = (run: CliRun) => JSON.parse(run.stdout)

describe('space roles against the fake Atlassian: each role mode', function () {
  this.timeout(60_000)

  describe('ROLES (site-2026 seed): View is the Viewer role', () => {
    const fake = useFakeAtlassian({seed: 'site-2026'})
    const {cli, plan} = useCli(fake)
    const crawler = '712020:fake-2603-crawler'
    const admin = '712020:fake-2601-admin'
    const grant = (...more: string[]) =>
      cli(['spaces', 'grant-view', '--space', 'ENG', '--space', 'KB', '--user', crawler, '--user', admin, ...more])

    it('gives the Viewer role where View is missing, keeps a role a principal holds, and a re-run sends nothing', async () => {
      const first = await grant('--json')
      expect(first.code, first.stderr).to.equal(0)
      expect(byKey(json(first))).to.deep.equal({
        [`view:ENG:user:${admin}`]: 'already: role Admin',
        [`view:ENG:user:${crawler}`]: 'done: role Viewer',
        [`view:KB:user:${admin}`]: 'already: role Admin',
        [`view:KB:user:${crawler}`]: 'done: role Viewer',
      })
      expect(roleOn(fake, 'ENG', crawler)).to.equal('Viewer')
      expect(roleOn(fake, 'ENG', admin)).to.equal('Admin')
      expect(writes(fake).map((w) => w.path))
        .to.have.length(2)
        .and.to.satisfy((paths: string[]) => paths.every((p) => ROLE_WRITES.test(p)))
      expectEveryEntryHasRoleId(fake)

      const before = writes(fake).length
      const again = await grant('--json')
      expect(again.code, again.stderr).to.equal(0)
      expect(json(again).counts).to.include({already: 4, done: 0})
      expect(writes(fake)).to.have.length(before)
    })

    it('--dry-run names the role each grant would give and changes nothing', async () => {
      const run = await grant('--dry-run', '--json')
      expect(run.code, run.stderr).to.equal(0)
      expect(byKey(json(run))[`view:ENG:user:${crawler}`]).to.equal('planned: role Viewer')
      expect(byKey(json(run))[`view:ENG:user:${admin}`]).to.equal('already: role Admin')
      expect(writes(fake)).to.deep.equal([])
    })

    it('--role gives another role, found by name in any case, custom roles too', async () => {
      const run = await cli([
        'spaces',
        'grant-view',
        '--space',
        'ENG',
        '--user',
        crawler,
        '--role',
        'read-only AUDITOR',
      ])
      expect(run.code, run.stderr).to.equal(0)
      expect(run.stdout).to.contain('role Read-only auditor')
      expect(roleOn(fake, 'ENG', crawler)).to.equal('Read-only auditor')
      expectEveryEntryHasRoleId(fake)
    })

    it('refuses a role the site does not have, with the closest name, before any change (exit 2)', async () => {
      const run = await cli(['spaces', 'grant-view', '--space', 'ENG', '--user', crawler, '--role', 'Viewr'])
      expect(run.code).to.equal(2)
      expect(run.stderr).to.contain('No space role named Viewr').and.to.contain('did you mean Viewer?')
      expect(writes(fake)).to.deep.equal([])
    })

    it('setup gives a group it creates the Viewer role without reading role assignments first; a re-run sends nothing', async () => {
      const path = plan(
        [
          'groups:',
          '  - {name: readers, create: true}',
          'spaces:',
          '  - include: [ENG, KB]',
          '    grantView: {groups: [readers]}',
        ].join('\n'),
      )
      const applied = await cli(['setup', path, '--yes', '--json'])
      expect(applied.code, applied.stderr).to.equal(0)
      const readers = fake.state.groups.find((g) => g.name === 'readers')!.id
      expect([roleOn(fake, 'ENG', readers), roleOn(fake, 'KB', readers)]).to.deep.equal(['Viewer', 'Viewer'])
      // A group made in this run can hold no role yet: nothing to read before giving it one.
      const assignmentReads = () =>
        fake.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/role-assignments')).length
      expect(assignmentReads()).to.equal(0)
      expectEveryEntryHasRoleId(fake)
      const roleWrites = writes(fake, {path: ROLE_WRITES}).length
      const again = await cli(['setup', path, '--yes', '--json'])
      expect(again.code, again.stderr).to.equal(0)
      expect(byKey(json(again))[`view:ENG:group:${readers}`]).to.equal('already: role Viewer')
      expect(writes(fake, {path: ROLE_WRITES})).to.have.length(roleWrites)
      expect(assignmentReads(), 'the re-run reads them: the group exists now').to.be.greaterThan(0)
    })

    it('setup --dry-run and --verify read role assignments; after the apply --verify finds no drift', async () => {
      const path = plan(
        ['spaces:', '  - include: [ENG, KB]', '    grantView:', `      users: ["${crawler}", "${admin}"]`].join('\n'),
      )
      const dry = await cli(['setup', path, '--dry-run', '--json'])
      expect(dry.code, dry.stderr).to.equal(0)
      expect(byKey(json(dry))).to.include({
        [`view:ENG:user:${admin}`]: 'already: role Admin',
        [`view:ENG:user:${crawler}`]: 'planned: role Viewer',
      })
      const drift = await cli(['setup', path, '--verify', '--json'])
      expect(drift.code).to.equal(3)
      expect(json(drift).drift.map((i: Item) => i.key)).to.deep.equal([
        `view:ENG:user:${crawler}`,
        `view:KB:user:${crawler}`,
      ])
      const applied = await cli(['setup', path, '--yes', '--json'])
      expect(applied.code, applied.stderr).to.equal(0)
      expect(byKey(json(applied))[`view:KB:user:${crawler}`]).to.equal('done: role Viewer')
      const verified = await cli(['setup', path, '--verify', '--json'])
      expect(verified.code, verified.stdout).to.equal(0)
      expect(json(verified).drift).to.deep.equal([])
    })

    it('space permissions says through what each principal can view: its role, or a group', async () => {
      const all = await cli(['spaces', 'permissions', 'ENG'])
      expect(all.code, all.stderr).to.equal(0)
      expect(all.stdout).to.contain(`user:${admin} (role Admin)`).and.to.contain('group:group-fake-2601 (role Viewer)')
      const reader = await cli(['spaces', 'permissions', 'ENG', 'KB', 'TEAM', '--user', '712020:fake-2602-reader'])
      expect(reader.code).to.equal(3)
      expect(reader.stdout).to.match(/ENG\s+Engineering\s+group acme-confluence-members/)
      expect(reader.stdout).to.match(/Cannot view\s+Name\n-+\s+-+\nTEAM\s/)
      const mine = await cli(['spaces', 'permissions', 'ENG', '--user', admin, '--json'])
      expect(json(mine).principal.views).to.deep.equal([{key: 'ENG', name: 'Engineering', through: 'role Admin'}])
    })

    it('space permissions names a role given to all licensed users as default access for a user', async () => {
      fake.state.spaceRoleAssignments.push({
        principal: {id: 'all-licensed-users', type: 'access-class'},
        roleId: fake.state.spaceRoles.find((r) => r.name === 'Viewer')!.id,
        spaceKey: 'TEAM',
      })
      reindex(fake.state)
      const all = await cli(['spaces', 'permissions', 'TEAM'])
      expect(all.stdout).to.contain('access-class:all-licensed-users (role Viewer)')
      const reader = await cli(['spaces', 'permissions', 'TEAM', '--user', '712020:fake-2602-reader', '--json'])
      expect(reader.code, reader.stderr).to.equal(0)
      expect(json(reader).principal.views).to.deep.equal([
        {key: 'TEAM', name: 'Team space', through: 'default access: all licensed users (role Viewer)'},
      ])
    })
  })

  describe('ROLES_TRANSITION (transition seed): custom access keeps permissions, others get the role', () => {
    const fake = useFakeAtlassian({seed: 'transition'})
    const {cli, plan} = useCli(fake)
    const crawler = '712020:fake-2502-crawler'
    const reader = '712020:fake-2503-reader'
    const grant = (...more: string[]) =>
      cli(['spaces', 'grant-view', '--space', 'ENG', '--space', 'TEAM', '--user', crawler, '--user', reader, ...more])
    /** The crawler also gets custom access on TEAM (a page permission, no View): its View there stays individual. */
    const customAccessOnTeam = () => {
      fake.state.spacePermissions.push({
        id: 25999,
        operation: {key: 'create', target: 'page'},
        principal: {id: crawler, type: 'user'},
        spaceKey: 'TEAM',
      })
    }

    it('grants through the route each principal takes; a re-run sends nothing', async () => {
      customAccessOnTeam()
      const first = await grant('--json')
      expect(first.code, first.stderr).to.equal(0)
      expect(byKey(json(first))).to.deep.equal({
        [`view:ENG:user:${crawler}`]: 'already: permission',
        [`view:ENG:user:${reader}`]: 'already: role Viewer',
        [`view:TEAM:user:${crawler}`]: 'done: permission',
        [`view:TEAM:user:${reader}`]: 'done: role Viewer',
      })
      expect(
        writes(fake).map((w) => (V1_WRITES.test(w.path) ? 'v1' : ROLE_WRITES.test(w.path) ? 'role' : w.path)),
      ).to.have.members(['v1', 'role'])
      expect(hasSpacePermission(fake, 'TEAM', {id: crawler, type: 'user'}, 'read', {direct: true})).to.equal(true)
      expect(roleOn(fake, 'TEAM', reader)).to.equal('Viewer')
      expectEveryEntryHasRoleId(fake)

      const before = writes(fake).length
      const again = await grant('--json')
      expect(json(again).counts).to.include({already: 4, done: 0})
      expect(writes(fake)).to.have.length(before)
    })

    it('--dry-run names the route each grant would take', async () => {
      const run = await grant('--dry-run', '--json')
      expect(run.code, run.stderr).to.equal(0)
      expect(byKey(json(run))).to.deep.equal({
        [`view:ENG:user:${crawler}`]: 'already: permission',
        [`view:ENG:user:${reader}`]: 'already: role Viewer',
        [`view:TEAM:user:${crawler}`]: 'planned: role Viewer',
        [`view:TEAM:user:${reader}`]: 'planned: role Viewer',
      })
      expect(writes(fake)).to.deep.equal([])
    })

    it('setup --verify finds the missing View and none once applied', async () => {
      const path = plan(
        ['spaces:', '  - include: [ENG, TEAM]', '    grantView:', `      users: ["${crawler}"]`].join('\n'),
      )
      const drift = await cli(['setup', path, '--verify', '--json'])
      expect(drift.code).to.equal(3)
      expect(json(drift).drift.map((i: Item) => `${i.key} ${i.reason}`)).to.deep.equal([
        `view:TEAM:user:${crawler} role Viewer`,
      ])
      expect((await cli(['setup', path, '--yes'])).code).to.equal(0)
      const verified = await cli(['setup', path, '--verify', '--json'])
      expect(verified.code, verified.stdout).to.equal(0)
    })

    it('space permissions tells custom access (permission) from roles', async () => {
      const run = await cli(['spaces', 'permissions', 'ENG', '--json'])
      expect(run.code, run.stderr).to.equal(0)
      expect(json(run).spaces[0].viewers).to.deep.include.members([
        {id: crawler, through: 'permission', type: 'user'},
        {id: reader, through: 'role Viewer', type: 'user'},
      ])
    })
  })

  describe('PRE_ROLES (default seed): View is the individual permission', () => {
    const fake = useFakeAtlassian()
    const {cli, plan} = useCli(fake)
    const crawler = '712020:fake-0006-crawler'
    const grant = (...more: string[]) =>
      cli(['spaces', 'grant-view', '--space', 'ENG', '--space', 'DOCS', '--user', crawler, ...more])

    it('grants the permission, reads no role assignments, and a re-run sends nothing', async () => {
      const first = await grant('--json')
      expect(first.code, first.stderr).to.equal(0)
      expect(byKey(json(first))).to.deep.equal({
        [`view:DOCS:user:${crawler}`]: 'done: permission',
        [`view:ENG:user:${crawler}`]: 'done: permission',
      })
      expect(writes(fake).every((w) => V1_WRITES.test(w.path))).to.equal(true)
      expect(fake.requests.filter((r) => /role/.test(r.path)).map((r) => r.path)).to.deep.equal([
        '/wiki/api/v2/space-role-mode',
      ])
      const before = writes(fake).length
      const again = await grant('--json')
      expect(json(again).counts).to.include({already: 2, done: 0})
      expect(byKey(json(again))[`view:ENG:user:${crawler}`]).to.equal('already: permission')
      expect(writes(fake)).to.have.length(before)
    })

    it('--dry-run says the permission would be given', async () => {
      const run = await grant('--dry-run', '--json')
      expect(byKey(json(run))[`view:ENG:user:${crawler}`]).to.equal('planned: permission')
      expect(writes(fake)).to.deep.equal([])
    })

    it('setup --verify finds the missing View and none once applied', async () => {
      const path = plan(['spaces:', '  - include: [ENG]', '    grantView:', `      users: ["${crawler}"]`].join('\n'))
      const drift = await cli(['setup', path, '--verify', '--json'])
      expect(drift.code).to.equal(3)
      expect(json(drift).drift.map((i: Item) => `${i.key} ${i.reason}`)).to.deep.equal([
        `view:ENG:user:${crawler} permission`,
      ])
      expect((await cli(['setup', path, '--yes'])).code).to.equal(0)
      expect((await cli(['setup', path, '--verify'])).code).to.equal(0)
    })

    it('space permissions says permission, or the group through which a user can view', async () => {
      const run = await cli(['spaces', 'permissions', 'ENG', 'HR', '--user', '712020:fake-0002-reader', '--json'])
      expect(run.code).to.equal(3)
      expect(json(run).principal.views).to.deep.equal([
        {
          key: 'ENG',
          name: fake.state.spaces.find((s) => s.key === 'ENG')!.name,
          through: 'group confluence-users-acme',
        },
      ])
      const all = await cli(['spaces', 'permissions', 'ENG'])
      expect(all.stdout).to.contain('(permission)')
    })

    describe('a site that refuses individual permissions although its mode says PRE_ROLES', () => {
      const rolesOnly = (answer: 'PRE_ROLES' | 'missing') => {
        fake.state.sites[0].roleMode = 'ROLES'
        fake.state.sites[0].roleModeAnswer = answer
      }

      for (const answer of ['PRE_ROLES', 'missing'] as const) {
        it(`switches to roles once, says so once, and retries that item through roles (mode ${answer === 'missing' ? 'endpoint 404' : answer})`, async () => {
          rolesOnly(answer)
          const run = await grant('--json', '--concurrency', '1')
          expect(run.code, run.stderr).to.equal(0)
          expect(byKey(json(run))).to.deep.equal({
            [`view:DOCS:user:${crawler}`]: 'done: role Viewer',
            [`view:ENG:user:${crawler}`]: 'done: role Viewer',
          })
          expect(run.stderr.match(/uses space roles: giving roles instead/g)).to.have.length(1)
          const v1 = fake.requests.filter((r) => r.method === 'POST' && V1_WRITES.test(r.path))
          expect(v1.map((r) => r.status)).to.deep.equal([400])
          expect(writes(fake).every((w) => ROLE_WRITES.test(w.path))).to.equal(true)
          expect(roleOn(fake, 'ENG', crawler)).to.equal('Viewer')
          expectEveryEntryHasRoleId(fake)
        })
      }
    })
  })
})
