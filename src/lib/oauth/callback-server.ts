/**
 * The loopback server the browser comes back to after consent (RFC 8252 §7.3). The redirect URI says
 * `localhost`, which a browser may resolve to 127.0.0.1 or to ::1, so it listens on both: were ::1 left free,
 * another local user could listen there on the same port and receive the code. It answers only requests
 * addressed to a loopback name with its port (a DNS-rebound page sends its own host name), only on the
 * callback path, and only an answer carrying this login's `state` ends the login: anything else (a page's
 * <img>, an old tab, a favicon) gets a short page and the login goes on waiting.
 */
import type {IncomingMessage, Server, ServerResponse} from 'node:http'
import type {AddressInfo} from 'node:net'

import {badInput, CfadminError, ExitCode} from '../errors.js'
import {callbackPath, loopbackRedirectUri} from './authorize-url.js'
import {readCallbackQuery} from './callback-answer.js'
import {nodeHttp} from '../lazy-modules.js'

export interface CallbackServer {
  /** The redirect_uri to send: http://localhost:<port><path>. */
  redirectUri: string
  port: number
  /** The authorization code, once the browser comes back with the expected state; rejects when the login ends otherwise. */
  code: Promise<string>
  close(): Promise<void>
}

export interface CallbackOptions {
  /** 0 picks a free port (free on both addresses). */
  port: number
  /** The callback path, e.g. "/" or "/callback" (checked by callbackPath). */
  path: string
  state: string
  timeoutMs: number
  signal?: AbortSignal
}

/** The loopback names a browser on this machine (or through `ssh -L`) may use in its Host header. */
const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]']

/** How often a free port (port 0) is tried again when ::1 already has the one 127.0.0.1 gave. */
const FREE_PORT_TRIES = 5

const notLoggedIn = (code: string, message: string, hint: string) =>
  new CfadminError(message, {code, exit: ExitCode.notAuthenticated, hint})

/** Starts listening; fails at once (exit 2) when the port is taken on either address, before any browser is opened. */
export async function startCallbackServer(options: CallbackOptions): Promise<CallbackServer> {
  const path = callbackPath(options.path)
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

  let port = options.port
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    if (!isLoopbackHost(req.headers.host, port)) {
      page(res, 400, 'Wrong address', `cfadmin's login callback answers only at localhost:${port}. Nothing was done.`)
      return
    }

    const target = req.url ?? ''
    const url = target.startsWith('/') && !target.startsWith('//') ? new URL(`http://localhost${target}`) : undefined
    if (req.method !== 'GET' || url?.pathname !== path) {
      page(res, 404, 'Not here', "This is cfadmin's login callback; nothing else lives on this port.")
      return
    }

    if (settled) {
      page(res, 409, 'Already done', 'This login has already finished. Look at the terminal where cfadmin runs.')
      return
    }

    const answer = readCallbackQuery(url.searchParams, options.state)
    switch (answer.kind) {
      case 'foreign': {
        page(
          res,
          400,
          'Not this login',
          'This link is not the one cfadmin is waiting for, so it was ignored. To log in, open the URL cfadmin printed in the terminal.',
        )
        return
      }

      case 'refused': {
        page(
          res,
          400,
          'Not logged in',
          `Atlassian answered: ${answer.said}. Look at the terminal; you can close this tab.`,
        )
        finish({error: answer.error})
        return
      }

      case 'code': {
        page(
          res,
          200,
          'Logged in',
          'cfadmin got the authorization. You can close this tab and go back to the terminal.',
        )
        finish({code: answer.code})
      }
    }
  }

  const listening = await listenOnLoopback(handle, options.port)
  port = listening.port
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
  options.signal?.addEventListener('abort', () => finish({error: badInput('CANCELLED', 'Login cancelled.')}), {
    once: true,
  })

  return {
    async close() {
      clearTimeout(timer)
      await Promise.all(listening.servers.map((server) => closeServer(server)))
    },
    code,
    port,
    redirectUri: loopbackRedirectUri(port, path),
  }
}

/** Whether a Host header names this machine's loopback with the server's port (the browser leaves out :80). */
export function isLoopbackHost(host: string | undefined, port: number): boolean {
  if (!host) return false
  const wanted = host.toLowerCase()
  return LOOPBACK_NAMES.some((name) => wanted === `${name}:${port}` || (port === 80 && wanted === name))
}

/**
 * Listens on 127.0.0.1 and ::1 with the same port. A machine without IPv6 has no ::1 to listen on, and then
 * nobody else can take it either; ::1 taken by another program is refused like 127.0.0.1 taken.
 */
async function listenOnLoopback(
  handle: (req: IncomingMessage, res: ServerResponse) => void,
  wanted: number,
): Promise<{servers: Server[]; port: number}> {
  for (let tries = 1; ; tries++) {
    const v4 = nodeHttp().createServer(handle)
    await listen(v4, wanted, '127.0.0.1').catch((error) => {
      throw portProblem(error, wanted, '127.0.0.1')
    })
    const {port} = v4.address() as AddressInfo
    const v6 = nodeHttp().createServer(handle)
    try {
      await listen(v6, port, '::1')
      return {port, servers: [v4, v6]}
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (code === 'EADDRNOTAVAIL' || code === 'EAFNOSUPPORT') return {port, servers: [v4]}
      await closeServer(v4)
      if (wanted === 0 && code === 'EADDRINUSE' && tries < FREE_PORT_TRIES) continue
      throw portProblem(error as NodeJS.ErrnoException, port, '::1')
    }
  }
}

function listen(server: Server, port: number, address: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, address, () => {
      server.unref()
      resolve()
    })
  })
}

function portProblem(error: NodeJS.ErrnoException, port: number, address: string): Error {
  const where = address === '::1' ? '::1 (localhost over IPv6)' : address
  if (error.code === 'EADDRINUSE') {
    return badInput(
      'PORT_IN_USE',
      `Port ${port} on ${where} is in use by another program, so the browser coming back to localhost:${port} could reach it instead of cfadmin.`,
      "Stop what uses it, or choose another with --port (and add http://localhost:<port> to the app's callback URLs).",
    )
  }

  if (error.code === 'EACCES')
    return badInput(
      'PORT_IN_USE',
      `Port ${port} needs more rights than this user has.`,
      "Choose another with --port (and add http://localhost:<port> to the app's callback URLs).",
    )
  return error
}

function closeServer(server: Server): Promise<void> {
  return new Promise<void>((resolve) => {
    server.close(() => resolve())
    server.closeAllConnections()
  })
}

function page(res: ServerResponse, status: number, title: string, text: string): void {
  const html =
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>cfadmin: ${escapeHtml(title)}</title></head>` +
    `<body style="font-family:sans-serif;max-width:36em;margin:4em auto"><h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p></body></html>`
  res.writeHead(status, {
    'cache-control': 'no-store',
    'content-type': 'text/html; charset=utf-8',
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
  })
  res.end(html)
}

function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;')
}
