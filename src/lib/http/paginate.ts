/**
 * Async generators over Atlassian's three paging styles. Each yields items as pages arrive, resolves
 * relative next links against the client's base URL (which may have a path, e.g. the API gateway's
 * /ex/confluence/{cloudId}), stops when a next link repeats, and stops after MAX_PAGES pages.
 */
import type {Got, Response} from 'got'

import {CfadminError, ExitCode} from '../errors.js'
import {debugHttp} from './debug-log.js'
import {redactUrl} from './redact.js'

export type SearchParams = Record<string, string | number | boolean>

export const MAX_PAGES = 10_000

interface V1Page<T> {
  results?: T[]
  start?: number
  limit?: number
  size?: number
  _links?: {next?: string; base?: string; context?: string}
}

interface V2Page<T> {
  results?: T[]
  _links?: {next?: string; base?: string}
}

interface AdminPage<T> {
  data?: T[]
  links?: {next?: string | null}
}

/** The first page's path and query: the caller's, with the page size as `limit` when one is given. */
function firstPage(
  path: string,
  searchParams: SearchParams,
  pageSize?: number,
): {firstPath: string; firstParams: SearchParams} {
  return {
    firstParams: pageSize === undefined ? {...searchParams} : {...searchParams, limit: pageSize},
    firstPath: stripSlash(path),
  }
}

/**
 * Confluence REST v1: `start` + `limit`, body `{results, start, limit, size, _links}`. Follows
 * `_links.next` when present; without one, asks for the next `start` until a page comes back short.
 */
export async function* paginateV1<T>(
  client: Got,
  path: string,
  searchParams: SearchParams = {},
  pageSize?: number,
): AsyncGenerator<T> {
  const {firstParams, firstPath} = firstPage(path, searchParams, pageSize)
  let request: PageRequest = {url: firstPath, searchParams: firstParams}
  let start = Number(searchParams.start ?? 0)
  const seen = new Set<string>()

  for (let page = 1; page <= MAX_PAGES; page++) {
    const response = await getJson<V1Page<T>>(client, request)
    const results = resultsOf<T>(response, 'results', request)
    for (const item of results) yield item

    const body = response.body
    const next = body._links?.next
    if (next) {
      const url = resolveNextLink(client, next, {context: contextOf(body._links, firstPath), responseUrl: response.url})
      if (!firstVisit(seen, url)) return
      request = {url}
    } else {
      const limit = body.limit ?? pageSize
      if (limit === undefined || results.length === 0 || results.length < limit) return
      start = (body.start ?? start) + results.length
      request = {url: firstPath, searchParams: {...firstParams, start, limit}}
      if (!firstVisit(seen, `${firstPath}?start=${start}`)) return
    }
  }
  debugHttp(`stopped paging ${firstPath} after ${MAX_PAGES} pages`)
}

/**
 * Confluence REST v2: `limit` + an opaque `cursor`, body `{results, _links}`. The next page is
 * `_links.next` (relative, e.g. /wiki/api/v2/spaces?cursor=...) or the `Link: <...>; rel="next"` header.
 */
export async function* paginateV2<T>(
  client: Got,
  path: string,
  searchParams: SearchParams = {},
  pageSize?: number,
): AsyncGenerator<T> {
  const {firstParams, firstPath} = firstPage(path, searchParams, pageSize)
  let request: PageRequest = {url: firstPath, searchParams: firstParams}
  const seen = new Set<string>()

  for (let page = 1; page <= MAX_PAGES; page++) {
    const response = await getJson<V2Page<T>>(client, request)
    for (const item of resultsOf<T>(response, 'results', request)) yield item

    const next = response.body._links?.next ?? nextFromLinkHeader(response.headers.link)
    if (!next) return
    const url = resolveNextLink(client, next, {
      context: contextOf(response.body._links, firstPath),
      responseUrl: response.url,
    })
    if (!firstVisit(seen, url)) return
    request = {url}
  }
  debugHttp(`stopped paging ${firstPath} after ${MAX_PAGES} pages`)
}

