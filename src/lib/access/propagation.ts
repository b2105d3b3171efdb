/**
 * Changes take time to reach Confluence (atlassian-2026.md §3): a group or an account the Admin API made can be
 * unknown to Confluence for seconds to minutes, and Confluence then answers a grant on it with "No group found" or
 * "No user found". An operation on such a principal says so (Operation.waitsFor) and the engine tries it again with
 * backoff (engine/wait.ts) up to --wait-for-propagation; every other error stays an error.
 */
import type {Pending} from '../engine/wait.js'
import {badInput} from '../errors.js'
import {isAtlassianError} from '../http/errors.js'
import {excerpt} from '../text/safe-text.js'

/** Confluence's answers about a user or group it does not know (v1 permission and group writes, v2 role assignments). */
const NOT_KNOWN = /no (group|user) found|no user with accountid|no group with (id|name)/i

/** True when Atlassian answered that the user or group named is unknown to it (400 or 404). */
export function unknownPrincipal(error: unknown): boolean {
  return (
    (isAtlassianError(error, 400) || isAtlassianError(error, 404)) &&
    NOT_KNOWN.test(error.atlassianMessage ?? error.message)
  )
}

/**
 * Operation.waitsFor for an operation on a principal made by the plan (this run or an earlier run of it), named as
 * the report names it ("group crawlers", "bot@acme.example"): only Confluence's "not known" answers wait.
 */
export function waitForConfluence(principal: string): Pending {
  return {
    gaveUp: `Atlassian has not yet made ${principal} known to Confluence; run again later`,
    matches: unknownPrincipal,
    waitingFor: `Atlassian to make ${principal} known to Confluence`,
  }
}

const UNITS_MS: Record<string, number> = {h: 3_600_000, m: 60_000, s: 1000}

/** --wait-for-propagation's value ("30s", "5m", "1h", "0s") in milliseconds; anything else is exit 2. */
export function propagationWaitMs(value: string): number {
  const match = /^\s*(\d{1,6})\s*([smh])\s*$/i.exec(value)
  if (!match)
    throw badInput(
      'WAIT_INVALID',
      `--wait-for-propagation takes a duration such as 30s, 5m or 1h, not "${excerpt(value)}".`,
      'Give a whole number followed by s (seconds), m (minutes) or h (hours), e.g. --wait-for-propagation 10m; 0s fails at once.',
    )
  return Number(match[1]) * UNITS_MS[match[2].toLowerCase()]
}
