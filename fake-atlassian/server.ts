import {createServer, type IncomingMessage, type ServerResponse} from 'node:http'
import type {AddressInfo} from 'node:net'
import {setTimeout as sleep} from 'node:timers/promises'

import {authenticate, type Principal} from './auth.js'
import {type FakeClock, OffsetClock} from './clock.js'
import {
  type ContractMatch,
  type Contracts,
  loadContracts,
  parseBody,
  type ParsedBody,
  specsForPath,
} from './contract.js'
import {errorBody, FakeHttpError} from './errors.js'
import {classify} from './families.js'
import {type FaultControls, Faults, type RateLimit} from './faults.js'
import {redact, queryObject, redactQuery} from './redact.js'
import {type FakeResponse, json, type RouteContext, Router} from './router.js'
import {processPendingInvites} from './model.js'
import {ADMIN_KEY_HEADER} from './space-access.js'
import {allRoutes} from './routes/index.js'
import {OAuthQuota} from './quota.js'
import {BY_NAME_GROUP_ROUTES, createState, defaultSeedPath, primarySite, readSeed, resetState} from './state.js'
import type {FakeSeed, FakeState, RecordedRequest} from './types.js'

export interface FakeAtlassianOptions {
  /** The seed, or the path of a JSON seed file (a bare name such as "two-orgs" means a bundled seed). Default: seeds/default.json. */
  seed?: FakeSeed | string
  /** 0 (default) picks a free port. */
  port?: number
  /** Start with a token-bucket rate limit (faults.setRateLimit). */
  rateLimit?: RateLimit
  /** Start with this latency on every answer (faults.setLatency). */
  latencyMs?: number
  /** Check requests and responses against the OpenAPI contracts (default true). */
  validate?: boolean
  /** Called with each request once it is answered (or dropped); the standalone CLI logs them. */
  onRequest?: (request: RecordedRequest) => void
}

export interface FakeAtlassian {
  /** http://127.0.0.1:PORT — the site, the API gateway / Admin API and the OAuth host on one origin. */
  url: string
  /** The live state; tests may read and change it. reset() refills it from the seed (same object, new lists). */
  state: FakeState
  /** Every request, in the order they were answered. Never holds Authorization values. */
  requests: RecordedRequest[]
  /** Off-contract requests (cfadmin's bugs) and off-contract responses (the fake's bugs), one line each. */
  contractViolations: string[]
  faults: FaultControls
  /** The fake's time: `fake.clock.advance(11 * 60_000)` lets codes, access tokens and the refresh leeway run out. */
  clock: FakeClock
  /** Back to the seed and the start options: state, request log, violations, faults. */
  reset(): void
  close(): Promise<void>
}

const MAX_BODY = 5 * 1024 * 1024
const router = new Router(allRoutes)

