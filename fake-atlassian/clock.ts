/**
 * The fake's idea of "now": real time plus an offset that tests move forward, so expiry rules (access tokens, codes,
 * the refresh-token leeway, delayed invites) can be exercised without sleeping. `fake.reset()` sets the offset back to 0.
 */
export interface FakeClock {
  /** Epoch ms as the fake sees it. */
  now(): number
  /** Moves the fake's time forward (a negative value moves it back). */
  advance(ms: number): void
}

export class OffsetClock implements FakeClock {
  private offsetMs = 0

  now(): number {
    return Date.now() + this.offsetMs
  }

  advance(ms: number): void {
    this.offsetMs += ms
  }

  reset(): void {
    this.offsetMs = 0
  }
}
