import {expect} from 'chai'
import nock from 'nock'

import {queryObject} from '../../fake-atlassian/redact.js'
import {contractProblem, type InterceptedRequest} from './nock-contract.js'

/**
 * The one nock harness of the unit and command tests: every request a scope answers is checked against Atlassian's
 * contracts (nock-contract.ts; the root hooks in init.ts fail the test that sent an off-contract one), scopes that
 * insist on an authorization, a watch for requests no scope answered, and a record of the requests scopes answered
 * (for the endpoint list of test/lib/api).
 */

/** The requests scopes answered since the last check. */
const intercepted: InterceptedRequest[] = []
const undocumentedScopes = new WeakSet<nock.Scope>()
/** Why the running test may send undocumented requests; undefined: it may not. */
let undocumentedTest: string | undefined

interface NockRequest {
  method?: string
  path?: string
  headers?: Record<string, unknown>
}

/** The request's headers, names in lower case, values as strings. */
function headersOf(req: NockRequest): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {}
  for (const [name, value] of Object.entries(req.headers ?? {}))
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.map(String) : String(value)
  return headers
}

function intercept(scope: nock.Scope, req: NockRequest, interceptor: {basePath?: unknown}, body: unknown): void {
  if (undocumentedScopes.has(scope) || undocumentedTest !== undefined) return
  const headers = headersOf(req)
  // A scope made with a RegExp for its origin has no address of its own: the Host header says where the request went.
  const origin = typeof interceptor.basePath === 'string' ? interceptor.basePath : `https://${String(headers.host)}`
  intercepted.push({
    body: typeof body === 'string' ? body : '',
    headers,
    method: (req.method ?? 'GET').toUpperCase(),
    url: new URL(req.path ?? '/', origin).href,
  })
}

let watching = false

/**
 * Starts noting every request any nock scope answers (once per process; init.ts does it). nock 14 reports an answered
 * request only through the 'request' event of the scope that answered it, and tests make their scopes with nock()
 * directly, so the event is caught where every scope emits it: on the scopes' shared prototype.
 */
export function watchInterceptedRequests(): void {
  if (watching) return
  watching = true
  const prototype = Object.getPrototypeOf(nock('https://scope-prototype.invalid')) as {
    emit(this: nock.Scope, event: string | symbol, ...args: unknown[]): boolean
  }
  const emit = prototype.emit
  prototype.emit = function (this: nock.Scope, event: string | symbol, ...args: unknown[]) {
    if (event === 'request')
      intercept(this, args[0] as NockRequest, (args[1] ?? {}) as {basePath?: unknown}, args[2] as unknown)
    return emit.call(this, event, ...args)
  }
}

/**
 * Exempts the requests this scope answers from the contract check: for a scope standing for a server that is not
 * Atlassian, or for a path no Atlassian document has, on purpose. `why` is for the reader; say it at the call.
 */
export function undocumentedScope(scope: nock.Scope, why: string): nock.Scope {
  if (!why) throw new Error('undocumentedScope: say why the scope may answer undocumented requests')
  undocumentedScopes.add(scope)
  return scope
}

/**
 * Exempts every request of the running test from the contract check (call it in the test, or in a beforeEach for a
 * whole describe); `why` is for the reader. The exemption ends with the test.
 */
export function allowUndocumentedRequests(why: string): void {
  if (!why) throw new Error('allowUndocumentedRequests: say why the test may send undocumented requests')
  undocumentedTest = why
}

/** Ends the exemption of allowUndocumentedRequests (the root afterEach, once the test is over). */
export function endTestExemption(): void {
  undocumentedTest = undefined
}

/**
 * The contract problems of the requests scopes answered since the last call, one line each. The contracts load on the
 * first request there is to check.
 */
export async function takeContractProblems(): Promise<string[]> {
  const requests = intercepted.splice(0)
  const problems: string[] = []
  for (const request of requests) {
    const problem = await contractProblem(request)
    if (problem && !problems.includes(problem)) problems.push(problem)
  }

  return problems
}

/** Whether requests are waiting for takeContractProblems (the first check may take seconds: the contracts load). */
export const contractChecksPending = () => intercepted.length > 0

/** A scope for `origin` that answers only requests whose Authorization header matches. */
export const authorizedScope = (origin: string, authorization: RegExp | string) =>
  nock(origin, {reqheaders: {authorization}})

/** Requests no scope answered since the watch started, as "METHOD url". */
const strays: string[] = []
const onStray = (req: {hostname?: string; href?: string; method?: string; path?: string}) => {
  strays.push(`${req.method ?? '?'} ${req.href ?? `${req.hostname ?? ''}${req.path ?? ''}`}`)
}

/** Starts collecting the requests no scope answers (call from a beforeEach); stopWatchingStrays ends it. */
export function watchStrays(): void {
  strays.length = 0
  nock.emitter.on('no match', onStray)
}

export function stopWatchingStrays(): void {
  nock.emitter.removeListener('no match', onStray)
}

/** Every scope answered everything it was given, and no request went to anything else (none at all, without scopes). */
export function allDone(...scopes: Array<nock.Scope | nock.Scope[]>): void {
  expect(strays, 'requests no nock scope answered').to.deep.equal([])
  for (const scope of scopes.flat()) scope.done()
}

export interface RecordedRequest {
  method: string
  /** Path without query, e.g. /wiki/rest/api/group or /admin/v2/orgs/org-1/users/invite. */
  path: string
  query: Record<string, string | string[]>
  headers: Record<string, string | string[]>
  body: unknown
  /** The test that sent it. */
  test: string
}

/** Every request a recording scope answered, in order, across all test files. */
export const recordedRequests: RecordedRequest[] = []

let currentTest = ''

/** Remembers which test is running, for contract messages. Call from a beforeEach with `this`. */
export function noteTest(title: string): void {
  currentTest = title
}

/** Records each request the scope answers in recordedRequests (without its Authorization header), and returns the scope. */
export function recording(scope: nock.Scope, origin: string): nock.Scope {
  scope.on('request', (req: NockRequest, _interceptor: unknown, body: string) => {
    const url = new URL(req.path ?? '/', origin)
    const {authorization: _authorization, ...headers} = headersOf(req)

    let parsed: unknown
    if (body !== undefined && body !== '') {
      try {
        parsed = JSON.parse(body)
      } catch {
        parsed = body
      }
    }

    recordedRequests.push({
      body: parsed,
      headers,
      method: (req.method ?? 'GET').toUpperCase(),
      path: url.pathname,
      query: queryObject(url.searchParams),
      test: currentTest,
    })
  })
  return scope
}