/** Starts a fake Atlassian Cloud on 127.0.0.1. */
export async function startFakeAtlassian(options: FakeAtlassianOptions = {}): Promise<FakeAtlassian> {
  const seed = structuredClone(
    typeof options.seed === 'string' ? readSeed(options.seed) : (options.seed ?? readSeed(defaultSeedPath)),
  )
  const state = createState(seed)
  const requests: RecordedRequest[] = []
  const contractViolations: string[] = []
  const clock = new OffsetClock()
  // Rate-limit refills read the fake's clock too, so a test can pause it and move it on instead of sleeping.
  const faults = new Faults(() => clock.now())
  const quota = new OAuthQuota()
  const applyStartFaults = () => {
    faults.clear()
    if (options.rateLimit) faults.setRateLimit(options.rateLimit)
    if (options.latencyMs) faults.setLatency(options.latencyMs)
  }

  applyStartFaults()
  let origin = ''
  let contracts: Contracts | undefined

  const record = (entry: RecordedRequest, status: number, started: number) => {
    entry.status = status
    entry.durationMs = Math.round((performance.now() - started) * 10) / 10
    requests.push(entry)
    options.onRequest?.(entry)
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now()
    const url = new URL(req.url ?? '/', origin)
    const method = (req.method ?? 'GET').toUpperCase()
    const {apiPath, cloudId, family} = classify(url.pathname)
    const query = queryObject(url.searchParams)
    const entry: RecordedRequest = {
      durationMs: 0,
      family,
      method,
      path: url.pathname,
      query: redactQuery(query),
      status: 0,
      time: new Date().toISOString(),
    }
    const raw = await readBody(req)
    if (raw === undefined) return // the client went away
    const body: ParsedBody =
      raw === 'too-large'
        ? {error: `the request body is over ${MAX_BODY} bytes`, status: 413}
        : parseBody(raw.toString('utf8'), req.headers['content-type'])
    if (body.value !== undefined) entry.body = redact(body.value)
    const shown = recordedHeaders(req)
    if (shown) entry.headers = shown

    if (faults.latencyMs > 0) await sleep(faults.latencyMs)
    const decision = faults.decide()
    if (decision.kind === 'drop') {
      entry.fault = decision.fault
      record(entry, 0, started)
      req.socket.destroy()
      return
    }

    let response: FakeResponse
    if (decision.kind === 'fail') {
      entry.fault = decision.fault
      const headers: Record<string, string> =
        decision.retryAfterSeconds === undefined ? {} : {'Retry-After': String(decision.retryAfterSeconds)}
      response = json(
        decision.status,
        errorBody(family, decision.status, `Injected failure (${decision.status})`),
        headers,
      )
    } else if (decision.kind === 'rate-limited') {
      entry.fault = 'rate-limited'
      response = json(429, errorBody(family, 429, 'Rate limit exceeded. Retry after the time given in Retry-After.'), {
        'Retry-After': String(decision.retryAfterSeconds),
        'X-RateLimit-Limit': String(decision.limit),
        'X-RateLimit-Remaining': '0',
        'X-RateLimit-Reset': decision.resetAt.toISOString(),
      })
    } else {
      const bearer = family === 'gateway' && /^bearer\s/i.test(req.headers.authorization ?? '')
      const metered = bearer ? quota.take(state, clock.now()) : undefined
      if (metered?.exceeded) {
        entry.fault = 'quota'
        response = json(
          429,
          errorBody(family, 429, 'Rate limit exceeded: the hourly quota is used up.'),
          metered.headers,
        )
      } else {
        response = await answer({apiPath, body, cloudId, entry, family, method, query, req, url})
        response.headers = {...faults.rateLimitHeaders(), ...metered?.headers, ...response.headers}
      }
    }

    send(res, response)
    record(entry, response.status, started)
  }

  interface Incoming {
    req: IncomingMessage
    url: URL
    method: string
    family: RecordedRequest['family']
    apiPath: string
    cloudId?: string
    query: Record<string, string | string[]>
    body: ParsedBody
    entry: RecordedRequest
  }

  async function answer(incoming: Incoming): Promise<FakeResponse> {
    const {apiPath, body, entry, family, method, query, req, url} = incoming
    let match: ContractMatch | undefined
    const fail = (error: FakeHttpError) =>
      json(
        error.status,
        error.body ?? errorBody(family, error.status, error.message, error.code, error.title),
        error.headers,
      )
    const offContract = (message: string, code?: string) => {
      contractViolations.push(`off-contract request: ${message}`)
      return new FakeHttpError(
        400,
        `off-contract request: ${message}`,
        code ?? (family === 'admin' ? 'ADMIN-400-24' : undefined),
      )
    }

    try {
      // Confluence v2 invite-by-email is asynchronous: what was due happens before this request is looked at.
      processPendingInvites(state, clock.now())
      if (family === 'other') throw new FakeHttpError(404, `Nothing at ${url.pathname} on this fake Atlassian.`)
      const cloudId = incoming.cloudId ?? primarySite(state)?.cloudId
      if (family === 'gateway' && !state.sites.some((s) => s.cloudId === cloudId))
        throw new FakeHttpError(404, `No site with cloud ID ${cloudId}.`)
      if (body.error) {
        if (body.status) throw new FakeHttpError(body.status, body.error)
        if (contracts && specsForPath(apiPath).length > 0) throw offContract(`${method} ${url.pathname}: ${body.error}`)
        throw new FakeHttpError(400, body.error)
      }

      if (contracts) {
        const headers = {...req.headers} as Record<string, string | string[]>
        delete headers.authorization
        const check = contracts.checkRequest({body: body.value, headers, method, path: apiPath, query})
        if (check.kind === 'violation') {
          if (check.match) entry.operation = check.match.label
          throw offContract(check.message)
        }

        if (check.kind === 'ok') {
          match = check.match
          entry.operation = match.label
          if (check.problem) contractViolations.push(check.problem)
        }
      }

      const found = router.match(method, apiPath)
      if (found.kind === 'not-found') {
        if (match)
          throw new FakeHttpError(
            501,
            `The fake does not implement ${match.label} yet (add a route in fake-atlassian/routes).`,
          )
        throw new FakeHttpError(404, `Nothing at ${method} ${url.pathname} on this fake Atlassian.`)
      }

      if (found.kind === 'method-not-allowed') {
        throw new FakeHttpError(405, `${method} is not supported on ${url.pathname}.`, undefined, {
          Allow: found.allowed.join(', '),
        })
      }

      const principal: Principal = found.route.anonymous
        ? {kind: 'none'}
        : authenticate(family, req.headers.authorization, state, cloudId, clock.now())
      const ctx: RouteContext = {
        apiBase: family === 'gateway' ? `${origin}/ex/confluence/${encodeURIComponent(cloudId ?? '')}` : origin,
        body: body.value,
        cloudId,
        family,
        method,
        now: () => clock.now(),
        offContract,
        origin,
        params: found.params,
        path: apiPath,
        principal,
        query: url.searchParams,
        req,
        state,
      }
      const template = `${method} ${found.route.path}`
      gate(ctx, template)
      const response = await found.route.handler(ctx)
      if (response.status < 400 && state.behaviour.deprecatedRoutes.includes(template))
        response.headers = {...response.headers, Warning: DEPRECATION_WARNING}
      checkResponse(match, method, url.pathname, response)
      return response
    } catch (error) {
      if (!(error instanceof FakeHttpError)) {
        contractViolations.push(`fake bug: ${method} ${url.pathname} threw ${(error as Error).stack ?? String(error)}`)
        return json(500, errorBody(family, 500, 'The fake Atlassian failed; see contractViolations.'))
      }

      const response =
        error.status === 410 && error.message === GONE_MESSAGE ? json(410, {message: GONE_MESSAGE}) : fail(error)
      // Off-contract answers are the fake's own words; every other error should still fit the documented responses.
      if (!error.message.startsWith('off-contract')) checkResponse(match, method, url.pathname, response)
      return response
    }
  }

  function checkResponse(match: ContractMatch | undefined, method: string, path: string, response: FakeResponse) {
    if (!match || !contracts) return
    // No body is JSON null to the validators (a documented 204 has the schema {type: null}).
    const problem = contracts.checkResponse(match, response.status, response.body ?? null)
    if (problem) contractViolations.push(`off-contract response (fake bug): ${method} ${path} ${problem}`)
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      contractViolations.push(`fake bug: ${(error as Error).stack ?? String(error)}`)
      if (!res.headersSent) send(res, json(500, {message: 'The fake Atlassian failed.', statusCode: 500}))
    })
  })
  // Node's client agent keeps an idle socket only while the server's `Keep-Alive: timeout` less one second is left:
  // at 1 s every request needed a new connection (a cost real clients do not pay against Atlassian). close() ends them.
  server.keepAliveTimeout = 5000

  const listening = new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  try {
    ;[contracts] = await Promise.all([options.validate === false ? undefined : loadContracts(), listening])
  } catch (error) {
    server.close()
    throw error
  }

  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  let closed: Promise<void> | undefined
  return {
    close() {
      closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
      return closed
    },
    clock,
    contractViolations,
    faults,
    requests,
    reset() {
      resetState(state, seed)
      clock.reset()
      quota.reset()
      requests.length = 0
      contractViolations.length = 0
      applyStartFaults()
    },
    state,
    url: origin,
  }
}

