import {randomUUID} from 'node:crypto'
import {STATUS_CODES} from 'node:http'

import type {ApiFamily} from './types.js'

/** Thrown by routes and helpers; the server answers it in the family's error shape. */
export class FakeHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** Admin API application error code, e.g. ADMIN-404-2 (atlassian-api.md §4b). */
    readonly code?: string,
    readonly headers: Record<string, string> = {},
    /** Admin API application error title; default the HTTP reason phrase. */
    readonly title?: string,
    /** The whole answer body, when it is not the family's usual error shape (e.g. the gateway's own `{code, message}`). */
    readonly body?: unknown,
  ) {
    super(message)
  }
}

/**
 * The error body Atlassian sends for a family (atlassian-api.md §4b, §6a, §8):
 * - Confluence (site, gateway, edge): v1 shape {statusCode, message}. The v2 API's own error shape is not in the
 *   copied specs or the doc; the fake uses the v1 shape on /wiki/api/v2 too (UNCONFIRMED that Atlassian does).
 * - Admin API: proxy errors (401, 402, 429, 5xx) {code, message}; application errors {errors: [{id, status, code, title,
 *   detail}]} (Organizations spec ApplicationError / Errors.ApplicationErrors.Model).
 * - OAuth host: {error, error_description} (§1b).
 */
export function errorBody(family: ApiFamily, status: number, message: string, code?: string, title?: string): unknown {
  switch (family) {
    case 'admin': {
      if (code === undefined && (status === 401 || status === 402 || status === 429 || status >= 500))
        return {code: status, message}
      return {
        errors: [
          {
            code: code ?? `ADMIN-${status}-1`,
            detail: message,
            id: randomUUID(),
            status: String(status),
            title: title ?? STATUS_CODES[status] ?? 'Error',
          },
        ],
      }
    }

    case 'auth': {
      return {error: code ?? (status === 401 ? 'unauthorized' : 'invalid_request'), error_description: message}
    }

    default: {
      return {message, statusCode: status}
    }
  }
}
