import {request} from 'node:http'
import {createServer, type Server} from 'node:net'

import {expect} from 'chai'

import {CfadminError, ExitCode} from '../../../src/lib/errors.js'
import {authorizeUrl, callbackPath, loopbackRedirectUri, newState} from '../../../src/lib/oauth/authorize-url.js'
import {type CallbackServer, isLoopbackHost, startCallbackServer} from '../../../src/lib/oauth/callback-server.js'
import {rejectionOf} from '../../support/rejection.js'

const STATE = 'state-fake-0123456789'

describe('OAuth authorize URL', () => {
  it('carries every parameter Atlassian asks for, offline_access among the scopes', () => {
    const url = new URL(
      authorizeUrl({
        authUrl: 'https://auth.atlassian.com',
        clientId: 'fake-client',
        redirectUri: 'http://localhost:13131',
        scopes: ['read:space:confluence', 'offline_access'],
        state: STATE,
      }),
    )
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

  it('takes a callback path as the app lists it, adding the leading slash', () => {
    expect(callbackPath('/')).to.equal('/')
    expect(callbackPath('callback')).to.equal('/callback')
    expect(callbackPath('/oauth/cfadmin-cb_1~x')).to.equal('/oauth/cfadmin-cb_1~x')
  })
})

describe('OAuth loopback callback server', () => {
  const servers: CallbackServer[] = []
  const start = async (options: {path?: string; timeoutMs?: number; port?: number} = {}) => {
    const server = await startCallbackServer({
      path: options.path ?? '/',
      port: options.port ?? 0,
      state: STATE,
      timeoutMs: options.timeoutMs ?? 10_000,
    })
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

  it('a request with a wrong state gets a 400 page and the login still completes with the right one', async () => {
    const server = await start()
    const page = await visit(server, '?code=fake-code-planted&state=someone-elses')
    expect(page.status).to.equal(400)
    expect(page.text).to.contain('not the one cfadmin is waiting for')
    expect((await visit(server, `?code=fake-code-1&state=${STATE}`)).status).to.equal(200)
    expect(await server.code).to.equal('fake-code-1')
  })

  it('requests without a state (an <img> on any web page) do not end the login, whatever else they carry', async () => {
    const server = await start()
    for (const query of [
      '',
      '?code=fake-code-planted',
      '?state=&code=fake-code-planted',
      '?error=access_denied',
      `?error=access_denied&State=${STATE}`,
    ]) {
      const page = await visit(server, query)
      expect(page.status, query).to.equal(400)
      expect(page.text, query).to.contain('not the one cfadmin is waiting for')
    }

    expect((await visit(server, `?code=fake-code-1&state=${STATE}`)).status).to.equal(200)
    expect(await server.code).to.equal('fake-code-1')
  })
  it("turns Atlassian's access_denied into a clear refusal", async () => {
    const server = await start()
    const page = await visit(
      server,
      `?error=access_denied&error_description=User%20did%20not%20authorize&state=${STATE}`,
    )
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
    const blocker = await occupy('127.0.0.1')
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

  it('answers only requests addressed to localhost, 127.0.0.1 or [::1] with its port (DNS rebinding), and goes on waiting', async () => {
    const server = await start()
    const {port} = server
    for (const host of [
      `evil.example:${port}`,
      `localhost.evil.example:${port}`,
      `127.0.0.1.nip.io:${port}`,
      'localhost:1',
      'localhost',
      `localhost:${port}0`,
      undefined,
    ]) {
      const page = await get(port, `/?code=fake-code-planted&state=${STATE}`, host)
      expect(page.status, String(host)).to.equal(400)
      if (host) expect(page.text, host).to.contain('answers only at localhost') // without a Host, Node itself answers 400
    }

    expect((await get(port, `/?code=fake-code-1&state=${STATE}`, `LocalHost:${port}`)).status).to.equal(200)
    expect(await server.code).to.equal('fake-code-1')
  })

  it('takes the Host a browser sends for port 80, without the port, and no other port', () => {
    expect(isLoopbackHost('localhost', 80)).to.equal(true)
    expect(isLoopbackHost('[::1]:80', 80)).to.equal(true)
    expect(isLoopbackHost('localhost', 8080)).to.equal(false)
    expect(isLoopbackHost('localhost:80', 8080)).to.equal(false)
  })

  describe('IPv6 localhost (::1)', () => {
    before(async function () {
      const probe = await occupy('::1').catch(() => undefined)
      if (!probe) this.skip() // no IPv6 loopback on this machine: nobody can listen there either
      probe.close()
    })

    it('listens on ::1 too, so a browser that resolves localhost to ::1 reaches cfadmin and nobody else', async () => {
      const server = await start()
      const response = await fetch(`http://[::1]:${server.port}/?code=fake-code-6&state=${STATE}`)
      expect(response.status).to.equal(200)
      expect(await server.code).to.equal('fake-code-6')
    })

    it('another program on ::1 with the same port makes the login fail at once (exit 2), naming ::1, and frees 127.0.0.1', async () => {
      const blocker = await occupy('::1')
      const {port} = blocker.address() as {port: number}
      try {
        const error = await rejectionOf<CfadminError>(start({port}))
        expect(error.code).to.equal('PORT_IN_USE')
        expect(error.exit).to.equal(ExitCode.badInput)
        expect(error.message).to.contain(`Port ${port} on ::1`)
        const again = await occupy('127.0.0.1', port) // cfadmin let go of its 127.0.0.1 half
        again.close()
      } finally {
        blocker.close()
      }
    })
  })

  it('refuses a callback path the browser could never come back to, before listening (exit 2)', async () => {
    for (const path of [
      '/cb?x=1',
      '/cb#top',
      '/a/../b',
      '/a/./b',
      '/a b',
      '//evil.example/cb',
      '/a\\b',
      '/a\u0001b',
      `/${'a'.repeat(300)}`,
    ]) {
      const error = await rejectionOf<CfadminError>(start({path}))
      expect(error.code, path).to.equal('CALLBACK_PATH_INVALID')
      expect(error.exit, path).to.equal(ExitCode.badInput)
      expect(hasControl(error.message), path).to.equal(false)
    }

    expect((await rejectionOf<CfadminError>(start({path: '/cb?x=1'}))).message).to.contain('cannot have a query')
  })

  it("shows Atlassian's error_description with control characters escaped in the terminal and HTML-escaped in the page", async () => {
    const server = await start()
    const hostile = '\u001B]0;owned\u0007\u001B[2J<script>alert(1)</script>'
    const page = await visit(
      server,
      `?error=server_error&error_description=${encodeURIComponent(hostile + 'x'.repeat(5000))}&state=${STATE}`,
    )
    expect(page.status).to.equal(400)
    expect(page.text).not.to.contain('<script>').and.not.to.contain('\u001B')
    expect(page.text).to.contain('&lt;script&gt;').and.to.contain('\\u001b]0;owned')
    const error = await rejectionOf<CfadminError>(server.code)
    expect(error.code).to.equal('OAUTH_AUTHORIZE_ERROR')
    expect(hasControl(error.message)).to.equal(false)
    expect(error.message).to.contain('\\u001b[2J')
    expect(error.message.length).to.be.below(700) // the 5,000 x's were cut
  })
})

/** Whether `text` holds a C0 control character (ESC, BEL, newline…): what would reach the terminal raw. */
function hasControl(text: string): boolean {
  return [...text].some((c) => c.charCodeAt(0) < 0x20)
}

/** A plain TCP listener holding a port on one address (port 0: a free one). */
async function occupy(address: string, port = 0): Promise<Server> {
  const blocker = createServer()
  await new Promise<void>((resolve, reject) => {
    blocker.once('error', reject)
    blocker.listen(port, address, resolve)
  })
  return blocker
}

/** GET with a Host header of the test's choosing (undefined: none at all), as a rebound page or a bare client sends. */
function get(port: number, path: string, host: string | undefined): Promise<{status: number; text: string}> {
  return new Promise((resolve, reject) => {
    const req = request(
      {headers: host === undefined ? {} : {host}, host: '127.0.0.1', path, port, setHost: false},
      (res) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => (text += chunk))
        res.on('end', () => resolve({status: res.statusCode ?? 0, text}))
      },
    )
    req.once('error', reject)
    req.end()
  })
}
