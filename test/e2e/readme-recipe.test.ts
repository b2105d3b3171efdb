import {cpSync, readFileSync} from 'node:fs'
import {join} from 'node:path'

import {expect} from 'chai'

import type {FakeAtlassian} from '../../fake-atlassian/index.js'
import {useFakeAtlassian} from '../../fake-atlassian/use-fake.js'
import {projectRoot} from '../support/paths.js'
import {runCli} from '../support/run-cli.js'
import {useTempDir} from '../support/temp-dir.js'

/**
 * The README's connector recipe, its own command lines as written, on a site as Atlassian makes them today
 * (fake seed site-2026: space roles only, renamed default groups, a space the admin cannot view and one it cannot
 * administer, Premium with the admin key, XSRF required, by-name group routes gone).
 */
const README = readFileSync(join(projectRoot, 'README.md'), 'utf8')

/** The `./bin/run.js …` lines of the first sh block after a heading, as argument lists (comments dropped). */
function commandsUnder(heading: string): string[][] {
  const section = README.slice(README.indexOf(`## ${heading}`))
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? ''
  return block
    .split('\n')
    .filter((line) => line.startsWith('./bin/run.js '))
    .map((line) =>
      line
        .replace(/\s+#.*$/, '')
        .split(/\s+/)
        .slice(1),
    )
}

/** The spaces a principal holds a role on in the fake, sorted. */
const rolesOf = (fake: FakeAtlassian, accountId: string) =>
  fake.state.spaceRoleAssignments
    .filter((a) => a.principal.id === accountId)
    .map((a) => a.spaceKey)
    .sort()

describe("the README's connector recipe on a site with space roles (site-2026)", function () {
  this.timeout(120_000)
  const fake = useFakeAtlassian({seed: 'site-2026'})
  const temp = useTempDir('cfadmin-e2e-recipe-')
  const CRAWLER = '712020:fake-2603-crawler'
  const env = () => ({
    CFADMIN_ADMIN_KEY: 'fake-admin-key-0001',
    CFADMIN_API_TOKEN: 'fake-api-token-admin',
    CFADMIN_API_URL: fake.url,
    CFADMIN_CONFIG_DIR: join(temp.path, 'config'),
    CFADMIN_EMAIL: 'admin@acme.example',
    CFADMIN_SITE: fake.url,
  })

  it('"Giving a connector access": every line runs; the crawler gets the Viewer role on every team space it can reach', async () => {
    const lines = commandsUnder('Giving a connector access')
    expect(lines.map((args) => args.slice(0, 2).join(' '))).to.deep.equal([
      'users invite',
      'groups add-members',
      'spaces grant-view',
      'spaces grant-view',
      'spaces permissions',
    ])
    const codes: Array<number | null> = []
    for (const args of lines) codes.push((await runCli(args, {env: env()})).code)
    // LOCKED is a space the admin can see but not administer: its grant fails with the fix, the rest is done (the dry
    // run can read it, so it plans the grant).
    expect(codes).to.deep.equal([0, 0, 0, 3, 3])
    expect(rolesOf(fake, CRAWLER)).to.deep.equal(['ENG', 'KB', 'TEAM'])

    // The fix the failure names, on Premium: the admin key, for this run only.
    const withKey = await runCli([...lines[3], '--admin-key', '--json'], {env: env()})
    expect(withKey.code, withKey.stderr).to.equal(0)
    expect(rolesOf(fake, CRAWLER)).to.include.members(['ENG', 'KB', 'LOCKED', 'TEAM'])
    const viewerRole = fake.state.spaceRoles.find(
      (r) => r.name === 'Viewer' && (r.cloudId ?? fake.state.sites[0].cloudId) === fake.state.sites[0].cloudId,
    )
    for (const a of fake.state.spaceRoleAssignments.filter((a) => a.principal.id === CRAWLER))
      expect(a.roleId, a.spaceKey).to.equal(viewerRole?.id)
    const audit = await runCli([...lines[4], '--admin-key', '--json'], {env: env()})
    expect(audit.code, audit.stderr).to.equal(0)
    // No v1 individual permission was tried: the site uses roles only.
    expect(fake.requests.filter((r) => r.method === 'POST' && r.path.includes('/wiki/rest/api/space/'))).to.deep.equal(
      [],
    )
  })

  it('"Setting a connector up from a plan": the example plan applies but for the space it cannot administer, which --admin-key reaches; then nothing left to change', async () => {
    const lines = commandsUnder('Setting a connector up from a plan')
    expect(lines.map((args) => args.slice(0, 1).concat(args.slice(2)).join(' '))).to.deep.equal([
      'setup --dry-run',
      'setup --yes',
      'setup --yes',
      'setup --verify',
    ])
    // The plan's map is written beside it: a copy of examples/ keeps the checkout clean.
    cpSync(join(projectRoot, 'examples'), join(temp.path, 'examples'), {recursive: true})
    const run = (args: string[], ...more: string[]) =>
      runCli([args[0], join(temp.path, args[1]), ...args.slice(2), ...more, '--wait-for-propagation', '1m'], {
        env: env(),
      })

    expect((await run(lines[0])).code).to.equal(0)
    const first = await run(lines[1], '--json')
    expect(first.code, first.stderr).to.equal(3)
    const failed = (
      JSON.parse(first.stdout) as {items: Array<{key: string; outcome: string; reason?: string}>}
    ).items.filter((item) => item.outcome !== 'done' && item.outcome !== 'already')
    expect(failed.map((item) => item.key)).to.deep.equal(['view:LOCKED:user:crawler-bot@acme.example'])
    expect(failed[0].reason).to.contain('not an admin of space LOCKED').and.contain('--admin-key')

    // The fix it names, on Premium; then the README's second apply and --verify find nothing to do.
    expect((await run(lines[2], '--admin-key')).code).to.equal(0)
    const before = fake.requests.length
    expect((await run(lines[2], '--admin-key')).code).to.equal(0)
    // No change to the site: only reads (the Admin API searches by POST) and the admin key's own switching.
    const sent = fake.requests
      .slice(before)
      .filter((r) => r.method !== 'GET' && !/\/(search|workspaces|admin-key)$/.test(r.path))
    expect(sent.map((r) => `${r.method} ${r.path}`)).to.deep.equal([])
    expect((await run(lines[3], '--admin-key')).code).to.equal(0)
  })
})
