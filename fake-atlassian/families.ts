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
