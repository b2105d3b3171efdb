import nock from 'nock'

import {createHttpClient, type HttpClock} from '../../../src/lib/http/client.js'
import {queryObject} from '../../../fake-atlassian/redact.js'

/** Clients and nock scopes for the API module tests; every request a scope answers is recorded for contract.test.ts. */

export const SITE = 'https://acme.atlassian.net'
export const API_HOST = 'https://api.atlassian.com'
export const ADMIN_BASE = `${API_HOST}/admin`
export const ORG = 'org-1'
export const DIR = 'dir-1'

const SITE_AUTHORIZATION = `Basic ${Buffer.from('ann@example.com:FAKE-SITE-TOKEN').toString('base64')}`
const ADMIN_AUTHORIZATION = 'Bearer FAKE-ADMIN-KEY'

export interface ClientOptions {
  retryLimit?: number
  clock?: Partial<HttpClock>
}

/** The site client (Basic auth), by default without retries so error tests answer at once. */
export function siteClient(options: ClientOptions = {}) {
  return createHttpClient({
    baseUrl: SITE,
    clock: options.clock,
    credentials: {authorization: async () => SITE_AUTHORIZATION},
    family: 'site',
    retry: {limit: options.retryLimit ?? 0},
  })
}

/** The Admin API client (Bearer key), by default without retries. */
export function adminClient(options: ClientOptions = {}) {
  return createHttpClient({
    baseUrl: ADMIN_BASE,
    clock: options.clock,
    credentials: {authorization: async () => ADMIN_AUTHORIZATION},
    family: 'admin',
    retry: {limit: options.retryLimit ?? 0},
  })
}

/** A clock whose retry waits return at once. */
export const instantClock: Partial<HttpClock> = {random: () => 0.5, sleep: async () => {}}

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

/** Every request a scope from `intercept` answered, in order, across all API test files. */
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

/**
 * nock for the site or api.atlassian.com that also proves the auth family (Basic on the site, Bearer on the Admin
 * API) and records each request it answers.
 */
export function intercept(origin: typeof SITE | typeof API_HOST): nock.Scope {
  const authorization = origin === SITE ? /^Basic [A-Za-z0-9+/=]+$/ : /^Bearer \S+$/
  const scope = nock(origin, {reqheaders: {authorization}})
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

    recordedRequests.push({body: parsed, headers, method: (req.method ?? 'GET').toUpperCase(), path: url.pathname, query: queryObject(url.searchParams), test: currentTest})
  })
  return scope
}

/** `count` distinct emails: user0@example.com, user1@example.com, ... */
export function emailList(count: number, prefix = 'user'): string[] {
  return Array.from({length: count}, (_, i) => `${prefix}${i}@example.com`)
}
