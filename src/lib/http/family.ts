/**
 * The four Atlassian API families cfadmin talks to, and how each is named to a user. A leaf module: the client,
 * its error mapping and its errors all name families, and none of them needs the others for it.
 */
export type ApiFamily = 'site' | 'gateway' | 'admin' | 'auth'

export const FAMILY_LABEL: Readonly<Record<ApiFamily, string>> = {
  site: 'Confluence',
  gateway: 'Confluence (via api.atlassian.com)',
  admin: 'The Atlassian Admin API',
  auth: 'Atlassian OAuth (auth.atlassian.com)',
}
