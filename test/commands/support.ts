import {writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {expect} from 'chai'
import nock from 'nock'

import type {ItemResult, RunReport} from '../../src/lib/engine/operation.js'
import {authorizedScope, stopWatchingStrays, watchStrays} from '../support/nock.js'
import {useTempDir} from '../support/temp-dir.js'

/**
 * The login and nock scopes the access command tests share. Every test runs with a fresh config dir (no profile, so
 * the cloud ID is looked up) and credentials in the environment, as in CI; every request must be answered by a scope
 * of the test, and any other request fails the test.
 */

export const SITE = 'https://acme.atlassian.net'
export const API = 'https://api.atlassian.com'
export const ORG = 'org-1'
export const DIRECTORY = 'dir-1'
export const CLOUD_ID = 'a436116f-02ce-4520-8fbb-7301462a1674'
export const SITE_ARI = `ari:cloud:confluence::site/${CLOUD_ID}`
/** Admin API paths of the organization and of its directory. */
export const ORG_PATH = `/admin/v2/orgs/${ORG}`
export const DIR_PATH = `${ORG_PATH}/directories/${DIRECTORY}`

const SITE_AUTHORIZATION = `Basic ${Buffer.from('admin@acme.example:fake-api-token').toString('base64')}`
const ADMIN_AUTHORIZATION = 'Bearer fake-admin-key'

const VARIABLES = [
  'CFADMIN_CONFIG_DIR',
  'CFADMIN_SITE',
  'CFADMIN_SITE_NAME',
  'CFADMIN_EMAIL',
  'CFADMIN_API_TOKEN',
  'CFADMIN_ADMIN_KEY',
  'CFADMIN_ORG_ID',
  'CFADMIN_PROFILE',
  'CFADMIN_API_URL',
  'CFADMIN_AUTH_URL',
]

export interface Login {
  /** The temp config dir of the running test; also a place for the test's own files. */
  readonly dir: string
  /** A file in the test's temp dir. */
  file(name: string, text: string): string
}

/**
 * Registers the hooks: before each test a temp CFADMIN_CONFIG_DIR, the site credentials (CFADMIN_SITE, _EMAIL,
 * _API_TOKEN) and no process.exitCode; after it, the environment as it was and process.exitCode unset.
 */
export function useLogin(): Login {
  let saved: Record<string, string | undefined> = {}
  const temp = useTempDir('cfadmin-command-')
  const state = {
    get dir() {
      return temp.path
    },
    file(name: string, text: string) {
      const path = join(temp.path, name)
      writeFileSync(path, text)
      return path
    },
  }

  beforeEach(() => {
    saved = Object.fromEntries(VARIABLES.map((name) => [name, process.env[name]]))
    for (const name of VARIABLES) delete process.env[name]
    // An earlier test may have left one (a command exits 3 by setting it).
    process.exitCode = undefined
    Object.assign(process.env, {
      CFADMIN_API_TOKEN: 'fake-api-token',
      CFADMIN_CONFIG_DIR: temp.path,
      CFADMIN_EMAIL: 'admin@acme.example',
      CFADMIN_SITE: SITE,
    })
    watchStrays()
  })

  afterEach(() => {
    stopWatchingStrays()
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name]
      else process.env[name] = value
    }

    process.exitCode = undefined
  })

  return state
}

/** Adds the organization Admin API key (CFADMIN_ADMIN_KEY, CFADMIN_ORG_ID) to the login of the running test. */
export function withAdminKey(): void {
  process.env.CFADMIN_ADMIN_KEY = 'fake-admin-key'
  process.env.CFADMIN_ORG_ID = ORG
}

/** The site's REST APIs, answered only with the login's Basic authorization. */
export const site = () => authorizedScope(SITE, SITE_AUTHORIZATION)

/** The Admin API, answered only with the Admin key's Bearer authorization. */
export const admin = () => authorizedScope(API, ADMIN_AUTHORIZATION)

/** The cloud ID lookup every access command makes without a profile: GET <site>/_edge/tenant_info, unauthenticated. */
export const tenantInfo = () =>
  nock(SITE, {badheaders: ['authorization']})
    .get('/_edge/tenant_info')
    .reply(200, {cloudId: CLOUD_ID, cloudName: 'acme'})

/** The site's space role mode (GET wiki/api/v2/space-role-mode), read once by a run that grants or reads View. */
export const roleMode = (mode: 'PRE_ROLES' | 'ROLES_TRANSITION' | 'ROLES' = 'PRE_ROLES') =>
  site().get('/wiki/api/v2/space-role-mode').reply(200, {mode})

/** The directory lookup of the Admin route (the key's organization is given, its directory is not). */
export const directories = () =>
  admin()
    .get(`${ORG_PATH}/directories`)
    .reply(200, {data: [{directoryId: DIRECTORY, name: 'Acme'}], links: {}})

/** The scopes every command on the Admin route starts with. */
export const adminLogin = () => [tenantInfo(), directories()]

/** An Admin API page of results. */
export const adminPage = (data: unknown[]) => ({data, links: {}})

/** A Confluence v1 page of results. */
export const v1Page = (results: unknown[]) => ({
  _links: {base: `${SITE}/wiki`, context: '/wiki'},
  limit: 200,
  results,
  size: results.length,
  start: 0,
})

/** A Confluence v2 page of results. */
export const v2Page = (results: unknown[]) => ({_links: {}, results})

export {allDone} from '../support/nock.js'

/** Outcome per item key, to compare a whole report at once. */
export const outcomes = (report: RunReport | undefined) =>
  Object.fromEntries((report?.items ?? []).map((item: ItemResult) => [item.key, item.outcome]))

/** The report item with this key. */
export function itemOf(report: RunReport | undefined, key: string): ItemResult {
  const item = report?.items.find((i) => i.key === key)
  expect(item, `no item ${key} in ${JSON.stringify(report?.items.map((i) => i.key))}`).to.not.equal(undefined)
  return item!
}

/** Records "METHOD path" of each request the scopes answer, in the order they arrive. */
export function requestLog(...scopes: nock.Scope[]): string[] {
  const log: string[] = []
  for (const scope of scopes) {
    scope.on('request', (req: {method?: string; path?: string}) =>
      log.push(`${req.method} ${decodeURIComponent(new URL(req.path ?? '/', SITE).pathname)}`),
    )
  }

  return log
}

/**
 * runCommand joins its arguments with spaces and splits them again, keeping "quoted" text together: an argument
 * with a space has to be passed quoted.
 */
export const spaced = (text: string) => `"${text}"`
