/**
 * Paces requests to the rate Atlassian allows, learned from its 429s: unlimited until the first 429,
 * then a little under the rate that was getting through, probing upward while no 429 comes. Without
 * it, every request over the limit waits out a whole Retry-After (a second or more) while holding its
 * place, and bulk work runs slower than a one-at-a-time script.
 */
export interface PacerClock {
  now(): number
  sleep(ms: number): Promise<void>
}

const SYSTEM_CLOCK: PacerClock = {now: () => performance.now(), sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms))}

/** Each change of rate is judged over this long: a burst of 429s is one signal, not many. */
const WINDOW_MS = 1000
const BACK_OFF = 0.95
const PROBE_UP = 1.05

export class RatePacer {
  private rate = Number.POSITIVE_INFINITY
  private nextSlot = 0
  private readonly started: number
  private successes: number[] = []
  private lastChange = Number.NEGATIVE_INFINITY

  constructor(private readonly clock: PacerClock = SYSTEM_CLOCK) {
    this.started = clock.now()
  }

  /** Requests per second it lets through now; Infinity until the first 429. */
  get requestsPerSecond(): number {
    return this.rate
  }

  /** Waits for this request's turn. */
  async acquire(): Promise<void> {
    if (this.rate === Number.POSITIVE_INFINITY) return
    const now = this.clock.now()
    const slot = Math.max(now, this.nextSlot)
    this.nextSlot = slot + 1000 / this.rate
    if (slot > now) await this.clock.sleep(slot - now)
  }

  /** A request got through: remember it, and after a quiet window try a little faster. */
  succeeded(): void {
    const now = this.clock.now()
    this.successes.push(now)
    if (this.successes.length > 4096) this.successes = this.successes.filter((t) => t > now - WINDOW_MS)
    if (this.rate !== Number.POSITIVE_INFINITY && now - this.lastChange >= WINDOW_MS) {
      this.rate *= PROBE_UP
      this.lastChange = now
    }
  }

  /** Atlassian answered 429: go a little under what was getting through over the last window. */
  rateLimited(): void {
    const now = this.clock.now()
    if (now - this.lastChange < WINDOW_MS && this.rate !== Number.POSITIVE_INFINITY) return
    const windowMs = Math.min(WINDOW_MS, Math.max(1, now - this.started))
    this.successes = this.successes.filter((t) => t > now - windowMs)
    const observed = (this.successes.length * 1000) / windowMs
    const base = Math.min(this.rate, observed > 0 ? observed : this.rate === Number.POSITIVE_INFINITY ? 1 : this.rate / 2)
    this.rate = Math.max(1, base * BACK_OFF)
    this.nextSlot = Math.max(this.nextSlot, now)
    this.lastChange = now
  }
}
