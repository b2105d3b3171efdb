/**
 * The points quota Atlassian meters OAuth apps by (atlassian-2026.md §6), simplified to one point a request: with
 * `behaviour.oauthQuotaPerHour` set, Bearer requests through the gateway count against an hourly window of the
 * fake's clock, their answers carry the quota headers seen in production, and once it is used up they get a 429 that
 * names the quota and when it resets. Header values' exact syntax is UNCONFIRMED (the doc names the headers only).
 */
import type {FakeState} from './types.js'

const HOUR_MS = 3_600_000
export const QUOTA_REASON = 'confluence-quota-tenant-based'

export class OAuthQuota {
  private windowStart = Number.NEGATIVE_INFINITY
  private used = 0

  /** Counts one request at `now`: the headers for its answer, and whether it is over the quota. */
  take(state: FakeState, now: number): {exceeded: boolean; headers: Record<string, string>} | undefined {
    const perHour = state.behaviour.oauthQuotaPerHour
    if (!(perHour > 0)) return undefined
    const window = Math.floor(now / HOUR_MS) * HOUR_MS
    if (window !== this.windowStart) {
      this.windowStart = window
      this.used = 0
    }

    const resetAt = window + HOUR_MS
    const exceeded = this.used >= perHour
    if (!exceeded) this.used++
    const remaining = Math.max(0, perHour - this.used)
    const seconds = Math.max(1, Math.ceil((resetAt - now) / 1000))
    const headers: Record<string, string> = {
      'Beta-Ratelimit': `"global-app-quota";r=${remaining};t=${seconds}`,
      'Beta-Ratelimit-Policy': `"global-app-quota";q=${perHour};w=3600`,
      'X-Beta-Ratelimit-Nearlimit': String(this.used >= perHour * state.behaviour.oauthQuotaNearLimit),
      'X-Beta-Ratelimit-Reset': new Date(resetAt).toISOString(),
    }
    if (exceeded) {
      headers['X-Beta-Ratelimit-Reason'] = QUOTA_REASON
      headers['Retry-After'] = String(seconds)
    }

    return {exceeded, headers}
  }

  reset(): void {
    this.windowStart = Number.NEGATIVE_INFINITY
    this.used = 0
  }
}
