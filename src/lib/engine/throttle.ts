/**
 * Bounded concurrency: at most `max` operations hold a slot at once, served in order. Slowing down on 429
 * is the HTTP layer's job (its RatePacer learns the rate Atlassian allows); cutting concurrency on
 * each 429 was measured to halve throughput, since every throttled request waits out a Retry-After.
 * The runner holds one slot per operation; the HTTP layer must not acquire slots itself.
 */

type Waiter = (release: () => void) => void

export interface ThrottleOptions {
  /** Slots; default 8. */
  max?: number
}

export class Throttle {
  readonly max: number
  private running = 0
  /** FIFO queue with a moving head: shift() on a long array would make 10,000 waiters quadratic. */
  private waiters: Waiter[] = []
  private head = 0

  constructor(options: ThrottleOptions = {}) {
    const max = options.max ?? 8
    if (!Number.isInteger(max) || max < 1)
      throw new Error(`Throttle max must be a whole number of at least 1, not ${max}.`)
    this.max = max
  }

  /** Slots held right now. */
  get inFlight(): number {
    return this.running
  }

  /** Waits for a slot; call the returned function once to give it back (later calls do nothing). */
  acquire(): Promise<() => void> {
    if (this.running < this.max && this.head === this.waiters.length) {
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
    while (this.running < this.max && this.head < this.waiters.length) {
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

export const DEFAULT_CONCURRENCY = 8

/** How much of a run may be in flight: a command-wide throttle, a concurrency for this run, or both. */
export interface Limits {
  /** Most operations in flight at once (checks and applies); default 8. */
  concurrency?: number
  /** A concurrency limit shared with other work of the same command. */
  throttle?: Throttle
}

/** Runs work holding a slot of the limits. */
export type Limited = <T>(work: () => Promise<T>) => Promise<T>

/** Checks the concurrency: a whole number of at least 1. */
export function concurrencyOf(value: number | undefined): number {
  const n = value ?? DEFAULT_CONCURRENCY
  if (!Number.isInteger(n) || n < 1) throw new Error(`Concurrency must be a whole number of at least 1, not ${value}.`)
  return n
}

/** A limiter for one phase of a run; throws for a bad concurrency. */
export function limiter(limits: Limits): Limited {
  const concurrency = concurrencyOf(limits.concurrency)
  // A shared throttle caps the command's work; a concurrency given as well caps this run too.
  const throttle = limits.throttle ?? new Throttle({max: concurrency})
  const pool = limits.throttle && limits.concurrency !== undefined ? new Throttle({max: concurrency}) : undefined
  return async (work) => {
    const leavePool = pool ? await pool.acquire() : undefined
    const release = await throttle.acquire()
    try {
      return await work()
    } finally {
      release()
      leavePool?.()
    }
  }
}
