/** The browser half of Atlassian's 3LO (atlassian-api.md §1b): where to send the user, and where they come back. */
import {randomBytes} from 'node:crypto'

import {badInput} from '../errors.js'
import {excerpt} from '../text/safe-text.js'

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

/** The longest --callback-path accepted: far more than any app's settings hold. */
export const CALLBACK_PATH_LIMIT = 200

/**
 * `--callback-path` as the loopback server compares it with what the browser asks for: a leading "/" added,
 * and refused (exit 2) when the browser could never come back to it unchanged: a query or fragment (Atlassian
 * appends its own query, and the browser never sends a fragment), spaces, control characters, "." or ".."
 * segments, or characters a URL would rewrite.
 */
export function callbackPath(text: string): string {
  const path = text.startsWith('/') ? text : `/${text}`
  const refuse = (why: string) =>
    badInput(
      'CALLBACK_PATH_INVALID',
      `--callback-path "${excerpt(text)}" ${why}.`,
      'Give the path of the callback URL registered in the app, without ? or #: for http://localhost:13131/callback that is --callback-path /callback.',
    )
  if (text.length > CALLBACK_PATH_LIMIT) throw refuse(`is longer than ${CALLBACK_PATH_LIMIT} characters`)
  if (path.includes('?') || path.includes('#'))
    throw refuse('cannot have a query (?) or a fragment (#): Atlassian adds its own query to the callback URL')
  if (/[\s\\]/.test(path)) throw refuse('cannot hold spaces or backslashes')
  if (path.startsWith('//')) throw refuse('cannot start with //')
  if (new URL(path, 'http://localhost').pathname !== path)
    throw refuse(
      'is not written the way a browser sends it (a "." or ".." segment, a control character, or another character that needs %-encoding)',
    )
  return path
}
