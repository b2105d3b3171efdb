import {readFileSync, statSync, writeFileSync} from 'node:fs'
import {createServer} from 'node:http'
import type {AddressInfo} from 'node:net'
import {join} from 'node:path'

import {expect} from 'chai'

import {useFakeAtlassian} from '../../fake-atlassian/use-fake.js'
import {type CliRun, runCli} from '../support/run-cli.js'
import {useTempDir} from '../support/temp-dir.js'

const ADMIN_TOKEN = 'fake-api-token-admin'
const ADMIN_KEY = 'fake-admin-key-0001'

describe('auth login | status | logout and site info, against the fake Atlassian', function () {
  this.timeout(30_000)
  const fake = useFakeAtlassian()
  const temp = useTempDir('cfadmin-e2e-auth-')
  let configDir: string
  let env: Record<string, string>

  beforeEach(() => {
    configDir = join(temp.path, 'config')
    env = {CFADMIN_API_URL: fake.url, CFADMIN_AUTH_URL: fake.url, CFADMIN_CONFIG_DIR: configDir}
  })

  const cli = (args: string[], options: {env?: Record<string, string>; stdin?: string} = {}): Promise<CliRun> =>
    runCli(args, {env: {...env, ...options.env}, stdin: options.stdin})
  const loginWithToken = (token = ADMIN_TOKEN) =>
    cli(['auth', 'login', '--site', fake.url, '--email', 'admin@acme.example', '--with-token'], {stdin: `${token}\n`})
  const profiles = () => JSON.parse(readFileSync(join(configDir, 'profiles.json'), 'utf8'))

  it('logs in with an API token from stdin, saving the site, cloud ID and account in a 0600 file in a 0700 folder', async () => {
    const run = await loginWithToken()
    expect(run.code, run.stderr).to.equal(0)
    expect(run.stdout).to.include('cloud ID cloud-fake-0001').and.to.include('Ada Admin (admin@acme.example')
    expect(profiles().profiles.default).to.deep.include({site: {cloudId: 'cloud-fake-0001', url: fake.url}})
    expect(profiles().profiles.default.apiToken).to.include({
      accountId: '712020:fake-0001-admin',
      email: 'admin@acme.example',
      token: ADMIN_TOKEN,
    })
    expect(statSync(configDir).mode & 0o777).to.equal(0o700)
    expect(statSync(join(configDir, 'profiles.json')).mode & 0o777).to.equal(0o600)
    expect(run.stdout + run.stderr).not.to.include(ADMIN_TOKEN)
  })

  it('refuses a wrong API token with exit 4 and saves nothing', async () => {
    const run = await loginWithToken('fake-wrong-token')
    expect(run.code).to.equal(4)
    expect(run.stderr).to.include('refused')
    expect(run.stderr).not.to.include('fake-wrong-token')
    expect(() => statSync(join(configDir, 'profiles.json'))).to.throw()
  })

  it('says a wrong site is not an Atlassian site (exit 2)', async () => {
    const notAtlassian = createServer((_request, response) =>
      response.writeHead(404, {'content-type': 'text/html'}).end('<h1>Not Found</h1>'),
    )
    await new Promise<void>((resolve) => notAtlassian.listen(0, '127.0.0.1', resolve))
    try {
      const {port} = notAtlassian.address() as AddressInfo
      const run = await cli(
        ['auth', 'login', '--site', `http://127.0.0.1:${port}`, '--email', 'admin@acme.example', '--with-token'],
        {stdin: `${ADMIN_TOKEN}\n`},
      )
      expect(run.code).to.equal(2)
      expect(run.stderr).to.include('does not look like an Atlassian Cloud site')
    } finally {
      notAtlassian.close()
    }
  })

  it('adds an Admin API key to the same profile, then shows both credentials masked and valid in auth status', async () => {
    expect((await loginWithToken()).code).to.equal(0)
    const admin = await cli(['auth', 'login', '--with-admin-key'], {stdin: `${ADMIN_KEY}\n`})
    expect(admin.code, admin.stderr).to.equal(0)
    expect(profiles().profiles.default.adminKey).to.include({
      directoryId: 'dir-fake-0001',
      key: ADMIN_KEY,
      orgId: 'org-fake-0001',
    })

    const status = await cli(['auth', 'status'])
    expect(status.code, status.stderr).to.equal(0)
    expect(status.stdout).to.match(/API token\s+…dmin {2}from profile {2}valid/)
    expect(status.stdout).to.match(/Admin API key\s+…0001 {2}from profile {2}valid/)
    expect(status.stdout).not.to.include(ADMIN_TOKEN).and.not.to.include(ADMIN_KEY)

    const json = await cli(['auth', 'status', '--json'])
    const [profile] = JSON.parse(json.stdout).profiles
    expect(profile).to.deep.include({active: true, profile: 'default', usable: true})
    expect(profile.credentials.map((c: {check: string}) => c.check)).to.deep.equal(['valid', 'valid'])
  })

  it('exits 4 from auth status when the token stored has since been revoked', async () => {
    expect((await loginWithToken()).code).to.equal(0)
    const profile = profiles()
    profile.profiles.default.apiToken.token = 'fake-revoked-token'
    writeFileSync(join(configDir, 'profiles.json'), JSON.stringify(profile), {mode: 0o600})
    const status = await cli(['auth', 'status'])
    expect(status.code).to.equal(4)
    expect(status.stdout).to.include('refused')
  })

  it('exits 4 from auth status with no profile, and says how to log in', async () => {
    const status = await cli(['auth', 'status', '--json'])
    expect(status.code).to.equal(4)
    expect(JSON.parse(status.stdout).profiles[0]).to.deep.include({profile: 'default', usable: false})
  })

  it('uses CFADMIN_* variables over the profile, for CI, without a login', async () => {
    const status = await cli(['auth', 'status', '--json'], {
      env: {CFADMIN_API_TOKEN: ADMIN_TOKEN, CFADMIN_EMAIL: 'admin@acme.example', CFADMIN_SITE: fake.url},
    })
    expect(status.code, status.stderr).to.equal(0)
    expect(JSON.parse(status.stdout).profiles[0].credentials[0]).to.include({check: 'valid', source: 'env'})
  })

  it('logs in through a burst of 429s by waiting as Atlassian asks', async () => {
    fake.faults.failNext(2, 429, 1)
    const run = await loginWithToken()
    expect(run.code, run.stderr).to.equal(0)
    expect(fake.requests.filter((r) => r.status === 429)).to.have.length(2)
  })

  it('refuses a corrupt profile file with exit 2 and a way out', async () => {
    expect((await loginWithToken()).code).to.equal(0)
    writeFileSync(join(configDir, 'profiles.json'), '{"version": 1, "prof', {mode: 0o600})
    const status = await cli(['auth', 'status'])
    expect(status.code).to.equal(2)
    expect(status.stderr).to.include('is not a valid cfadmin profile file').and.to.include('cfadmin auth login')
  })

  it('logs out: removes the secrets, keeps the site, and says what it removed', async () => {
    expect((await loginWithToken()).code).to.equal(0)
    const run = await cli(['auth', 'logout'])
    expect(run.code).to.equal(0)
    expect(run.stdout).to.include('removed API token …dmin for admin@acme.example')
    expect(profiles().profiles.default).to.deep.equal({site: {cloudId: 'cloud-fake-0001', url: fake.url}})
  })

  it("shows any site's cloud ID without a login, and the org, directory and confirmed ARI with an Admin key", async () => {
    const anonymous = await cli(['sites', 'info', fake.url, '--json'])
    expect(anonymous.code, anonymous.stderr).to.equal(0)
    expect(JSON.parse(anonymous.stdout)).to.deep.include({
      ari: 'ari:cloud:confluence::site/cloud-fake-0001',
      cloudId: 'cloud-fake-0001',
    })

    expect((await loginWithToken()).code).to.equal(0)
    expect((await cli(['auth', 'login', '--with-admin-key'], {stdin: `${ADMIN_KEY}\n`})).code).to.equal(0)
    const info = await cli(['sites', 'info', '--json'])
    expect(JSON.parse(info.stdout)).to.deep.include({
      ariConfirmed: true,
      directoryId: 'dir-fake-0001',
      orgId: 'org-fake-0001',
    })
  })

  it('never prints a token or key under DEBUG=cfadmin*, yet logs each request', async () => {
    const run = await cli(
      ['auth', 'login', '--site', fake.url, '--email', 'admin@acme.example', '--with-token', '--with-admin-key'],
      {
        env: {DEBUG: 'cfadmin*'},
        stdin: `${ADMIN_TOKEN}\n${ADMIN_KEY}\n`,
      },
    )
    expect(run.code, run.stderr).to.equal(0)
    expect(run.stderr).to.match(/GET .*\/wiki\/rest\/api\/user\/current.* 200/)
    for (const secret of [
      ADMIN_TOKEN,
      ADMIN_KEY,
      Buffer.from(`admin@acme.example:${ADMIN_TOKEN}`).toString('base64'),
    ]) {
      expect(run.stdout + run.stderr).not.to.include(secret)
    }
  })
})
