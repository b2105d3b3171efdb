/**
 * Waiting for a change to reach where it is used: an apply that failed only because something made earlier (by this
 * run or an earlier run of it) is not known yet is tried again with backoff, up to a limit. The operation says what
 * such a failure means (Operation.waitsFor); the engine only waits. Items waiting for the same thing share one
 * schedule: one of them tries at each step and the others try again once it went through, so a hundred grants on
 * one new group send one request per step, not a hundred; an item that starts while another already waits for the
 * thing it may need joins that wait before its first try. Nothing else waits: the wait holds no slot of the
 * throttle.
 */
import {setTimeout as sleep} from 'node:timers/promises'

/** What an apply may have to wait for (see Operation.waitsFor). */
export interface Pending {
  /** What it waits for, in words ("Atlassian to make group crawlers known to Confluence"); items share a wait by it. */
  waitingFor: string
  /** The item's failure reason once the limit has passed. */
  gaveUp: string
  /** True for the errors that mean "not known yet"; any other error is the item's failure at once. */
  matches(error: unknown): boolean
}

/** Where waits get the time and sleep; tests replace it so that nothing sleeps. */
export interface WaitClock {
  now(): number
  sleep(ms: number): Promise<void>
}

export const SYSTEM_WAIT_CLOCK: WaitClock = {now: () => Date.now(), sleep: (ms) => sleep(ms)}

/** The default limit of a wait: five minutes. */
export const DEFAULT_WAIT_LIMIT_MS = 5 * 60_000

/** The first step of the backoff, doubled at each step up to WAIT_STEP_MAX_MS. */
export const WAIT_STEP_FIRST_MS = 1000
export const WAIT_STEP_MAX_MS = 15_000

export interface WaitSettings {
  /** How long after the first failure of a thing the items waiting for it give up. */
  limitMs: number
  clock: WaitClock
  /** Called at each step with "waiting for … (N s so far)", and with undefined once the thing is known or given up. */
  onWait(waitingFor: string, line: string | undefined): void
}

/** What a waiting item is told: the thing is known (try again), the limit has passed, or it tries for the others now. */
type Turn = 'known' | 'over' | 'lead'

interface Gate {
  since: number
  stepMs: number
  over: boolean
  leader: boolean
  followers: Array<(turn: Turn) => void>
}

export class Waits {
  private readonly gates = new Map<string, Gate>()

  constructor(private readonly settings: WaitSettings) {}

  /**
   * Runs attempt() in a slot of `slot` (the run's throttle); while it fails with an error `pending` matches, waits
   * (holding no slot) and tries again, until it goes through or the limit of that wait has passed (then throws an
   * Error with the pending's gaveUp). Any other error is thrown as it is. When, once it has its slot, another item
   * already waits for the same thing, it gives the slot back and joins that wait before its first try.
   */
  async run<T>(
    attempt: () => Promise<T>,
    pending: Pending | undefined,
    slot: <R>(work: () => Promise<R>) => Promise<R> = (work) => work(),
  ): Promise<T> {
    let gate: Gate | undefined
    let waits = false
    let led: Gate | undefined
    for (;;) {
      if (waits && gate && pending) {
        if (gate.over) throw new Error(pending.gaveUp)
        if (led !== gate && gate.leader) {
          const turn = await new Promise<Turn>((resolve) => gate!.followers.push(resolve))
          if (turn === 'over') throw new Error(pending.gaveUp)
          // The one that tried for the others failed for another reason: this one tries now, for them.
          if (turn === 'lead') led = gate
        } else {
          gate.leader = true
          led = gate
          if (!(await this.step(gate, pending.waitingFor))) {
            gate.over = true
            this.release(gate, pending.waitingFor, 'over')
            throw new Error(pending.gaveUp)
          }
        }
      }

      let tried: {value: T} | undefined
      try {
        tried = await slot(async () => {
          const waiting = !waits && pending && this.gates.get(pending.waitingFor)
          if (waiting && waiting.leader && !waiting.over) return undefined
          try {
            return {value: await attempt()}
          } catch (error) {
            if (!pending?.matches(error)) throw error
            // Claimed before the slot is given back, so that an item starting next joins this wait.
            const now = this.gateOf(pending.waitingFor)
            if (!now.leader && !now.over) {
              now.leader = true
              led = now
            }

            return undefined
          }
        })
      } catch (error) {
        if (led) {
          // The one trying for the others failed for another reason: the next of them tries.
          this.release(led, pending!.waitingFor, 'again')
          led = undefined
        }

        throw error
      }

      if (tried) {
        if (led && pending) {
          // Known now: a later failure of the same thing starts a wait of its own.
          this.gates.delete(pending.waitingFor)
          this.release(led, pending.waitingFor, 'known')
        }

        return tried.value
      }

      // Not known yet, or another item already waits for it: wait.
      gate = this.gateOf(pending!.waitingFor)
      waits = true
    }
  }

  private gateOf(waitingFor: string): Gate {
    let gate = this.gates.get(waitingFor)
    if (!gate) {
      gate = {followers: [], leader: false, over: false, since: this.settings.clock.now(), stepMs: WAIT_STEP_FIRST_MS}
      this.gates.set(waitingFor, gate)
    }

    return gate
  }

  /** Sleeps one step of the backoff (never past the limit) and says so; false when the limit has passed. */
  private async step(gate: Gate, waitingFor: string): Promise<boolean> {
    const {clock, limitMs} = this.settings
    const left = gate.since + limitMs - clock.now()
    if (left <= 0) return false

    await clock.sleep(Math.min(gate.stepMs, left))
    gate.stepMs = Math.min(gate.stepMs * 2, WAIT_STEP_MAX_MS)
    const seconds = Math.round((clock.now() - gate.since) / 1000)
    this.settings.onWait(waitingFor, `waiting for ${waitingFor} (${seconds} s so far)`)
    return true
  }

  /** The leader is done: all followers are told the thing is known or over, or ('again') the next one leads. */
  private release(gate: Gate, waitingFor: string, turn: 'known' | 'over' | 'again'): void {
    if (turn === 'again') {
      const next = gate.followers.shift()
      gate.leader = next !== undefined
      next?.('lead')
      return
    }

    gate.leader = false
    this.settings.onWait(waitingFor, undefined)
    for (const follower of gate.followers.splice(0)) follower(turn)
  }
}
