import {currentUser, requireScopes, requireSite} from '../auth.js'
import {FakeHttpError} from '../errors.js'
import {findUserByEmail, hasConfluenceAccess, isEmail, isServiceAccountEmail} from '../model.js'
import {json, type Route, type RouteContext} from '../router.js'
import type {FakeSite} from '../types.js'

/**
 * Confluence v2 site access by email (atlassian-api.md §2b, x-experimental): invite-by-email (asynchronous: the
 * invites take effect at the first request state.behaviour.inviteDelayMs later; invalid emails ignored; nothing done
 * for emails that already have access) and check-access-by-email. Caller: anyone who may use Confluence (404
 * otherwise, as the spec says); a site with `accessApiEnabled: false` answers 503. An invitee gets atlassian/user and
 * the site's default group (which group a real site picks depends on its invite settings: UNCONFIRMED).
 */

const SCOPES = [['read:configuration:confluence']]

function guard(ctx: RouteContext): FakeSite {
  requireScopes(ctx, SCOPES)
  const user = currentUser(ctx)
  const site = requireSite(ctx)
  if (site.accessApiEnabled === false) throw new FakeHttpError(503, 'API is disabled on site')
  if (!user.siteAdmin && !hasConfluenceAccess(ctx.state, user.accountId, site.cloudId)) {
    throw new FakeHttpError(404, 'The calling user does not have permission to check access for emails on site.')
  }

  return site
}

const emailsOf = (ctx: RouteContext) => [...new Set((ctx.body as {emails: string[]}).emails.map((e) => e.trim()))]

export const confluenceAccessRoutes: Route[] = [
  {
    handler(ctx) {
      const site = guard(ctx)
      const {state} = ctx
      const dueAt = ctx.now() + state.behaviour.inviteDelayMs
      const queued = new Set(
        state.pendingInvites.filter((p) => p.cloudId === site.cloudId).map((p) => p.email.toLowerCase()),
      )
      for (const email of emailsOf(ctx)) {
        // A service account's email is never invited (§4b); dropped like an invalid one (how Confluence answers: UNCONFIRMED).
        if (!isEmail(email) || isServiceAccountEmail(email) || queued.has(email.toLowerCase())) continue
        const user = findUserByEmail(state, email)
        if (user && hasConfluenceAccess(state, user.accountId, site.cloudId)) continue
        // A suspended or deactivated account is left alone: an invite does not reactivate it.
        if (user && user.status !== 'active') continue
        state.pendingInvites.push({cloudId: site.cloudId, dueAt, email})
        queued.add(email.toLowerCase())
      }

      return json(200)
    },
    method: 'POST',
    path: '/wiki/api/v2/user/access/invite-by-email',
  },
  {
    handler(ctx) {
      const site = guard(ctx)
      const emailsWithoutAccess: string[] = []
      const invalidEmails: string[] = []
      for (const email of emailsOf(ctx)) {
        if (!isEmail(email)) invalidEmails.push(email)
        else {
          const user = findUserByEmail(ctx.state, email)
          if (!user || !hasConfluenceAccess(ctx.state, user.accountId, site.cloudId)) emailsWithoutAccess.push(email)
        }
      }

      return json(200, {emailsWithoutAccess, invalidEmails})
    },
    method: 'POST',
    path: '/wiki/api/v2/user/access/check-access-by-email',
  },
]
