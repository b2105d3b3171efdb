/**
 * Node 24.20 and later fail the callback of `end()` on an http request whose socket closes before it has
 * connected (a refused connection, say) with ERR_SOCKET_CLOSED_BEFORE_CONNECTION, on top of the request's
 * own 'error' event (ECONNREFUSED). got 14 hands that callback error on as the request's result: the request
 * then fails after one attempt with that generic error, past got's retries and past the beforeError hook that
 * makes cfadmin's NETWORK error (got issue 2469; fixed in got 16, which needs Node 22). Node 20 already fails
 * `write()` callbacks that way, which got only ignores for a body it sends whole.
 *
 * `settleAfterDestroy`, the last beforeRequest hook, wraps the request function got is about to call (the
 * proxy's, or got's own http/https.request) so that a `write` or `end` callback on a request that is already
 * destroyed is told "done": that request's failure is reported through its 'error' event (got retries on it,
 * then runs beforeError), or got destroyed it itself. A callback error on a live request is passed on as is.
 */
import type {ClientRequest} from 'node:http'

import type {NormalizedOptions, Options} from 'got'

import {nodeHttp, nodeHttps} from '../lazy-modules.js'

type RequestFunction = NonNullable<Options['request']>

const WRAPPED = Symbol('settleAfterDestroy')

/** The got beforeRequest hook: last, so that it wraps the request function that the earlier hooks chose. */
export function settleAfterDestroy(options: NormalizedOptions): void {
  const inner = options.request
  if (inner && WRAPPED in inner) return // a retry: this attempt's options already carry the wrapper
  const wrapped: RequestFunction = (url, native, callback) => {
    // got's own choice when there is no request function or it gives nothing; looked up per call, as got
    // does, so that nock's patches of http.request apply in tests.
    const fallback = () => (url.protocol === 'https:' ? nodeHttps() : nodeHttp()).request(url, native, callback)
    const result = inner?.(url, native, callback)
    return result instanceof Promise
      ? result.then((value) => settle(value ?? fallback()))
      : settle(result ?? fallback())
  }
  options.request = Object.assign(wrapped, {[WRAPPED]: true})
}

function settle<T>(request: T): T {
  if (!isClientRequest(request)) return request // a cached response
  const methods = request as unknown as Record<'write' | 'end', (...args: unknown[]) => unknown>
  for (const method of ['write', 'end'] as const) {
    const original = methods[method]
    methods[method] = function (this: ClientRequest, ...args: unknown[]) {
      const at = args.findIndex((argument) => typeof argument === 'function')
      if (at !== -1) {
        const callback = args[at] as (error?: Error | null) => void
        args[at] = (error?: Error | null) => callback(error && request.destroyed ? undefined : error)
      }
      return original.apply(this, args)
    }
  }
  return request
}

function isClientRequest(value: unknown): value is ClientRequest {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ClientRequest).end === 'function' &&
    'destroyed' in value
  )
}
