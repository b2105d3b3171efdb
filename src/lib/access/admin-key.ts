/**
 * The admin key of Confluence Premium and Enterprise (atlassian-2026.md §1c) for one run: switched on before the
 * first space is read (unless it already was), and off again at the end, on failure and on Ctrl-C too, unless it was
 * on before. Requests use it through the header `Atl-Confluence-With-Admin-Key: true`, which the site client of an
 * --admin-key run sends on every request (access-context.ts).
 */
import type {Got} from 'got'

import {disableAdminKey, enableAdminKey, getAdminKey} from '../api/confluence.js'
import {badInput} from '../errors.js'
import {isAtlassianError} from '../http/errors.js'
import {boundedMessage} from '../text/safe-text.js'
import {onInterrupt} from '../terminal-io.js'

/** The header that makes a Confluence request use the caller's admin key. */
export const ADMIN_KEY_HEADER = 'Atl-Confluence-With-Admin-Key'

/** The spec's longest admin key, in minutes. */
export const ADMIN_KEY_MAX_MINUTES = 60

/** Requests a second an estimate assumes (well under Confluence's usual rate, so the key outlasts the run). */
const ESTIMATE_REQUESTS_PER_SECOND = 5
/** Minutes added to the estimate. */
const ESTIMATE_MARGIN_MINUTES = 5

/**
 * How long to ask the key for: the estimated requests at a modest rate plus a margin, at least 10 minutes (the
 * spec's default) and at most 60 (its maximum). Unknown (an all-spaces run, before the listing): 60.
 */
export function adminKeyMinutes(estimatedRequests?: number): number {
  if (estimatedRequests === undefined) return ADMIN_KEY_MAX_MINUTES
  const minutes = Math.ceil(estimatedRequests / ESTIMATE_REQUESTS_PER_SECOND / 60) + ESTIMATE_MARGIN_MINUTES
  return Math.min(ADMIN_KEY_MAX_MINUTES, Math.max(10, minutes))
}

/** Where an admin-key run tells what it did: `info` for status lines, `warn` for what the user must act on. */
export interface AdminKeyNotices {
  info(line: string): void
  warn(line: string): void
}

export class AdminKeyRun {
  private ended = false
  private unregister = () => {}
  /** When the key stops by itself, as Confluence said. */
  private expirationTime?: string

  private constructor(
    private readonly site: Got,
    /** Switched on by this run (so switched off at its end); false when it was on already. */
    readonly enabledHere: boolean,
    private readonly notices: AdminKeyNotices,
  ) {}

  /**
   * Switches the key on for `minutes` unless it is on already (GET first). A site or login without the feature is a
   * clear exit 2 here, before anything was changed.
   */
  static async start(site: Got, minutes: number, notices: AdminKeyNotices): Promise<AdminKeyRun> {
    const before = await getAdminKey(site)
    if (before) {
      notices.info(
        `The admin key was already on (until ${before.expirationTime ?? 'it expires'}): cfadmin uses it and leaves it on.`,
      )
      const kept = new AdminKeyRun(site, false, notices)
      kept.expirationTime = before.expirationTime
      return kept
    }

    const run = new AdminKeyRun(site, true, notices)
    // From before the request: a Ctrl-C while it is on its way still switches the key off (a DELETE of no key is 204).
    run.unregister = onInterrupt(async () => run.end())
    try {
      run.expirationTime = (await enableAdminKey(site, minutes)).expirationTime
    } catch (error) {
      run.ended = true
      run.unregister()
      if (isAtlassianError(error, 404) || isAtlassianError(error, 403))
        throw badInput(
          'ADMIN_KEY_UNAVAILABLE',
          `Confluence answered ${error.status} to switching the admin key on: this site or login cannot use an admin key. Nothing was changed.`,
          'The admin key is for Confluence Premium and Enterprise, and for org or site admins: run as one on such a site, or drop --admin-key.',
        )
      throw error
    }

    notices.info(
      `Admin key on for ${minutes} minutes${run.expirationTime ? ` (until ${run.expirationTime})` : ''}; cfadmin switches it off at the end.`,
    )
    return run
  }

  /** Switches the key off if this run switched it on; once. A failure is said, not thrown: the run's result stands. */
  async end(): Promise<void> {
    if (this.ended) return
    this.ended = true
    this.unregister()
    if (!this.enabledHere) return
    try {
      await disableAdminKey(this.site)
      this.notices.info('Admin key switched off.')
    } catch (error) {
      this.notices.warn(
        `could not switch the admin key off: ${boundedMessage((error as Error).message)}. It expires by itself${this.expirationTime ? ` at ${this.expirationTime}` : ''}; to end it now, switch it off in Confluence administration.`,
      )
    }
  }
}
