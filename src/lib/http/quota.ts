/**
 * The points quota Atlassian meters OAuth (3LO) apps by since March 2026 (atlassian-2026.md §6), read from the
 * headers it sends with their answers: `X-Beta-Ratelimit-Nearlimit: true` (slow down), `X-Beta-Ratelimit-Reason`
 * (which limit a 429 is about) and `X-Beta-Ratelimit-Reset` (an ISO time: when the hourly quota starts again).
 * `Beta-Ratelimit-Policy` and `Beta-Ratelimit` only go to the DEBUG log. API-token traffic is not metered by points.
 */
export type HeaderValue = string | string[] | undefined

/** A header's first value. */
export function headerValue(headers: Record<string, HeaderValue>, name: string): string | undefined {
  const value = headers[name]
  return Array.isArray(value) ? value[0] : value
}

/** The quota headers of one answer, as they may be logged (no secret in them). */
export function quotaHeadersLine(headers: Record<string, HeaderValue>): string | undefined {
  const names = [
    'beta-ratelimit-policy',
    'beta-ratelimit',
    'x-beta-ratelimit-reason',
    'x-beta-ratelimit-reset',
    'x-beta-ratelimit-nearlimit',
  ]
  const parts = names.flatMap((name) => {
    const value = headerValue(headers, name)
    return value === undefined ? [] : [`${name}: ${value.slice(0, 200)}`]
  })
  return parts.length > 0 ? parts.join('; ') : undefined
}

/** Atlassian says the app is close to its quota. */
export function isNearLimit(headers: Record<string, HeaderValue>): boolean {
  return headerValue(headers, 'x-beta-ratelimit-nearlimit')?.trim().toLowerCase() === 'true'
}

export interface QuotaStop {
  /** When the quota starts again (epoch ms), when Atlassian said. */
  resetAt?: number
  /** X-Beta-Ratelimit-Reason, as sent (e.g. a "…-quota-…" name). */
  reason?: string
}

/**
 * A 429 that waiting a little cannot cure: the reason names a quota and no reset (or a far one) is given, or the
 * reset is more than `patienceMs` away whatever the reason. undefined: an ordinary (burst) 429, retried as usual.
 */
export function exhaustedQuota(
  headers: Record<string, HeaderValue>,
  now: number,
  patienceMs: number,
): QuotaStop | undefined {
  const reason = headerValue(headers, 'x-beta-ratelimit-reason')?.trim() || undefined
  const resetText = headerValue(headers, 'x-beta-ratelimit-reset')?.trim()
  const parsed = resetText && /^\d{4}-\d{2}-\d{2}T/.test(resetText) ? Date.parse(resetText) : Number.NaN
  const resetAt = Number.isNaN(parsed) ? undefined : parsed
  const far = resetAt !== undefined && resetAt - now > patienceMs
  const quota = reason !== undefined && /quota/i.test(reason)
  if (far || (quota && resetAt === undefined)) return {reason, resetAt}
  return undefined
}

/** "14:05 local time (13:05 UTC), 2 December" style: when a quota resets, for a person anywhere. */
export function localAndUtc(epochMs: number): string {
  const date = new Date(epochMs)
  const two = (n: number) => String(n).padStart(2, '0')
  const local = `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} ${two(date.getHours())}:${two(date.getMinutes())}`
  const utc = `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`
  return `${local} local time (${utc})`
}
