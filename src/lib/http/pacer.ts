/**
 * Paces requests to the rate Atlassian allows, learned from its 429s: unlimited until the first 429,
 * then a little under the rate that was getting through (over the last second, or over the last few
 * requests when the family was idle before), probing upward while no 429 comes: after the first 429,
 * whose measure is a guess, by doubling every half second; later by 5%, 10%, 20%... per quiet second. Without
 * it, every request over the limit waits out a whole Retry-After (a second or more) while holding its
 * place, and bulk work runs slower than a one-at-a-time script.
 */
export interface PacerClock {
  now(): number
  sleep(ms: number): Promise<void>
}

const SYSTEM_CLOCK: PacerClock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
}

/** Each change of rate is judged over this long: a burst of 429s is one signal, not many. */
const WINDOW_MS = 1000
const BACK_OFF = 0.95
const PROBE_UP = 1.05
/** Each further quiet second doubles the step up (5%, 10%, 20%, ...), at most this factor a second. */
const MAX_PROBE_UP = 2
/**
 * The rate is also measured over the last this many requests that got through: a family that was idle for most of
 * the window (a command looking names up before its bulk work) is not judged by its idle time.
 */
const RECENT = 8

export class RatePacer {
  private rate = Number.POSITIVE_INFINITY
  private nextSlot = 0
  private readonly started: number
  private successes: number[] = []
  private lastChange = Number.NEGATIVE_INFINITY
  /** Quiet seconds in a row since the last 429: how fast to probe upward. */
  private quietSteps = 0
  /** Times the rate was cut: after the first, the rate is a guess and doubles each quiet second until the next. */
  private cuts = 0

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
    // After the first cut the rate is a guess: it is corrected twice as often.
    if (
      this.rate !== Number.POSITIVE_INFINITY &&
      now - this.lastChange >= (this.cuts === 1 ? WINDOW_MS / 2 : WINDOW_MS)
    ) {
      // A rate cut too deep (by a 429 in a slow moment) recovers in seconds, not minutes.
      this.rate *= this.cuts === 1 ? MAX_PROBE_UP : Math.min(MAX_PROBE_UP, 1 + (PROBE_UP - 1) * 2 ** this.quietSteps)
      this.quietSteps++
      this.lastChange = now
    }
  }

  /** Atlassian answered 429: go a little under what was getting through over the last window. */
  rateLimited(): void {
    const now = this.clock.now()
    if (now - this.lastChange < WINDOW_MS && this.rate !== Number.POSITIVE_INFINITY) return
    const windowMs = Math.min(WINDOW_MS, Math.max(1, now - this.started))
    this.successes = this.successes.filter((t) => t > now - windowMs)
    const recent = this.successes.slice(-RECENT)
    const span = recent.length === RECENT ? recent[RECENT - 1] - recent[0] : 0
    const observed = Math.max((this.successes.length * 1000) / windowMs, span > 0 ? ((RECENT - 1) * 1000) / span : 0)
    this.quietSteps = 0
    this.cuts++
    const base = Math.min(
      this.rate,
      observed > 0 ? observed : this.rate === Number.POSITIVE_INFINITY ? 1 : this.rate / 2,
    )
    this.rate = Math.max(1, base * BACK_OFF)
    this.nextSlot = Math.max(this.nextSlot, now)
    this.lastChange = now
  }
}
