import {writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {expect} from 'chai'

import {hasSpacePermission, isMember, userByEmail, writes} from '../../fake-atlassian/index.js'
import {useFakeAtlassian} from '../../fake-atlassian/use-fake.js'
import {type CliRun, runCli} from '../support/run-cli.js'
import {useTempDir} from '../support/temp-dir.js'

/** A setup plan that invites a user, creates a group for them and grants both View, plus a grant to an older group. */
const PLAN = `users: [{email: ann@acme.example}]
groups: [{name: crawlers, create: true, members: [invited]}]
spaces:
  - include: [ENG, HR]
    grantView: {groups: [crawlers], users: [invited]}
  - include: [OPS]
    grantView: {groups: [marketing]}
`

interface Item {
  key: string
  outcome: string
  reason?: string
}

describe('setup when Atlassian takes time to make new groups and users known to Confluence', function () {
  this.timeout(60_000)
  const fake = useFakeAtlassian()
  const temp = useTempDir('cfadmin-e2e-propagation-')

  const setup = (...args: string[]): Promise<CliRun> => {
    const path = join(temp.path, 'plan.yaml')
    writeFileSync(path, PLAN)
    return runCli(['setup', path, '--yes', ...args], {
      env: {
        CFADMIN_ADMIN_KEY: 'fake-admin-key-0001',
        CFADMIN_API_TOKEN: 'fake-api-token-admin',
        CFADMIN_API_URL: fake.url,
        CFADMIN_CONFIG_DIR: join(temp.path, 'config'),
        CFADMIN_EMAIL: 'admin@acme.example',
        CFADMIN_ORG_ID: 'org-fake-0001',
        CFADMIN_SITE: fake.url,
      },
    })
  }

  const outcomes = (run: CliRun) =>
    Object.fromEntries((JSON.parse(run.stdout).items as Item[]).map((i) => [i.key, [i.outcome, i.reason]]))
  /** The View grants Atlassian accepted, as "space subject": a grant sent again would show twice. */
  const acceptedGrants = () =>
    writes(fake, {path: /\/permission$/}).map(
      (r) => `${r.path.split('/').at(-2)} ${(r.body as {subject: {identifier: string}}).subject.identifier}`,
    )

  it('waits for the new group and the invited user, says so, and grants each View once (exit 0)', async () => {
    fake.state.behaviour.propagationDelayMs = 1500
    const run = await setup('--wait-for-propagation', '10s')
    expect(run.code, run.stderr).to.equal(0)
    expect(run.stderr).to.match(/waiting for Atlassian to make group crawlers known to Confluence \(\d+ s so far\)/)
    const group = fake.state.groups.find((g) => g.name === 'crawlers')!.id
    const ann = userByEmail(fake, 'ann@acme.example')!.accountId
    expect(isMember(fake, group, ann)).to.equal(true)
    for (const key of ['ENG', 'HR']) {
      expect(hasSpacePermission(fake, key, {id: group, type: 'group'}), key).to.equal(true)
      expect(hasSpacePermission(fake, key, {id: ann, type: 'user'}, 'read', {direct: true}), key).to.equal(true)
    }

    const grants = acceptedGrants()
    expect(grants).to.have.members([`ENG ${group}`, `HR ${group}`, `ENG ${ann}`, `HR ${ann}`, 'OPS group-fake-0006'])
    expect(writes(fake, {path: /\/groups$/}), 'the group created once').to.have.length(1)
    expect(writes(fake, {path: /\/users\/invite$/}), 'the user invited once').to.have.length(1)
    // Confluence was asked before it knew them: those answers were "not found", and the grants went through later.
    expect(fake.requests.filter((r) => r.path.endsWith('/permission') && r.status === 400)).to.not.have.length(0)
  })

  it('past --wait-for-propagation the grants on the new group and user fail with the reason, and the rest is done (exit 3)', async () => {
    fake.state.behaviour.propagationDelayMs = 60_000
    const run = await setup('--wait-for-propagation', '2s', '--json')
    expect(run.code, run.stderr).to.equal(3)
    const items = outcomes(run)
    for (const key of ['ENG', 'HR']) {
      const group = fake.state.groups.find((g) => g.name === 'crawlers')!.id
      const ann = userByEmail(fake, 'ann@acme.example')!.accountId
      expect(items[`view:${key}:group:group crawlers`] ?? items[`view:${key}:group:${group}`]).to.deep.equal([
        'failed',
        'Atlassian has not yet made group crawlers known to Confluence; run again later',
      ])
      expect(items[`view:${key}:user:ann@acme.example`] ?? items[`view:${key}:user:${ann}`]).to.deep.equal([
        'failed',
        'Atlassian has not yet made ann@acme.example known to Confluence; run again later',
      ])
    }

    expect(items['invite:ann@acme.example'][0]).to.equal('done')
    expect(items['group:crawlers'][0]).to.equal('done')
    expect(items['view:OPS:group:group-fake-0006'][0]).to.equal('done')
    expect(acceptedGrants()).to.deep.equal(['OPS group-fake-0006'])
  })

  it('refuses a --wait-for-propagation that is not a duration, naming the flag and the forms, before any request', async () => {
    const run = await setup('--wait-for-propagation', '5 minutes')
    expect(run.code).to.equal(2)
    expect(run.stderr).to.include('--wait-for-propagation takes a duration such as 30s, 5m or 1h, not "5 minutes"')
    expect(fake.requests).to.deep.equal([])
  })
})
