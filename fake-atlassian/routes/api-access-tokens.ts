import {requireOrg} from '../auth.js'
import {expired} from '../credential-dates.js'
import {FakeHttpError} from '../errors.js'
import {orgDirectories} from '../model.js'
import {json, type Route, type RouteContext} from '../router.js'
import type {FakeOrg} from '../types.js'
import {decodeCursor, page} from './paging.js'

/**
 * The Admin "API access" API's listings (atlassian-2026.md §4d; contracts/admin-v2-extras.ts): the org's user API
 * tokens (read:tokens:admin) and Admin API keys (read:keys:admin), each with `expiresAt` and `lastActiveAt`, cursor
 * paging with `links.next`. A key "with scopes" that lacks the scope gets 403.
 */

const DEFAULT_LIMIT = 20

function requireKeyScope(ctx: RouteContext, scope: string): void {
  const p = ctx.principal
  if (p.kind === 'admin-key' && p.key.scopes && !p.key.scopes.includes(scope))
    throw new FakeHttpError(403, `The API key lacks the scope ${scope}`, 'ADMIN-403-1', {}, 'Forbidden')
}

/** Where the page starts: the cursor, else the first page with `limit`. */
function position(ctx: RouteContext): {offset: number; limit: number} {
  const cursor = ctx.query.get('cursor')
  if (cursor) return decodeCursor<{offset: number; limit: number}>(cursor)
  return {limit: Number(ctx.query.get('limit') ?? DEFAULT_LIMIT), offset: 0}
}

const status = (expiresAt: string | undefined, ctx: RouteContext) =>
  expired(expiresAt, ctx.now()) ? 'EXPIRED' : 'ALLOWED'

function tokensOf(ctx: RouteContext, org: FakeOrg) {
  const directories = new Set(orgDirectories(ctx.state, org.id).map((d) => d.id))
  return ctx.state.apiTokenRecords.flatMap((r) => {
    const user = ctx.state.users.find((u) => u.accountId === r.accountId)
    if (!user || !directories.has(user.directoryId)) return []
    return [
      {
        createdAt: r.createdAt,
        expiresAt: r.expiresAt,
        id: r.id,
        label: r.label,
        ...(r.lastActiveAt ? {lastActiveAt: r.lastActiveAt} : {}),
        status: status(r.expiresAt, ctx),
        user: {email: user.email, id: user.accountId, name: user.name, orgId: org.id},
      },
    ]
  })
}

function keysOf(ctx: RouteContext, org: FakeOrg) {
  return ctx.state.adminKeys
    .filter((k) => k.orgIds.includes(org.id))
    .map((k) => {
      const creator = k.createdBy ? ctx.state.users.find((u) => u.accountId === k.createdBy) : undefined
      return {
        createdAt: k.createdAt,
        ...(creator ? {createdBy: {email: creator.email, id: creator.accountId, name: creator.name}} : {}),
        expiresAt: k.expiresAt,
        id: k.id,
        ...(k.lastActiveAt ? {lastActiveAt: k.lastActiveAt} : {}),
        name: k.name,
        status: status(k.expiresAt, ctx),
      }
    })
}

function listing(scope: string, items: (ctx: RouteContext, org: FakeOrg) => unknown[]) {
  return (ctx: RouteContext) => {
    const org = requireOrg(ctx, ctx.params.orgId)
    requireKeyScope(ctx, scope)
    const at = position(ctx)
    const result = page(items(ctx, org), at.offset, at.limit, {limit: at.limit})
    return json(200, {data: result.items, links: result.next ? {next: result.next} : {}})
  }
}

export const apiAccessTokenRoutes: Route[] = [
  {
    handler: listing('read:tokens:admin', tokensOf),
    method: 'GET',
    path: '/admin/api-access/v1/orgs/{orgId}/api-tokens',
  },
  {handler: listing('read:keys:admin', keysOf), method: 'GET', path: '/admin/api-access/v1/orgs/{orgId}/api-keys'},
]
