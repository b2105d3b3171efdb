/**
 * `DEBUG=cfadmin*` request logging on stderr: one line per request attempt and per retry wait.
 * It prints the method, the URL with secret-looking query values replaced, the status, the time and
 * the retry plan. Never headers or bodies: those carry Authorization, tokens and API keys.
 */

export const HTTP_DEBUG_NAMESPACE = 'cfadmin:http'

const REDACTED = 'REDACTED'

/** Query parameters whose values are credentials. Matched on the lower-cased name. */
const SECRET_PARAMS = new Set([
  'token',
  'key',
  'secret',
  'code',
  'password',
  'access_token',
  'refresh_token',
  'client_secret',
  'code_verifier',
  'apikey',
  'api_key',
])
// Also `id_token`, `x-api-key`, `app_secret`, ... but not `keys` (Confluence space keys) or `cursor`
// (an opaque page position, not a credential, and the thing one needs to see when paging goes wrong).
const SECRET_SUFFIX = /[_-](token|secret|password|key)$/

export function isSecretParam(name: string): boolean {
  const lower = name.toLowerCase()
  return SECRET_PARAMS.has(lower) || SECRET_SUFFIX.test(lower)
}

/**
 * Whether `DEBUG` (read now, not at import) turns on cfadmin's HTTP log: `cfadmin*`, `cfadmin:*`,
 * `cfadmin:http`, `cfadmin`, `*`, or a comma/space list holding one; `-cfadmin:http` turns it off.
 */
export function httpDebugEnabled(debug: string | undefined = process.env.DEBUG): boolean {
  if (!debug) return false
  let enabled = false
  for (const pattern of debug.split(/[\s,]+/).filter(Boolean)) {
    const negated = pattern.startsWith('-')
    const glob = negated ? pattern.slice(1) : pattern
    const matches = glob === 'cfadmin' || globToRegExp(glob).test(HTTP_DEBUG_NAMESPACE)
    if (matches && negated) return false
    if (matches) enabled = true
  }
  return enabled
}

/** The URL with credentials in user-info and secret query parameters replaced; safe to print. */
export function redactUrl(input: string | URL): string {
  let url: URL
  try {
    url = new URL(String(input))
  } catch {
    return '[unparsable URL]'
  }
  if (url.username) url.username = REDACTED
  if (url.password) url.password = REDACTED
  for (const name of new Set(url.searchParams.keys())) {
    if (isSecretParam(name)) url.searchParams.set(name, REDACTED)
  }
  return url.toString()
}

/** Write one log line to stderr when the HTTP log is on. */
export function debugHttp(message: string): void {
  if (!httpDebugEnabled()) return
  process.stderr.write(`${HTTP_DEBUG_NAMESPACE} ${message}\n`)
}

function globToRegExp(glob: string): RegExp {
  const source = glob
    .split('*')
    .map((part) => part.replaceAll(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*')
  return new RegExp(`^${source}$`)
}
