/** Rate limits, scripted and random failures, and latency, switched on and off by tests. */

export interface RateLimit {
  /** Tokens added per second (may be fractional). */
  perSecond: number
  /** Bucket size: how many requests may arrive at once. */
  burst: number
  /**
   * Whether answers that got through carry X-RateLimit-Limit (the bucket size) and X-RateLimit-Remaining (whole
   * tokens left): 'every-answer' (default: the Admin API's reference lists both for its requests) or 'only-429s'
   * (which Confluence answers carry them is unconfirmed: the client must pace without them too).
   */
  budgetHeaders?: 'every-answer' | 'only-429s'
}

export interface RandomFaults {
  /** Probability (0..1) that a request is answered 500, 502, 503 or 504. */
  error5xx?: number
  /** Probability (0..1) that the connection is dropped without an answer. */
  drop?: number
  /** PRNG seed: the same seed and request order give the same faults. Default 1. */
  seed?: number
}

export interface FaultControls {
  /** Token bucket over all requests; undefined switches it off. Over the limit: 429 with Retry-After. */
  setRateLimit(limit: RateLimit | undefined): void
  /**
   * The next `n` requests are answered `status` (default 503), with Retry-After when `retryAfterSeconds` is given (a
   * string is sent as it is: `failNext(1, 429, '9223372036854775807')`); `failNext(n, 429)` is a 429 without it.
   */
  failNext(n: number, status?: number, retryAfterSeconds?: number | string): void
  /** The next `n` requests get no answer: the socket is destroyed. */
  dropNext(n: number): void
  /** Deterministic pseudo-random faults; undefined switches them off. */
  setRandom(random: RandomFaults | undefined): void
  /** Every answer (faults included) waits this long first. */
  setLatency(ms: number): void
  /** Everything off: no rate limit, scripted or random faults, latency. */
  clear(): void
}

export type FaultDecision =
  | {kind: 'none'}
  | {kind: 'drop'; fault: 'dropped' | 'random-drop'}
  | {kind: 'fail'; fault: 'failed' | 'random-5xx'; status: number; retryAfterSeconds?: number | string}
  | {kind: 'rate-limited'; retryAfterSeconds: number; resetAt: Date; limit: number}

/** mulberry32: tiny, fast, good enough to spread faults deterministically. */
function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

const RANDOM_STATUSES = [500, 502, 503, 504]

export class Faults implements FaultControls {
  private rateLimit?: RateLimit
  private tokens = 0
  private refilledAt = 0
  private failures: {status: number; retryAfterSeconds?: number | string}[] = []
  private drops = 0
  private random?: {error5xx: number; drop: number; next: () => number}
  private latency = 0

  constructor(private readonly now: () => number = Date.now) {}

  setRateLimit(limit: RateLimit | undefined): void {
    if (limit && (!(limit.perSecond > 0) || !(limit.burst >= 1)))
      throw new Error('rate limit: perSecond must be > 0 and burst >= 1')
    this.rateLimit = limit
    this.tokens = limit?.burst ?? 0
    this.refilledAt = this.now()
  }

  failNext(n: number, status = 503, retryAfterSeconds?: number | string): void {
    for (let i = 0; i < n; i++) this.failures.push({retryAfterSeconds, status})
  }

  dropNext(n: number): void {
    this.drops += n
  }

  setRandom(random: RandomFaults | undefined): void {
    this.random = random
      ? {drop: random.drop ?? 0, error5xx: random.error5xx ?? 0, next: prng(random.seed ?? 1)}
      : undefined
  }

  setLatency(ms: number): void {
    this.latency = Math.max(0, ms)
  }

  clear(): void {
    this.setRateLimit(undefined)
    this.failures = []
    this.drops = 0
    this.random = undefined
    this.latency = 0
  }

  get latencyMs(): number {
    return this.latency
  }

  /** Decides the fate of one request: scripted drops, scripted failures, the rate limit, then random faults. */
  decide(): FaultDecision {
    if (this.drops > 0) {
      this.drops--
      return {fault: 'dropped', kind: 'drop'}
    }

    const failure = this.failures.shift()
    if (failure) return {fault: 'failed', kind: 'fail', ...failure}
    if (this.rateLimit) {
      this.refill(this.rateLimit)
      if (this.tokens < 1) {
        const waitMs = ((1 - this.tokens) / this.rateLimit.perSecond) * 1000
        return {
          kind: 'rate-limited',
          limit: this.rateLimit.burst,
          resetAt: new Date(this.now() + waitMs),
          retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)),
        }
      }

      this.tokens -= 1
    }

    if (this.random) {
      const r = this.random.next()
      if (r < this.random.drop) return {fault: 'random-drop', kind: 'drop'}
      if (r < this.random.drop + this.random.error5xx) {
        return {
          fault: 'random-5xx',
          kind: 'fail',
          status: RANDOM_STATUSES[Math.floor(this.random.next() * RANDOM_STATUSES.length)],
        }
      }
    }

    return {kind: 'none'}
  }

  /** X-RateLimit-* headers for a normal answer while a rate limit is on. */
  rateLimitHeaders(): Record<string, string> {
    if (!this.rateLimit || this.rateLimit.budgetHeaders === 'only-429s') return {}
    return {
      'X-RateLimit-Limit': String(this.rateLimit.burst),
      'X-RateLimit-Remaining': String(Math.max(0, Math.floor(this.tokens))),
    }
  }

  private refill(limit: RateLimit): void {
    const now = this.now()
    this.tokens = Math.min(limit.burst, this.tokens + ((now - this.refilledAt) / 1000) * limit.perSecond)
    this.refilledAt = now
  }
}
