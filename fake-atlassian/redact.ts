/** Keeps secrets out of the request log and out of contract messages. */

const SECRET_KEY = /token|secret|password|passwd|authorization|api[-_]?key|credential|^code$|^key$/i

export const REDACTED = '[redacted]'

/** Field names that look secret but are not, where they appear: a space permission's operation.key ("read"). */
const NOT_SECRET: Record<string, ReadonlySet<string>> = {operation: new Set(['key'])}

/** A deep copy of a JSON value with secret-looking fields replaced. */
export function redact(value: unknown, parent?: string): unknown {
  if (Array.isArray(value)) return value.map((v) => redact(v, parent))
  if (value && typeof value === 'object') {
    const keep = parent === undefined ? undefined : NOT_SECRET[parent]
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, SECRET_KEY.test(k) && !keep?.has(k) ? REDACTED : redact(v, k)]),
    )
  }

  return value
}

/** Query parameters as an object (repeated names become arrays). */
export function queryObject(params: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {}
  for (const [k, v] of params) {
    const prev = out[k]
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v]
  }

  return out
}

export function redactQuery(query: Record<string, string | string[]>): Record<string, string | string[]> {
  return Object.fromEntries(Object.entries(query).map(([k, v]) => [k, SECRET_KEY.test(k) ? REDACTED : v]))
}
