import type {Got} from 'got'

import {badInput} from '../errors.js'

/** The site's cloud ID, from GET <site>/_edge/tenant_info (no authentication; atlassian-api.md §1d). */
export async function getCloudId(site: Got): Promise<string> {
  const body = await site.get('_edge/tenant_info').json<{cloudId?: string}>()
  if (typeof body?.cloudId !== 'string' || body.cloudId === '') {
    throw badInput(
      'SITE_NOT_ATLASSIAN',
      'The site answered GET /_edge/tenant_info without a cloud ID: it does not look like an Atlassian Cloud site.',
      'Check the site URL (as in https://<site>.atlassian.net).',
    )
  }

  return body.cloudId
}

export interface CurrentUser {
  accountId: string
  displayName: string
  email?: string
}

/** Who the site credential belongs to: GET /wiki/rest/api/user/current (Confluence v1). */
export async function getCurrentUser(site: Got): Promise<CurrentUser> {
  const body = await site
    .get('wiki/rest/api/user/current')
    .json<{accountId: string; displayName?: string; publicName?: string; email?: string}>()
  return {
    accountId: body.accountId,
    displayName: body.displayName ?? body.publicName ?? body.accountId,
    email: body.email,
  }
}