export interface AdminPaginateOptions {
  method?: 'GET' | 'POST'
  searchParams?: SearchParams
  json?: Record<string, unknown>
  /**
   * POST only: send `{cursor}` alone for later pages instead of the first body plus `cursor`. The
   * Workspaces API refuses any other body property next to `cursor` (docs/atlassian-api.md §3c).
   */
  cursorOnly?: boolean
  /** Pace these pages on the request budget Atlassian reports (RatePacer.succeeded): a listing read one page at a time. */
  paceOnBudget?: boolean
}

/**
 * Admin API: body `{data, links: {next}}`; `next` is a cursor sent back as `cursor` (a query parameter
 * for GET, a body field for POST). Admin v1 may give a whole URL instead; its `cursor` parameter is used.
 * POST pages are searches (read-only), so they are marked safe to retry.
 */
export async function* paginateAdmin<T>(
  client: Got,
  path: string,
  options: AdminPaginateOptions = {},
): AsyncGenerator<T> {
  for await (const page of paginateAdminPages<T>(client, path, options)) yield* page
}

/** paginateAdmin a page at a time: each page's `data` as Atlassian sent it. */
export async function* paginateAdminPages<T>(
  client: Got,
  path: string,
  options: AdminPaginateOptions = {},
): AsyncGenerator<T[]> {
  const url = stripSlash(path)
  const method = options.method ?? 'GET'
  let cursor: string | undefined
  const seen = new Set<string>()

  for (let page = 1; page <= MAX_PAGES; page++) {
    const request: PageRequest =
      method === 'GET'
        ? {url, searchParams: cursor === undefined ? {...options.searchParams} : {...options.searchParams, cursor}}
        : {
            url,
            method,
            searchParams: options.searchParams,
            json: cursor === undefined ? {...options.json} : options.cursorOnly ? {cursor} : {...options.json, cursor},
          }
    const response = await getJson<AdminPage<T>>(client, {...request, paceOnBudget: options.paceOnBudget})
    yield resultsOf<T>(response, 'data', request)

    const next = response.body.links?.next
    if (next === undefined || next === null || next === '') return
    cursor = cursorFrom(next, request)
    if (!firstVisit(seen, cursor)) return
  }
  debugHttp(`stopped paging ${url} after ${MAX_PAGES} pages`)
}

interface PageRequest {
  url: string
  method?: 'GET' | 'POST'
  searchParams?: SearchParams
  json?: Record<string, unknown>
  paceOnBudget?: boolean
}

async function getJson<Body>(client: Got, request: PageRequest): Promise<Response<Body>> {
  const response = await client<Body>(request.url, {
    method: request.method ?? 'GET',
    // A next link carries its own query: an empty searchParams would wipe it.
    ...(request.searchParams === undefined ? {} : {searchParams: request.searchParams}),
    ...(request.json === undefined ? {} : {json: request.json}),
    context: {
      ...(request.json === undefined ? {} : {retry: true}),
      ...(request.paceOnBudget ? {paceOnBudget: true} : {}),
    },
    responseType: 'json',
  })
  if (response.body === null || typeof response.body !== 'object')
    throw unexpectedPage(response, request, 'not a JSON object')
  return response
}

function resultsOf<T>(response: Response<unknown>, field: 'data' | 'results', request: PageRequest): T[] {
  const items = (response.body as Record<string, unknown>)[field]
  if (!Array.isArray(items)) throw unexpectedPage(response, request, `no "${field}" list`)
  return items as T[]
}

