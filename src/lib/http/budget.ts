/**
 * The request budget Atlassian reports on its answers (atlassian-api.md, rate limits): `X-RateLimit-Remaining` of
 * `X-RateLimit-Limit` (the Admin API documents both; Confluence documents them too, and `X-RateLimit-NearLimit: true`
 * when under 20% of a budget remains). Whether every answer carries them, not only a 429, is unconfirmed: without
 * them the pacer learns from 429s alone.
 */
import {headerValue, type HeaderValue} from './quota.js'

/** Under this share of the budget left, Atlassian calls the budget nearly used (X-RateLimit-NearLimit's rule). */
export const NEAR_SHARE = 0.2

/**
 * The share of the budget left after this answer (0..1), from `X-RateLimit-Remaining` and `X-RateLimit-Limit`;
 * `X-RateLimit-NearLimit: true` alone counts as just under the near share. undefined: the answer says nothing usable
 * (no headers, a limit of 0, values that are not whole numbers).
 */
export function budgetShareLeft(headers: Record<string, HeaderValue>): number | undefined {
  const near = headerValue(headers, 'x-ratelimit-nearlimit')?.trim().toLowerCase() === 'true'
  const remaining = wholeNumber(headerValue(headers, 'x-ratelimit-remaining'))
  const limit = wholeNumber(headerValue(headers, 'x-ratelimit-limit'))
  const share = remaining !== undefined && limit !== undefined && limit > 0 ? Math.min(1, remaining / limit) : undefined
  if (near) return Math.min(share ?? 1, NEAR_SHARE / 2)
  return share
}

function wholeNumber(text: string | undefined): number | undefined {
  const value = text?.trim()
  return value && /^\d{1,15}$/.test(value) ? Number(value) : undefined
}
