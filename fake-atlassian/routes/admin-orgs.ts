import {requireOrg} from '../auth.js'
import {siteHostUrl} from '../model.js'
import {json, type Route, type RouteContext} from '../router.js'
import type {FakeOrg, FakeSite} from '../types.js'
import {decodeCursor, page} from './paging.js'

/**
 * Organizations API: orgs, directories and workspaces (atlassian-api.md §1c, §3c; Organizations spec
 * getOrgs, getOrgById, queryWorkspacesV2; directories: contracts/admin-v2-extras.ts). Bearer Admin API key.
 */

const ORGS_PAGE = 100
const DEFAULT_LIMIT = 20

/** OrgModel of the Organizations spec. */
function orgModel(org: FakeOrg, ctx: RouteContext) {
  const self = `${ctx.origin}/admin/v1/orgs/${encodeURIComponent(org.id)}`
  return {
    attributes: {name: org.name},
    id: org.id,
    links: {self},
    relationships: {domains: {links: {related: `${self}/domains`}}, users: {links: {related: `${self}/users`}}},
    type: 'orgs',
  }
}

/** A Confluence site as a workspace (WorkspaceModel); its id is the resource ARI the role APIs take (§3a, §3c). */
export function siteWorkspace(site: FakeSite, ctx: RouteContext) {
  const id = `ari:cloud:confluence::site/${site.cloudId}`
  const hostUrl = siteHostUrl(ctx.state, site, ctx.origin)
  return {
    attributes: {
      avatars: {},
      capacity: null,
      createdAt: '2024-01-01T00:00:00.000Z',
      createdBy: null,
      hostUrl,
      icons: {},
      labels: [],
      name: site.name,
      owner: site.orgId,
      realm: 'us',
      regions: ['us'],
      sandbox: {type: 'NONE'},
      status: 'online',
      statusDetails: [],
      type: 'confluence',
      typeKey: 'confluence',
      updatedAt: '2024-01-01T00:00:00.000Z',
      usage: null,
    },
    id,
    links: {self: `${ctx.origin}/admin/v2/orgs/${encodeURIComponent(site.orgId)}/workspaces/${encodeURIComponent(id)}`},
    // The spec leaves the top-level type open and the doc does not give it: "workspaces" is a guess (UNCONFIRMED).
    type: 'workspaces',
  }
}

type Workspace = ReturnType<typeof siteWorkspace>

const valueAt = (w: Workspace, path: string): unknown =>
  path
    .split('.')
    .reduce<unknown>((v, key) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined), w)

/** The QueryVariants of SearchWorkspacesRequestV2: and, field (name + values), searchWorkspaces text; features and policies are no-ops here. */
function matchesQuery(query: unknown, w: Workspace): boolean {
  if (!query || typeof query !== 'object') return true
  const q = query as {
    and?: unknown[]
    field?: {name?: string; values?: string[]}
    searchWorkspaces?: unknown
    value?: unknown
  }
  if (Array.isArray(q.and)) return q.and.every((part) => matchesQuery(part, w))
  if (q.field) {
    const {name, values} = q.field
    if (!name || !Array.isArray(values) || values.length === 0) return true
    return values.includes(String(valueAt(w, name)))
  }

  const text =
    typeof q.searchWorkspaces === 'string' ? q.searchWorkspaces : typeof q.value === 'string' ? q.value : undefined
  if (text !== undefined) {
    const t = text.toLowerCase()
    return w.attributes.name.toLowerCase().includes(t) || (w.attributes.hostUrl ?? '').toLowerCase().includes(t)
  }

  return true
}

interface WorkspacesRequest {
  cursor?: string | null
  limit?: number
  query?: unknown
  sort?: {field?: string; order?: 'asc' | 'desc'}[] | null
}

