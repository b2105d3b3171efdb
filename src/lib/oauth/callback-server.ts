/**
 * The loopback server the browser comes back to after consent (RFC 8252 §7.3): 127.0.0.1 only, one path,
 * one answer. It checks `state` before anything else, shows the user a small page saying what happened,
 * and hands the code to the login.
 */
import {createServer, type ServerResponse} from 'node:http'
import type {AddressInfo} from 'node:net'

import {badInput, CfadminError, ExitCode} from '../errors.js'
import {loopbackRedirectUri} from './authorize-url.js'

export interface CallbackServer {
  /** The redirect_uri to send: http://localhost:<port><path>. */
  redirectUri: string
  port: number
  /** The authorization code, once the browser comes back with the expected state; rejects on anything else. */
  code: Promise<string>
  close(): Promise<void>
}

export interface CallbackOptions {
  port: number
  /** The callback path, e.g. "/" or "/callback". */
  path: string
  state: string
  timeoutMs: number
  host?: string
  signal?: AbortSignal
}

const notLoggedIn = (code: string, message: string, hint: string) => new CfadminError(message, {code, exit: ExitCode.notAuthenticated, hint})

/** Starts listening; fails at once (exit 2) when the port is taken, before any browser is opened. */
export async function startCallbackServer(options: CallbackOptions): Promise<CallbackServer> {
  const path = options.path.startsWith('/') ? options.path : `/${options.path}`
  let settle: {resolve(code: string): void; reject(error: Error): void}
  const code = new Promise<string>((resolve, reject) => {
    settle = {reject, resolve}
  })
  let settled = false
  const finish = (outcome: {code: string} | {error: Error}) => {
    if (settled) return
    settled = true
    clearTimeout(timer)
    if ('code' in outcome) settle.resolve(outcome.code)
    else settle.reject(outcome.error)
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost')
    if (req.method !== 'GET' || url.pathname !== path) {
      page(res, 404, 'Not here', 'This is cfadmin\'s login callback; nothing else lives on this port.')
      return
    }

    if (settled) {
      page(res, 409, 'Already done', 'This login has already finished. Look at the terminal where cfadmin runs.')
      return
    }

    finish(answer(url.searchParams, options.state, res))
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE' || error.code === 'EACCES'
          ? badInput(
              'PORT_IN_USE',
              error.code === 'EADDRINUSE' ? `Port ${options.port} on 127.0.0.1 is in use, so the browser cannot come back to cfadmin there.` : `Port ${options.port} needs more rights than this user has.`,
              'Stop what uses it, or choose another with --port (and add http://localhost:<port> to the app\'s callback URLs).',
            )
          : error,
      )
    })
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve())
  })
  server.unref()
  const {port} = server.address() as AddressInfo
  const minutes = Math.round(options.timeoutMs / 60_000)
  const timer = setTimeout(
    () =>
      finish({
        error: notLoggedIn(
          'OAUTH_TIMEOUT',
          `No answer from the browser within ${minutes >= 1 ? `${minutes} minute${minutes === 1 ? '' : 's'}` : `${Math.round(options.timeoutMs / 1000)} s`}.`,
          'Open the URL printed above in a browser on this machine, log in and accept; or run again with a longer --timeout.',
        ),
      }),
    options.timeoutMs,
  )
  options.signal?.addEventListener('abort', () => finish({error: badInput('CANCELLED', 'Login cancelled.')}), {once: true})

  return {
    close: () =>
      new Promise<void>((resolve) => {
        clearTimeout(timer)
        server.close(() => resolve())
        server.closeAllConnections()
      }),
    code,
    port,
    redirectUri: loopbackRedirectUri(port, path),
  }
}

/** What one callback request means, with the page the browser gets. */
function answer(query: URLSearchParams, expectedState: string, res: ServerResponse): {code: string} | {error: Error} {
  const state = query.get('state')
  if (state !== expectedState) {
    page(res, 400, 'Login refused', 'The answer did not carry this login\'s state value, so cfadmin did not trust it. Start the login again from the terminal.')
    return {
      error: notLoggedIn(
        'OAUTH_STATE_MISMATCH',
        state === null ? 'The browser came back without a state value; the answer was refused.' : 'The browser came back with a state value that is not this login\'s; the answer was refused.',
        'Run cfadmin auth login --oauth again and use the URL it prints (a link from elsewhere cannot complete it).',
      ),
    }
  }

  const error = query.get('error')
  if (error) {
    const description = query.get('error_description')
    page(res, 400, 'Not logged in', `Atlassian answered: ${error}${description ? ` (${description})` : ''}. You can close this tab.`)
    return {
      error:
        error === 'access_denied'
          ? notLoggedIn('OAUTH_DENIED', 'The consent was declined in the browser (access_denied): nothing was saved.', 'Run the login again and choose Accept on Atlassian\'s page.')
          : notLoggedIn(
              'OAUTH_AUTHORIZE_ERROR',
              `Atlassian refused the authorization: ${error}${description ? ` (${description})` : ''}.`,
              error === 'invalid_scope'
                ? 'Add the scopes to the app in the developer console (Permissions), or ask for fewer with --scopes.'
                : 'Check the app in developer.atlassian.com: its client ID, callback URL and permissions.',
            ),
    }
  }

  const code = query.get('code')
  if (!code) {
    page(res, 400, 'Not logged in', 'The answer carried no authorization code. Start the login again from the terminal.')
    return {error: notLoggedIn('OAUTH_NO_CODE', 'The browser came back without an authorization code.', 'Run cfadmin auth login --oauth again.')}
  }

  page(res, 200, 'Logged in', 'cfadmin got the authorization. You can close this tab and go back to the terminal.')
  return {code}
}

function page(res: ServerResponse, status: number, title: string, text: string): void {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>cfadmin: ${escape(title)}</title></head>` +
    `<body style="font-family:sans-serif;max-width:36em;margin:4em auto"><h1>${escape(title)}</h1><p>${escape(text)}</p></body></html>`
  res.writeHead(status, {'cache-control': 'no-store', 'content-type': 'text/html; charset=utf-8', 'referrer-policy': 'no-referrer'})
  res.end(html)
}

function escape(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;')
}
