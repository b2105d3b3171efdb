/**
 * Corporate proxies. Each request goes through the proxy its scheme's variable names (`https_proxy`, then
 * `HTTPS_PROXY`, then `all_proxy`/`ALL_PROXY`; likewise for http: lower case first, as curl reads them), unless
 * NO_PROXY lists its host (proxy-from-env's rules: `host`, `.suffix` or `*.suffix`, `host:port`, `*`). The
 * choice is made in got's beforeRequest hook, from the environment as it is then, so it follows the request's
 * own URL (a redirect to another host gets that host's choice) and tests may set the variables per test.
 *
 * - An https URL goes through a CONNECT tunnel (hpagent): the proxy sees the host name only, TLS is end to end.
 * - An http URL (a local server, the fake Atlassian) is sent to the proxy in absolute form, as curl does: many
 *   proxies refuse CONNECT to ports other than 443.
 *
 * Agents are kept per proxy URL, with keep-alive, like got's default agents. The proxy's user and password
 * travel only in Proxy-Authorization; anything printed shows the proxy as `maskProxy` gives it, and errors.ts
 * finds that masked form in the request's context (PROXY_CONTEXT) to name the proxy when it fails.
 */
import type {Agent as HttpAgent, OutgoingHttpHeaders} from 'node:http'

import type {NormalizedOptions, Options} from 'got'
import type {HttpsProxyAgent} from 'hpagent'

import {badInput} from '../errors.js'
import {debugHttp} from './debug-log.js'
import {redactUrl} from './redact.js'
import {hpagent, nodeHttp, nodeHttps, proxyFromEnv} from '../lazy-modules.js'

export interface ProxyChoice {
  /** The proxy, credentials included: never print it, print `maskProxy(url)`. */
  url: URL
  /** The variable it came from, as set: `https_proxy`, `HTTPS_PROXY`, `ALL_PROXY`... */
  variable: string
}

/** What errors.ts may print about the proxy a request went through. */
export interface ProxyInUse {
  shown: string
  variable: string
}

export const PROXY_CONTEXT = 'cfadminProxy'

/** The proxy for a request to `target`, or undefined to go direct. A malformed proxy URL is bad input (exit 2). */
export function proxyFor(target: URL | string): ProxyChoice | undefined {
  const url = new URL(String(target))
  if (!proxyFromEnv().getProxyForUrl(url)) return undefined // no variable for this scheme, or NO_PROXY lists the host
  const scheme = url.protocol.replace(/:$/, '')
  // proxy-from-env gives the value but not its name, and turns "proxy:3128" into "https://proxy:3128" for
  // an https URL, where curl (and every proxy) means http://.
  const variable = [`${scheme}_proxy`, `${scheme.toUpperCase()}_PROXY`, 'all_proxy', 'ALL_PROXY'].find(
    (name) => process.env[name],
  )
  if (!variable) return undefined
  const value = process.env[variable]!.trim()
  let proxy: URL | undefined
  try {
    proxy = new URL(value.includes('://') ? value : `http://${value}`)
  } catch {
    proxy = undefined
  }
  if (!proxy || (proxy.protocol !== 'http:' && proxy.protocol !== 'https:') || !proxy.hostname || !decodable(proxy)) {
    throw badInput(
      'PROXY_INVALID',
      `${variable} is not an http(s) proxy URL: ${maskProxyText(value)}`,
      `Set ${variable} to http://host:port (or http://user:password@host:port, the password URL-encoded), or unset it to connect directly.`,
    )
  }
  return {url: proxy, variable}
}

/** `http://alice:***@proxy.corp:3128`: the proxy as it may be printed. */
export function maskProxy(proxy: URL): string {
  const user = proxy.username ? `${proxy.username}${proxy.password ? ':***' : ''}@` : ''
  return `${proxy.protocol}//${user}${proxy.host}`
}

/** The got beforeRequest hook: this request's agent (https) or request function (http), or neither. */
export function routeThroughProxy(options: NormalizedOptions): void {
  const {url} = options
  if (!url) return
  const choice = proxyFor(url)
  options.context[PROXY_CONTEXT] =
    choice && ({shown: maskProxy(choice.url), variable: choice.variable} satisfies ProxyInUse)
  if (!choice) {
    options.agent = {}
    options.request = undefined
    return
  }
  debugHttp(`${options.method} ${redactUrl(url)} through proxy ${maskProxy(choice.url)} (${choice.variable})`)
  if (url.protocol === 'https:') {
    options.agent = {https: tunnelAgent(choice.url)}
    options.request = undefined
  } else {
    options.agent = {}
    options.request = forwardTo(choice.url)
  }
}

/** The proxy a failed request went through, from its got context. */
export function proxyInUse(context: Record<string, unknown> | undefined): ProxyInUse | undefined {
  const value = context?.[PROXY_CONTEXT] as ProxyInUse | undefined
  return value && typeof value.shown === 'string' ? value : undefined
}

/** The status a proxy refused a CONNECT with: hpagent fails the request with "Bad response: 407". */
export function tunnelRefusal(error: {message?: string}): number | undefined {
  const match = /^Bad response: (\d{3})$/.exec(error.message ?? '')
  return match ? Number(match[1]) : undefined
}

const tunnelAgents = new Map<string, HttpsProxyAgent>()
const forwardAgents = new Map<string, HttpAgent>()

function tunnelAgent(proxy: URL): HttpsProxyAgent {
  let agent = tunnelAgents.get(proxy.href)
  if (!agent) tunnelAgents.set(proxy.href, (agent = new (hpagent().HttpsProxyAgent)({keepAlive: true, proxy})))
  return agent
}

/** A got request function that sends an http request to the proxy in absolute form. */
function forwardTo(proxy: URL): NonNullable<Options['request']> {
  const secure = proxy.protocol === 'https:'
  let agent = forwardAgents.get(proxy.href)
  if (!agent)
    forwardAgents.set(
      proxy.href,
      (agent = secure ? new (nodeHttps().Agent)({keepAlive: true}) : new (nodeHttp().Agent)({keepAlive: true})),
    )
  const headers: OutgoingHttpHeaders = {}
  if (proxy.username || proxy.password) {
    const credentials = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`
    headers['proxy-authorization'] = `Basic ${Buffer.from(credentials).toString('base64')}`
  }
  return (url, native, callback) =>
    (secure ? nodeHttps().request : nodeHttp().request)(
      {
        ...native,
        agent,
        headers: {...native.headers, ...headers, host: url.host},
        hostname: proxy.hostname.replace(/^\[(.*)\]$/, '$1'), // an IPv6 proxy: [::1] -> ::1
        path: url.href,
        port: proxy.port || (secure ? 443 : 80),
        protocol: proxy.protocol,
      },
      callback,
    )
}

/** Whether the user and password decode (Proxy-Authorization carries them decoded): "50%" alone does not. */
function decodable(proxy: URL): boolean {
  try {
    decodeURIComponent(proxy.username)
    decodeURIComponent(proxy.password)
    return true
  } catch {
    return false
  }
}

/** A value that is not a usable URL, printable: whatever comes before its last "@" (user and password) is cut. */
function maskProxyText(value: string): string {
  const at = value.lastIndexOf('@')
  if (at < 0) return value
  const scheme = /^[a-z][\w+.-]*:\/\//i.exec(value)?.[0] ?? ''
  return `${scheme}***@${value.slice(at + 1)}`
}
