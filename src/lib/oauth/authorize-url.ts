/** The browser half of Atlassian's 3LO (atlassian-api.md §1b): where to send the user, and where they come back. */
import {randomBytes} from 'node:crypto'

export interface AuthorizeRequest {
  /** The OAuth host: https://auth.atlassian.com (CFADMIN_AUTH_URL). */
  authUrl: string
  clientId: string
  scopes: readonly string[]
  redirectUri: string
  state: string
}

/**
 * GET <authUrl>/authorize with every parameter Atlassian asks for: audience and prompt=consent too, which
 * some of its pages leave out but its token endpoint expects (§1b). No PKCE: Atlassian's 3LO has none.
 */
export function authorizeUrl(request: AuthorizeRequest): string {
  const url = new URL('/authorize', request.authUrl)
  url.search = new URLSearchParams({
    audience: 'api.atlassian.com',
    client_id: request.clientId,
    scope: request.scopes.join(' '),
    redirect_uri: request.redirectUri,
    state: request.state,
    response_type: 'code',
    prompt: 'consent',
  }).toString()
  return url.toString()
}

/** An unguessable value binding the browser's answer to this login (192 random bits). */
export function newState(): string {
  return randomBytes(24).toString('base64url')
}

/**
 * The callback URL as the app's settings must list it: http://localhost:13131 for port 13131 and path "/"
 * (written without the trailing slash, the way the connector guides write it), http://localhost/cb for port 80.
 */
export function loopbackRedirectUri(port: number, path: string): string {
  const host = port === 80 ? 'localhost' : `localhost:${port}`
  const suffix = path === '/' || path === '' ? '' : path.startsWith('/') ? path : `/${path}`
  return `http://${host}${suffix}`
}