/** What the OAuth gateway answers for a removed v1 endpoint (§2, mcp-atlassian #1598). */
export const GONE_MESSAGE = 'This deprecated endpoint has been removed'
const DEPRECATION_WARNING = '299 - "Deprecated API, will be removed in a future release; see the Confluence changelog"'
const WRITES = new Set(['DELETE', 'PATCH', 'POST', 'PUT'])

/**
 * Rules that hold for whole families of routes, checked once the caller is known: the by-name group routes are gone
 * (§2: 404 on the site, 410 on the OAuth gateway) unless behaviour.byNameGroups is 'available'; v1 writes need
 * `X-Atlassian-Token: no-check` (§2, behaviour.xsrfRequired).
 */
function gate(ctx: RouteContext, template: string): void {
  const {behaviour} = ctx.state
  if (behaviour.byNameGroups === 'gone' && BY_NAME_GROUP_ROUTES.includes(template)) {
    if (ctx.family === 'gateway') throw new FakeHttpError(410, GONE_MESSAGE)
    throw new FakeHttpError(404, `Nothing at ${ctx.method} ${ctx.path} on this site.`)
  }

  const user = ctx.principal.kind === 'user' ? ctx.principal.user : undefined
  if (user?.noConfluenceAccess && (ctx.family === 'site' || ctx.family === 'gateway') && ctx.path.startsWith('/wiki/'))
    throw new FakeHttpError(403, 'Current user not permitted to use Confluence')

  const v1Write = WRITES.has(ctx.method) && ctx.path.startsWith('/wiki/rest/api/')
  if (v1Write && behaviour.xsrfRequired && String(ctx.req.headers['x-atlassian-token'] ?? '') !== 'no-check')
    throw new FakeHttpError(403, 'XSRF check failed')
}

