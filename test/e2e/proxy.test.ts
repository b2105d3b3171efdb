import {expect} from 'chai'

import {useFakeAtlassian} from '../../fake-atlassian/use-fake.js'
import {type RecordingProxy, startRecordingProxy} from '../support/recording-proxy.js'
import {runCli} from '../support/run-cli.js'
import {useTempDir} from '../support/temp-dir.js'

const PASSWORD = 'ci-pr0xy-p@ss'
const LOGIN = {
  CFADMIN_ADMIN_KEY: 'fake-admin-key-0001',
  CFADMIN_API_TOKEN: 'fake-api-token-admin',
  CFADMIN_EMAIL: 'admin@acme.example',
  CFADMIN_ORG_ID: 'org-fake-0001',
}

describe('the CLI behind a proxy (HTTP_PROXY with a user and password), against the fake Atlassian', function () {
  this.timeout(30_000)
  const fake = useFakeAtlassian()
  const configDir = useTempDir('cfadmin-e2e-proxy-')
  let proxy: RecordingProxy
  let env: Record<string, string>

  beforeEach(async () => {
    proxy = await startRecordingProxy({credentials: {password: PASSWORD, user: 'ci'}})
    env = {CFADMIN_API_URL: fake.url, CFADMIN_CONFIG_DIR: configDir.path, CFADMIN_SITE: fake.url, ...LOGIN}
  })
  afterEach(async () => {
    await proxy.close()
  })

  it('site info and auth status reach the site and the Admin API through the proxy, and never print its password', async () => {
    const proxyEnv = {DEBUG: 'cfadmin*', HTTP_PROXY: proxy.urlWith('ci', PASSWORD)}
    const info = await runCli(['sites', 'info', '--json'], {env: {...env, ...proxyEnv}})
    expect(info.code, info.stderr).to.equal(0)
    expect(JSON.parse(info.stdout)).to.deep.include({
      ariConfirmed: true,
      cloudId: 'cloud-fake-0001',
      orgId: 'org-fake-0001',
    })
    const status = await runCli(['auth', 'status', '--json'], {env: {...env, ...proxyEnv}})
    expect(status.code, status.stderr).to.equal(0)

    const sent = fake.requests.map((r) => `${r.method} ${r.path}`)
    expect(sent).to.include('GET /_edge/tenant_info')
    expect(proxy.requests.map((r) => `${r.method} ${new URL(r.target).pathname}`)).to.deep.equal(sent)
    expect(proxy.requests.every((r) => r.authorized && r.refused === undefined)).to.equal(true)
    const port = new URL(proxy.url).port
    expect(info.stderr).to.contain(`through proxy http://ci:***@127.0.0.1:${port} (HTTP_PROXY)`)
    for (const run of [info, status]) {
      expect(run.stdout + run.stderr)
        .not.to.contain(PASSWORD)
        .and.not.to.contain(encodeURIComponent(PASSWORD))
    }
  })

  it('goes direct to the hosts NO_PROXY lists', async () => {
    const run = await runCli(['sites', 'info', '--json'], {
      env: {...env, HTTP_PROXY: proxy.urlWith('ci', PASSWORD), NO_PROXY: '127.0.0.1'},
    })
    expect(run.code, run.stderr).to.equal(0)
    expect(proxy.requests).to.deep.equal([])
    expect(fake.requests).to.have.length.greaterThan(0)
  })

  it('a proxy that refuses the credentials exits 2 naming the proxy without its password, not a stack trace', async () => {
    const run = await runCli(['sites', 'info'], {
      env: {...env, HTTP_PROXY: proxy.urlWith('ci', 'wrong-pr0xy-password')},
    })
    expect(run.code).to.equal(2)
    expect(run.stderr).not.to.contain('This is a bug')
    expect(run.stderr).to.contain(
      `The proxy http://ci:***@127.0.0.1:${new URL(proxy.url).port} (HTTP_PROXY) asked for credentials`,
    )
    expect(run.stderr)
      .not.to.contain('wrong-pr0xy-password')
      .and.not.to.match(/\n\s+at /)
    expect(fake.requests).to.deep.equal([])
  })

  it('a malformed proxy URL exits 2 naming the variable and the fix, without its password', async () => {
    const run = await runCli(['sites', 'info'], {
      env: {
        ...env,
        https_proxy: `http://ci:${PASSWORD}@proxy.corp.example:port`,
        http_proxy: `http://ci:${PASSWORD}@proxy.corp.example:port`,
      },
    })
    expect(run.code).to.equal(2)
    expect(run.stderr)
      .to.contain('http_proxy is not an http(s) proxy URL')
      .and.to.contain('Set http_proxy to http://host:port')
    expect(run.stderr)
      .not.to.contain(PASSWORD)
      .and.not.to.match(/\n\s+at /)
  })
})
