/**
 * Text that came from outside (files, Atlassian, the command line) on its way to a person: control
 * characters shown as escapes so they cannot retitle or clear a terminal, and long text cut to a short
 * excerpt so an error never carries a whole file or a hostile server's megabyte.
 */

// C0 controls, DEL, C1 controls, and the Unicode line and paragraph separators and bidi overrides.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069]/g

/** `text` with every control character (newlines and tabs included) written as `\n`, `\t` or `\u001b`. */
export function terminalSafe(text: string): string {
  return text.replace(CONTROL, (c) => {
    if (c === '\n') return '\\n'
    if (c === '\r') return '\\r'
    if (c === '\t') return '\\t'
    return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`
  })
}

/** Like terminalSafe, but keeps line breaks: for multi-line messages whose lines are ours. */
export function terminalSafeLines(text: string): string {
  return text.split('\n').map(terminalSafe).join('\n')
}

export const EXCERPT_LENGTH = 60

/** At most `max` characters of `text`, escaped, with "…" when it was cut: the most an error may quote. */
export function excerpt(text: string, max = EXCERPT_LENGTH): string {
  const chars = Array.from(text.length > max * 2 ? text.slice(0, max * 2) : text)
  const cut = chars.length > max
  return terminalSafe(chars.slice(0, max).join('')) + (cut ? '…' : '')
}

/** The longest message cfadmin prints from a server or a file; past it, the rest is cut. */
export const MESSAGE_LIMIT = 500

/** A message from outside, escaped and cut to MESSAGE_LIMIT characters. */
export function boundedMessage(text: string, max = MESSAGE_LIMIT): string {
  return excerpt(text, max)
}
