import {createServer, type IncomingHttpHeaders, type Server} from 'node:http'

export interface SeenRequest {
  method: string
  url: string
  headers: IncomingHttpHeaders
  body: string
}

export interface HostileAnswer {
  status: number
  headers?: Record<string, string>
  body?: string
}

export interface HostileServer {
  /** http://127.0.0.1:<port> */
  url: string
  /** Every request it got, with its headers and body: what a thief would have. */
  seen: SeenRequest[]
  close(): Promise<void>
}

/** A loopback server that answers each request as `answer` says and records what it was sent (tests of what leaks). */
export async function startHostileServer(answer: (request: SeenRequest) => HostileAnswer): Promise<HostileServer> {
  const seen: SeenRequest[] = []
  const http: Server = createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      const got: SeenRequest = {
        body: Buffer.concat(chunks).toString('utf8'),
        headers: request.headers,
        method: request.method ?? '',
        url: request.url ?? '',
      }
      seen.push(got)
      const {body = '{}', headers = {}, status} = answer(got)
      response.writeHead(status, {'content-type': 'application/json', ...headers})
      response.end(body)
    })
  })
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
  const address = http.address()
  if (address === null || typeof address === 'string') throw new Error('no port')
  return {
    close: () =>
      new Promise<void>((resolve) => {
        http.closeAllConnections()
        http.close(() => resolve())
      }),
    seen,
    url: `http://127.0.0.1:${address.port}`,
  }
}
