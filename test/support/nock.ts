import {expect} from 'chai'
import nock from 'nock'

import {queryObject} from '../../fake-atlassian/redact.js'

/**
 * The one nock harness of the unit and command tests: scopes that insist on an authorization, a watch for requests
 * no scope answered, and a record of the requests scopes answered (for the contract check of test/lib/api).
 */

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

interface InterceptedRequest {
  method?: string
  path?: string
  headers?: Record<string, unknown>
}

/** Records each request the scope answers in recordedRequests (without its Authorization header), and returns the scope. */
export function recording(scope: nock.Scope, origin: string): nock.Scope {
  scope.on('request', (req: InterceptedRequest, _interceptor: unknown, body: string) => {
    const url = new URL(req.path ?? '/', origin)
    const headers: Record<string, string | string[]> = {}
    for (const [name, value] of Object.entries(req.headers ?? {})) {
      if (name.toLowerCase() === 'authorization') continue
      if (typeof value === 'string' || Array.isArray(value)) headers[name.toLowerCase()] = value as string | string[]
      else if (value !== undefined) headers[name.toLowerCase()] = String(value)
    }

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
