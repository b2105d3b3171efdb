import {existsSync, readdirSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import {createServer} from 'node:net'
import {join} from 'node:path'

import {expect} from 'chai'

import {defaultSeedCredentials} from '../../fake-atlassian/credentials.js'
import {
  type ConsentChoice,
  consent,
  currentRefreshToken,
  grantFor,
  refreshCount,
} from '../../fake-atlassian/oauth-helpers.js'
import {isMember} from '../../fake-atlassian/helpers.js'
import {useFakeAtlassian} from '../../fake-atlassian/use-fake.js'
import {authorizeUrlFrom, followRedirect, oauthLoginArgs} from '../support/oauth-cli.js'
import {type CliRun, runCli, startCli} from '../support/run-cli.js'
import {useTempDir} from '../support/temp-dir.js'

const APP = defaultSeedCredentials.oauthApp
const ADMIN = '712020:fake-0001-admin'

describe('auth login --oauth, auth token and the rotating grant, against the fake Atlassian', function () {
  this.timeout(30_000)
  const fake = useFakeAtlassian()
  const temp = useTempDir('cfadmin-e2e-oauth-')
  let configDir: string
  let env: Record<string, string>

  beforeEach(() => {
    configDir = join(temp.path, 'config')
    env = {BROWSER: 'none', CFADMIN_API_URL: fake.url, CFADMIN_AUTH_URL: fake.url, CFADMIN_CONFIG_DIR: configDir}
  })

  const cli = (args: string[], extra: Record<string, string> = {}): Promise<CliRun> =>
    runCli(args, {env: {...env, ...extra}})
  const profilesPath = () => join(configDir, 'profiles.json')
  const stored = () => JSON.parse(readFileSync(profilesPath(), 'utf8')).profiles.default
  const expireAccessToken = () => {
    const file = JSON.parse(readFileSync(profilesPath(), 'utf8'))
    file.profiles.default.oauth.expiresAt = new Date(Date.now() - 60_000).toISOString()
    writeFileSync(profilesPath(), JSON.stringify(file))
  }

  /** Runs the login as a user would: cfadmin prints the URL, the user consents, the browser comes back to cfadmin. */
  async function login(
    options: {args?: string[]; choice?: ConsentChoice; secret?: string; extraEnv?: Record<string, string>} = {},
  ): Promise<CliRun> {
    const {child, done} = startCli(oauthLoginArgs(APP.clientId, '--scopes', 'admin', ...(options.args ?? [])), {
      env: {...env, ...options.extraEnv},
      stdin: `${options.secret ?? APP.clientSecret}\n`,
    })
    const url = await authorizeUrlFrom(child)
    await followRedirect(await consent(fake, url, options.choice))
    return done
  }

  it('goes from a client ID and secret to a stored grant that works through the gateway', async () => {
    const run = await login()
    expect(run.code, run.stderr).to.equal(0)
    expect(run.stdout).to.contain('Logged in with OAuth as Ada Admin').and.to.contain('cloud ID cloud-fake-0001')
    const profile = stored()
    expect(profile.site).to.deep.include({cloudId: 'cloud-fake-0001', url: fake.url})
    expect(profile.oauth).to.include({
      accountId: ADMIN,
      clientId: APP.clientId,
      preset: 'admin',
      refreshToken: currentRefreshToken(fake),
    })
    expect(profile.oauth.scopes).to.include('write:space.permission:confluence').and.to.include('offline_access')
    expect(statSync(profilesPath()).mode & 0o777).to.equal(0o600)

    const groups = await cli(['groups', 'list', '--json'])
    expect(groups.code, groups.stderr).to.equal(0)
    expect(JSON.parse(groups.stdout).groups.map((g: {name: string}) => g.name)).to.include('confluence-users-acme')
    expect(fake.requests.some((r) => r.path.startsWith('/ex/confluence/cloud-fake-0001/wiki/rest/api/group'))).to.equal(
      true,
    )

    const status = await cli(['auth', 'status'])
    expect(status.code, status.stderr).to.equal(0)
    expect(status.stdout)
      .to.match(/OAuth login\s+…\S{4}\s+from profile\s+valid/)
      .and.to.contain('preset admin')
  })

  it('prints the authorize URL Atlassian expects, with the redirect to its own loopback port', async () => {
    const {child, done} = startCli(oauthLoginArgs(APP.clientId, '--timeout', '1'), {
      env,
      stdin: `${APP.clientSecret}\n`,
    })
    const url = new URL(await authorizeUrlFrom(child))
    expect(url.searchParams.get('client_id')).to.equal(APP.clientId)
    expect(url.searchParams.get('scope')).to.contain('read:folder:confluence').and.to.contain('offline_access')
    expect(url.searchParams.get('redirect_uri')).to.match(/^http:\/\/localhost:\d+$/)
    expect(url.searchParams.get('state')).to.have.length(32)
    const run = await done
    expect(run.code).to.equal(4)
    expect(run.stderr).to.contain('No answer from the browser within 1 s')
  })

  it('declining on the consent page ends with exit 4 and saves nothing', async () => {
    const run = await login({choice: {decision: 'deny'}})
    expect(run.code).to.equal(4)
    expect(run.stderr).to.contain('declined')
    expect(() => statSync(profilesPath())).to.throw()
  })

  it('a wrong client secret ends with exit 4 naming the client ID, never the secret', async () => {
    const run = await login({secret: 'fake-wrong-secret'})
    expect(run.code).to.equal(4)
    expect(run.stderr).to.contain(`client ID ${APP.clientId}`)
    expect(run.stderr).not.to.contain('fake-wrong-secret')
    expect(() => statSync(profilesPath())).to.throw()
  })

  it('a port in use fails at once with exit 2 and --port in the hint', async () => {
    const blocker = createServer()
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
    try {
      const port = String((blocker.address() as {port: number}).port)
      const run = await runCli(
        ['auth', 'login', '--oauth', '--client-id', APP.clientId, '--with-client-secret', '--port', port],
        {env, stdin: `${APP.clientSecret}\n`},
      )
      expect(run.code).to.equal(2)
      expect(run.stderr).to.contain(`Port ${port}`).and.to.contain('--port')
    } finally {
      blocker.close()
    }
  })

  it("requests to the loopback port without this login's state (a web page's <img>) get a 400 and the login still completes", async () => {
    const {child, done} = startCli(oauthLoginArgs(APP.clientId, '--scopes', 'admin'), {
      env,
      stdin: `${APP.clientSecret}\n`,
    })
    const url = new URL(await authorizeUrlFrom(child))
    const stray = new URL(url.searchParams.get('redirect_uri')!)
    stray.hostname = '127.0.0.1'
    for (const query of ['', '?error=access_denied', '?code=fake-code-planted&state=fake-state-guessed']) {
      stray.search = query
      expect((await fetch(stray)).status, query).to.equal(400)
    }

    await followRedirect(await consent(fake, url))
    const run = await done
    expect(run.code, run.stderr).to.equal(0)
    expect(stored().oauth.refreshToken).to.equal(currentRefreshToken(fake))
  })

  it('over SSH, says how to forward the port it listens on, and that --paste exists', async () => {
    const run = await login({extraEnv: {SSH_CONNECTION: '10.0.0.1 50000 10.0.0.2 22'}})
    expect(run.code, run.stderr).to.equal(0)
    const port = new URL(stored().oauth.callbackUrl).port
    expect(run.stderr).to.contain(`ssh -L ${port}:127.0.0.1:${port} <host>`).and.to.contain('--paste')
  })

  it('--help tells how to log in over SSH: the port forward and --paste', async () => {
    const run = await cli(['auth', 'login', '--help'])
    expect(run.code, run.stderr).to.equal(0)
    expect(run.stdout).to.contain('ssh -L 13131:127.0.0.1:13131 <host>').and.to.contain('--paste')
  })

  it('a --callback-path with a query is refused at once (exit 2), before any browser', async () => {
    const run = await runCli(oauthLoginArgs(APP.clientId, '--callback-path', '/cb?x=1'), {
      env,
      stdin: `${APP.clientSecret}\n`,
    })
    expect(run.code).to.equal(2)
    expect(run.stderr).to.contain('--callback-path').and.to.contain('cannot have a query')
    expect(run.stderr).not.to.contain('/authorize?')
  })

  describe('--paste: the user pastes the address the browser ended on', () => {
    /** cfadmin prints the URL, the user consents, the browser fails to load the callback, and the user pastes `paste(location)`. */
    async function pasteLogin(
      paste: (location: URL) => string,
      args: string[] = [],
    ): Promise<{location: URL; run: CliRun}> {
      const {child, done} = startCli(
        [
          'auth',
          'login',
          '--oauth',
          '--client-id',
          APP.clientId,
          '--paste',
          '--port',
          '13199',
          '--scopes',
          'admin',
          ...args,
        ],
        {
          env: {...env, CFADMIN_CLIENT_SECRET: APP.clientSecret, SSH_CONNECTION: '10.0.0.1 50000 10.0.0.2 22'},
          keepStdinOpen: true,
        },
      )
      const location = await consent(fake, await authorizeUrlFrom(child))
      child.stdin!.end(`${paste(location)}\n`)
      return {location, run: await done}
    }

    it('exchanges the pasted code and stores the grant, never showing the code or the address', async () => {
      const {location, run} = await pasteLogin((location) => location.toString())
      expect(run.code, run.stderr).to.equal(0)
      expect(location.origin).to.equal('http://localhost:13199')
      expect(stored().oauth).to.include({
        callbackUrl: 'http://localhost:13199',
        refreshToken: currentRefreshToken(fake),
      })
      expect(run.stderr).to.contain('Paste that address').and.to.contain('http://localhost:13199?code=…')
      const code = location.searchParams.get('code')!
      expect(run.stdout + run.stderr)
        .not.to.contain(code)
        .and.not.to.contain(location.search)
    })

    it('refuses an address with another state (exit 4): no code shown, none exchanged, nothing saved', async () => {
      const {location, run} = await pasteLogin((location) => {
        const forged = new URL(location)
        forged.searchParams.set('state', 'fake-state-of-another-login')
        return forged.toString()
      })
      expect(run.code).to.equal(4)
      expect(run.stderr).to.contain('state value that is not this login')
      expect(run.stdout + run.stderr).not.to.contain(location.searchParams.get('code')!)
      expect(fake.requests.some((r) => r.path === '/oauth/token')).to.equal(false)
      expect(() => statSync(profilesPath())).to.throw()
    })

    it('refuses what is not the callback address (exit 2), and a paste that never ends a line is cut short', async () => {
      const wrong = await pasteLogin(() => 'https://auth.atlassian.com/authorize?client_id=x')
      expect(wrong.run.code).to.equal(2)
      expect(wrong.run.stderr).to.contain('not to http://localhost:13199')
      const long = await pasteLogin(() => 'x'.repeat(100_000))
      expect(long.run.code).to.equal(2)
      expect(long.run.stderr).to.contain('longer than')
    })

    it('cannot be used with --port 0, with the client secret on standard input, or without --oauth (exit 2)', async () => {
      const random = await runCli(['auth', 'login', '--oauth', '--client-id', APP.clientId, '--paste', '--port', '0'], {
        env: {...env, CFADMIN_CLIENT_SECRET: APP.clientSecret},
      })
      expect(random.code).to.equal(2)
      expect(random.stderr).to.contain('--paste needs the port')
      const both = await runCli(
        ['auth', 'login', '--oauth', '--client-id', APP.clientId, '--paste', '--with-client-secret'],
        {env, stdin: `${APP.clientSecret}\n`},
      )
      expect(both.code).to.equal(2)
      expect(both.stderr).to.contain('--with-client-secret')
      const apiToken = await runCli(['auth', 'login', '--paste', '--email', 'admin@acme.example', '--with-token'], {
        env,
        stdin: 'fake-api-token-admin\n',
      })
      expect(apiToken.code).to.equal(2)
      expect(apiToken.stderr).to.contain('--paste is for the OAuth login')
    })
  })

  describe('with a stored grant', () => {
    beforeEach(async () => {
      const run = await login()
      expect(run.code, run.stderr).to.equal(0)
    })

    it('renews an expired access token once, and the profile keeps the refresh token Atlassian now accepts', async () => {
      expireAccessToken()
      const run = await cli(['spaces', 'permissions', 'ENG', 'HR', 'MKT', '--json'])
      expect(run.code, run.stderr).to.equal(0)
      expect(refreshCount(fake)).to.equal(1)
      expect(stored().oauth.refreshToken).to.equal(currentRefreshToken(fake))
      expect(Date.parse(stored().oauth.expiresAt)).to.be.greaterThan(Date.now())
    })

    for (const point of ['oauth-tokens-received', 'oauth-tokens-saved']) {
      it(`killed at ${point} leaves a profile whose refresh token still works`, async () => {
        expireAccessToken()
        const {child, done} = startCli(['groups', 'list'], {env: {...env, CFADMIN_TEST_HOLD_AT: point}})
        await new Promise<void>((resolve) => {
          child.stderr!.on('data', (chunk: Buffer) => chunk.toString().includes(`holding at ${point}`) && resolve())
        })
        child.kill('SIGKILL')
        await done
        expect(refreshCount(fake)).to.equal(1)

        const again = await cli(['groups', 'list', '--json'])
        expect(again.code, again.stderr).to.equal(0)
        expect(grantFor(fake)!.revoked).to.equal(false)
        expect(stored().oauth.refreshToken).to.equal(currentRefreshToken(fake))
      })
    }

    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      it(`${signal} during a refresh releases the refresh lock, so the next command goes ahead`, async () => {
        expireAccessToken()
        const {child, done} = startCli(['groups', 'list'], {
          env: {...env, CFADMIN_TEST_HOLD_AT: 'oauth-tokens-received'},
        })
        await new Promise<void>((resolve) => {
          child.stderr!.on(
            'data',
            (chunk: Buffer) => chunk.toString().includes('holding at oauth-tokens-received') && resolve(),
          )
        })
        expect(existsSync(`${profilesPath()}.oauth-lock`)).to.equal(true)
        child.kill(signal)
        await done
        expect(readdirSync(configDir)).to.deep.equal(['profiles.json'])
        const again = await cli(['groups', 'list', '--json'])
        expect(again.code, again.stderr).to.equal(0)
        expect(stored().oauth.refreshToken).to.equal(currentRefreshToken(fake))
      })
    }

    it('a grant Atlassian ended says "log in again" with exit 4, after one try', async () => {
      grantFor(fake)!.revoked = true
      expireAccessToken()
      const run = await cli(['groups', 'list'])
      expect(run.code).to.equal(4)
      expect(run.stderr).to.contain('no longer accepts').and.to.contain('cfadmin auth login --oauth')
      expect(fake.requests.filter((r) => r.path === '/oauth/token')).to.have.length(2) // the login's code exchange, one refresh
    })

    it('auth token prints what a connector asks for, then leaves the refresh token to the connector', async () => {
      const run = await cli(['auth', 'token', '--json'])
      expect(run.code, run.stderr).to.equal(0)
      const values = JSON.parse(run.stdout)
      expect(values).to.include({
        clientId: APP.clientId,
        cloudId: 'cloud-fake-0001',
        refreshToken: currentRefreshToken(fake),
        siteUrl: fake.url,
      })
      expect(values.accessToken).to.equal(stored().oauth.accessToken)
      expect(values.expiresIn).to.be.within(3000, 3600)

      expireAccessToken()
      const after = await cli(['groups', 'list'])
      expect(after.code).to.equal(4)
      expect(after.stderr).to.contain('connector')
      expect(refreshCount(fake)).to.equal(0)

      const refreshed = await cli(['auth', 'token', '--refresh', '--json'])
      expect(refreshed.code, refreshed.stderr).to.equal(0)
      expect(JSON.parse(refreshed.stdout).refreshToken)
        .to.equal(currentRefreshToken(fake))
        .and.not.to.equal(values.refreshToken)
    })

    it('auth logout removes the grant and keeps the site', async () => {
      const run = await cli(['auth', 'logout'])
      expect(run.code, run.stderr).to.equal(0)
      expect(run.stdout).to.contain('OAuth login …').and.to.contain(`of app ${APP.clientId}`)
      expect(stored().oauth).to.equal(undefined)
      expect(stored().site.cloudId).to.equal('cloud-fake-0001')
    })

    it("fills a connector's form in its guide's order", async () => {
      const run = await cli(['auth', 'token', '--for', 'snow-atlas'])
      expect(run.code, run.stderr).to.equal(0)
      const labels = run.stdout
        .split('\n')
        .filter(Boolean)
        .map((line) => line.split(':')[0])
      expect(labels).to.deep.equal(['Cloud ID', 'Refresh token', 'Client ID', 'Client secret', 'Access token expires'])
    })

    it('setup applies a plan through the gateway with the OAuth grant alone; space grants say an API token is needed', async () => {
      const plan = join(temp.path, 'plan.yaml')
      writeFileSync(
        plan,
        'groups:\n  - name: crawlers\n    create: true\n    members: ["712020:fake-0006-crawler"]\nspaces:\n  - include: [ENG]\n    grantView: {groups: [crawlers]}\n',
      )
      const run = await cli(['setup', plan, '--yes', '--json'])
      expect(run.code, run.stderr).to.equal(3)
      const items: Array<{description: string; outcome: string; reason?: string}> = JSON.parse(run.stdout).items
      expect(items.map((i) => i.outcome)).to.deep.equal(['done', 'done', 'failed'])
      expect(items[2].reason).to.contain('space permissions may not accept OAuth logins')
      const group = fake.state.groups.find((g) => g.name === 'crawlers')!
      expect(isMember(fake, group.id, '712020:fake-0006-crawler')).to.equal(true)
      expect(
        fake.requests
          .filter((r) => r.family !== 'auth' && r.path !== '/_edge/tenant_info')
          .every((r) => r.family === 'gateway'),
      ).to.equal(true)
    })

    it('space permission changes over OAuth say that an API token is needed when Atlassian refuses', async () => {
      const run = await cli(['spaces', 'grant-view', '--space', 'ENG', '--group', 'engineering'])
      expect(run.code).to.equal(3)
      expect(run.stdout + run.stderr).to.contain('space permissions may not accept OAuth logins')
    })

    it('never shows a token, the secret or the code on stdout or stderr, not even under DEBUG, except from auth token', async () => {
      expireAccessToken()
      const runs = [
        await cli(['groups', 'list'], {DEBUG: 'cfadmin*'}),
        await cli(['auth', 'status'], {DEBUG: 'cfadmin*'}),
      ]
      const profile = stored().oauth
      const secrets = [
        profile.accessToken,
        profile.refreshToken,
        APP.clientSecret,
        ...grantFor(fake)!.refreshTokens.map((r: {token: string}) => r.token),
      ]
      for (const run of runs) {
        expect(run.code, run.stderr).to.equal(0)
        expect(run.stderr).to.contain('cfadmin:http') // DEBUG was on
        for (const secret of secrets) expect(run.stdout + run.stderr).not.to.contain(secret)
      }

      const token = await cli(['auth', 'token'], {DEBUG: 'cfadmin*'})
      expect(token.stdout).to.contain(stored().oauth.refreshToken)
      expect(token.stderr).not.to.contain(stored().oauth.refreshToken)
    })
  })
})
