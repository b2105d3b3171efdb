import {currentUser} from '../auth.js'
import {accountTypeOf} from '../model.js'
import {json, type Route, type RouteContext} from '../router.js'
import type {FakeUser} from '../types.js'

/**
 * A user as Confluence v1 shows it (v1 spec, schema User): email only when the user lets others see it
 * (atlassian-api.md §5 — hidden emails are why cfadmin needs the export map).
 */
export function confluenceUser(user: FakeUser, ctx: RouteContext, expand: string[] = []): Record<string, unknown> {
  const body: Record<string, unknown> = {
    _expandable: {operations: '', personalSpace: ''},
    _links: {
      base: `${ctx.apiBase}/wiki`,
      context: '/wiki',
      self: `${ctx.apiBase}/wiki/rest/api/user?accountId=${encodeURIComponent(user.accountId)}`,
    },
    accountId: user.accountId,
    accountType: accountTypeOf(ctx.state, user),
    displayName: user.name,
    externalCollaborator: false,
    isExternalCollaborator: false,
    profilePicture: {
      height: 48,
      isDefault: true,
      path: `/wiki/aa-avatar/${encodeURIComponent(user.accountId)}`,
      width: 48,
    },
    publicName: user.name,
    type: 'known',
  }
  if (user.emailVisible) body.email = user.email
  if (user.timeZone) body.timeZone = user.timeZone
  if (expand.includes('operations')) body.operations = [{operation: 'use', targetType: 'application'}]
  return body
}

/** Confluence v1 /user/... (Basic on the site, Bearer OAuth on the gateway). */
export const identityRoutes: Route[] = [
  {
    handler(ctx) {
      const expand = (ctx.query.get('expand') ?? '').split(',').filter(Boolean)
      return json(200, confluenceUser(currentUser(ctx), ctx, expand))
    },
    method: 'GET',
    path: '/wiki/rest/api/user/current',
  },
]
