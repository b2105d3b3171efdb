import {createHttpClient} from '../http/client.js'

/** A site an OAuth grant covers; `id` is its cloud ID (atlassian-api.md §1b). */
export interface AccessibleSite {
  id: string
  name: string
  url: string
  scopes: string[]
}

/** GET <apiUrl>/oauth/token/accessible-resources: the sites the user consented to for this app. */
export async function listAccessibleSites(apiUrl: string, accessToken: string): Promise<AccessibleSite[]> {
  const client = await createHttpClient({
    baseUrl: apiUrl,
    credentials: {authorization: async () => `Bearer ${accessToken}`},
    family: 'gateway',
  })
  const body = await client.get('oauth/token/accessible-resources').json<unknown>()
  if (!Array.isArray(body)) return []
  return body
    .filter(
      (r): r is Record<string, unknown> =>
        typeof r === 'object' && r !== null && typeof (r as {id?: unknown}).id === 'string',
    )
    .map((r) => ({
      id: r.id as string,
      name: typeof r.name === 'string' ? r.name : (r.id as string),
      scopes: Array.isArray(r.scopes) ? r.scopes.filter((s): s is string => typeof s === 'string') : [],
      url: typeof r.url === 'string' ? r.url.replace(/\/+$/, '') : '',
    }))
}
