/**
 * The fake's idea of "now": real time plus an offset that tests move forward, so expiry rules (access tokens, codes,
 * the refresh-token leeway, delayed invites, the propagation delay) can be exercised without sleeping. `pause()` stops
 * real time from counting (only `advance` moves the clock then), for tests that look at the exact edge of a delay.
 * `fake.reset()` sets the offset back to 0 and lets real time count again.
 */
export interface FakeClock {
  /** Epoch ms as the fake sees it. */
  now(): number
  /** Moves the fake's time forward (a negative value moves it back). */
  advance(ms: number): void
  /** Stops the clock where it is: from now on only advance() moves it. */
  pause(): void
}

export class OffsetClock implements FakeClock {
  private offsetMs = 0
  private pausedAt: number | undefined

  now(): number {
    return (this.pausedAt ?? Date.now()) + this.offsetMs
  }

  advance(ms: number): void {
    this.offsetMs += ms
  }

  pause(): void {
    this.pausedAt ??= Date.now()
  }

  reset(): void {
    this.offsetMs = 0
    this.pausedAt = undefined
  }
}
