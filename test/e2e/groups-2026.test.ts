import {writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {expect} from 'chai'

import {type FakeAtlassian, hasSpacePermission, isMember, userByEmail} from '../../fake-atlassian/index.js'
import {useFakeAtlassian} from '../../fake-atlassian/use-fake.js'
import {type CliRun, runCli} from '../support/run-cli.js'
import {useTempDir} from '../support/temp-dir.js'

const SITE_TOKEN = {CFADMIN_API_TOKEN: 'fake-api-token-admin', CFADMIN_EMAIL: 'admin@acme.example'}

/** Requests to the group routes Atlassian removed (atlassian-2026.md §2): cfadmin must never send one. */
const byNameRequests = (fake: FakeAtlassian) =>
  fake.requests.filter((r) => /\/group\/by-name|\/group\/[^/]+\/member$|\/group\/user$/.test(r.path))

describe('groups as sites have them in 2026: legacy and renamed default groups, no by-name', function () {
  this.timeout(60_000)
  const temp = useTempDir('cfadmin-e2e-groups-2026-')

  const cli = (fake: FakeAtlassian, args: string[], env: Record<string, string> = {}): Promise<CliRun> =>
    runCli(args, {
      env: {
        CFADMIN_API_URL: fake.url,
        CFADMIN_CONFIG_DIR: join(temp.path, 'config'),
        CFADMIN_SITE: fake.url,
        CFADMIN_SITE_NAME: 'acme',
        ...SITE_TOKEN,
        ...env,
      },
    })
  const json = (run: CliRun) => JSON.parse(run.stdout)
  const plan = (name: string, text: string) => {
    const path = join(temp.path, name)
    writeFileSync(path, text)
    return path
  }

  describe('an old classic site whose default group is confluence-users (classic-legacy seed)', () => {
    const fake = useFakeAtlassian({seed: 'classic-legacy'})
    const crawler = '712020:fake-1903-crawler'
    const legacyUsers = 'group-fake-1901'
    const note =
      'the site has no group confluence-users-acme: using confluence-users, which gives Confluence user access.'

    it('users grant-access adds the user to confluence-users, says so, and a re-run changes nothing', async () => {
      const run = await cli(fake, ['users', 'grant-access', crawler, '--json'])
      expect(run.code, run.stderr).to.equal(0)
      expect(json(run).notes).to.deep.equal([note])
      expect(json(run).items[0]).to.include({
        description: `give ${crawler} Confluence user access (add to confluence-users)`,
        outcome: 'done',
      })
      expect(isMember(fake, legacyUsers, crawler)).to.equal(true)

      const again = await cli(fake, ['users', 'grant-access', crawler])
      expect(again.code, again.stderr).to.equal(0)
      expect(again.stderr)
        .to.include(`Note: ${note}`)
        .and.to.match(/0 done, 1 already/)
      expect(byNameRequests(fake)).to.deep.equal([])
    })

    it('groups add-members --recommended users finds confluence-users by the access it gives', async () => {
      const run = await cli(fake, ['groups', 'add-members', '--recommended', 'users', '--user', crawler, '--json'])
      expect(run.code, run.stderr).to.equal(0)
      expect(json(run).items.map((i: {key: string}) => i.key)).to.deep.equal([`member:confluence-users:${crawler}`])
      expect(isMember(fake, legacyUsers, crawler)).to.equal(true)
      expect(byNameRequests(fake)).to.deep.equal([])
    })

    it('setup with the recommended users group adds members and grants View to confluence-users', async () => {
      const path = plan(
        'legacy.yaml',
        `groups: [{recommended: users, members: ['${crawler}']}]\nspaces: [{include: [ENG], grantView: {groups: [{recommended: users}]}}]\n`,
      )
      const run = await cli(fake, ['setup', path, '--yes', '--json'])
      expect(run.code, run.stderr).to.equal(0)
      expect(json(run).notes).to.deep.equal([note])
      expect(json(run).counts).to.include({blocked: 0, failed: 0})
      expect(isMember(fake, legacyUsers, crawler)).to.equal(true)
      expect(hasSpacePermission(fake, 'ENG', {id: legacyUsers, type: 'group'}, 'read', {direct: true})).to.equal(true)
      expect(byNameRequests(fake)).to.deep.equal([])
    })
    it('setup reads a group named in another case as the one the plan creates: created once, then granted View', async () => {
      const path = plan(
        'case.yaml',
        `groups: [{name: Crawlers, create: true, members: ['${crawler}']}]\nspaces: [{include: [ENG], grantView: {groups: [crawlers]}}]\n`,
      )
      const run = await cli(fake, ['setup', path, '--yes', '--json'])
      expect(run.code, run.stderr).to.equal(0)
      const created = fake.state.groups.filter((g) => g.name.toLowerCase() === 'crawlers')
      expect(created.map((g) => g.name)).to.deep.equal(['Crawlers'])
      expect(isMember(fake, created[0].id, crawler)).to.equal(true)
      expect(hasSpacePermission(fake, 'ENG', {id: created[0].id, type: 'group'}, 'read', {direct: true})).to.equal(true)
    })
  })

  describe('a 2026 site: renamed default groups, two directories, by-name gone (site-2026 seed)', () => {
    const fake = useFakeAtlassian({seed: 'site-2026'})
    const ADMIN_KEY = {CFADMIN_ADMIN_KEY: 'fake-admin-key-0001', CFADMIN_ORG_ID: 'org-fake-2026'}
    const crawler = '712020:fake-2603-crawler'
    const members = 'group-fake-2601'
    const siteAri = 'ari:cloud:confluence::site/cloud-fake-2026'

    it('users grant-access without a key uses acme-confluence-members (found by accessType) and names it', async () => {
      const run = await cli(fake, ['users', 'grant-access', crawler, '--json'])
      expect(run.code, run.stderr).to.equal(0)
      expect(json(run).notes).to.deep.equal([
        'the site has no group confluence-users-acme: using acme-confluence-members, which gives Confluence user access.',
      ])
      expect(isMember(fake, members, crawler)).to.equal(true)
      expect(byNameRequests(fake)).to.deep.equal([])
    })

    it('groups list --recommended shows the renamed groups that stand in for the default ones', async () => {
      const run = await cli(fake, ['groups', 'list', '--recommended', '--json'])
      expect(run.code, run.stderr).to.equal(0)
      const rows = json(run).groups.map((g: {name: string; exists: boolean}) => [g.name, g.exists])
      expect(rows).to.deep.include.members([
        ['acme-confluence-admins', true],
        ['acme-confluence-members', true],
        ['org-admins', true],
      ])
      expect(json(run).notes).to.have.length(2)
    })

    it('users grant-access with a key finds the crawler in the directory that holds the site users, not the first one', async () => {
      const run = await cli(fake, ['users', 'grant-access', 'crawler@acme.example', '--json'], ADMIN_KEY)
      expect(run.code, run.stderr).to.equal(0)
      expect(json(run).counts).to.include({done: 1, failed: 0})
      const roles = fake.state.roleAssignments.filter((r) => r.accountId === crawler && r.resourceId === siteAri)
      expect(roles.map((r) => r.roleId)).to.include('atlassian/user')
      expect(fake.requests.some((r) => r.path.includes('/directories/dir-fake-2601/groups'))).to.equal(false)
    })

    it('groups add-members finds "marketing" as Marketing (any case) through the picker, with the XSRF header', async () => {
      const run = await cli(fake, ['groups', 'add-members', 'marketing', '--user', crawler, '--json'])
      expect(run.code, run.stderr).to.equal(0)
      expect(isMember(fake, 'group-fake-2604', crawler)).to.equal(true)
      expect(fake.requests.some((r) => r.path === '/wiki/rest/api/group/picker')).to.equal(true)
      expect(byNameRequests(fake)).to.deep.equal([])
    })

    it('groups add-members org-admins is refused before sending, pointing to admin.atlassian.com (exit 3)', async () => {
      const run = await cli(fake, ['groups', 'add-members', 'org-admins', '--user', crawler], ADMIN_KEY)
      expect(run.code, run.stderr).to.equal(3)
      expect(run.stdout).to.include('add org admins in admin.atlassian.com')
      expect(isMember(fake, 'group-fake-2603', crawler)).to.equal(false)
      expect(fake.requests.filter((r) => r.path.endsWith('/memberships'))).to.deep.equal([])
    })

    it("setup sends the plan's `message:` as the invitation email text, and Atlassian emails the invitee", async () => {
      const path = plan('message.yaml', 'message: Access for the search crawler\nusers: [{email: bot@acme.example}]\n')
      const run = await cli(fake, ['setup', path, '--yes', '--json'], ADMIN_KEY)
      expect(run.code, run.stderr).to.equal(0)
      expect(json(run).notes).to.equal(undefined)
      expect(fake.state.sentInviteEmails.map((e) => [e.email, e.text])).to.deep.equal([
        ['bot@acme.example', 'Access for the search crawler'],
      ])
    })

    it('setup invites a user-access-admin as a user then assigns the role, and adds members to the renamed group', async () => {
      const path = plan(
        'site-2026.yaml',
        'users: [{email: helpdesk@acme.example, role: user-access-admin}]\ngroups: [{recommended: users, members: [crawler@acme.example]}]\n',
      )
      const run = await cli(fake, ['setup', path, '--yes', '--json'], ADMIN_KEY)
      expect(run.code, run.stderr).to.equal(0)
      const result = json(run)
      expect(result.counts).to.include({blocked: 0, failed: 0})
      expect(result.notes).to.include(
        'no invitation email went out: Atlassian sends one only with a text (`message:` in the plan); the invitees have access without it.',
      )
      const helpdesk = userByEmail(fake, 'helpdesk@acme.example')!
      expect(helpdesk.directoryId).to.equal('dir-fake-2602')
      const roles = fake.state.roleAssignments
        .filter((r) => r.accountId === helpdesk.accountId && r.resourceId === siteAri)
        .map((r) => r.roleId)
      expect(roles).to.include('atlassian/user-access-admin')
      expect(isMember(fake, members, crawler)).to.equal(true)
      expect(fake.state.sentInviteEmails).to.deep.equal([])
    })
  })
})
