import {copyFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {expect} from 'chai'

import {BaseCommand} from '../../src/lib/command.js'
import type {SetupResult} from '../../src/lib/setup/setup-report.js'
import {hasSpacePermission, isMember, writes} from '../../fake-atlassian/index.js'
import {useFakeAtlassian} from '../../fake-atlassian/use-fake.js'
import {projectRoot} from '../support/paths.js'
import {readmeExamplePlan} from '../support/readme.js'
import {runCommand} from '../support/run-command.js'
import {testIo} from '../support/test-io.js'
import {useLogin} from './support.js'

/** setup in-process (for coverage) against the fake Atlassian, logged in through the environment. */
describe('setup (command, against the fake Atlassian)', () => {
  const login = useLogin()
  const fake = useFakeAtlassian()
  const setup = (...args: string[]) => runCommand<SetupResult>(['setup', ...args])
  const site = (withAdminKey = false) => {
    Object.assign(process.env, {
      CFADMIN_API_TOKEN: 'fake-api-token-admin',
      CFADMIN_API_URL: fake.url,
      CFADMIN_SITE: fake.url,
    })
    if (withAdminKey)
      Object.assign(process.env, {CFADMIN_ADMIN_KEY: 'fake-admin-key-0001', CFADMIN_ORG_ID: 'org-fake-0001'})
    else process.env.CFADMIN_SITE_NAME = 'acme'
  }

  const outcome = (result: SetupResult | undefined, key: string) => result?.items.find((i) => i.key === key)
  const groupId = (name: string) => fake.state.groups.find((g) => g.name === name)!.id

  it('without an Admin key: invites through Confluence, gives roles through default groups, and fails only what needs an unknown account ID', async () => {
    site()
    const plan = login.file(
      'plan.yaml',
      `users:
  - email: newbie@acme.example
  - email: contractor@acme.example
    role: user-access-admin
groups:
  - name: site-crawlers
    create: true
    members: [invited, 712020:fake-0006-crawler]
spaces:
  - include: [ENG]
    grantView: {groups: [site-crawlers]}
exportMap: {from: ${join(login.dir, 'export.csv')}, to: map.json}
`,
    )
    writeFileSync(
      join(login.dir, 'export.csv'),
      'User id,email,User status\n712020:fake-0008-contractor,contractor@acme.example,Active\n',
    )
    const {result, stdout, stderr} = await setup(plan, '--yes', '--json')
    expect(process.exitCode, stderr).to.equal(3)
    expect(outcome(result, 'invite:newbie@acme.example')).to.include({
      detail: 'requested (Atlassian processes it asynchronously)',
      outcome: 'done',
      section: 'Users',
    })
    // The contractor's account ID came from the export: the role is the default group of the role.
    expect(outcome(result, 'access:user-access-admin:712020:fake-0008-contractor')).to.include({
      outcome: 'done',
      section: 'Roles',
    })
    expect(isMember(fake, groupId('confluence-user-access-admins-acme'), '712020:fake-0008-contractor')).to.equal(true)
    expect(outcome(result, 'member:site-crawlers:712020:fake-0006-crawler')).to.include({outcome: 'done'})
    const unknown = outcome(result, 'member:site-crawlers:newbie@acme.example')
    expect(unknown).to.include({outcome: 'failed'})
    expect(unknown?.reason).to.include('Confluence processes invitations asynchronously and cannot look up an email')
    expect(hasSpacePermission(fake, 'ENG', {id: groupId('site-crawlers'), type: 'group'})).to.equal(true)
    expect(outcome(result, 'map:map.json')).to.include({outcome: 'done', section: 'Map'})
    expect(JSON.parse(stdout).items.length).to.equal(result!.items.length)
  })

  it('--dry-run reports per section and changes nothing; a plan problem is exit 2 with its place', async () => {
    site(true)
    const plan = login.file('plan.yaml', 'groups: [{recommended: users, members: [712020:fake-0006-crawler]}]\n')
    const {result, stdout} = await setup(plan, '--dry-run')
    expect(result?.mode).to.equal('dry-run')
    expect(result?.items.map((i) => [i.section, i.outcome])).to.deep.equal([['Memberships', 'planned']])
    expect(stdout).to.match(/^Memberships \(1 to do\)$/m)
    expect(writes(fake, (r) => !/\/(search|workspaces)$/.test(r.path))).to.deep.equal([])

    const bad = login.file('bad.yaml', 'groups: [{recommended: user}]\n')
    const {error, stderr} = await setup(bad, '--dry-run')
    expect(error?.oclif?.exit).to.equal(2)
    expect(stderr).to.include(
      `${bad}:1:24: groups[0].recommended must be one of admins, user-access-admins, users, org-admins, not string "user" — did you mean \`users\`?`,
    )
  })

  describe('service accounts (never invited)', () => {
    const SA = 'search-crawler@serviceaccount.atlassian.com'
    const SA_ID = '712020:fake-0011-search-crawler'

    it('plans no invitation for one in `users`: its role, membership and View act on its account at once', async () => {
      site(true)
      const plan = login.file(
        'plan.yaml',
        `users: [{email: ${SA.toUpperCase()}, role: user}]
groups: [{name: bots, create: true, members: [invited]}]
spaces: [{include: [ENG], grantView: {users: [invited]}}]
`,
      )
      const {result, stderr} = await setup(plan, '--dry-run')
      expect(result?.items.map((i) => [i.section, i.key, i.outcome])).to.deep.equal([
        ['Roles', `access:user:${SA_ID}`, 'planned'],
        ['Groups', 'group:bots', 'planned'],
        ['Memberships', `member:bots:${SA_ID}`, 'planned'],
        ['Spaces', `view:ENG:user:${SA_ID}`, 'planned'],
      ])
      expect(stderr).to.include(`${SA} is a service account: it is not invited, it gets the user role directly.`)
      expect(stderr).to.not.include('no invitation email went out')
    })

    it('refuses one the directory does not have: exit 2 at its places in the plan, with the org list, before any change', async () => {
      site(true)
      const plan = login.file(
        'plan.yaml',
        `users: [{email: search-crawlr@serviceaccount.atlassian.com}]
spaces: [{include: [ENG], grantView: {users: [other@serviceaccount.atlassian.com]}}]
`,
      )
      const {error, stderr} = await setup(plan, '--yes')
      expect(error?.oclif?.exit).to.equal(2)
      expect((error as {code?: string} | undefined)?.code).to.equal('PLAN_INVALID')
      expect(stderr)
        .to.include(`${plan}:1:17: no service account has the email search-crawlr@serviceaccount.atlassian.com`)
        .and.include(`${plan}:2:47: no service account has the email other@serviceaccount.atlassian.com`)
        .and.include(`search-crawlr@serviceaccount.atlassian.com: did you mean ${SA}?`)
        .and.include(`  Search crawler <${SA}>`)
        .and.include(
          'Service accounts are created in admin.atlassian.com > Directory > Service accounts, never invited.',
        )
      expect(writes(fake, (r) => !/\/(search|workspaces)$/.test(r.path))).to.deep.equal([])
    })

    it('without an Admin key or an export to look one up in: exit 2, since one can never be invited', async () => {
      site()
      const plan = login.file(
        'plan.yaml',
        `users: [{email: ${SA}}]
`,
      )
      const {error, stderr} = await setup(plan, '--dry-run')
      expect(error?.oclif?.exit).to.equal(2)
      expect((error as {code?: string} | undefined)?.code).to.equal('EMAILS_NEED_ADMIN_KEY')
      expect(stderr).to.include('Log in with an Admin API key')
    })
  })

  describe('a plan that reaches for other files', () => {
    const TOKEN = 'fake-api-token-never-printed-0001'
    const KEY = 'fake-admin-key-never-printed-0002'

    it('setup --verify with exportMap.from: /proc/self/environ exits 2 without printing the environment', async () => {
      site(true)
      Object.assign(process.env, {CFADMIN_ADMIN_KEY: KEY, CFADMIN_API_TOKEN: TOKEN})
      const plan = login.file('plan.yaml', 'exportMap: {from: /proc/self/environ, to: map.csv}\n')
      for (const args of [
        [plan, '--verify'],
        [plan, '--verify', '--json'],
      ]) {
        const {error, stderr, stdout} = await setup(...args)
        expect(error?.oclif?.exit, stderr).to.equal(2)
        expect(stdout + stderr)
          .to.include('/proc/self/environ')
          .and.to.include("is outside the plan's folder")
        expect(stdout + stderr)
          .to.not.include(TOKEN)
          .and.to.not.include(KEY)
          .and.to.not.include('PATH=')
      }
    })

    it("an export without the expected columns is reported with a few header names, not the file's first line (table and --json)", async () => {
      site(true)
      const names = [
        'HOME=/home/admin',
        'SHELL=/bin/bash',
        'LANG=C.UTF-8',
        'USER=admin',
        'TERM=xterm',
        'PWD=/',
        `CFADMIN_API_TOKEN=${TOKEN}`,
        ...Array.from({length: 20}, (_, i) => `VAR${i}=${'v'.repeat(200)}`),
      ]
      login.file('export.csv', names.join(',') + '\n')
      const plan = login.file('plan.yaml', 'exportMap: {from: export.csv, to: map.csv}\n')
      const table = await setup(plan, '--verify')
      expect(process.exitCode, table.stderr).to.equal(3)
      expect(table.stdout).to.include(
        'Headers found: "HOME=/home/admin", "SHELL=/bin/bash", "LANG=C.UTF-8", "USER=admin", "TERM=xterm" and 22 more',
      )
      process.exitCode = undefined
      const json = await setup(plan, '--verify', '--json')
      const reason = json.result?.drift?.[0]?.reason ?? ''
      expect(reason).to.include('and 22 more')
      for (const output of [table.stdout + table.stderr, json.stdout + json.stderr])
        expect(output).to.not.include(TOKEN).and.to.not.include('v'.repeat(50))
    })
  })

  it("the README's example plan resolves on a site and its dry run fails nothing", async () => {
    site(true)
    process.env.CFADMIN_SITE_NAME = 'acme'
    copyFileSync(join(projectRoot, 'examples/users-export.csv'), join(login.dir, 'users-export.csv'))
    const plan = login.file('readme-plan.yaml', readmeExamplePlan())
    const {error, result, stderr, stdout} = await setup(plan, '--dry-run', '--json')
    expect(error, stdout + stderr).to.equal(undefined)
    expect(process.exitCode ?? 0, stderr).to.equal(0)
    expect(result?.counts).to.include({blocked: 0, failed: 0})
    expect(result?.items.map((i) => i.section)).to.include.members(['Users', 'Groups', 'Memberships', 'Spaces', 'Map'])
  })

  describe('the question before applying, on a terminal', () => {
    // The command's terminal is replaced through its dependencies: a terminal that answers as scripted.
    const onTerminal = (answer: boolean) => {
      const io = testIo({answers: [answer]})
      BaseCommand.replaceDeps = (deps) => ({...deps, io})
      return io
    }

    afterEach(() => {
      BaseCommand.replaceDeps = undefined
    })

    const MEMBER = '712020:fake-0006-crawler'
    const planFile = () => login.file('plan.yaml', `groups: [{recommended: users, members: [${MEMBER}]}]\n`)

    it('answered y, shows what it will change, asks once and applies it', async () => {
      site(true)
      const io = onTerminal(true)
      const {error, result, stderr, stdout} = await setup(planFile())
      expect(error, stderr).to.equal(undefined)
      expect(io.asked).to.deep.equal([`Apply 1 change(s) to ${fake.url}?`])
      expect(stdout).to.match(/^Memberships \(1 to do\)$/m)
      expect(result?.mode).to.equal('apply')
      expect(result?.items.map((i) => [i.section, i.outcome])).to.deep.equal([['Memberships', 'done']])
      expect(isMember(fake, groupId('confluence-users-acme'), MEMBER)).to.equal(true)
    })

    it('answered N, changes nothing, says so and exits 2', async () => {
      site(true)
      const io = onTerminal(false)
      const {error, stderr, stdout} = await setup(planFile())
      expect(io.asked).to.deep.equal([`Apply 1 change(s) to ${fake.url}?`])
      expect(error?.oclif?.exit).to.equal(2)
      expect(stderr).to.include('Cancelled: nothing was changed.')
      expect(stdout).to.match(/^Memberships \(1 to do\)$/m)
      expect(isMember(fake, groupId('confluence-users-acme'), MEMBER)).to.equal(false)
      expect(writes(fake, (r) => !/\/(search|workspaces)$/.test(r.path))).to.deep.equal([])
    })

    /** The reads a run sent, as "GET path?query", sorted: the checks and lookups, whatever order they ran in. */
    const reads = () =>
      fake.requests
        .filter((r) => r.method === 'GET')
        .map((r) => `GET ${r.path}?${new URLSearchParams(r.query as Record<string, string>)}`)
        .sort()

    it('answered y, reads the site once: the same reads and changes as --yes, none of them twice', async () => {
      site(true)
      const plan = planFile()
      const withYes = await setup(plan, '--yes')
      expect(withYes.error, withYes.stderr).to.equal(undefined)
      const readsWithYes = reads()
      const writesWithYes = writes(fake).map((r) => `${r.method} ${r.path}`)
      fake.reset()

      const io = onTerminal(true)
      const asked = await setup(plan)
      expect(asked.error, asked.stderr).to.equal(undefined)
      expect(io.asked).to.have.length(1)
      expect(readsWithYes.length).to.be.greaterThan(0)
      expect(reads()).to.deep.equal(readsWithYes)
      expect(writes(fake).map((r) => `${r.method} ${r.path}`)).to.deep.equal(writesWithYes)
      expect(asked.result?.items.map((i) => [i.key, i.outcome])).to.deep.equal(
        withYes.result?.items.map((i) => [i.key, i.outcome]),
      )
    })

    it('answered N, lets the next run of the same plan start at once (the journal is let go)', async () => {
      site(true)
      onTerminal(false)
      const plan = planFile()
      const cancelled = await setup(plan)
      expect(cancelled.error?.oclif?.exit).to.equal(2)
      const next = await setup(plan, '--yes')
      expect(next.error, next.stderr).to.equal(undefined)
      expect(next.result?.items.map((i) => [i.section, i.outcome])).to.deep.equal([['Memberships', 'done']])
    })

    it('without a terminal and without --yes, asks nothing and stops with exit 2 before any request', async () => {
      site(true)
      const io = testIo({tty: false})
      BaseCommand.replaceDeps = (deps) => ({...deps, io})
      const {error, stderr} = await setup(planFile())
      expect(error?.oclif?.exit).to.equal(2)
      expect(stderr).to.include('there is no terminal to ask on')
      expect(io.asked).to.deep.equal([])
      expect(fake.requests).to.deep.equal([])
    })
  })
})
