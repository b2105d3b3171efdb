import {readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'

import {expect} from 'chai'

import {defaultSeedCredentials as seed} from '../../fake-atlassian/credentials.js'
import {hasSpacePermission} from '../../fake-atlassian/helpers.js'
import type {RecordedRequest} from '../../fake-atlassian/types.js'
import {useFakeAtlassian} from '../../fake-atlassian/use-fake.js'
import {type CliRun, runCli} from '../support/run-cli.js'
import {useTempDir} from '../support/temp-dir.js'

const HOUR_MS = 60 * 60_000
const SA = seed.serviceAccount

describe('scoped API tokens and OAuth client credentials, against the fake Atlassian', function () {
  this.timeout(60_000)
  /** Told of every answer the fake sends (set by a test, cleared after it). */
  let onAnswer: ((request: RecordedRequest) => void) | undefined
  const fake = useFakeAtlassian({onRequest: (request) => onAnswer?.(request)})
  const temp = useTempDir('cfadmin-e2e-kinds-')
  let configDir: string
  let env: Record<string, string>
  beforeEach(() => {
    configDir = join(temp.path, 'config')
    env = {CFADMIN_API_URL: fake.url, CFADMIN_AUTH_URL: fake.url, CFADMIN_CONFIG_DIR: configDir}
  })
  afterEach(() => {
    onAnswer = undefined
  })

  const cli = (args: string[], options: {env?: Record<string, string>; stdin?: string} = {}): Promise<CliRun> =>
    runCli(args, {env: {...env, ...options.env}, stdin: options.stdin})
  const profile = () => JSON.parse(readFileSync(join(configDir, 'profiles.json'), 'utf8')).profiles.default
  const gateway = () => `${fake.url}/ex/confluence/${seed.cloudId}`
  /** Every file of the config folder, as text. */
  const configFiles = () =>
    readdirSync(configDir, {recursive: true, withFileTypes: true})
      .filter((entry) => entry.isFile())
      .map((entry) => readFileSync(join(entry.parentPath, entry.name), 'utf8'))
      .join('\n')

  describe('a scoped API token', () => {
    const login = () =>
      cli(['auth', 'login', '--site', fake.url, '--email', seed.scopedToken.email, '--with-token'], {
        stdin: `${seed.scopedToken.token}\n`,
      })

    it('is found refused on the site, accepted through the gateway, and saved as scoped', async () => {
      const run = await login()
      expect(run.code, run.stderr).to.equal(0)
      expect(run.stdout).to.include('scoped').and.include(gateway())
      expect(profile().apiToken).to.include({kind: 'scoped', token: seed.scopedToken.token})
      const me = fake.requests.filter((r) => r.path.endsWith('/wiki/rest/api/user/current'))
      expect(me.map((r) => [r.family, r.status])).to.deep.equal([
        ['site', 401],
        ['gateway', 200],
      ])
      expect(run.stdout + run.stderr).not.to.include(seed.scopedToken.token)
    })

    it('then gives View with spaces grant-view through the gateway, never the site', async () => {
      expect((await login()).code).to.equal(0)
      fake.requests.length = 0
      const run = await cli(['spaces', 'grant-view', '--space', 'HR', '--group', 'marketing', '--json'])
      expect(run.code, run.stderr).to.equal(0)
      const marketing = fake.state.groups.find((g) => g.name === 'marketing')!.id
      expect(hasSpacePermission(fake, 'HR', {id: marketing, type: 'group'})).to.equal(true)
      const confluence = fake.requests.filter((r) => r.family === 'site' || r.family === 'gateway')
      expect(confluence.length).to.be.greaterThan(0)
      expect(confluence.filter((r) => r.family === 'site')).to.deep.equal([])
    })

    it('auth status --json shows the kind and the gateway as the base URL', async () => {
      expect((await login()).code).to.equal(0)
      const run = await cli(['auth', 'status', '--json'])
      expect(run.code, run.stderr).to.equal(0)
      const [status] = JSON.parse(run.stdout).profiles
      expect(status.siteBaseUrl).to.equal(gateway())
      expect(status.credentials[0]).to.include({check: 'valid', kind: 'api-token', tokenKind: 'scoped'})
    })
  })

  describe('OAuth client credentials (a service account)', () => {
    const login = (secret: string = SA.clientSecret) =>
      cli(['auth', 'login', '--client-credentials', '--client-id', SA.clientId, '--site', fake.url], {
        env: {CFADMIN_CLIENT_SECRET: secret},
      })
    const loginFromStdin = () =>
      cli(
        [
          'auth',
          'login',
          '--client-credentials',
          '--client-id',
          SA.clientId,
          '--site',
          fake.url,
          '--with-client-secret',
        ],
        {stdin: `${SA.clientSecret}\n`},
      )
    const tokenRequests = () => fake.requests.filter((r) => r.method === 'POST' && r.path === '/oauth/token')

    it('logs in with --site and the secret from CFADMIN_CLIENT_SECRET, storing the client ID and secret and no token', async () => {
      const run = await login()
      expect(run.code, run.stderr).to.equal(0)
      expect(run.stdout).to.include('Crawler Bot (service account)').and.include(gateway())
      expect(profile().clientCredentials).to.include({clientId: SA.clientId, clientSecret: SA.clientSecret})
      expect(configFiles()).not.to.match(/refresh|fake-sa-access-/i)
      expect(run.stdout + run.stderr).not.to.include(SA.clientSecret)
    })

    it('refuses a wrong secret with exit 4, naming where the secret comes from, and saves nothing', async () => {
      const run = await login('fake-sa-secret-wrong')
      expect(run.code).to.equal(4)
      expect(run.stderr).to.include(SA.clientId).and.include('CFADMIN_CLIENT_SECRET')
      expect(run.stderr).not.to.include('fake-sa-secret-wrong')
    })

    it('a run that outlives the 60-minute token asks for exactly one new token, and no refresh token lands on disk', async () => {
      expect((await login()).code).to.equal(0)
      fake.requests.length = 0
      let moved = false
      onAnswer = (request) => {
        if (!moved && request.family === 'gateway' && request.status === 200) {
          moved = true
          fake.clock.advance(HOUR_MS + 60_000)
        }
      }
      const run = await cli(['groups', 'list', '--json'])
      expect(run.code, run.stderr).to.equal(0)
      expect(moved).to.equal(true)
      expect(fake.requests.some((r) => r.family === 'gateway' && r.status === 401)).to.equal(true)
      expect(tokenRequests().map((r) => r.status)).to.deep.equal([200, 200])
      expect(JSON.parse(run.stdout).groups.map((g: {name: string}) => g.name)).to.include('marketing')
      expect(configFiles()).not.to.match(/refresh|fake-sa-access-/i)
    })

    it('auth status shows the kind, client ID and base URL (not the secret); auth token prints a live access token; logout removes it', async () => {
      const loggedIn = await loginFromStdin()
      expect(loggedIn.code, loggedIn.stderr).to.equal(0)
      const status = await cli(['auth', 'status'])
      expect(status.code, status.stderr).to.equal(0)
      expect(status.stdout).to.include('OAuth client credentials').and.include(SA.clientId).and.include(gateway())
      expect(status.stdout + status.stderr).not.to.include(SA.clientSecret)

      const token = await cli(['auth', 'token', '--json'])
      expect(token.code, token.stderr).to.equal(0)
      const values = JSON.parse(token.stdout)
      expect(values).to.include({
        baseUrl: gateway(),
        clientId: SA.clientId,
        cloudId: seed.cloudId,
        kind: 'client-credentials',
      })
      expect(values).not.to.have.property('clientSecret')
      expect(values).not.to.have.property('refreshToken')
      expect(token.stdout + token.stderr).not.to.include(SA.clientSecret)
      const me = await fetch(`${gateway()}/wiki/rest/api/user/current`, {
        headers: {authorization: `Bearer ${values.accessToken}`},
      })
      expect(me.status).to.equal(200)
      expect(configFiles()).not.to.include(values.accessToken)

      const out = await cli(['auth', 'logout'])
      expect(out.code, out.stderr).to.equal(0)
      expect(out.stdout).to.include(`OAuth client credentials`).and.include(SA.clientId)
      expect(profile().clientCredentials).to.equal(undefined)
    })
  })
})
