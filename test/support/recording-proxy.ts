/**
 * A forward proxy on 127.0.0.1 for the proxy tests, recording what cfadmin asks of it. It relays
 * absolute-form http requests (`GET http://127.0.0.1:4567/wiki/... HTTP/1.1`) and tunnels CONNECTs, but
 * only to loopback: any other target is refused (502 / 403), so a test cannot reach the network through it.
 * With `credentials`, a request without the right Proxy-Authorization gets 407; with `tunnel: false`,
 * every CONNECT is refused with 403 (after being recorded).
 */
import {createServer, type IncomingHttpHeaders, type IncomingMessage, request as httpRequest} from 'node:http'
import {type AddressInfo, connect, type Socket} from 'node:net'

export interface ProxiedRequest {
  /** `GET`, `POST`... for a relayed request; `CONNECT` for a tunnel. */
  method: string
  /** The absolute URL of a relayed request; `host:port` for a CONNECT. */
  target: string
  /** Whether the client sent Proxy-Authorization at all. */
  authorized: boolean
  /** What the proxy answered itself (407, 403, 502), or undefined when it relayed or tunnelled. */
  refused?: number
}

export interface RecordingProxy {
  /** http://127.0.0.1:PORT */
  url: string
  /** The proxy's URL with a user and password in it. */
  urlWith(user: string, password: string): string
  requests: ProxiedRequest[]
  /** How many connections clients opened to the proxy. */
  readonly connections: number
  close(): Promise<void>
}

export interface RecordingProxyOptions {
  credentials?: {user: string; password: string}
  /** Open CONNECT tunnels to loopback targets (default true). */
  tunnel?: boolean
}

/** Every variable cfadmin reads a proxy from (proxy.ts), in both cases. */
export const PROXY_VARIABLES = [
  'HTTPS_PROXY',
  'https_proxy',
  'HTTP_PROXY',
  'http_proxy',
  'ALL_PROXY',
  'all_proxy',
  'NO_PROXY',
  'no_proxy',
] as const

/** Clears every proxy variable, then sets these (for the test that calls it; call it with none after the test). */
export function setProxyEnv(variables: Partial<Record<(typeof PROXY_VARIABLES)[number], string>> = {}): void {
  for (const name of PROXY_VARIABLES) delete process.env[name]
  Object.assign(process.env, variables)
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1'])

export async function startRecordingProxy(options: RecordingProxyOptions = {}): Promise<RecordingProxy> {
  const requests: ProxiedRequest[] = []
  const sockets = new Set<Socket>()
  let connections = 0
  const expected =
    options.credentials &&
    `Basic ${Buffer.from(`${options.credentials.user}:${options.credentials.password}`).toString('base64')}`
  const allowed = (request: IncomingMessage) =>
    expected === undefined || request.headers['proxy-authorization'] === expected
  const record = (request: IncomingMessage, refused?: number) =>
    requests.push({
      authorized: request.headers['proxy-authorization'] !== undefined,
      method: request.method ?? '',
      refused,
      target: request.url ?? '',
    })

  const server = createServer((request, response) => {
    let target: URL
    try {
      target = new URL(request.url ?? '')
    } catch {
      record(request, 400)
      response.writeHead(400).end('not an absolute-form proxy request')
      return
    }
    if (!allowed(request)) {
      record(request, 407)
      response.writeHead(407, {'proxy-authenticate': 'Basic realm="recording-proxy"'}).end('proxy credentials needed')
      return
    }
    if (!LOOPBACK.has(target.hostname)) {
      record(request, 502)
      response.writeHead(502).end('the recording proxy relays to loopback only')
      return
    }
    record(request)
    const upstream = httpRequest(target, {headers: endToEnd(request.headers), method: request.method}, (answer) => {
      response.writeHead(answer.statusCode ?? 502, endToEnd(answer.headers))
      answer.pipe(response)
    })
    upstream.on('error', () => response.destroy())
    request.pipe(upstream)
  })

  server.on('connect', (request: IncomingMessage, client: Socket, head: Buffer) => {
    const [host, port] = splitHostPort(request.url ?? '')
    const refuse = (status: number, text: string) => {
      record(request, status)
      const challenge = status === 407 ? 'Proxy-Authenticate: Basic realm="recording-proxy"\r\n' : ''
      client.end(`HTTP/1.1 ${status} ${text}\r\n${challenge}Content-Length: 0\r\n\r\n`)
    }
    if (!allowed(request)) return refuse(407, 'Proxy Authentication Required')
    if (options.tunnel === false || !LOOPBACK.has(host)) return refuse(403, 'Forbidden')
    record(request)
    const upstream = connect(port, host.replace(/^\[(.*)\]$/, '$1'), () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      upstream.write(head)
      upstream.pipe(client)
      client.pipe(upstream)
    })
    sockets.add(upstream)
    upstream.on('close', () => sockets.delete(upstream))
    upstream.on('error', () => client.destroy())
    client.on('error', () => upstream.destroy())
  })

  server.on('connection', (socket: Socket) => {
    connections++
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const {port} = server.address() as AddressInfo
  const url = `http://127.0.0.1:${port}`
  return {
    get connections() {
      return connections
    },
    requests,
    url,
    urlWith: (user, password) => `http://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}`,
    async close() {
      // cfadmin keeps its connections to a proxy alive: end them, or close() would wait for them.
      for (const socket of sockets) socket.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

/** The headers without the hop-by-hop ones, which a proxy does not pass on (each side keeps its own connection). */
function endToEnd(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const copy = {...headers}
  for (const name of ['connection', 'keep-alive', 'proxy-authorization', 'proxy-connection', 'transfer-encoding'])
    delete copy[name]
  return copy
}

function splitHostPort(authority: string): [string, number] {
  const colon = authority.lastIndexOf(':')
  return [authority.slice(0, colon), Number(authority.slice(colon + 1))]
}
