import {copyFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {expect} from 'chai'

import {hasConfluenceAccess, hasSpacePermission, isMember, writes} from '../../fake-atlassian/index.js'
import {useFakeAtlassian} from '../../fake-atlassian/use-fake.js'
import {projectRoot} from '../support/paths.js'
import {type CliRun, runCli} from '../support/run-cli.js'
import {useTempDir} from '../support/temp-dir.js'

const LOGIN = {
  CFADMIN_ADMIN_KEY: 'fake-admin-key-0001',
  CFADMIN_API_TOKEN: 'fake-api-token-admin',
  CFADMIN_EMAIL: 'admin@acme.example',
  CFADMIN_ORG_ID: 'org-fake-0001',
}
/** The default seed's service account (atlassian-2026.md §4b). */
const SERVICE_ACCOUNT = 'search-crawler@serviceaccount.atlassian.com'
const SERVICE_ACCOUNT_ID = '712020:fake-0011-search-crawler'
const CREATE_IT = 'create the service account in admin.atlassian.com > Directory > Service accounts'
/** Invitations of either route. */
const INVITES = /\/users\/invite$|invite-by-email$/

describe('service accounts against the fake Atlassian: never invited, looked up, given access like users', function () {
  this.timeout(60_000)
  const fake = useFakeAtlassian()
  const temp = useTempDir('cfadmin-e2e-service-accounts-')

  const cli = (args: string[], login: Record<string, string> = LOGIN): Promise<CliRun> =>
    runCli(args, {
      env: {CFADMIN_API_URL: fake.url, CFADMIN_CONFIG_DIR: join(temp.path, 'config'), CFADMIN_SITE: fake.url, ...login},
    })
  const plan = (text: string) => {
    const path = join(temp.path, 'plan.yaml')
    writeFileSync(path, text)
    return path
  }

  /** Writes the fake accepted, read-only searches left out. */
  const changes = () => writes(fake, (r) => !/\/(search|workspaces|check-access-by-email)$/.test(r.path))

  describe('setup', () => {
    it('examples/service-account.yaml: --dry-run shows no invitation; the apply sends none and gives role, group and View', async () => {
      copyFileSync(join(projectRoot, 'examples/service-account.yaml'), join(temp.path, 'service-account.yaml'))
      const path = join(temp.path, 'service-account.yaml')
      const dry = await cli(['setup', path, '--dry-run'])
      expect(dry.code, dry.stderr).to.equal(0)
      expect(dry.stdout)
        .to.not.match(/^Users \(/m)
        .and.not.include('invite')
      expect(dry.stdout).to.match(/^Roles \(1 to do\)/m)
      expect(dry.stderr).to.include(`${SERVICE_ACCOUNT} is a service account: it is not invited`)
      expect(changes()).to.deep.equal([])

      const applied = await cli(['setup', path, '--yes', '--json'])
      expect(applied.code, applied.stderr).to.equal(0)
      expect(writes(fake, {path: INVITES}), 'no invitation sent').to.deep.equal([])
      const group = fake.state.groups.find((g) => g.name === 'search-crawler-readers')!.id
      expect(hasConfluenceAccess(fake, SERVICE_ACCOUNT_ID)).to.equal(true)
      expect(isMember(fake, group, SERVICE_ACCOUNT_ID)).to.equal(true)
      expect(hasSpacePermission(fake, 'ENG', {id: group, type: 'group'})).to.equal(true)

      const made = changes().length
      const again = await cli(['setup', path, '--yes', '--json'])
      expect(again.code, again.stderr).to.equal(0)
      expect(JSON.parse(again.stdout).counts).to.include({done: 0, failed: 0})
      expect(changes(), 'a second run changes nothing').to.have.length(made)
    })

    it("a service account that does not exist: exit 2 before any change, how to create it, and the org's to pick from", async () => {
      const path = plan(`users:
  - email: search-crawlr@serviceaccount.atlassian.com
groups:
  - name: crawler-readers
    create: true
    members: [invited]
spaces:
  - include: [ENG]
    grantView: {groups: [crawler-readers]}
`)
      const run = await cli(['setup', path, '--yes'])
      expect(run.code, run.stderr).to.equal(2)
      expect(run.stderr)
        .to.include(`${path}:2:12: no service account has the email search-crawlr@serviceaccount.atlassian.com`)
        .and.include(CREATE_IT)
        .and.include(`search-crawlr@serviceaccount.atlassian.com: did you mean ${SERVICE_ACCOUNT}?`)
        .and.include(`Search crawler <${SERVICE_ACCOUNT}>`)
      expect(changes()).to.deep.equal([])
      expect(writes(fake, {path: INVITES})).to.deep.equal([])
    })

    it('without the right to read the listing: the same exit 2, without the list', async () => {
      fake.state.behaviour.serviceAccountListing = 403
      const path = plan('groups:\n  - name: marketing\n    members: [robot@serviceaccount.atlassian.com]\n')
      const run = await cli(['setup', path, '--yes'])
      expect(run.code, run.stderr).to.equal(2)
      expect(run.stderr).to.include('no service account has the email robot@serviceaccount.atlassian.com')
      expect(run.stderr).to.include(CREATE_IT).and.not.include(SERVICE_ACCOUNT)
      expect(changes()).to.deep.equal([])
    })
  })

  describe('users invite', () => {
    it('gives an existing service account the role instead of inviting it, and a re-run changes nothing', async () => {
      const first = await cli(['users', 'invite', SERVICE_ACCOUNT.toUpperCase(), 'new.person@acme.example', '--json'])
      expect(first.code, first.stderr).to.equal(0)
      const invites = writes(fake, {path: INVITES})
      expect(invites.map((r) => (r.body as {emails: string[]}).emails)).to.deep.equal([['new.person@acme.example']])
      expect(hasConfluenceAccess(fake, SERVICE_ACCOUNT_ID)).to.equal(true)
      const made = changes().length
      const again = await cli(['users', 'invite', SERVICE_ACCOUNT, '--json'])
      expect(again.code, again.stderr).to.equal(0)
      expect(changes()).to.have.length(made)
    })

    it('a missing service account: exit 2 with the list, nobody invited (not even the others)', async () => {
      const run = await cli(['users', 'invite', 'new.person@acme.example', 'nobody@serviceaccount.atlassian.com'])
      expect(run.code, run.stderr).to.equal(2)
      expect(run.stderr)
        .to.include('No service account has the email nobody@serviceaccount.atlassian.com (argument 2)')
        .and.include(`Search crawler <${SERVICE_ACCOUNT}>`)
        .and.include('Create the service account in admin.atlassian.com')
      expect(changes()).to.deep.equal([])
    })

    it('without an Admin key: exit 2, since only the Admin API can look a service account up', async () => {
      const run = await cli(['users', 'invite', SERVICE_ACCOUNT], {
        CFADMIN_API_TOKEN: LOGIN.CFADMIN_API_TOKEN,
        CFADMIN_EMAIL: LOGIN.CFADMIN_EMAIL,
      })
      expect(run.code, run.stderr).to.equal(2)
      expect(run.stderr).to.include('is a service account: service accounts are never invited')
      expect(changes()).to.deep.equal([])
    })
  })

  describe('users find', () => {
    it('marks service accounts in the table (Kind) and in --json (serviceAccount)', async () => {
      const table = await cli(['users', 'find', SERVICE_ACCOUNT, 'reader@acme.example'])
      expect(table.code, table.stderr).to.equal(0)
      const line = (text: string) => table.stdout.split('\n').find((l) => l.includes(text)) ?? ''
      expect(line(SERVICE_ACCOUNT)).to.include('service account')
      expect(line('reader@acme.example')).to.not.include('service account')
      const asJson = await cli(['users', 'find', SERVICE_ACCOUNT, 'reader@acme.example', '--json'])
      expect(
        JSON.parse(asJson.stdout).users.map((u: {input: string; serviceAccount: boolean}) => [
          u.input,
          u.serviceAccount,
        ]),
      ).to.deep.equal([
        [SERVICE_ACCOUNT, true],
        ['reader@acme.example', false],
      ])
    })
  })
})
