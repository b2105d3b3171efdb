import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {expect} from 'chai'

import {useFakeAtlassian} from '../../fake-atlassian/use-fake.js'
import {type CliRun, runCli} from '../support/run-cli.js'
import {useTempDir} from '../support/temp-dir.js'

const ADMIN_TOKEN = 'fake-api-token-admin'
const ADMIN_KEY = 'fake-admin-key-0001'
const DAY = 86_400_000

describe('credential expiry: recorded at login, auth status, --all-tokens and the daily warning (fake Atlassian)', function () {
  this.timeout(60_000)
  const fake = useFakeAtlassian()
  const temp = useTempDir('cfadmin-e2e-expiry-')
  let configDir: string
  let env: Record<string, string>

  beforeEach(() => {
    configDir = join(temp.path, 'config')
    env = {CFADMIN_API_URL: fake.url, CFADMIN_AUTH_URL: fake.url, CFADMIN_CONFIG_DIR: configDir}
  })

  const cli = (args: string[], stdin?: string): Promise<CliRun> => runCli(args, {env, stdin})
  const login = (extra: string[] = [], withKey = true) =>
    cli(
      [
        'auth',
        'login',
        '--site',
        fake.url,
        '--email',
        'admin@acme.example',
        '--with-token',
        ...(withKey ? ['--with-admin-key'] : []),
        ...extra,
      ],
      withKey ? `${ADMIN_TOKEN}\n${ADMIN_KEY}\n` : `${ADMIN_TOKEN}\n`,
    )
  const profile = () => JSON.parse(readFileSync(join(configDir, 'profiles.json'), 'utf8')).profiles.default
  const adminTokenRecord = () => fake.state.apiTokenRecords.find((r) => r.token === ADMIN_TOKEN)!
  const inDays = (days: number) => new Date(fake.clock.now() + days * DAY).toISOString()

  it("records at login the expiry the Admin API's listing gives for the API token and the Admin key", async () => {
    const run = await login()
    expect(run.code, run.stderr).to.equal(0)
    const saved = profile()
    expect(saved.apiToken.expiry).to.include({expiresAt: adminTokenRecord().expiresAt, source: 'api-access'})
    expect(saved.adminKey.expiry).to.include({expiresAt: fake.state.adminKeys[0].expiresAt, source: 'api-access'})
    expect(run.stdout).to.match(/The API token expires \d{4}-\d{2}-\d{2} \(in 29\d days/)
    expect(run.stderr).not.to.include('Warning')
  })

  it('logs in all the same when the Admin key may not read the listing, recording no expiry it cannot know', async () => {
    fake.state.adminKeys[0].scopes = ['read:directories:admin', 'read:workspaces:admin']
    const run = await login()
    expect(run.code, run.stderr).to.equal(0)
    expect(profile().apiToken.expiry).to.equal(undefined)
    expect(profile().adminKey.expiry).to.equal(undefined)
    expect(run.stdout).not.to.include('expires')
  })

  it('takes the date given with --expires when no Admin key can tell, and auth status warns of it within 14 days', async () => {
    const date = inDays(10).slice(0, 10)
    const run = await login(['--expires', date], false)
    expect(run.code, run.stderr).to.equal(0)
    expect(profile().apiToken.expiry).to.include({expiresAt: `${date}T00:00:00.000Z`, source: 'given'})
    expect(run.stderr).to.match(/Warning: the API token expires \S+ \(in (9|10) days\), the date given at login/)

    const status = await cli(['auth', 'status'])
    expect(status.code, status.stderr).to.equal(0)
    expect(status.stdout).to.include(`expires ${date}`)
    expect(status.stderr).to.include('Warning: the API token of admin@acme.example (profile "default") expires')
    expect(status.stderr).to.include('id.atlassian.com')

    const json = await cli(['auth', 'status', '--json'])
    const token = JSON.parse(json.stdout).profiles[0].credentials.find((c: {kind: string}) => c.kind === 'api-token')
    expect(token).to.include({expiresAt: `${date}T00:00:00.000Z`, expirySource: 'given'})
  })

  it('refuses a --expires value that is not a date, or is past, with exit 2 naming the flag and the form', async () => {
    for (const bad of ['next year', '2027-02-30', '2020-01-01']) {
      const run = await login(['--expires', bad], false)
      expect(run.code, bad).to.equal(2)
      expect(run.stderr, bad).to.include('--expires').and.to.include('YYYY-MM-DD')
    }
  })

  it('auth status refreshes expiry and last use from the listing, and exits 4 once a credential has expired', async () => {
    // The admin holds one token here: with several, the listing cannot tell which one the profile holds (the soonest
    // live one counts), and the seed's scoped token would be that one.
    const admin = fake.state.users.find((u) => u.email === 'admin@acme.example')!
    admin.apiTokens = admin.apiTokens.filter((t) => t === ADMIN_TOKEN)
    fake.state.apiTokenRecords = fake.state.apiTokenRecords.filter(
      (r) => r.accountId !== admin.accountId || r.token === ADMIN_TOKEN,
    )
    expect((await login()).code).to.equal(0)
    const json = await cli(['auth', 'status', '--json'])
    expect(json.code, json.stderr).to.equal(0)
    const key = JSON.parse(json.stdout).profiles[0].credentials.find((c: {kind: string}) => c.kind === 'admin-key')
    expect(key).to.include({expiresAt: fake.state.adminKeys[0].expiresAt, expirySource: 'api-access'})
    expect(key.lastActiveAt).to.be.a('string')

    // Atlassian's side moves on: the token now expired an hour ago (the fake refuses it too).
    adminTokenRecord().expiresAt = inDays(-1 / 24)
    const status = await cli(['auth', 'status'])
    expect(status.code).to.equal(4)
    expect(status.stderr).to.include('Warning: the API token of admin@acme.example (profile "default") expired on')
    expect(profile().apiToken.expiry.expiresAt).to.equal(adminTokenRecord().expiresAt)
  })

  it('exits 4 when the expiry the profile recorded has passed, even while the listing cannot be read', async () => {
    expect((await login()).code).to.equal(0)
    // The key now has scopes without read:tokens:admin, and the date recorded (say, given at login) is past.
    fake.state.adminKeys[0].scopes = ['read:directories:admin']
    const file = join(configDir, 'profiles.json')
    const stored = JSON.parse(readFileSync(file, 'utf8'))
    stored.profiles.default.apiToken.expiry = {checkedAt: inDays(-30), expiresAt: inDays(-1), source: 'given'}
    writeFileSync(file, JSON.stringify(stored), {mode: 0o600})
    const status = await cli(['auth', 'status'])
    expect(status.code).to.equal(4)
    expect(status.stderr).to.include('expired on').and.to.include('holds an expired credential')
  })

  it('--all-tokens --within 30d lists the tokens and keys that expire within 30 days, soonest first, with owner and last use', async () => {
    expect((await login()).code).to.equal(0)
    fake.state.adminKeys[0].expiresAt = inDays(12)
    const json = await cli(['auth', 'status', '--all-tokens', '--within', '30d', '--json'])
    expect(json.code, json.stderr).to.equal(0)
    const result = JSON.parse(json.stdout)
    expect(result.credentials.map((c: {kind: string; owner: string}) => [c.kind, c.owner])).to.deep.equal([
      ['admin-key', 'admin@acme.example'],
      ['api-token', 'reader@acme.example'],
    ])
    expect(result.credentials[1]).to.include({label: 'reading bot'})

    const table = await cli(['auth', 'status', '--all-tokens'])
    expect(table.stdout).to.include('2 of organization org-fake-0001 expire within 30 days')
    expect(table.stdout).to.match(/EXPIRES\s+KIND\s+OWNER\s+NAME\s+LAST USED/)
    expect(table.stdout).to.include('reading bot')

    const wide = await cli(['auth', 'status', '--all-tokens', '--within', '52w', '--json'])
    expect(JSON.parse(wide.stdout).credentials.length).to.be.greaterThan(2)
  })

  it('--all-tokens: a bad --within is exit 2; no key, or a key without the scopes, is exit 4 saying what is needed', async () => {
    const bad = await cli(['auth', 'status', '--all-tokens', '--within', '30 days'])
    expect(bad.code).to.equal(2)
    expect(bad.stderr).to.include('--within').and.to.include('30d')

    expect((await login([], false)).code).to.equal(0)
    const noKey = await cli(['auth', 'status', '--all-tokens'])
    expect(noKey.code).to.equal(4)
    expect(noKey.stderr).to.include('no Admin API key').and.to.include('read:tokens:admin')

    expect((await login()).code).to.equal(0)
    fake.state.adminKeys[0].scopes = ['read:keys:admin']
    const scoped = await cli(['auth', 'status', '--all-tokens'])
    expect(scoped.code).to.equal(4)
    expect(scoped.stderr).to.include('read:tokens:admin')
  })

  it('any command warns on stderr once a day when a credential of its profile expires within 14 days, never on --json stdout', async () => {
    adminTokenRecord().expiresAt = inDays(5)
    expect((await login()).code).to.equal(0)
    const requestsBefore = fake.requests.length
    const first = await cli(['sites', 'info', '--json'])
    expect(first.code, first.stderr).to.equal(0)
    expect(first.stderr).to.match(
      /Warning: the API token of admin@acme\.example \(profile "default"\) expires \S+ \(in [45] days\)/,
    )
    expect(() => JSON.parse(first.stdout)).not.to.throw()
    expect(first.stdout).not.to.include('Warning')

    const second = await cli(['sites', 'info', '--json'])
    expect(second.code, second.stderr).to.equal(0)
    expect(second.stderr).not.to.include('Warning')
    // The warning reads the profile only: no listing is asked for.
    expect(fake.requests.slice(requestsBefore).filter((r) => r.path.includes('/api-access/'))).to.deep.equal([])
  })
})
