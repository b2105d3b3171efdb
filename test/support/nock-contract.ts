import type {Contracts} from '../../fake-atlassian/contract.js'
import {loadContracts, parseBody, specsForPath} from '../../fake-atlassian/contract.js'
import {classify, servedByHost} from '../../fake-atlassian/families.js'
import {queryObject} from '../../fake-atlassian/redact.js'
import type {Router} from '../../fake-atlassian/router.js'

/**
 * The fake Atlassian's request rules applied to a request a nock scope answered, as it would have reached Atlassian's
 * real hosts: the host must serve the path (families.ts servedByHost); a path the official documents cover must match
 * one of their operations with a valid query, headers and body (contract.ts, the fake's own validator); the OAuth and
 * identity endpoints no document covers (/_edge/tenant_info, /authorize, /oauth/token, accessible-resources) must be
 * routes of the fake, which is as far as the fake checks them too.
 */

export interface InterceptedRequest {
  method: string
  /** The absolute address, query included. */
  url: string
  headers: Record<string, string | string[]>
  /** The body as sent ('' without one). */
  body: string
}

interface Checker {
  contracts: Contracts
  /** The fake's routes, for the endpoints no document covers. */
  routes: Router
}

let loading: Promise<Checker> | undefined

/** The validator and the fake's routes, loaded on the first request to check and shared by the whole process. */
function checker(): Promise<Checker> {
  loading ??= (async () => {
    const [contracts, {Router}, {allRoutes}] = await Promise.all([
      loadContracts(),
      import('../../fake-atlassian/router.js'),
      import('../../fake-atlassian/routes/index.js'),
    ])
    return {contracts, routes: new Router(allRoutes)}
  })().catch((error: unknown) => {
    loading = undefined
    throw error
  })
  return loading
}

/** Why the request breaks Atlassian's contracts, in one line naming its method and address; undefined when it does not. */
export async function contractProblem(request: InterceptedRequest): Promise<string | undefined> {
  const url = new URL(request.url)
  const method = request.method.toUpperCase()
  const where = `${method} ${url.origin}${url.pathname}`
  const classified = classify(url.pathname)
  if (!servedByHost(url.hostname, classified)) return `${where}: ${url.hostname} serves no Atlassian API at this path`

  const {contracts, routes} = await checker()
  const {apiPath} = classified
  if (specsForPath(apiPath).length === 0) {
    return routes.match(method, apiPath).kind === 'found'
      ? undefined
      : `${where}: no Atlassian endpoint (the documents in contracts/ and the fake's OAuth and identity routes)`
  }

  const headers: Record<string, string | string[]> = {}
  for (const [name, value] of Object.entries(request.headers))
    if (name.toLowerCase() !== 'authorization') headers[name.toLowerCase()] = value
  const contentType = headers['content-type']
  const body = parseBody(request.body, Array.isArray(contentType) ? contentType[0] : contentType)
  if (body.error) return `${where}: ${body.error}`
  const check = contracts.checkRequest({
    body: body.value,
    headers,
    method,
    path: apiPath,
    query: queryObject(url.searchParams),
  })
  // The gateway's /ex/confluence/{cloudId}, which the message's path leaves out.
  const prefix = url.pathname.slice(0, url.pathname.length - apiPath.length)
  if (check.kind === 'violation') return `on ${url.origin}${prefix}: ${check.message}`
  if (check.kind === 'ok' && check.problem) return `${where}: ${check.problem}`
  return undefined
}
