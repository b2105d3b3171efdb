import {FakeHttpError} from '../errors.js'

/** Opaque cursors for Admin API v2 pages: base64url JSON of where the next page starts (and what was asked). */
export function encodeCursor(value: {offset: number; [key: string]: unknown}): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url')
}

export function decodeCursor<T extends {offset: number}>(cursor: string, family: 'admin' | 'confluence' = 'admin'): T {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as T
    if (typeof value?.offset === 'number' && value.offset >= 0) return value
  } catch {
    // fall through to the error
  }

  throw new FakeHttpError(400, `Invalid page cursor: ${cursor}`, family === 'admin' ? 'ADMIN-400-1' : undefined)
}

/** One page of `items` from `offset`; `next` is the cursor of the following page, if any. */
export function page<T>(
  items: T[],
  offset: number,
  limit: number,
  rest: Record<string, unknown> = {},
): {items: T[]; next?: string} {
  const slice = items.slice(offset, offset + limit)
  const end = offset + slice.length
  return {items: slice, next: end < items.length ? encodeCursor({...rest, offset: end}) : undefined}
}