/** The body; 'too-large' past MAX_BODY; undefined when the client went away. */
function readBody(req: IncomingMessage): Promise<Buffer | 'too-large' | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size <= MAX_BODY) chunks.push(chunk)
    })
    req.on('end', () => resolve(size > MAX_BODY ? 'too-large' : Buffer.concat(chunks)))
    req.on('error', () => resolve(undefined))
    req.on('aborted', () => resolve(undefined))
  })
}

function send(res: ServerResponse, response: FakeResponse): void {
  if (res.destroyed) return
  const headers: Record<string, string> = {...response.headers}
  let payload: string | undefined
  if (response.text !== undefined) {
    payload = response.text
    headers['Content-Type'] = response.contentType ?? 'text/plain;charset=UTF-8'
  } else if (response.body !== undefined) {
    payload = JSON.stringify(response.body)
    headers['Content-Type'] = 'application/json;charset=UTF-8'
  }

  res.writeHead(response.status, headers)
  res.end(payload)
}

/** Request headers the log keeps (lower-case names): those whose presence a test checks. Never a credential. */
export const RECORDED_HEADERS = [ADMIN_KEY_HEADER] as const

function recordedHeaders(req: IncomingMessage): Record<string, string> | undefined {
  const kept: Record<string, string> = {}
  for (const name of RECORDED_HEADERS) {
    const value = req.headers[name]
    if (value !== undefined) kept[name] = String(value)
  }

  return Object.keys(kept).length > 0 ? kept : undefined
}
