/** Shared by the fake's own tests: one HTTP call, its status, parsed body and headers. */
import type {FakeAtlassian} from './server.js'

export interface CallResult {
  status: number
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any
  headers: Headers
}

export async function call(
  fake: FakeAtlassian,
  method: string,
  path: string,
  authorization?: string,
  body?: unknown,
  extraHeaders: Record<string, string> = {},
): Promise<CallResult> {
  const headers: Record<string, string> = {...extraHeaders, ...(authorization ? {authorization} : {})}
  if (body !== undefined) headers['content-type'] = 'application/json'
  const res = await fetch(fake.url + path, {
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    headers,
    method,
  })
  const text = await res.text()
  return {body: text ? JSON.parse(text) : undefined, headers: res.headers, status: res.status}
}
