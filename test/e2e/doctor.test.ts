import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {expect} from 'chai'

import {defaultSeedCredentials as seed, defaultSeedIds as ids} from '../../fake-atlassian/credentials.js'
import {useFakeAtlassian} from '../../fake-atlassian/use-fake.js'
import {CONNECTOR_CALLS} from '../../src/lib/doctor/connector-calls.js'
import {runDoctor} from '../../src/lib/doctor/runner.js'
import type {Profile} from '../../src/lib/session/profile.js'
import {ProfileStore} from '../../src/lib/session/profile-store.js'
import {type CliRun, runCli} from '../support/run-cli.js'
import {useTempDir} from '../support/temp-dir.js'

interface Check {
  id: string
  status: 'ok' | 'warn' | 'fail'
  title: string
  reason?: string
  fix?: string
}

const PRESETS = ['crawler', 'amazon-q', 'snow-atlas', 'kore', 'read-all', 'admin']
/** The connector's profile of each credential kind; "default" holds the admin's classic token (coverage). */
const KINDS = ['classic', 'scoped', 'oauth', 'service-account'] as const
const ORG_ADMINS = 'group-fake-0004'
const FAR = '2099-01-01'

describe('cfadmin doctor, against the fake Atlassian', function () {
  this.timeout(60_000)
  const fake = useFakeAtlassian()
  const temp = useTempDir('cfadmin-e2e-doctor-', {each: false})
  const configDir = () => join(temp.path, 'config')
  const env = () => ({CFADMIN_API_URL: fake.url, CFADMIN_AUTH_URL: fake.url, CFADMIN_CONFIG_DIR: configDir()})
  const cli = (args: string[], options: {env?: Record<string, string>; stdin?: string} = {}): Promise<CliRun> =>
    runCli(args, {env: {...env(), ...options.env}, stdin: options.stdin})
  const profilesPath = () => join(configDir(), 'profiles.json')
  const editProfiles = (edit: (profiles: Record<string, Profile>) => void) => {
    const file = JSON.parse(readFileSync(profilesPath(), 'utf8'))
    edit(file.profiles)
    writeFileSync(profilesPath(), JSON.stringify(file), {mode: 0o600})
  }

  const tokenLogin = async (profile: string, login: {email: string; token: string}, expires = FAR) => {
    const run = await cli(
      [
        'auth',
        'login',
        '--site',
        fake.url,
        '--email',
        login.email,
        '--with-token',
        '--expires',
        expires,
        '--profile',
        profile,
      ],
      {stdin: `${login.token}\n`},
    )
    expect(run.code, run.stderr).to.equal(0)
  }

  /** The seed's service account logged in with its client credentials, the secret's expiry given. */
  const serviceAccountLogin = (profile: string, expires: string) =>
    cli(
      [
        'auth',
        'login',
        '--client-credentials',
        '--client-id',
        seed.serviceAccount.clientId,
        '--site',
        fake.url,
        '--profile',
        profile,
        '--expires',
        expires,
      ],
      {env: {CFADMIN_CLIENT_SECRET: seed.serviceAccount.clientSecret}},
    )

  /** The admin and the service account view every space through the group org-admins, never on their own. */
  const accessThroughGroup = () => {
    for (const permission of fake.state.spacePermissions)
      if (permission.principal.type === 'user' && permission.principal.id === ids.accounts.admin)
        permission.principal = {id: ORG_ADMINS, type: 'group'}
    fake.state.memberships.push({accountId: ids.accounts.crawlerBot, groupId: ORG_ADMINS})
    // The credentials get the scopes of the presets' calls they lack in the seed.
    for (const credentials of fake.state.clientCredentials)
      credentials.scopes.push(
        'read:configuration:confluence',
        'read:page:confluence',
        'read:content-details:confluence',
      )
    for (const token of fake.state.oauthTokens)
      if (token.accessToken === seed.oauthAccessToken) token.scopes.push('read:page:confluence')
    for (const token of fake.state.users.find((u) => u.accountId === ids.accounts.admin)!.apiTokens ?? [])
      if (typeof token === 'object' && token.token === seed.scopedToken.token)
        token.scopes?.push('read:page:confluence')
  }

  const doctor = (profileName: string, preset?: string, adminProfile?: string) =>
    runDoctor({adminProfile, env: env(), preset, profileName, store: new ProfileStore(configDir())})
  const writes = () => fake.requests.filter((r) => r.method !== 'GET' && r.path !== '/oauth/token')

  before(async () => {
    await tokenLogin('default', seed.adminToken)
    await tokenLogin('classic', seed.adminToken)
    await tokenLogin('scoped', seed.scopedToken)
    const sa = await serviceAccountLogin('service-account', FAR)
    expect(sa.code, sa.stderr).to.equal(0)
    // A 3LO grant handed to the connector (as cfadmin auth token leaves it): the seed's ready-made access token.
    editProfiles((profiles) => {
      profiles.oauth = {
        oauth: {
          accessToken: seed.oauthAccessToken,
          clientId: seed.oauthApp.clientId,
          clientSecret: seed.oauthApp.clientSecret,
          expiresAt: '2099-01-01T00:00:00.000Z',
          handedOverAt: new Date().toISOString(),
          preset: 'crawler',
          refreshToken: 'fake-refresh-token-doctor',
          scopes: [],
        },
        site: profiles.default.site,
      }
    })
  })

  beforeEach(accessThroughGroup)

  it('finds every check ok for each preset with each kind of credential, and sends no write', async () => {
    for (const kind of KINDS)
      for (const preset of PRESETS) {
        const {exit, result} = await doctor(kind, preset)
        const notOk = result.checks.filter((c) => c.status !== 'ok')
        expect(notOk, `${kind} ${preset}`).to.deep.equal([])
        expect(exit, `${kind} ${preset}`).to.equal(0)

        const calls = result.checks.filter((c) => c.id.startsWith('call:')).map((c) => c.id)
        expect(calls, `${kind} ${preset}`).to.deep.equal(CONNECTOR_CALLS[preset].map((name) => `call:${name}`))
        if (preset === 'crawler')
          expect(result.checks.map((c) => c.id)).to.include.members(['coverage', 'access-route'])
      }

    expect(writes()).to.deep.equal([])
  })

  it('prints one line per check with its mark, the counts, and exit 0; --json gives the checks and the summary', async () => {
    const run = await cli(['doctor', '--profile', 'scoped'])
    expect(run.code, run.stderr).to.equal(0)
    expect(run.stdout).to.match(/^\[ok] +Credential: a scoped API token, on the gateway/m)
    expect(run.stdout).to.match(/\d+ ok, 0 warning\(s\), 0 failed\./)
    const json = await cli(['doctor', '--profile', 'oauth', '--json'])
    expect(json.code, json.stderr).to.equal(0)
    const out = JSON.parse(json.stdout)
    expect(out.summary).to.deep.equal({fail: 0, ok: out.checks.length, warn: 0})
    expect(out.checks.find((c: Check) => c.id === 'expiry').reason).to.include('connector owns the refresh token')
    expect(writes()).to.deep.equal([])
  })

  it('says a scoped token in a profile that says classic is refused on the site and taken by the gateway (exit 4)', async () => {
    editProfiles((profiles) => {
      profiles.mislabelled = {...profiles.scoped, apiToken: {...profiles.scoped.apiToken!, kind: undefined}}
    })
    const run = await cli(['doctor', '--profile', 'mislabelled', '--json'])
    expect(run.code, run.stderr).to.equal(4)
    const [credential] = JSON.parse(run.stdout).checks as Check[]
    expect(credential).to.include({id: 'credential', status: 'fail'})
    expect(credential.reason).to.include('This is a scoped token but the profile says classic')
    expect(credential.fix).to.include('auth login --email admin@acme.example --with-token --profile mislabelled')
  })

  it('names the missing scope of a call the connector makes (exit 3)', async () => {
    fake.state.clientCredentials[0].scopes = fake.state.clientCredentials[0].scopes.filter(
      (s) => s !== 'read:confluence-groups' && s !== 'read:group:confluence',
    )
    const run = await cli(['doctor', '--profile', 'service-account', '--for', 'crawler', '--json'])
    expect(run.code, run.stderr).to.equal(3)
    const groups = (JSON.parse(run.stdout).checks as Check[]).find((c) => c.id === 'call:groups')!
    expect(groups.status).to.equal('fail')
    expect(groups.reason).to.include('read:confluence-groups')
    expect(groups.fix).to.include('Service accounts')
  })

  it('with a 3LO grant of few scopes, fails each call it may not make, naming the scope and the login that adds it', async () => {
    editProfiles((profiles) => {
      profiles.limited = {
        ...profiles.oauth,
        oauth: {...profiles.oauth.oauth!, accessToken: seed.readerOAuthAccessToken},
      }
    })
    const {exit, result} = await doctor('limited', 'crawler')
    expect(exit).to.equal(3)
    const byId = new Map(result.checks.map((c) => [c.id, c]))
    expect(byId.get('credential')).to.include({status: 'ok'})
    expect(byId.get('call:list-spaces')).to.include({status: 'ok'})
    expect(byId.get('call:space-pages')).to.include({status: 'fail'})
    expect(byId.get('call:space-pages')!.reason).to.include('read:page:confluence')
    expect(byId.get('call:space-pages')!.fix).to.include('cfadmin auth login --oauth')
  })

  it('fails the product access of an account without Confluence, with the fix', async () => {
    fake.state.users.find((u) => u.accountId === ids.accounts.admin)!.noConfluenceAccess = true
    const {exit, result} = await doctor('scoped')
    expect(exit).to.equal(3)
    const access = result.checks.find((c) => c.id === 'product-access')!
    expect(access.status).to.equal('fail')
    expect(access.fix).to.include('Confluence product access')
    expect(result.checks.find((c) => c.id === 'credential')!.status).to.equal('ok')
  })

  it('fails an expired token and warns of one that expires within 14 days', async () => {
    editProfiles((profiles) => {
      const expiry = (days: number) => ({
        checkedAt: new Date().toISOString(),
        expiresAt: new Date(Date.now() + days * 86_400_000).toISOString(),
        source: 'given' as const,
      })
      profiles.expired = {...profiles.classic, apiToken: {...profiles.classic.apiToken!, expiry: expiry(-1)}}
      profiles.soon = {...profiles.classic, apiToken: {...profiles.classic.apiToken!, expiry: expiry(5)}}
    })
    const expired = (await doctor('expired')).result.checks.find((c) => c.id === 'expiry')!
    expect(expired.status).to.equal('fail')
    expect(expired.reason).to.include('expired on')
    expect(expired.fix).to.include('auth login --with-token')
    const soon = (await doctor('soon')).result.checks.find((c) => c.id === 'expiry')!
    expect(soon.status).to.equal('warn')
    expect(soon.reason).to.match(/in [45] days/)
  })

  it("keeps the client secret's expiry given at login: warns within 14 days, and says how to record one not given", async () => {
    const soon = new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 10)
    const login = await serviceAccountLogin('sa-soon', soon)
    expect(login.code, login.stderr).to.equal(0)
    expect(login.stderr).to.match(/the client secret expires .* \(in [45] days\)/)
    const status = await cli(['auth', 'status', '--profile', 'sa-soon', '--json'])
    const credential = JSON.parse(status.stdout).profiles[0].credentials.find(
      (c: {kind: string}) => c.kind === 'client-credentials',
    )
    expect(credential).to.include({expirySource: 'given'})
    expect(credential.expiresAt.slice(0, 10)).to.equal(soon)
    const expiry = (await doctor('sa-soon')).result.checks.find((c) => c.id === 'expiry')!
    expect(expiry.status).to.equal('warn')
    expect(expiry.fix).to.include('auth login --client-credentials')

    editProfiles((profiles) => {
      profiles['sa-unknown'] = {...profiles['sa-soon']}
      delete profiles['sa-unknown'].clientCredentials!.expiry
    })
    const unknown = (await doctor('sa-unknown')).result.checks.find((c) => c.id === 'expiry')!
    expect(unknown.status).to.equal('warn')
    expect(unknown.fix).to.include(
      `--client-id ${seed.serviceAccount.clientId} --expires YYYY-MM-DD --profile sa-unknown`,
    )
  })

  it('warns of a space the account cannot view, with the coverage fix, and of access given to the account alone', async () => {
    // ENG: View for the admin alone; HR: View given to the service account itself too.
    for (const permission of fake.state.spacePermissions)
      if (permission.spaceKey === 'ENG' && permission.operation.key === 'read')
        permission.principal = {id: ids.accounts.admin, type: 'user'}
    fake.state.spacePermissions.push({
      id: 29_999,
      operation: {key: 'read', target: 'space'},
      principal: {id: ids.accounts.crawlerBot, type: 'user'},
      spaceKey: 'HR',
    })
    const {exit, result} = await doctor('service-account', 'crawler')
    expect(exit).to.equal(3)
    const coverage = result.checks.find((c) => c.id === 'coverage')!
    expect(coverage.status).to.equal('warn')
    expect(coverage.reason).to.match(/not ENG\b/)
    expect(coverage.fix).to.equal(
      `cfadmin spaces coverage --user ${ids.accounts.crawlerBot} --fix (a dry run first: add --dry-run)`,
    )
    const route = result.checks.find((c) => c.id === 'access-route')!
    expect(route.status).to.equal('warn')
    expect(route.reason).to.include('HR').and.include('never a user')
  })

  it('without an admin login, warns that coverage needs one', async () => {
    const {result} = await doctor('default')
    expect(result.checks.find((c) => c.id === 'coverage')).to.include({status: 'warn'})
  })

  it('says Atlassian cannot be reached, with the fix, and exits 5 when nothing answers at the site', async () => {
    editProfiles((profiles) => {
      // Port 9 (discard) on this machine: nothing listens, so every connection is refused.
      profiles.unreachable = {...profiles.classic, site: {...profiles.classic.site!, url: 'http://127.0.0.1:9'}}
    })
    const run = await cli(['doctor', '--profile', 'unreachable', '--json'], {env: {CFADMIN_RETRY_BASE_MS: '1'}})
    expect(run.code, run.stderr).to.equal(5)
    const checks = (JSON.parse(run.stdout) as {checks: Check[]}).checks
    // The credential check is the first to call Atlassian: it says so; the expiry (read from the profile) still shows,
    // and nothing else is tried.
    expect(checks.map((c) => [c.id, c.status])).to.deep.equal([
      ['credential', 'fail'],
      ['expiry', 'ok'],
    ])
    expect(checks[0].reason).to.match(/^Could not reach 127\.0\.0\.1:9 .*connection refused/)
    expect(checks[0].fix).to.match(/network \(proxy, VPN\) and the site URL/)
    expect(run.stdout + run.stderr).not.to.contain(seed.adminToken.token)
  })
})
