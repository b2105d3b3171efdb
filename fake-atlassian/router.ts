import type {IncomingMessage} from 'node:http'

import type {Principal} from './auth.js'
import type {FakeHttpError} from './errors.js'
import type {ApiFamily, FakeState} from './types.js'

export type HttpMethod = 'DELETE' | 'GET' | 'PATCH' | 'POST' | 'PUT'

/** What a route handler gets. */
export interface RouteContext {
  req: IncomingMessage
  method: string
  family: ApiFamily
  /** The API path: for the gateway, without /ex/confluence/{cloudId}. */
  path: string
  params: Record<string, string>
  query: URLSearchParams
  /** Parsed JSON body (undefined when empty). */
  body: unknown
  state: FakeState
  /** Who the request authenticated as (kind "none" for anonymous routes). */
  principal: Principal
  /** The fake's origin, http://127.0.0.1:PORT. */
  origin: string
  /** Where this API lives as the client sees it: the origin, or origin + /ex/confluence/{cloudId} on the gateway. */
  apiBase: string
  /** The site the request is about: the gateway's {cloudId}, else the first site. */
  cloudId?: string
  /**
   * Records a contract violation the schemas cannot express (a rule from a spec's prose) and gives the 400 to throw:
   * `throw ctx.offContract('...')`.
   */
  offContract(message: string, code?: string): FakeHttpError
  /** The fake's clock (epoch ms): real time, moved forward by `fake.clock.advance()`. Use it for every expiry rule. */
  now(): number
}

export interface FakeResponse {
  status: number
  /** JSON-serialised; undefined sends no body (unless `text` is set). */
  body?: unknown
  /** A body sent as it is instead of JSON (the OAuth host's HTML pages), with `contentType`; wins over `body`. */
  text?: string
  /** Content-Type of `text`; default text/plain;charset=UTF-8. */
  contentType?: string
  headers?: Record<string, string>
}

export type RouteHandler = (ctx: RouteContext) => FakeResponse | Promise<FakeResponse>

/**
 * One endpoint. `path` is the path as on the site or api.atlassian.com ("/wiki/rest/api/user/current",
 * "/admin/v1/orgs/{orgId}"); gateway requests are matched after their /ex/confluence/{cloudId} prefix is removed.
 * The family's credential is checked before the handler runs, unless `anonymous` is set.
 */
export interface Route {
  method: HttpMethod
  path: string
  handler: RouteHandler
  anonymous?: boolean
}

interface CompiledRoute {
  route: Route
  pattern: RegExp
  names: string[]
}

export type RouteMatch =
  | {kind: 'found'; route: Route; params: Record<string, string>}
  | {kind: 'method-not-allowed'; allowed: string[]}
  | {kind: 'not-found'}

/** A tiny path-template router: {name} matches one path segment. */
export class Router {
  private readonly routes: CompiledRoute[] = []

  constructor(routes: Route[] = []) {
    for (const r of routes) this.add(r)
  }

  add(route: Route): void {
    const names: string[] = []
    const source = route.path
      .split('/')
      .map((segment) =>
        segment.replace(/\{(\w+)\}|[^{}]+/g, (part, name?: string) => {
          if (name) {
            names.push(name)
            return '([^/]+)'
          }

          return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
        }),
      )
      .join('/')
    this.routes.push({names, pattern: new RegExp(`^${source}/?$`), route})
  }

  match(method: string, path: string): RouteMatch {
    const allowed: string[] = []
    for (const {names, pattern, route} of this.routes) {
      const m = pattern.exec(path)
      if (!m) continue
      if (route.method !== method) {
        allowed.push(route.method)
        continue
      }

      const params: Record<string, string> = {}
      for (const [i, name] of names.entries()) params[name] = decodeURIComponent(m[i + 1])
      return {kind: 'found', params, route}
    }

    return allowed.length > 0 ? {allowed, kind: 'method-not-allowed'} : {kind: 'not-found'}
  }
}

/** A JSON answer. */
export const json = (status: number, body?: unknown, headers?: Record<string, string>): FakeResponse => ({
  body,
  headers,
  status,
})

/** An HTML page (the OAuth host's consent and error pages). */
export const html = (status: number, page: string, headers?: Record<string, string>): FakeResponse => ({
  contentType: 'text/html;charset=UTF-8',
  headers,
  status,
  text: page,
})

/** A redirect without a body (302 Found by default). */
export const redirect = (location: string | URL, status = 302): FakeResponse => ({
  headers: {Location: String(location)},
  status,
})