function unexpectedPage(response: Response<unknown>, request: PageRequest, what: string): CfadminError {
  const path = new URL(response.url).pathname
  return new CfadminError(`Unexpected page from ${request.method ?? 'GET'} ${path}: ${what}`, {
    code: 'UNEXPECTED_RESPONSE',
    // Not cfadmin's fault: the base URL reaches something that is not this Atlassian API (or a proxy's page).
    exit: ExitCode.badInput,
    hint: 'Check the base URL; run again with DEBUG=cfadmin* to see the requests.',
  })
}

function firstVisit(seen: Set<string>, key: string): boolean {
  if (seen.has(key)) {
    debugHttp(`stopped paging: the next page repeats (${key.includes('://') ? redactUrl(key) : key.slice(0, 80)})`)
    return false
  }
  seen.add(key)
  return true
}

/**
 * A next link as an absolute URL on the client's own base. Relative links are taken from the site
 * root; when the base has a path (the gateway's /ex/confluence/{cloudId}) it is put in front unless the
 * link already starts with it. `context` ('/wiki') is added when Confluence v1 leaves it out. An
 * absolute link keeps only its path and query, so credentials never go to another host.
 */
export function resolveNextLink(
  client: Got,
  link: string,
  options: {context?: string; responseUrl?: string} = {},
): string {
  const prefix = String(client.defaults.options.prefixUrl || '')
  if (!prefix) return new URL(link, options.responseUrl).toString()
  const base = new URL(prefix)
  const basePath = base.pathname.replace(/\/+$/, '')
  const parsed =
    /^[a-z][a-z\d+.-]*:\/\//i.test(link) || link.startsWith('/') ? new URL(link, base.origin) : new URL(link, prefix)
  let path = withoutPrefix(parsed.pathname, basePath)
  const context = options.context ? withoutPrefix(options.context.replace(/\/+$/, ''), basePath) : ''
  if (context && context !== '/' && path !== context && !path.startsWith(`${context}/`)) path = `${context}${path}`
  return `${base.origin}${basePath}${path}${parsed.search}`
}

function withoutPrefix(path: string, prefix: string): string {
  if (prefix && (path === prefix || path.startsWith(`${prefix}/`))) return path.slice(prefix.length) || '/'
  return path
}

/** Where Confluence's relative links start: `_links.context`, the path of `_links.base`, else /wiki for a wiki/ path. */
function contextOf(links: {base?: string; context?: string} | undefined, firstPath: string): string | undefined {
  if (typeof links?.context === 'string') return links.context
  if (typeof links?.base === 'string') {
    try {
      return new URL(links.base).pathname
    } catch {
      // Not absolute: fall through.
    }
  }
  return firstPath.startsWith('wiki/') ? '/wiki' : undefined
}

/** The `rel="next"` target of an RFC 8288 Link header. */
export function nextFromLinkHeader(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header.join(',') : header
  if (!value) return undefined
  for (const match of value.matchAll(/<([^>]*)>((?:\s*;\s*[^,;]+)*)/g)) {
    if (/;\s*rel\s*=\s*"?(?:[^";]*\s)?next(?:\s[^";]*)?"?/i.test(match[2])) return match[1]
  }
  return undefined
}

function cursorFrom(next: string, request: PageRequest): string {
  // A bare cursor is opaque and may hold "/" or "+" (base64); only a URL or a query string is parsed.
  if (!/^[a-z][a-z\d+.-]*:\/\//i.test(next) && !/[?&]cursor=/.test(next)) return next
  const cursor = new URL(next, 'http://cursor.invalid/').searchParams.get('cursor')
  if (cursor) return cursor
  throw new CfadminError(
    `The Admin API gave a next-page link without a cursor for ${request.method ?? 'GET'} ${request.url}`,
    {
      code: 'UNEXPECTED_RESPONSE',
      // Not cfadmin's fault: the base URL reaches something that is not this Atlassian API (or a proxy's page).
      exit: ExitCode.badInput,
      hint: 'Run again with DEBUG=cfadmin* to see the requests, and report it.',
    },
  )
}

function stripSlash(path: string): string {
  return path.replace(/^\/+/, '')
}
