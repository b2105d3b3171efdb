/**
 * Paces requests to the rate Atlassian allows, learned from its 429s: unlimited until the first 429,
 * then a little under the rate that was getting through (over the last second, or over the last few
 * requests when the family was idle before), probing upward while no 429 comes: after a 429 that came
 * unpaced, whose measure is a guess, by doubling every half second; later by 5%, 10%, 20%... per quiet
 * second, and once near the rate that got through when the last 429 came (the limit is most likely there),
 * by 1%, 2%, 4%... per quiet second. A listing read a page at a time also paces on the request budget its
 * answers report (`succeeded(budgetShare)`). Without it, every request over the limit waits out a whole
 * Retry-After (a second or more) while holding its place, and bulk work runs slower than a one-at-a-time script.
 */
import {NEAR_SHARE} from './budget.js'

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
/** A rate probing up goes at once to this share of the rate that got through when the last 429 came... */
const NEAR_LIMIT = 0.98
/** ...then creeps up, 1% after a quiet second, doubling the step each further quiet second (the limit may have moved). */
const CREEP_UP = 1.01
/**
 * The rate is also measured over the last this many requests that got through: a family that was idle for most of
 * the window (a command looking names up before its bulk work) is not judged by its idle time.
 */
const RECENT = 8
/**
 * Near the quota (X-Beta-Ratelimit-Nearlimit), or under NEAR_SHARE of the request budget left for a listing that paces
 * on it, the rate goes this far under what got through over the last window, before any 429.
 */
const EASE_OFF = 0.9
/** With under this share of the request budget left (X-RateLimit-Remaining), the rate does not step up. */
const HOLD_SHARE = 0.5

export class RatePacer {
  private rate = Number.POSITIVE_INFINITY
  private nextSlot = 0
  private readonly started: number
  private successes: number[] = []
  private lastChange = Number.NEGATIVE_INFINITY
  /** When the rate was last cut: the 429s of the next window are the same burst. A step up does not move it. */
  private lastCut = Number.NEGATIVE_INFINITY
  /** Quiet seconds in a row since the last 429: how fast to probe upward. */
  private quietSteps = 0
  /** Quiet seconds in a row near the limit last seen: how fast to creep past it. */
  private creepSteps = 0
  /**
   * The rate was last cut by a 429 that came while requests went unpaced: its measure is a guess (a start-up burst of a
   * few requests), corrected by doubling every quiet half second until the next 429. A rate eased for a budget nearly
   * used, or cut while paced, is not a guess.
   */
  private guessing = false
  /** The rate that was getting through when the last 429 came while paced: where the limit likely is. */
  private limitSeen: number | undefined
  /** When the rate was last eased for "near the quota" or a budget nearly used: once a window. */
  private lastEase = Number.NEGATIVE_INFINITY
  /** The last answer said under HOLD_SHARE of the request budget is left: no step up until it fills again. */
  private budgetLow = false
  /**
   * Set when Atlassian said the hourly quota is used up (a 429 retry.ts does not retry): the family's later requests
   * fail before they are sent, until `resetAt` (epoch ms; undefined: for the rest of the run).
   */
  quotaStop: {resetAt?: number; reason?: string} | undefined

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

