/**
 * Bounded concurrency that slows down on 429 instead of failing: additive increase, multiplicative decrease.
 * The runner holds one slot per operation (check or apply); the HTTP layer only reports, through
 * rateLimited(), and must not acquire slots itself (an operation holding a slot would wait on itself).
 */

type Waiter = (release: () => void) => void

export interface ThrottleOptions {
  /** Highest allowed concurrency and the starting point; default 8. */
  max?: number
  /** rateLimited() never goes below this; default 1. */
  min?: number
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new Error(`Throttle ${name} must be a whole number of at least 1, not ${value}.`)
  return value
}

export class Throttle {
  readonly max: number
  readonly min: number
  private current: number
  private running = 0
  private successes = 0
  /** FIFO queue with a moving head: shift() on a long array would make 10,000 waiters quadratic. */
  private waiters: Waiter[] = []
  private head = 0

  constructor(options: ThrottleOptions = {}) {
    this.max = positiveInteger('max', options.max ?? 8)
    this.min = Math.min(positiveInteger('min', options.min ?? 1), this.max)
    this.current = this.max
  }

  /** Current allowed concurrency. */
  get limit(): number {
    return this.current
  }

  /** Slots held right now (may briefly exceed limit just after rateLimited()). */
  get inFlight(): number {
    return this.running
  }

  /** Atlassian answered 429: halve the limit (not below min). Requests already in flight finish. */
  rateLimited(): void {
    this.current = Math.max(this.min, Math.floor(this.current / 2))
    this.successes = 0
  }

  /** One success: after `limit` successes in a row the limit grows by one, back toward max. */
  succeeded(): void {
    if (this.current >= this.max) return
    this.successes++
    if (this.successes >= this.current) {
      this.current++
      this.successes = 0
      this.drain()
    }
  }

  /** Waits for a slot; call the returned function once to give it back (later calls do nothing). */
  acquire(): Promise<() => void> {
    if (this.running < this.current && this.head === this.waiters.length) {
      this.running++
      return Promise.resolve(this.releaser())
    }

    return new Promise((resolve) => {
      this.waiters.push(resolve)
    })
  }

  private releaser(): () => void {
    let released = false
    return () => {
      if (released) return
      released = true
      this.running--
      this.drain()
    }
  }

  private drain(): void {
    while (this.running < this.current && this.head < this.waiters.length) {
      const next = this.waiters[this.head]
      this.head++
      this.running++
      next(this.releaser())
    }

    if (this.head === this.waiters.length) {
      this.waiters = []
      this.head = 0
    } else if (this.head > 1024 && this.head * 2 > this.waiters.length) {
      this.waiters = this.waiters.slice(this.head)
      this.head = 0
    }
  }
}
