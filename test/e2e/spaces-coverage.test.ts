import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'

import {expect} from 'chai'

import {type FakeAtlassian, hasSpacePermission, reindex} from '../../fake-atlassian/index.js'
import {useFakeAtlassian} from '../../fake-atlassian/use-fake.js'
import {withBrowser} from '../support/browser.js'
import {type CliRun, runCli} from '../support/run-cli.js'
import {useTempDir} from '../support/temp-dir.js'

/** The 2026 seeds take the default seed's API token (fake-atlassian/README.md, Bundled seeds). */
const LOGIN = {CFADMIN_API_TOKEN: 'fake-api-token-admin', CFADMIN_EMAIL: 'admin@acme.example'}

interface Row {
  key: string
  view: string
  via?: string
  through?: string
  fix?: string
}

interface Result {
  spaces: Row[]
  counts: {viewable: number; notViewable: number; byType: Record<string, {viewable: number; notViewable: number}>}
  sinceLast?: null | Record<
    'appeared' | 'disappeared' | 'lostAccess' | 'gainedAccess',
    Array<{key: string; through?: string}>
  >
  fix?: {counts: Record<string, number>}
}

const json = (run: CliRun) => JSON.parse(run.stdout) as Result

/** key -> "view via: through" for each space, in one string a failure shows whole. */
const routes = (result: Result) =>
  Object.fromEntries(result.spaces.map((s) => [s.key, s.view === 'yes' ? `${s.via}: ${s.through}` : s.view]))

const keys = (list: Array<{key: string}> | undefined) => (list ?? []).map((s) => s.key)

function useCli(fake: FakeAtlassian) {
  const temp = useTempDir('cfadmin-e2e-coverage-')
  const cli = (...args: string[]): Promise<CliRun> =>
    runCli(['spaces', 'coverage', ...args], {
      env: {CFADMIN_API_URL: fake.url, CFADMIN_CONFIG_DIR: join(temp.path, 'config'), CFADMIN_SITE: fake.url, ...LOGIN},
    })
  return {cli, temp}
}

/** The fake site's role ID of a role name (role IDs differ per site, as on Atlassian). */
const roleId = (fake: FakeAtlassian, name: string) => fake.state.spaceRoles.find((r) => r.name === name)!.id

/** A space the admin can see (it holds Admin on it: a role on a roles site, permissions on a classic one). */
function addSpace(
  fake: FakeAtlassian,
  space: {id: string; key: string; name?: string; type?: 'global' | 'collaboration'},
  admin: string,
) {
  fake.state.spaces.push({name: space.key, status: 'current', type: 'global', ...space})
  if (fake.state.sites[0].roleMode === 'PRE_ROLES') {
    for (const key of ['read', 'administer'])
      fake.state.spacePermissions.push({
        id: Number(space.id) * 10 + (key === 'read' ? 1 : 2),
        operation: {key, target: 'space'},
        principal: {id: admin, type: 'user'},
        spaceKey: space.key,
      })
  } else {
    fake.state.spaceRoleAssignments.push({
      principal: {id: admin, type: 'user'},
      roleId: roleId(fake, 'Admin'),
      spaceKey: space.key,
    })
  }

  reindex(fake.state)
}

