import {createServer, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'

import {expect} from 'chai'

import {type LaunchedBrowser, launchBrowser} from '../test/support/browser.js'
import {defaultSeedCredentials as seed} from './credentials.js'
import {authorizeUrl, grantFor} from './oauth-helpers.js'
import {useFakeAtlassian} from './use-fake.js'

/** A tiny loopback "app" that receives the redirect, as a CLI's local callback server would. */
async function startCallbackServer(): Promise<{url: string; received: Promise<URL>; server: Server}> {
  let resolve!: (url: URL) => void
  const received = new Promise<URL>((r) => {
    resolve = r
  })
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    if (url.pathname === '/callback') resolve(url)
    res
      .writeHead(200, {'content-type': 'text/html;charset=utf-8'})
      .end('<!doctype html><title>Done</title><p id="done">You can close this window.</p>')
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return {received, server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/callback`}
}

describe('fake Atlassian: OAuth consent in a real Chromium', function () {
  // Chromium starts in about 0.7 s here; each test then takes a few tens of ms. Room for a slow CI machine.
  this.timeout(30_000) // starting Chromium takes seconds on a busy two-core machine
  const fake = useFakeAtlassian()
  let browser: LaunchedBrowser
  let callback: Awaited<ReturnType<typeof startCallbackServer>>

  before(async () => {
    browser = await launchBrowser()
    console.log(`      chromium launch ${browser.launchMs} ms`)
  })
  after(() => browser?.close())
  beforeEach(async () => {
    callback = await startCallbackServer()
  })
  afterEach(() => {
    callback.server.closeAllConnections()
    callback.server.close()
  })

  it('Accept in the browser sends the code and the same state to the loopback redirect_uri, and the code exchanges for tokens', async () => {
    const state = 'browser-state-1/2+3'
    const {page} = browser
    await page.goto(
      authorizeUrl(fake, {
        redirectUri: callback.url,
        scope: 'read:space:confluence read:group:confluence offline_access',
        state,
      }).toString(),
    )
    expect(await page.textContent('#app-name')).to.include('Acme crawler (fake)')
    expect(await page.locator('#scopes li').allTextContents()).to.deep.equal([
      'read:space:confluence',
      'read:group:confluence',
      'offline_access',
    ])
    expect(await page.inputValue('#account')).to.equal(seed.adminToken.email)
    await page.click('#accept')
    const received = await callback.received
    await page.waitForSelector('#done')

    expect(received.searchParams.get('state')).to.equal(state)
    const code = received.searchParams.get('code')
    expect(code).to.match(/^fake-oauth-code-/)
    const res = await fetch(`${fake.url}/oauth/token`, {
      body: JSON.stringify({
        client_id: seed.oauthApp.clientId,
        client_secret: seed.oauthApp.clientSecret,
        code,
        grant_type: 'authorization_code',
        redirect_uri: callback.url,
      }),
      headers: {'content-type': 'application/json'},
      method: 'POST',
    })
    expect(res.status).to.equal(200)
    expect(await res.json()).to.include.keys('access_token', 'refresh_token')
    expect(grantFor(fake)?.accountId).to.equal('712020:fake-0001-admin')
  })

  it('choosing another account and Cancel redirect with error=access_denied and the state', async () => {
    const {page} = browser
    await page.goto(authorizeUrl(fake, {redirectUri: callback.url, state: 'browser-state-2'}).toString())
    await page.selectOption('#account', 'reader@acme.example')
    await page.click('#deny')
    const received = await callback.received
    expect(received.searchParams.get('error')).to.equal('access_denied')
    expect(received.searchParams.get('state')).to.equal('browser-state-2')
    expect(received.searchParams.has('code')).to.equal(false)
  })
})
