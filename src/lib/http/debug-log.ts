/**
 * `DEBUG=cfadmin*` request logging on stderr: one line per request attempt and per retry wait.
 * It prints the method, the URL with secret-looking query values replaced, the status, the time and
 * the retry plan. Never headers or bodies: those carry Authorization, tokens and API keys. Callers make URLs
 * safe with redactUrl (redact.ts) before they are logged.
 */

export const HTTP_DEBUG_NAMESPACE = 'cfadmin:http'

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