  /**
   * A request got through: remember it, and after a quiet window try a little faster. `budgetShare` is the share of
   * Atlassian's request budget its answer says is left (budget.ts), for a request that paces on it: nearly used up,
   * the rate eases before a 429 comes; half used, it holds. Only a read of one or two chained listings asks for that
   * (`paceOnBudget`): there a 429 stops half the work for a whole Retry-After. Bulk work with many requests in flight
   * loses one request's wait to a 429 and more to holding back (bench/README.md), and the budget Atlassian reports is
   * shared with every other family and client of the site.
   */
  succeeded(budgetShare?: number): void {
    const now = this.clock.now()
    this.successes.push(now)
    if (this.successes.length > 4096) this.successes = this.successes.filter((t) => t > now - WINDOW_MS)
    if (budgetShare !== undefined) {
      this.budgetLow = budgetShare < HOLD_SHARE
      if (budgetShare < NEAR_SHARE) this.easeOff()
    }

    if (this.budgetLow) return
    // A guess (see `guessing`) is corrected twice as often.
    if (
      this.rate !== Number.POSITIVE_INFINITY &&
      now - this.lastChange >= (this.guessing ? WINDOW_MS / 2 : WINDOW_MS)
    ) {
      // A rate cut too deep (by a 429 in a slow moment) recovers in seconds, not minutes.
      const near = this.limitSeen === undefined ? Number.POSITIVE_INFINITY : this.limitSeen * NEAR_LIMIT
      if (this.rate >= near) {
        this.rate *= Math.min(MAX_PROBE_UP, 1 + (CREEP_UP - 1) * 2 ** this.creepSteps++)
      } else {
        const step = this.guessing ? MAX_PROBE_UP : Math.min(MAX_PROBE_UP, 1 + (PROBE_UP - 1) * 2 ** this.quietSteps)
        this.rate = Math.min(this.rate * step, near)
      }

      this.quietSteps++
      this.lastChange = now
    }
  }

  /**
   * Atlassian says the quota is nearly used up (X-Beta-Ratelimit-Nearlimit): go gently (10%) under what got through
   * over the last window, at most once a window, without taking it as a 429 (the limit is not where it was hit).
   */
  nearLimit(): void {
    this.easeOff()
  }

  /** Goes EASE_OFF under what got through over the last window (or the rate, if lower), at most once a window. */
  private easeOff(): void {
    const now = this.clock.now()
    if (now - this.lastEase < WINDOW_MS) return
    this.lastEase = now
    const {observed} = this.measure(now)
    const base = Math.min(this.rate, observed > 0 ? observed : this.rate)
    if (base === Number.POSITIVE_INFINITY) return
    this.rate = Math.max(1, base * EASE_OFF)
    this.guessing = false
    this.quietSteps = 0
    this.creepSteps = 0
    this.nextSlot = Math.max(this.nextSlot, now)
    this.lastChange = now
  }

  /** Atlassian answered 429: go a little under what was getting through over the last window. */
  rateLimited(): void {
    const now = this.clock.now()
    if (now - this.lastCut < WINDOW_MS) return
    const {observed, overWindow, windowMs} = this.measure(now)
    this.quietSteps = 0
    this.creepSteps = 0
    const unpaced = this.rate === Number.POSITIVE_INFINITY
    this.guessing = unpaced
    const base = Math.min(this.rate, observed > 0 ? observed : unpaced ? 1 : this.rate / 2)
    // What got through over the whole last window is where the limit is (the last few requests can come in a burst);
    // the first 429's measure is a guess (a start-up burst of a few requests) and is not taken as the limit.
    this.limitSeen = !unpaced && windowMs === WINDOW_MS && overWindow > 0 ? overWindow : undefined
    this.rate = Math.max(1, base * BACK_OFF)
    this.nextSlot = Math.max(this.nextSlot, now)
    this.lastChange = now
    this.lastCut = now
  }

  /**
   * The rate that got through lately: over the last window, or from the family's first answer in it when it was busy
   * (it may have started, or come back from a Retry-After, within the window), or over its last few answers when it
   * was idle for most of it. `overWindow` leaves out the last few answers' burst.
   */
  private measure(now: number): {observed: number; overWindow: number; windowMs: number} {
    const windowMs = Math.min(WINDOW_MS, Math.max(1, now - this.started))
    this.successes = this.successes.filter((t) => t > now - windowMs)
    const recent = this.successes.slice(-RECENT)
    const span = recent.length === RECENT ? recent[RECENT - 1] - recent[0] : 0
    const count = this.successes.length
    const busySpan = count >= 2 * RECENT ? now - this.successes[0] : 0
    const overWindow = busySpan > 0 ? ((count - 1) * 1000) / busySpan : (count * 1000) / windowMs
    const observed = busySpan > 0 ? overWindow : Math.max(overWindow, span > 0 ? ((RECENT - 1) * 1000) / span : 0)
    return {observed, overWindow, windowMs}
  }
}
