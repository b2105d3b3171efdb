import {requireOrg} from '../auth.js'
import {FakeHttpError} from '../errors.js'
import {orgOfUser} from '../model.js'
import {json, type Route} from '../router.js'
import {decodeCursor, page} from './paging.js'

/**
 * Admin "API access" API (atlassian-2026.md §4b, experimental): the org's service accounts. Bearer Admin API key of the
 * org (404 ADMIN-404-2 otherwise); `behaviour.serviceAccountListing` refuses it as for a key without
 * read:service-accounts:admin. Body UNCONFIRMED: `{data: [{id, name, email, description?, status, accountType}],
 * links: {next?}}`, cursor paging like the other Admin API v2 lists.
 */

const DEFAULT_LIMIT = 50

export const apiAccessServiceAccountRoutes: Route[] = [
  {
    handler(ctx) {
      const org = requireOrg(ctx, ctx.params.orgId)
      const refusal = ctx.state.behaviour.serviceAccountListing
      if (refusal === 401) throw new FakeHttpError(401, 'Unauthorized; scope does not match')
      if (refusal === 403)
        throw new FakeHttpError(403, 'The API key is missing the scope read:service-accounts:admin', 'ADMIN-403-1')
      if (refusal === 404) throw new FakeHttpError(404, 'Not found', 'ADMIN-404-1')
      const cursor = ctx.query.get('cursor')
      const offset = cursor ? decodeCursor(cursor).offset : 0
      const limit = Number(ctx.query.get('limit') ?? DEFAULT_LIMIT)
      const accounts = ctx.state.users.filter((u) => u.serviceAccount && orgOfUser(ctx.state, u) === org.id)
      const {items, next} = page(accounts, offset, limit)
      return json(200, {
        data: items.map((u) => ({
          accountType: u.accountType ?? ctx.state.behaviour.serviceAccountType,
          ...(u.description === undefined ? {} : {description: u.description}),
          email: u.email,
          id: u.accountId,
          name: u.name,
          status: u.status,
        })),
        links: next ? {next} : {},
      })
    },
    method: 'GET',
    path: '/admin/api-access/v1/orgs/{orgId}/service-accounts',
  },
]
