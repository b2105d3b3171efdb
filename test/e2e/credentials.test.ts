import {mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {expect} from 'chai'

import {type HostileServer, type SeenRequest, startHostileServer} from '../support/hostile-server.js'
import {useFakeAtlassian} from '../../fake-atlassian/use-fake.js'
import {type CliRun, runCli} from '../support/run-cli.js'
import {useTempDir} from '../support/temp-dir.js'

const TOKEN = 'fake-api-token-admin'
const KEY = 'fake-admin-key-0001'
const CLIENT_SECRET = 'fakeclisecret-3b7e-11d0'
const REFRESH = 'fakerefreshtok-5c2a-90fe'
const ACCESS = 'fakeaccesstok-0d4b-62aa'

/** Every piece of a secret a leak could show: whole, its halves, URL-encoded, inside Basic auth. */
function expectNoSecret(run: CliRun, secrets: string[]): void {
  const shown = run.stdout + run.stderr
  for (const secret of secrets) {
    for (const piece of [secret, secret.slice(0, 12), secret.slice(-12), encodeURIComponent(secret)])
      expect(shown, piece).not.to.include(piece)
  }
}

/** What a thief got: any Authorization header or secret-bearing body. */
const credentialsIn = (seen: SeenRequest[]) =>
  seen.filter((r) => r.headers.authorization !== undefined || /secret|token/.test(r.body))

describe('credentials stay home', function () {
  this.timeout(60_000)
  const fake = useFakeAtlassian()
  let dir: string
  let configDir: string
  let env: Record<string, string>
  const servers: HostileServer[] = []

  const temp = useTempDir('cfadmin-e2e-cred-')
  beforeEach(() => {
    dir = temp.path
    configDir = join(dir, 'config')
    env = {
      CFADMIN_API_URL: fake.url,
      CFADMIN_AUTH_URL: fake.url,
      CFADMIN_CONFIG_DIR: configDir,
      CFADMIN_RETRY_BASE_MS: '1',
    }
  })

  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()))
  })

  const cli = (args: string[], extra: Record<string, string> = {}, stdin?: string) =>
    runCli(args, {env: {...env, ...extra}, stdin})
  const hostile = async (
    answer: (request: SeenRequest) => {status: number; headers?: Record<string, string>; body?: string},
  ) => {
    const server = await startHostileServer(answer)
    servers.push(server)
    return server
  }

  describe('the stored API token is bound to its site', () => {
    it('is not sent when CFADMIN_SITE names another origin: exit 4 with the fix, and no request carries it', async () => {
      const login = await cli(
        ['auth', 'login', '--site', fake.url, '--email', 'admin@acme.example', '--with-token'],
        {},
        `${TOKEN}\n`,
      )
      expect(login.code, login.stderr).to.equal(0)
      const thief = await hostile(() => ({body: '{"results": [], "size": 0}', status: 200}))
      const run = await cli(['groups', 'list'], {CFADMIN_SITE: thief.url})
      expect(run.code, run.stderr).to.equal(4)
      expect(run.stderr)
        .to.include(`holds an API token for ${fake.url}, not for ${thief.url}`)
        .and.include('CFADMIN_API_TOKEN')
        .and.include(`cfadmin auth login --site ${thief.url}`)
      expect(credentialsIn(thief.seen)).to.deep.equal([])
      expectNoSecret(run, [TOKEN])
    })

    it('is still used on its own site, however CFADMIN_SITE writes it', async () => {
      const login = await cli(
        ['auth', 'login', '--site', fake.url, '--email', 'admin@acme.example', '--with-token'],
        {},
        `${TOKEN}\n`,
      )
      expect(login.code, login.stderr).to.equal(0)
      const run = await cli(['groups', 'list', '--json'], {CFADMIN_SITE: `${fake.url}/wiki/spaces/ENG`})
      expect(run.code, run.stderr).to.equal(0)
    })

    it('auth status says the token is for another site instead of calling the profile usable', async () => {
      expect(
        (
          await cli(
            ['auth', 'login', '--site', fake.url, '--email', 'admin@acme.example', '--with-token'],
            {},
            `${TOKEN}\n`,
          )
        ).code,
      ).to.equal(0)
      const thief = await hostile(() => ({status: 200}))
      const run = await cli(['auth', 'status', '--json'], {CFADMIN_SITE: thief.url})
      expect(run.code, run.stderr).to.equal(4)
      expect(JSON.parse(run.stdout).profiles[0].credentials[0]).to.include({check: 'other site', kind: 'api-token'})
      expect(credentialsIn(thief.seen)).to.deep.equal([])
    })
  })

  describe('plain http only to this machine', () => {
    for (const site of ['http://acme.atlassian.net', 'http://wiki.example.com:8080']) {
      it(`auth login --site ${site} is refused with exit 2 and the https fix`, async () => {
        const run = await cli(
          ['auth', 'login', '--site', site, '--email', 'admin@acme.example', '--with-token'],
          {},
          `${TOKEN}\n`,
        )
        expect(run.code, run.stderr).to.equal(2)
        expect(run.stderr).to.include('plain http').and.include('Hint: Give it as https://')
        expectNoSecret(run, [TOKEN])
      })

      it(`CFADMIN_SITE=${site} with an API token is refused with exit 2`, async () => {
        const run = await cli(['groups', 'list'], {
          CFADMIN_API_TOKEN: TOKEN,
          CFADMIN_EMAIL: 'admin@acme.example',
          CFADMIN_SITE: site,
        })
        expect(run.code, run.stderr).to.equal(2)
      })
    }
  })

  describe('no redirect carries a credential to another host', () => {
    it('a 302 from the site sends the API token nowhere: exit 2 naming where it pointed', async () => {
      const thief = await hostile((request) => ({
        body: request.url.includes('tenant_info') ? '{"cloudId": "cloud-fake-0001"}' : '{"results": [], "size": 0}',
        status: 200,
      }))
      const site = await hostile((request) => ({headers: {location: `${thief.url}${request.url}`}, status: 302}))
      const run = await cli(['groups', 'list'], {
        CFADMIN_API_TOKEN: TOKEN,
        CFADMIN_EMAIL: 'admin@acme.example',
        CFADMIN_SITE: site.url,
      })
      expect(run.code, run.stderr).to.equal(2)
      expect(run.stderr).to.include(`pointing to ${thief.url}`).and.not.include('This is a bug')
      expect(
        site.seen.some((r) => r.headers.authorization !== undefined),
        'the site got the token',
      ).to.equal(true)
      expect(credentialsIn(thief.seen)).to.deep.equal([])
      expectNoSecret(run, [TOKEN])
    })

    it('a 307 from the Admin API sends the Admin key nowhere', async () => {
      const thief = await hostile(() => ({body: '{"data": []}', status: 200}))
      const admin = await hostile((request) => ({headers: {location: `${thief.url}${request.url}`}, status: 307}))
      const run = await cli(['auth', 'status', '--json'], {CFADMIN_ADMIN_KEY: KEY, CFADMIN_API_URL: admin.url})
      expect(run.code, run.stderr).to.equal(2)
      expect(JSON.parse(run.stdout).profiles[0].credentials[0]).to.include({check: 'failed', kind: 'admin-key'})
      expect(thief.seen).to.deep.equal([])
      expectNoSecret(run, [KEY])
    })
  })

  describe('a hostile token endpoint echoing the refresh request', () => {
    /** A profile whose OAuth grant has expired, on a "site" and "Atlassian" that the hostile server plays. */
    function expiredGrant(url: string): void {
      mkdirSync(configDir, {mode: 0o700, recursive: true})
      const oauth = {
        accessToken: ACCESS,
        clientId: 'fake-client-id',
        clientSecret: CLIENT_SECRET,
        expiresAt: '2020-01-01T00:00:00Z',
        refreshToken: REFRESH,
        scopes: [],
      }
      const profiles = {profiles: {default: {oauth, site: {cloudId: 'cloud-fake-0001', url}}}, version: 1}
      writeFileSync(join(configDir, 'profiles.json'), JSON.stringify(profiles), {mode: 0o600})
    }

    for (const [name, status, answer] of [
      [
        'in an OAuth error',
        400,
        (body: string) => JSON.stringify({error: 'invalid_request', error_description: `cannot parse ${body}`}),
      ],
      ['in a 5xx page, through the retries', 502, (body: string) => `<html><body>upstream said: ${body}</body></html>`],
      [
        'in an invalid_grant answer',
        400,
        (body: string) => JSON.stringify({error: 'invalid_grant', error_description: `unknown ${body}`}),
      ],
      [
        'in a 403 unauthorized_client answer',
        403,
        (body: string) =>
          JSON.stringify({error: 'unauthorized_client', error_description: `refresh_token is invalid: ${body}`}),
      ],
    ] as const) {
      it(`shows neither the client secret nor the refresh token when it echoes them ${name}, also with DEBUG=cfadmin* and --json`, async () => {
        const endpoint = await hostile((request) => ({body: answer(request.body), status}))
        expiredGrant(endpoint.url)
        for (const args of [
          ['auth', 'status'],
          ['auth', 'status', '--json'],
        ]) {
          const run = await cli(args, {
            CFADMIN_API_URL: endpoint.url,
            CFADMIN_AUTH_URL: endpoint.url,
            DEBUG: 'cfadmin*',
          })
          expect(run.code, run.stderr).to.be.oneOf([2, 4, 5])
          expect(
            endpoint.seen.some((r) => r.body.includes(REFRESH)),
            'the refresh was sent',
          ).to.equal(true)
          expect(run.stdout + run.stderr).to.include('[REDACTED]')
          expectNoSecret(run, [CLIENT_SECRET, REFRESH, ACCESS])
        }
      })
    }
  })
})
