import {createServer} from 'node:net'

import {expect} from 'chai'

import {CfadminError, ExitCode} from '../../../src/lib/errors.js'
import {authorizeUrl, loopbackRedirectUri, newState} from '../../../src/lib/oauth/authorize-url.js'
import {type CallbackServer, startCallbackServer} from '../../../src/lib/oauth/callback-server.js'
import {rejectionOf} from '../../support/rejection.js'

const STATE = 'state-fake-0123456789'

describe('OAuth authorize URL', () => {
  it('carries every parameter Atlassian asks for, offline_access among the scopes', () => {
    const url = new URL(authorizeUrl({authUrl: 'https://auth.atlassian.com', clientId: 'fake-client', redirectUri: 'http://localhost:13131', scopes: ['read:space:confluence', 'offline_access'], state: STATE}))
    expect(url.origin + url.pathname).to.equal('https://auth.atlassian.com/authorize')
    expect(Object.fromEntries(url.searchParams)).to.deep.equal({
      audience: 'api.atlassian.com',
      client_id: 'fake-client',
      prompt: 'consent',
      redirect_uri: 'http://localhost:13131',
      response_type: 'code',
      scope: 'read:space:confluence offline_access',
      state: STATE,
    })
  })

  it('makes a new unguessable state each time', () => {
    const states = new Set(Array.from({length: 50}, () => newState()))
    expect(states.size).to.equal(50)
    for (const s of states) expect(s).to.match(/^[\w-]{32}$/)
  })

  it('writes the callback URL the way the guides do: no trailing slash at the root, no :80', () => {
    expect(loopbackRedirectUri(13_131, '/')).to.equal('http://localhost:13131')
    expect(loopbackRedirectUri(80, '/callback')).to.equal('http://localhost/callback')
    expect(loopbackRedirectUri(8080, 'cb')).to.equal('http://localhost:8080/cb')
  })
})

describe('OAuth loopback callback server', () => {
  const servers: CallbackServer[] = []
  const start = async (options: {path?: string; timeoutMs?: number; port?: number} = {}) => {
    const server = await startCallbackServer({path: options.path ?? '/', port: options.port ?? 0, state: STATE, timeoutMs: options.timeoutMs ?? 10_000})
    servers.push(server)
    server.code.catch(() => {}) // each test awaits it where it matters
    return server
  }

  const visit = async (server: CallbackServer, query: string, path = '/') => {
    const response = await fetch(`http://127.0.0.1:${server.port}${path}${query}`)
    return {status: response.status, text: await response.text()}
  }

  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()))
  })

  it('hands over the code when the state matches, and tells the browser it worked', async () => {
    const server = await start()
    expect(server.redirectUri).to.equal(`http://localhost:${server.port}`)
    const page = await visit(server, `?code=fake-code-1&state=${STATE}`)
    expect(page.status).to.equal(200)
    expect(page.text).to.contain('You can close this tab')
    expect(await server.code).to.equal('fake-code-1')
  })

  it('refuses an answer with a wrong state: the login fails (exit 4) and the page says why', async () => {
    const server = await start()
    const page = await visit(server, '?code=fake-code-1&state=someone-elses')
    expect(page.status).to.equal(400)
    expect(page.text).to.contain('did not trust it')
    const error = await rejectionOf<CfadminError>(server.code)
    expect(error.code).to.equal('OAUTH_STATE_MISMATCH')
    expect(error.exit).to.equal(ExitCode.notAuthenticated)
  })

  it('refuses an answer without a state', async () => {
    const server = await start()
    await visit(server, '?code=fake-code-1')
    expect((await rejectionOf<CfadminError>(server.code)).message).to.contain('without a state')
  })

  it("turns Atlassian's access_denied into a clear refusal", async () => {
    const server = await start()
    const page = await visit(server, `?error=access_denied&error_description=User%20did%20not%20authorize&state=${STATE}`)
    expect(page.text).to.contain('access_denied')
    const error = await rejectionOf<CfadminError>(server.code)
    expect(error.code).to.equal('OAUTH_DENIED')
    expect(error.message).to.contain('declined')
  })

  it('points at the app settings for invalid_scope', async () => {
    const server = await start()
    await visit(server, `?error=invalid_scope&state=${STATE}`)
    expect((await rejectionOf<CfadminError>(server.code)).hint).to.contain('Permissions')
  })

  it('ignores other paths (favicon) and keeps waiting on its own', async () => {
    const server = await start({path: '/callback'})
    expect(server.redirectUri).to.equal(`http://localhost:${server.port}/callback`)
    expect((await visit(server, '', '/favicon.ico')).status).to.equal(404)
    expect((await visit(server, `?code=c2&state=${STATE}`, '/callback')).status).to.equal(200)
    expect(await server.code).to.equal('c2')
  })

  it('answers a second visit with "already done" and keeps the first code', async () => {
    const server = await start()
    await visit(server, `?code=first&state=${STATE}`)
    expect((await visit(server, `?code=second&state=${STATE}`)).status).to.equal(409)
    expect(await server.code).to.equal('first')
  })

  it('gives up after the timeout with a hint to open the URL (exit 4)', async () => {
    const server = await start({timeoutMs: 50})
    const error = await rejectionOf<CfadminError>(server.code)
    expect(error.code).to.equal('OAUTH_TIMEOUT')
    expect(error.exit).to.equal(ExitCode.notAuthenticated)
    expect(error.hint).to.contain('--timeout')
  })

  it('fails at once, naming the port and --port, when the port is in use (exit 2)', async () => {
    const blocker = createServer()
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
    const {port} = blocker.address() as {port: number}
    try {
      const error = await rejectionOf<CfadminError>(start({port}))
      expect(error.code).to.equal('PORT_IN_USE')
      expect(error.exit).to.equal(ExitCode.badInput)
      expect(error.message).to.contain(String(port))
      expect(error.hint).to.contain('--port')
    } finally {
      blocker.close()
    }
  })
})
