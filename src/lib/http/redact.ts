/**
 * Redaction, in one place: which query parameters and body fields hold credentials, URLs made safe to print,
 * and the secret values of a request (Authorization, query, body) cut out of any text a server sends back.
 */

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

/**
 * Values that must never appear in an error or a log: the Authorization header (whole, its credential
 * part, and for Basic the decoded "email:token" and token), and secret query parameter values.
 */
export function secretsOf(authorization: unknown, url: URL | string | undefined, body?: unknown): string[] {
  const secrets: string[] = bodySecrets(body)
  if (typeof authorization === 'string' && authorization.trim() !== '') {
    const value = authorization.trim()
    secrets.push(value)
    const [scheme, ...rest] = value.split(/\s+/)
    const credential = rest.join(' ')
    if (credential) {
      secrets.push(credential)
      if (scheme.toLowerCase() === 'basic') {
        const decoded = Buffer.from(credential, 'base64').toString('utf8')
        const colon = decoded.indexOf(':')
        if (colon > 0) secrets.push(decoded, decoded.slice(colon + 1))
      }
    }
  }
  if (url !== undefined) {
    try {
      for (const [name, value] of new URL(String(url)).searchParams) {
        if (isSecretParam(name)) secrets.push(value)
      }
    } catch {
      // Not a URL: nothing to collect.
    }
  }
  // As they may be echoed: plain, URL-encoded (a form body, a query) and JSON-escaped.
  const spellings = secrets.flatMap((secret) => [
    secret,
    encodeURIComponent(secret),
    JSON.stringify(secret).slice(1, -1),
  ])
  // Longest first, so a token inside the whole header value is not half-replaced; tiny values would
  // redact ordinary words.
  return [...new Set(spellings)].filter((secret) => secret.length >= 6).sort((a, b) => b.length - a.length)
}

/**
 * Body fields whose values are credentials. Narrower than the query's list: a body's `key` is a space key or a
 * permission, which an error must be able to name.
 */
const BODY_SECRET = /^(?:token|code|code_verifier|client_secret|password|.*[_-](?:token|secret|password))$/i

/**
 * The secret values a request body carries: the OAuth token request's client_secret, code, code_verifier,
 * refresh_token (and any *_token, *_secret, *_key, password field), from a JSON object, a form, or their text.
 */
function bodySecrets(body: unknown, depth = 0): string[] {
  if (body === undefined || body === null || depth > 3) return []
  if (typeof body === 'string' || Buffer.isBuffer(body)) {
    const text = body.toString().trim()
    if (text.startsWith('{')) {
      try {
        return bodySecrets(JSON.parse(text), depth + 1)
      } catch {
        return []
      }
    }
    return [...new URLSearchParams(text)].filter(([name]) => BODY_SECRET.test(name)).map(([, value]) => value)
  }
  if (body instanceof URLSearchParams)
    return [...body].filter(([name]) => BODY_SECRET.test(name)).map(([, value]) => value)
  if (typeof body !== 'object') return []
  return Object.entries(body as Record<string, unknown>).flatMap(([name, value]) => {
    if (typeof value === 'string') return BODY_SECRET.test(name) ? [value] : []
    return typeof value === 'object' ? bodySecrets(value, depth + 1) : []
  })
}

export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let result = text
  for (const secret of secrets) result = result.split(secret).join('[REDACTED]')
  return result
}
