/**
 * What Atlassian said, read from an error answer's body: pure functions from a body (text, Buffer or parsed
 * JSON) to one short line that is safe to print. No secret handling here: callers scrub the body first.
 */
import {excerpt as safeExcerpt, terminalSafe} from '../text/safe-text.js'

const EXCERPT_LENGTH = 200

/**
 * Atlassian's message from an error body. Shapes: Confluence v1 `{statusCode, message, data?}`,
 * Confluence v2 and Admin `{errors: [{status, code, title, detail}]}`, Admin and the API gateway
 * `{code, message}`, OAuth `{error, error_description}`; anything else, e.g. an HTML error page,
 * gives a short plain-text excerpt.
 */
export function atlassianMessageFrom(body: unknown): string | undefined {
  if (body === undefined || body === null) return undefined
  if (Buffer.isBuffer(body)) return atlassianMessageFrom(body.toString('utf8'))
  if (typeof body === 'string') {
    const text = body.trim()
    if (text === '') return undefined
    if (text.startsWith('{') || text.startsWith('[')) {
      try {
        return atlassianMessageFrom(JSON.parse(text)) ?? serverExcerpt(text)
      } catch {
        return serverExcerpt(text)
      }
    }
    return serverExcerpt(/<[a-z!?/][^>]*>/i.test(text) ? htmlToText(text) : text)
  }
  if (typeof body !== 'object') return serverExcerpt(String(body))
  return messageFromJson(body as Record<string, unknown>)
}

function messageFromJson(body: Record<string, unknown>): string | undefined {
  if (Array.isArray(body.errors) && body.errors.length > 0) {
    const parts = body.errors.map((entry) => errorEntryText(entry)).filter((part): part is string => Boolean(part))
    if (parts.length > 0) return serverExcerpt([...new Set(parts)].join('; '))
  }
  if (typeof body.message === 'string' && body.message.trim() !== '')
    return serverExcerpt(stripJavaException(body.message))
  const data = body.data as {errors?: unknown} | undefined
  if (data && Array.isArray(data.errors)) {
    const parts = data.errors.map((entry) => errorEntryText(entry)).filter((part): part is string => Boolean(part))
    if (parts.length > 0) return serverExcerpt(parts.join('; '))
  }
  if (typeof body.error_description === 'string') return serverExcerpt(body.error_description)
  if (typeof body.error === 'string') return serverExcerpt(body.error)
  if (Array.isArray(body.errorMessages) && body.errorMessages.length > 0)
    return serverExcerpt(body.errorMessages.join('; '))
  return undefined
}

function errorEntryText(entry: unknown): string | undefined {
  if (typeof entry === 'string') return entry
  if (!entry || typeof entry !== 'object') return undefined
  const record = entry as Record<string, unknown>
  const title = typeof record.title === 'string' ? record.title.trim() : ''
  const detail = typeof record.detail === 'string' ? record.detail.trim() : ''
  if (title && detail) return title === detail ? title : `${title}: ${detail}`
  if (title || detail) return title || detail
  // Confluence v1 `data.errors[].message` is `{key, args, translation}`.
  const message = record.message as {translation?: unknown} | string | undefined
  if (typeof message === 'string') return message
  if (message && typeof message.translation === 'string') return message.translation
  return typeof record.code === 'string' ? record.code : undefined
}

/** "com.atlassian.confluence.api.service.exceptions.NotFoundException: No space" -> "No space". */
function stripJavaException(message: string): string {
  return message.trim().replace(/^(?:[a-z_$][\w$]*\.)+[A-Z][\w$]*(?:Exception|Error): /, '')
}

function htmlToText(html: string): string {
  const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(html)?.[1]
  const text = html
    .replaceAll(/<(script|style|head)[^>]*>[\s\S]*?<\/\1>/gi, ' ')
    .replaceAll(/<[^>]*>/g, ' ')
    .replaceAll(/&nbsp;/g, ' ')
    .replaceAll(/&lt;/g, '<')
    .replaceAll(/&gt;/g, '>')
    .replaceAll(/&quot;/g, '"')
    .replaceAll(/&#39;/g, "'")
    .replaceAll(/&amp;/g, '&')
  const body = text.replaceAll(/\s+/g, ' ').trim()
  const heading = title?.replaceAll(/\s+/g, ' ').trim()
  if (heading && !body.startsWith(heading)) return `${heading}: ${body}`
  return body
}

/** One line of at most EXCERPT_LENGTH characters, control characters escaped: what a server may put on a terminal. */
export function serverExcerpt(text: string): string | undefined {
  const oneLine = text.replaceAll(/\s+/g, ' ').trim()
  if (oneLine === '') return undefined
  return oneLine.length > EXCERPT_LENGTH ? safeExcerpt(oneLine, EXCERPT_LENGTH - 1) : terminalSafe(oneLine)
}

/** The most of an error body cfadmin reads: enough for any message Atlassian sends, bounded for one that is not. */
const BODY_READ_LIMIT = 256 * 1024

export function bodyText(body: unknown): string {
  if (body === undefined || body === null) return ''
  const text = Buffer.isBuffer(body)
    ? body.subarray(0, BODY_READ_LIMIT).toString('utf8')
    : typeof body === 'string'
      ? body
      : JSON.stringify(body)
  return text.length > BODY_READ_LIMIT ? text.slice(0, BODY_READ_LIMIT) : text
}

/** `invalid_grant` from an OAuth error body `{"error":"invalid_grant","error_description":"..."}`. */
export function oauthErrorFrom(body: unknown): string | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.isBuffer(body) ? body.toString('utf8') : String(body))
    const code = (parsed as {error?: unknown} | null)?.error
    return typeof code === 'string' && /^[a-z_]+$/.test(code) ? code : undefined
  } catch {
    return undefined
  }
}