export const adminOrgRoutes: Route[] = [
  {
    handler(ctx) {
      const key = ctx.principal.kind === 'admin-key' ? ctx.principal.key : undefined
      const orgs = ctx.state.orgs.filter((o) => key?.orgIds.includes(o.id))
      const cursor = ctx.query.get('cursor')
      const offset = cursor ? decodeCursor(cursor).offset : 0
      const {items, next} = page(orgs, offset, ORGS_PAGE)
      // v1 pages give links.next as a URL (atlassian-api.md §8).
      const links = next ? {next: `${ctx.origin}/admin/v1/orgs?cursor=${next}`} : {}
      return json(200, {data: items.map((o) => orgModel(o, ctx)), links})
    },
    method: 'GET',
    path: '/admin/v1/orgs',
  },
  {
    handler(ctx) {
      return json(200, {data: orgModel(requireOrg(ctx, ctx.params.orgId), ctx)})
    },
    method: 'GET',
    path: '/admin/v1/orgs/{orgId}',
  },
  {
    handler(ctx) {
      const org = requireOrg(ctx, ctx.params.orgId)
      type Filter = {accountId?: string; directoryIds?: string[]; searchTerm?: string; limit: number; offset: number}
      const cursor = ctx.query.get('cursor')
      // With a cursor every other parameter is discarded (jira.js getDirectoriesForOrg): the cursor carries them.
      const filter: Filter = cursor
        ? decodeCursor<Filter>(cursor)
        : {
            accountId: ctx.query.get('accountId') ?? undefined,
            directoryIds: ctx.query
              .getAll('directoryIds')
              .flatMap((v) => v.split(','))
              .filter(Boolean),
            limit: Number(ctx.query.get('limit') ?? DEFAULT_LIMIT),
            offset: 0,
            searchTerm: ctx.query.get('searchTerm') ?? undefined,
          }
      const member = filter.accountId ? ctx.state.users.find((u) => u.accountId === filter.accountId) : undefined
      const directories = ctx.state.directories.filter(
        (d) =>
          d.orgId === org.id &&
          (!filter.directoryIds?.length || filter.directoryIds.includes(d.id)) &&
          (!filter.searchTerm || d.name.toLowerCase().includes(filter.searchTerm.toLowerCase())) &&
          (!filter.accountId || member?.directoryId === d.id),
      )
      const {items, next} = page(directories, filter.offset, filter.limit, {...filter, offset: undefined})
      return json(200, {data: items.map((d) => ({directoryId: d.id, name: d.name})), links: next ? {next} : {}})
    },
    method: 'GET',
    path: '/admin/v2/orgs/{orgId}/directories',
  },
  {
    handler(ctx) {
      const org = requireOrg(ctx, ctx.params.orgId)
      const body = (ctx.body ?? {}) as WorkspacesRequest
      // Spec, SearchWorkspacesRequestV2.cursor: "When a cursor is provided in the request body, no other properties may be present."
      if (body.cursor && Object.keys(body).some((k) => k !== 'cursor')) {
        throw ctx.offContract(
          `POST ${ctx.path}: a body with "cursor" may hold no other property (SearchWorkspacesRequestV2)`,
          'ADMIN-400-24',
        )
      }

      const request: WorkspacesRequest & {offset: number} = body.cursor
        ? decodeCursor<WorkspacesRequest & {offset: number}>(body.cursor)
        : {...body, offset: 0}
      const limit = request.limit ?? DEFAULT_LIMIT
      const workspaces = ctx.state.sites
        .filter((s) => s.orgId === org.id)
        .map((s) => siteWorkspace(s, ctx))
        .filter((w) => matchesQuery(request.query, w))
      for (const {field, order} of [...(request.sort ?? [])].reverse()) {
        if (!field) continue
        const sign = order === 'desc' ? -1 : 1
        workspaces.sort((a, b) => sign * String(valueAt(a, field) ?? '').localeCompare(String(valueAt(b, field) ?? '')))
      }

      const {items, next} = page(workspaces, request.offset, limit, {limit, query: request.query, sort: request.sort})
      return json(200, {
        data: items,
        links: next ? {next} : {},
        meta: {
          endIndex: request.offset + items.length,
          pageSize: limit,
          startIndex: request.offset,
          total: workspaces.length,
        },
      })
    },
    method: 'POST',
    path: '/admin/v2/orgs/{orgId}/workspaces',
  },
]
