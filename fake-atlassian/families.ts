import type {ApiFamily} from './types.js'

export interface Classified {
  family: ApiFamily
  /** The path routes and specs see: for the gateway, without /ex/confluence/{cloudId}. */
  apiPath: string
  /** The gateway's {cloudId}. */
  cloudId?: string
}

const under = (path: string, root: string) => path === root || path.startsWith(`${root}/`)

/**
 * One origin serves what Atlassian spreads over three hosts: the site (https://<site>.atlassian.net: /wiki,
 * /_edge), api.atlassian.com (/admin, /ex/confluence/{cloudId}, /oauth/token/accessible-resources) and
 * auth.atlassian.com (/authorize, /oauth/token). Their paths do not overlap, so the path alone picks the family.
 */
export function classify(pathname: string): Classified {
  if (under(pathname, '/_edge')) return {apiPath: pathname, family: 'edge'}
  if (under(pathname, '/wiki')) return {apiPath: pathname, family: 'site'}
  const gateway = /^\/ex\/confluence\/([^/]+)(\/.*)?$/.exec(pathname)
  if (gateway) return {apiPath: gateway[2] ?? '/', cloudId: decodeURIComponent(gateway[1]), family: 'gateway'}
  if (under(pathname, '/admin')) return {apiPath: pathname, family: 'admin'}
  if (pathname === '/authorize' || under(pathname, '/oauth')) return {apiPath: pathname, family: 'auth'}
  return {apiPath: pathname, family: 'other'}
}

/** The OAuth path that lives on api.atlassian.com, not on auth.atlassian.com. */
const ACCESSIBLE_RESOURCES = '/oauth/token/accessible-resources'

/**
 * Whether Atlassian's real host serves what classify() found at a path: api.atlassian.com the Admin API, the gateway
 * and accessible-resources; auth.atlassian.com the rest of OAuth; any other host is a site (its address is the
 * user's: <name>.atlassian.net or a custom domain), serving /wiki and /_edge. For clients of the real hosts (nock
 * tests); the fake itself serves every family on one origin.
 */
export function servedByHost(hostname: string, {apiPath, family}: Classified): boolean {
  if (hostname === 'api.atlassian.com')
    return family === 'admin' || family === 'gateway' || (family === 'auth' && apiPath === ACCESSIBLE_RESOURCES)
  if (hostname === 'auth.atlassian.com') return family === 'auth' && apiPath !== ACCESSIBLE_RESOURCES
  return family === 'site' || family === 'edge'
}
