import {existsSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {expect} from 'chai'

import {bearer, defaultSeedCredentials as seed} from '../../fake-atlassian/credentials.js'
import {consent, grantFor, refreshCount} from '../../fake-atlassian/oauth-helpers.js'
import {useFakeAtlassian} from '../../fake-atlassian/use-fake.js'
import {authorizeUrlFrom, followRedirect, oauthLoginArgs} from '../support/oauth-cli.js'
import {type CliRun, runCli, startCli} from '../support/run-cli.js'
import {useTempDir} from '../support/temp-dir.js'

const APP = seed.oauthApp

describe('refusals and limits of 2026 said right (atlassian-2026.md §4, §6), against the fake Atlassian', function () {
  this.timeout(60_000)
  const fake = useFakeAtlassian()
  const temp = useTempDir('cfadmin-e2e-errors-')
  let configDir: string
  let env: Record<string, string>

  beforeEach(() => {
    configDir = join(temp.path, 'config')
    env = {BROWSER: 'none', CFADMIN_API_URL: fake.url, CFADMIN_AUTH_URL: fake.url, CFADMIN_CONFIG_DIR: configDir}
  })

  const cli = (args: string[], stdin?: string): Promise<CliRun> => runCli(args, {env, stdin})
  const stored = () => JSON.parse(readFileSync(join(configDir, 'profiles.json'), 'utf8')).profiles.default
  const tokenRequests = () => fake.requests.filter((r) => r.path === '/oauth/token')
  /** No secret of the stored grant (or the app) in what cfadmin printed. */
  const expectNoSecrets = (run: CliRun) => {
    const oauth = stored().oauth ?? {}
    for (const secret of [oauth.accessToken, oauth.refreshToken, APP.clientSecret].filter(Boolean))
      expect(`${run.stdout}${run.stderr}`).not.to.contain(secret)
  }

  async function oauthLogin(scopes: string): Promise<void> {
    const {child, done} = startCli(oauthLoginArgs(APP.clientId, '--scopes', scopes), {
      env,
      stdin: `${APP.clientSecret}\n`,
    })
    await followRedirect(await consent(fake, await authorizeUrlFrom(child)))
    const run = await done
    expect(run.code, run.stderr).to.equal(0)
  }

  it('a grant of granular scopes only: a v1 call stops with exit 4 naming the endpoint and the classic scope, and spends no refresh token', async () => {
    await oauthLogin('read:group:confluence read:user:confluence read:space:confluence')
    const before = tokenRequests().length
    const run = await cli(['groups', 'list'])
    expect(run.code, run.stderr).to.equal(4)
    expect(run.stderr).to.contain('GET /wiki/rest/api/group').and.to.contain('read:confluence-groups')
    expect(run.stderr).to.contain('--scopes admin')
    expect(tokenRequests().length, 'token requests during the run').to.equal(before)
    expect(refreshCount(fake)).to.equal(0)
    expectNoSecrets(run)
  })

  it('a dead refresh token answered 403 unauthorized_client: exit 4 "log in again" after one token request', async () => {
    await oauthLogin('admin')
    const before = tokenRequests().length
    grantFor(fake)!.revoked = true
    const file = JSON.parse(readFileSync(join(configDir, 'profiles.json'), 'utf8'))
    file.profiles.default.oauth.expiresAt = new Date(Date.now() - 60_000).toISOString()
    writeFileSync(join(configDir, 'profiles.json'), JSON.stringify(file), {mode: 0o600})
    const run = await cli(['groups', 'list'])
    expect(run.code, run.stderr).to.equal(4)
    expect(run.stderr).to.contain('unauthorized_client').and.to.contain('Log in again: cfadmin auth login --oauth')
    expect(run.stderr).not.to.contain('Copy both again')
    expect(tokenRequests().length - before, 'token requests').to.equal(1)
    expectNoSecrets(run)
  })

  describe('an account without Confluence access', () => {
    const reader = () => fake.state.users.find((u) => u.email === seed.readerToken.email)!
    const login = () =>
      cli(
        ['auth', 'login', '--site', fake.url, '--email', seed.readerToken.email, '--with-token'],
        `${seed.readerToken.token}\n`,
      )

    it('at login: the token is valid, the account has no Confluence access (exit 4), nothing saved', async () => {
      reader().noConfluenceAccess = true
      const run = await login()
      expect(run.code, run.stderr).to.equal(4)
      expect(run.stderr).to.contain(`The credential is valid, but ${seed.readerToken.email} has no Confluence access`)
      expect(run.stderr).to.contain('admin.atlassian.com')
      expect(run.stderr).not.to.contain('refused the API token')
      expect(`${run.stdout}${run.stderr}`).not.to.contain(seed.readerToken.token)
      expect(existsSync(join(configDir, 'profiles.json')) ? stored()?.apiToken : undefined).to.equal(undefined)
    })

    it('at an OAuth login: the grant is good, the account that consented has no Confluence access (exit 4)', async () => {
      fake.state.users.find((u) => u.email === 'admin@acme.example')!.noConfluenceAccess = true
      const {child, done} = startCli(oauthLoginArgs(APP.clientId, '--scopes', 'admin'), {
        env,
        stdin: `${APP.clientSecret}\n`,
      })
      await followRedirect(await consent(fake, await authorizeUrlFrom(child)))
      const run = await done
      expect(run.code, run.stderr).to.equal(4)
      expect(run.stderr).to.contain('The credential is valid, but the account that consented has no Confluence access')
      expect(existsSync(join(configDir, 'profiles.json')) ? stored()?.oauth : undefined).to.equal(undefined)
    })

    it('in a run: the same words, exit 4', async () => {
      expect((await login()).code).to.equal(0)
      reader().noConfluenceAccess = true
      const run = await cli(['groups', 'list'])
      expect(run.code, run.stderr).to.equal(4)
      expect(run.stderr).to.contain(`The credential is valid, but ${seed.readerToken.email} has no Confluence access`)
    })
  })

  describe('the OAuth points quota', () => {
    it('NearLimit: cfadmin says it slows down, once', async () => {
      await oauthLogin('admin')
      fake.state.behaviour.oauthQuotaPerHour = 10_000
      fake.state.behaviour.oauthQuotaNearLimit = 0
      const run = await cli(['spaces', 'permissions', 'ENG'])
      expect(run.stderr.match(/near its hourly rate-limit quota/g), run.stderr).to.have.length(1)
    })

    it('an hourly-quota 429 fails the run at once, saying when the quota resets (exit 5), with no retry', async () => {
      await oauthLogin('admin')
      fake.clock.pause()
      // Ten minutes into an hour of the fake's clock, so the reset (on the hour) is far off whatever the time of day:
      // within five minutes of it, cfadmin would rightly wait for it instead of failing.
      const hour = 3_600_000
      fake.clock.advance((((10 * 60_000 - fake.clock.now()) % hour) + hour) % hour)
      fake.state.behaviour.oauthQuotaPerHour = 1
      // Another client of the app used the hour's quota.
      await fetch(`${fake.url}/ex/confluence/${seed.cloudId}/wiki/api/v2/spaces`, {
        headers: {authorization: bearer(seed.oauthAccessToken)},
      })
      const run = await cli(['groups', 'list'])
      expect(run.code, run.stderr).to.equal(5)
      expect(run.stderr)
        .to.contain('hourly rate-limit quota')
        .and.to.match(/resets at .* local time \(.* UTC\)/)
      expect(run.stderr).to.contain('API-token traffic is not metered')
      expect(
        fake.requests.filter((r) => r.fault === 'quota'),
        'quota 429s: one, not retried',
      ).to.have.length(1)
      expect(fake.requests.at(-1)?.fault, 'nothing sent after it').to.equal('quota')
      expectNoSecrets(run)
    })
  })
})
