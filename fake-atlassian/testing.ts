/** Shared by the fake's own tests: one HTTP call, its status, parsed body and headers. */
import type {FakeAtlassian} from './server.js'

export interface CallResult {
  status: number
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any
  headers: Headers
}

/** Confluence v1 writes, which carry `X-Atlassian-Token: no-check` as every client should (atlassian-2026.md §2). */
const V1_WRITE = /^(POST|PUT|PATCH|DELETE)$/i

/**
 * One request. A v1 write (`/wiki/rest/api`) gets `X-Atlassian-Token: no-check` unless `extraHeaders` names that
 * header (an empty value: none is sent, to see the XSRF refusal).
 */
export async function call(
  fake: FakeAtlassian,
  method: string,
  path: string,
  authorization?: string,
  body?: unknown,
  extraHeaders: Record<string, string> = {},
): Promise<CallResult> {
  const xsrf: Record<string, string> =
    V1_WRITE.test(method) && path.includes('/wiki/rest/api/') ? {'x-atlassian-token': 'no-check'} : {}
  const given = Object.fromEntries(Object.entries(extraHeaders).filter(([, value]) => value !== ''))
  const headers: Record<string, string> = {...xsrf, ...given, ...(authorization ? {authorization} : {})}
  if ('x-atlassian-token' in extraHeaders && extraHeaders['x-atlassian-token'] === '')
    delete headers['x-atlassian-token']
  if (body !== undefined) headers['content-type'] = 'application/json'
  const res = await fetch(fake.url + path, {
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    headers,
    method,
  })
  const text = await res.text()
  return {body: text ? JSON.parse(text) : undefined, headers: res.headers, status: res.status}
}
