import type {Got} from 'got'

import {paginateAdmin} from '../http/paginate.js'

export interface Org {
  id: string
  name: string
}

/** The organizations an Admin API key can see: GET /admin/v1/orgs (Organizations API). */
export async function listOrgs(admin: Got): Promise<Org[]> {
  const orgs: Org[] = []
  for await (const org of paginateAdmin<{id: string; attributes?: {name?: string}}>(admin, 'v1/orgs')) {
    orgs.push({id: org.id, name: org.attributes?.name ?? org.id})
  }

  return orgs
}

export interface Directory {
  id: string
  name: string
}

/**
 * The organization's user directories: GET /admin/v2/orgs/{orgId}/directories (atlassian-api.md §1c).
 * The body is not in the copied specs; `directoryId` or `id` are both accepted (UNCONFIRMED shape).
 */
export async function listDirectories(admin: Got, orgId: string): Promise<Directory[]> {
  const directories: Directory[] = []
  for await (const d of paginateAdmin<{directoryId?: string; id?: string; name?: string}>(
    admin,
    `v2/orgs/${encodeURIComponent(orgId)}/directories`,
  )) {
    const id = d.directoryId ?? d.id
    if (id) directories.push({id, name: d.name ?? id})
  }

  return directories
}

export interface Workspace {
  /** The resource ARI, e.g. ari:cloud:confluence::site/<cloudId>. */
  id: string
  name?: string
  hostUrl?: string
  type?: string
}

/** The organization's Confluence sites: POST /admin/v2/orgs/{orgId}/workspaces filtered by type (§3c). */
export async function listConfluenceWorkspaces(admin: Got, orgId: string): Promise<Workspace[]> {
  const workspaces: Workspace[] = []
  const json = {limit: 100, query: {and: [{field: {name: 'attributes.type', values: ['confluence']}}]}}
  for await (const w of paginateAdmin<{id: string; attributes?: {name?: string; hostUrl?: string; type?: string}}>(
    admin,
    `v2/orgs/${encodeURIComponent(orgId)}/workspaces`,
    {cursorOnly: true, json, method: 'POST'},
  )) {
    workspaces.push({hostUrl: w.attributes?.hostUrl, id: w.id, name: w.attributes?.name, type: w.attributes?.type})
  }

  return workspaces
}

/** The ARI Atlassian's role APIs take for a Confluence site. */
export const confluenceSiteAri = (cloudId: string) => `ari:cloud:confluence::site/${cloudId}`
