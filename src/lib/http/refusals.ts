/**
 * Refusals that are not about the credential itself (atlassian-2026.md §4a), told apart from the 401/403 that are:
 * - a gateway 401 "Unauthorized; scope does not match" (or `X-Failure-Category: FAILURE_CLIENT_SCOPE_CHECK`): the
 *   grant lacks a scope this endpoint needs; a refreshed token has the same scopes, so it is never refreshed for it;
 * - a 403 "Current user not permitted to use Confluence": the credential is good, its account has no Confluence
 *   product access.
 * What to say about them comes from above (the session knows the account and the scope table): RefusalContext.
 */
import {serverExcerpt} from './error-body.js'
import {type ApiFamily, FAMILY_LABEL} from './family.js'
import {headerValue, type HeaderValue, localAndUtc, type QuotaStop} from './quota.js'

export interface ScopeAdvice {
  /** "GET /wiki/rest/api/group/{groupId}/membersByGroupId": the endpoint as documented, without ids. */
  endpoint: string
  /** What the official document lists for it, as a sentence. */
  needs: string
  hint: string
}

/** Who and what a client's refusals are about; given by the session that made the client. */
export interface RefusalContext {
  /** The credential's account (an email or name), for "… has no Confluence access". */
  account?: string
  /** The scopes a refused endpoint needs; `path` is relative to the API root (it starts with /wiki/). */
  scopeAdvice?(method: string, path: string): ScopeAdvice
}

/** A 401 from the gateway's scope check. */
export function isScopeMismatch(status: number, headers: Record<string, HeaderValue>, body: string): boolean {
  if (status !== 401) return false
  if (headerValue(headers, 'x-failure-category')?.trim().toUpperCase() === 'FAILURE_CLIENT_SCOPE_CHECK') return true
  return /scope does not match/i.test(body)
}

/** A 403 saying the (valid) credential's account may not use Confluence. */
export function isNoConfluenceAccess(status: number, message: string | undefined): boolean {
  return status === 403 && /not permitted to use confluence/i.test(message ?? '')
}

export interface RefusalFacts {
  family: ApiFamily
  status: number
  method: string
  /** The path relative to the API root (the gateway's /ex/confluence/{cloudId} cut off). */
  path: string
  atlassianMessage?: string
}

/** The words for a refusal that is not what its status suggests; undefined for any other answer. */
export function refusalMeaning(
  facts: RefusalFacts,
  answer: {headers: Record<string, HeaderValue>; body: string},
  context: RefusalContext = {},
): {code: string; message: string; hint: string} | undefined {
  const said = facts.atlassianMessage ? `: ${facts.atlassianMessage}` : ''
  if (
    (facts.family === 'gateway' || facts.family === 'site') &&
    isScopeMismatch(facts.status, answer.headers, answer.body)
  ) {
    const advice = context.scopeAdvice?.(facts.method, facts.path) ?? {
      endpoint: `${facts.method} ${facts.path}`,
      hint: 'Add the scopes it needs to the app (developer.atlassian.com > your app > Permissions) and log in again (cfadmin auth scopes lists what each command needs).',
      needs: '',
    }
    return {
      code: 'OAUTH_SCOPE_MISSING',
      hint: advice.hint,
      message: `Atlassian refused ${advice.endpoint} for a scope the credential lacks (${facts.status}${said}).${advice.needs ? ` ${advice.needs}` : ''}`,
    }
  }

  if (
    (facts.family === 'gateway' || facts.family === 'site') &&
    isNoConfluenceAccess(facts.status, facts.atlassianMessage)
  ) {
    const who = context.account ?? 'its account'
    return {
      code: 'NO_CONFLUENCE_ACCESS',
      hint: `Give ${context.account ?? 'the account'} Confluence product access in admin.atlassian.com (Directory > Users > the user > Product access, or a group that grants it), then run again.`,
      message: `The credential is valid, but ${who} has no Confluence access (${FAMILY_LABEL[facts.family]} answered ${facts.status} to ${facts.method} ${facts.path}${said}).`,
    }
  }

  return undefined
}

/** The words for a 429 whose hourly quota is used up (retry.ts stopped at once). */
export function quotaMeaning(facts: RefusalFacts, quota: QuotaStop): {code: string; message: string; hint: string} {
  const why = quota.reason ? `, ${serverExcerpt(quota.reason) ?? ''}` : ''
  const when =
    quota.resetAt === undefined ? 'Atlassian did not say when it resets' : `it resets at ${localAndUtc(quota.resetAt)}`
  return {
    code: 'RATE_QUOTA_EXHAUSTED',
    hint: 'Run again after the reset. API-token traffic is not metered by these points: a login with an API token (cfadmin auth login --email you@example.com --with-token) can go on now.',
    message: `Atlassian's hourly rate-limit quota for this app on the site is used up (429 to ${facts.method} ${facts.path}${why}); ${when}. cfadmin does not wait that long.`,
  }
}
