import nock from 'nock'

import {createHttpClient, type HttpClock} from '../../../src/lib/http/client.js'
import {authorizedScope, recording} from '../../support/nock.js'

/** Clients and nock scopes for the API module tests (on the harness in test/support/nock.ts); every request a scope answers is recorded for contract.test.ts. */

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

export {noteTest, type RecordedRequest, recordedRequests} from '../../support/nock.js'

/**
 * nock for the site or api.atlassian.com that also proves the auth family (Basic on the site, Bearer on the Admin
 * API) and records each request it answers.
 */
export function intercept(origin: typeof SITE | typeof API_HOST): nock.Scope {
  return recording(authorizedScope(origin, origin === SITE ? /^Basic [A-Za-z0-9+/=]+$/ : /^Bearer \S+$/), origin)
}

/** `count` distinct emails: user0@example.com, user1@example.com, ... */
export function emailList(count: number, prefix = 'user'): string[] {
  return Array.from({length: count}, (_, i) => `${prefix}${i}@example.com`)
}