describe('spaces coverage against the fake Atlassian', function () {
  this.timeout(60_000)

  describe('a site with space roles (site-2026)', () => {
    const fake = useFakeAtlassian({seed: 'site-2026'})
    const {cli, temp} = useCli(fake)
    const admin = '712020:fake-2601-admin'
    const crawler = '712020:fake-2603-crawler'

    // crawlers holds Viewer on ENG; the crawler holds Viewer on KB itself and is in the default group, which holds
    // Viewer on LOCKED (and ENG, KB); nothing gives it TEAM.
    beforeEach(() => {
      const {state} = fake
      state.groups.push({directoryId: 'dir-fake-2602', id: 'group-crawlers', name: 'crawlers'})
      state.memberships.push(
        {accountId: crawler, groupId: 'group-crawlers'},
        {accountId: crawler, groupId: 'group-fake-2601'},
      )
      state.spaceRoleAssignments.push(
        {principal: {id: 'group-crawlers', type: 'group'}, roleId: roleId(fake, 'Viewer'), spaceKey: 'ENG'},
        {principal: {id: crawler, type: 'user'}, roleId: roleId(fake, 'Viewer'), spaceKey: 'KB'},
        {principal: {id: 'group-fake-2601', type: 'group'}, roleId: roleId(fake, 'Viewer'), spaceKey: 'LOCKED'},
      )
      reindex(state)
    })

    it("names each space's route for a user: a group of its own, its own role, default access; and the space it cannot view (exit 3)", async () => {
      const run = await cli('--user', crawler, '--json')
      expect(run.code, run.stderr).to.equal(3)
      expect(routes(json(run))).to.deep.equal({
        ENG: 'group: group crawlers (role Viewer)',
        KB: 'role: role Viewer',
        LOCKED: 'default access: default access: group acme-confluence-members (role Viewer)',
        TEAM: 'no',
      })
      expect(json(run).counts).to.deep.include({notViewable: 1, viewable: 3})
    })

    it('a role the space gives all licensed users is default access for a user (as the fake lets it view), not for a group', async () => {
      fake.state.spaceRoleAssignments.push({
        principal: {id: 'all-licensed-users', type: 'access-class'},
        roleId: roleId(fake, 'Viewer'),
        spaceKey: 'TEAM',
      })
      reindex(fake.state)
      expect(hasSpacePermission(fake, 'TEAM', {id: crawler, type: 'user'}), 'the fake lets it view').to.equal(true)
      const user = await cli('--user', crawler, '--json')
      expect(user.code, user.stderr).to.equal(0)
      expect(routes(json(user)).TEAM).to.equal('default access: default access: all licensed users (role Viewer)')
      const group = await cli('--group', 'crawlers', '--json')
      expect(routes(json(group)).TEAM).to.equal('no')
    })

    it('--since-last: nothing to compare with first; then the space that appeared; then the one the group lost', async () => {
      const first = await cli('--group', 'crawlers', '--since-last', '--json')
      expect(first.code, first.stderr).to.equal(3)
      expect(json(first).sinceLast).to.equal(null)

      addSpace(fake, {id: '26100', key: 'NEW', type: 'collaboration'}, admin)
      const second = await cli('--group', 'crawlers', '--since-last', '--json')
      expect(keys(json(second).sinceLast?.appeared)).to.deep.equal(['NEW'])
      expect(keys(json(second).sinceLast?.lostAccess)).to.deep.equal([])

      fake.state.spaceRoleAssignments = fake.state.spaceRoleAssignments.filter(
        (a) => !(a.spaceKey === 'ENG' && a.principal.id === 'group-crawlers'),
      )
      reindex(fake.state)
      const third = await cli('--group', 'crawlers', '--since-last')
      expect(third.code, third.stderr).to.equal(3)
      expect(third.stdout).to.include('1 space lost access: ENG (role Viewer)')
      const fourth = await cli('--group', 'crawlers', '--since-last', '--json')
      expect(json(fourth).sinceLast).to.deep.include({appeared: [], disappeared: [], lostAccess: []})
      expect(
        readFileSync(join(temp.path, 'config', 'coverage', 'cloud-fake-2026', 'group-group-crawlers.json'), 'utf8'),
      ).to.include('"key": "NEW"')
    })

    it('--fix --yes with --admin-key gives the Viewer role where it is missing; a re-run shows full coverage (exit 0)', async () => {
      const fixed = await cli('--group', 'crawlers', '--fix', '--yes', '--admin-key', '--json')
      expect(fixed.code, fixed.stderr).to.equal(0)
      const given = json(fixed)
        .spaces.filter((s) => s.fix)
        .map((s) => `${s.key} ${s.fix}`)
      expect(given.sort()).to.deep.equal([
        'KB given now: role Viewer',
        'LOCKED given now: role Viewer',
        'SECRET given now: role Viewer',
        'TEAM given now: role Viewer',
      ])
      const again = await cli('--group', 'crawlers', '--admin-key', '--since-last', '--json')
      expect(again.code, again.stderr).to.equal(0)
      expect(json(again).counts.notViewable).to.equal(0)
      expect(json(again).sinceLast).to.deep.include({gainedAccess: [], lostAccess: []})
    })

    it('--fix --dry-run gives nothing and saves nothing; --fix without --yes and no terminal is refused (exit 2)', async () => {
      const before = fake.state.spaceRoleAssignments.length
      const dry = await cli('--group', 'crawlers', '--fix', '--dry-run', '--json')
      expect(dry.code, dry.stderr).to.equal(3)
      expect(json(dry).spaces.find((s) => s.key === 'TEAM')?.fix).to.equal('to give: role Viewer')
      expect(fake.state.spaceRoleAssignments.length).to.equal(before)
      const sinceDry = await cli('--group', 'crawlers', '--since-last', '--json')
      expect(json(sinceDry).sinceLast).to.equal(null)

      const refused = await cli('--group', 'crawlers', '--fix')
      expect(refused.code).to.equal(2)
      expect(refused.stderr).to.include('Add --yes')
    })

    it('refuses a run without a principal, or with an unknown group, with exit 2', async () => {
      const none = await cli()
      expect(none.code).to.equal(2)
      expect(none.stderr).to.include('--user EMAIL|ACCOUNT_ID or --group NAME')
      const unknown = await cli('--group', 'crawlerz')
      expect(unknown.code).to.equal(2)
      expect(unknown.stderr).to.include('did you mean crawlers')
    })

    it('the HTML page, opened in headless Chromium, shows the counts per type and filters the table; a hostile name stays text', async () => {
      addSpace(fake, {id: '26101', key: 'EVIL', name: '<script>alert(1)</script>'}, admin)
      const page = join(temp.path, 'coverage.html')
      const run = await cli('--group', 'crawlers', '--html', page, '--json')
      expect(run.code, run.stderr).to.equal(3)
      const {counts} = json(run)
      const seen = await withBrowser(async (tab) => {
        const dialogs: string[] = []
        tab.on('dialog', (dialog) => {
          dialogs.push(dialog.message())
          void dialog.dismiss()
        })
        await tab.goto(pathToFileURL(page).href)
        const bars = await tab.$$eval('g.bar', (groups) =>
          groups.map((g) => [
            g.getAttribute('data-type'),
            Number(g.getAttribute('data-viewable')),
            Number(g.getAttribute('data-not-viewable')),
          ]),
        )
        await tab.fill('#filter', 'EVIL')
        const evil = await tab.$$eval('#spaces tbody tr:not([hidden])', (rows) =>
          rows.map((r) => r.querySelectorAll('td')[1].textContent),
        )
        await tab.fill('#filter', '')
        await tab.selectOption('#access-filter', 'no')
        const notViewable = await tab.$$eval('#spaces tbody tr:not([hidden])', (rows) => rows.length)
        const shown = await tab.textContent('#shown')
        return {bars, dialogs, evil, notViewable, shown}
      })
      expect(seen.dialogs).to.deep.equal([])
      expect(seen.evil).to.deep.equal(['<script>alert(1)</script>'])
      expect(Object.fromEntries(seen.bars.map(([type, yes, no]) => [type, [yes, no]]))).to.deep.equal({
        collaboration: [0, 2],
        global: [1, 1],
        knowledge_base: [0, 1],
      })
      expect(counts.byType).to.deep.include({global: {notViewable: 1, unknown: 0, viewable: 1}})
      expect(seen.notViewable).to.equal(counts.notViewable).and.equal(4)
      expect(seen.shown).to.equal('4')
    })
  })

  describe('a classic site (classic-legacy)', () => {
    const fake = useFakeAtlassian({seed: 'classic-legacy'})
    const {cli} = useCli(fake)
    const admin = '712020:fake-1901-admin'
    const crawler = '712020:fake-1903-crawler'

    // The crawler: its own View permission on ENG, the group crawlers' on DOCS, the default group's on WIKI, none on HR.
    beforeEach(() => {
      const {state} = fake
      addSpace(fake, {id: '19003', key: 'DOCS'}, admin)
      addSpace(fake, {id: '19004', key: 'HR'}, admin)
      state.groups.push({directoryId: 'dir-fake-1901', id: 'group-crawlers', name: 'crawlers'})
      state.memberships.push(
        {accountId: crawler, groupId: 'group-crawlers'},
        {accountId: crawler, groupId: 'group-fake-1901'},
      )
      state.spacePermissions.push(
        {id: 19301, operation: {key: 'read', target: 'space'}, principal: {id: crawler, type: 'user'}, spaceKey: 'ENG'},
        {
          id: 19302,
          operation: {key: 'read', target: 'space'},
          principal: {id: 'group-crawlers', type: 'group'},
          spaceKey: 'DOCS',
        },
      )
      reindex(state)
    })

    it('names a permission, a group and default access, and the space the crawler cannot view', async () => {
      const run = await cli('--user', crawler, '--json')
      expect(run.code, run.stderr).to.equal(3)
      expect(routes(json(run))).to.deep.equal({
        DOCS: 'group: group crawlers (permission)',
        ENG: 'permission: permission',
        HR: 'no',
        WIKI: 'default access: default access: group confluence-users (permission)',
      })
    })

    it('--fix --yes gives the View permission where it is missing; a re-run with --since-last shows full coverage and the gain', async () => {
      const first = await cli('--user', crawler, '--fix', '--yes')
      expect(first.code, first.stderr).to.equal(0)
      expect(first.stdout).to.match(/HR .*given now: permission/)
      const again = await cli('--user', crawler, '--since-last', '--json')
      expect(again.code, again.stderr).to.equal(0)
      expect(routes(json(again)).HR).to.equal('permission: permission')
      expect(json(again).sinceLast).to.deep.include({appeared: [], lostAccess: []})
    })
  })
})
