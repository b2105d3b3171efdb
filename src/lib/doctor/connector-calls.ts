/**
 * Check 4: the read-only API calls each connector makes (docs/connectors.md), per scope preset
 * (oauth/scope-presets.ts), each sent once with the connector's credential. The scopes each needs come from the
 * official documents (oauth/endpoint-scopes.ts); a refusal names the missing scope (OAUTH_SCOPE_MISSING) or
 * permission (403). Only GETs: doctor never changes anything.
 */
import {ENDPOINT_SCOPES} from '../oauth/endpoint-scopes.js'
import {CfadminError} from '../errors.js'
import {isAtlassianError} from '../http/errors.js'
import type {CheckResult, DoctorContext} from './check.js'
import {isUnreachable, messageOf} from './credential.js'

/** The ids a call's path or query takes from earlier answers. */
type Slot = 'accountId' | 'pageId' | 'spaceId'

export interface ConnectorCall {
  name: string
  /** What the connector does with it. */
  purpose: string
  method: 'GET'
  /** As documented (the key of ENDPOINT_SCOPES), with {id}-style slots. */
  endpoint: string
  /** The path sent, relative to the API root, with slots filled from `fill`. */
  path: string
  query?: Record<string, string>
  /** Which slot fills each {name} of `path` and `query` values. */
  fill?: Partial<Record<string, Slot>>
}

const CALLS = {
  'list-spaces': {
    method: 'GET',
    path: 'wiki/api/v2/spaces',
    purpose: 'list the spaces to crawl',
    query: {limit: '250', status: 'current'},
  },
  'space-permissions': {
    fill: {id: 'spaceId'},
    method: 'GET',
    path: 'wiki/api/v2/spaces/{id}/permissions',
    purpose: "read a space's permissions (who may see its pages), for the first space listed",
    query: {limit: '25'},
  },
  'space-pages': {
    fill: {id: 'spaceId'},
    method: 'GET',
    path: 'wiki/api/v2/spaces/{id}/pages',
    purpose: 'read the pages of one space (the first listed)',
    query: {limit: '25'},
  },
  'page-restrictions': {
    fill: {id: 'pageId'},
    method: 'GET',
    path: 'wiki/rest/api/content/{id}/restriction/byOperation',
    purpose: "read a page's restrictions (who may read it), for the first page read",
  },
  'current-user': {
    method: 'GET',
    path: 'wiki/rest/api/user/current',
    purpose: 'read whose the credential is',
  },
  user: {
    fill: {accountId: 'accountId'},
    method: 'GET',
    path: 'wiki/rest/api/user',
    purpose: "resolve a user (account ID to name and email), for the credential's own account",
    query: {accountId: '{accountId}'},
  },
  'user-groups': {
    fill: {accountId: 'accountId'},
    method: 'GET',
    path: 'wiki/rest/api/user/memberof',
    purpose: "read a user's groups, for the credential's own account",
    query: {accountId: '{accountId}'},
  },
  groups: {
    method: 'GET',
    path: 'wiki/rest/api/group',
    purpose: 'list the groups (to map group permissions)',
    query: {limit: '25'},
  },
  'space-role-mode': {
    method: 'GET',
    path: 'wiki/api/v2/space-role-mode',
    purpose: "read the site's configuration (space roles or classic permissions)",
  },
} as const satisfies Record<string, Omit<ConnectorCall, 'name' | 'endpoint'>>

export type CallName = keyof typeof CALLS

/**
 * What each preset's connector reads, as calls of CALLS, in the order it makes them; CRAWL is a crawler's reading of
 * the spaces, their pages, restrictions and permissions, and the users and groups they name. kore writes pages (its only
 * scope is write:confluence-content): doctor sends no write, so only the credential check covers it.
 */
const CRAWL: readonly CallName[] = [
  'list-spaces',
  'space-pages',
  'page-restrictions',
  'space-permissions',
  'user',
  'user-groups',
  'groups',
]

export const CONNECTOR_CALLS: Readonly<Record<string, readonly CallName[]>> = {
  admin: ['list-spaces', 'space-permissions', 'groups', 'space-role-mode'],
  'amazon-q': ['current-user', ...CRAWL],
  crawler: CRAWL,
  kore: [],
  'read-all': ['current-user', ...CRAWL, 'space-role-mode'],
  'snow-atlas': ['current-user', 'space-role-mode'],
}

/** A call of CALLS, with its name and its documented endpoint (the method and the path as written). */
export function callOf(name: CallName): ConnectorCall {
  const call: Omit<ConnectorCall, 'name' | 'endpoint'> = CALLS[name]
  return {...call, endpoint: `${call.method} /${call.path}`, name}
}

/** The scopes the official documents list for a call, as a sentence part: "read:space:confluence". */
export function scopesOf(call: ConnectorCall): string {
  const entry = ENDPOINT_SCOPES[call.endpoint]
  if (!entry) return 'scopes not documented'
  const main = entry.scopes.length > 0 ? entry.scopes.join(' ') : 'no scope'
  return entry.beta && entry.beta.length > 0 ? `${main} (or ${entry.beta.join(' ')})` : main
}

/** The call's path and query with its slots filled; undefined when an id it needs is not known. */
export function fillCall(
  call: ConnectorCall,
  ids: Partial<Record<Slot, string>>,
): {path: string; query: Record<string, string>} | undefined {
  const value = (name: string): string | undefined => {
    const slot = call.fill?.[name]
    return slot ? ids[slot] : undefined
  }

  let missing = false
  const fillText = (text: string) =>
    text.replaceAll(/\{(\w+)\}/g, (_all, name: string) => {
      const found = value(name)
      if (found === undefined) missing = true
      return encodeURIComponent(found ?? '')
    })
  const path = fillText(call.path)
  const query: Record<string, string> = {}
  for (const [key, text] of Object.entries(call.query ?? {}))
    query[key] = text.replaceAll(/\{(\w+)\}/g, (_all, name: string) => {
      const found = value(name)
      if (found === undefined) missing = true
      return found ?? ''
    })
  return missing ? undefined : {path, query}
}

export async function checkConnectorCalls(context: DoctorContext): Promise<CheckResult[]> {
  const names = CONNECTOR_CALLS[context.preset] ?? []
  if (context.unusable) return []
  const results: CheckResult[] = []
  for (const name of names) {
    const call = callOf(name)
    const title = `${call.method} ${call.endpoint.replace(/^GET /, '')}: ${call.purpose} [needs ${scopesOf(call)}]`
    const id = `call:${name}`
    if (context.noConfluenceAccess) {
      results.push({id, reason: 'Not sent: the account has no Confluence access.', status: 'fail', title})
      continue
    }

    const filled = fillCall(call, {
      accountId: context.me?.accountId,
      pageId: context.pageId,
      spaceId: context.spaces?.[0]?.id,
    })
    if (!filled) {
      const slots = Object.values(call.fill ?? {})
      const why = slots.includes('spaceId')
        ? 'no space was listed'
        : slots.includes('pageId')
          ? 'no page was read (the first space listed has none the credential can read)'
          : 'whose the credential is is unknown'
      results.push({id, reason: `Not sent: ${why}.`, status: 'warn', title})
      continue
    }

    results.push(await send(context, call, filled, {id, title}))
  }

  return results
}

async function send(
  context: DoctorContext,
  call: ConnectorCall,
  filled: {path: string; query: Record<string, string>},
  line: {id: string; title: string},
): Promise<CheckResult> {
  try {
    const body = await context.site.get(filled.path, {searchParams: filled.query}).json<{results?: unknown}>()
    if (call.name === 'list-spaces' && !context.spaces) {
      const results = Array.isArray(body.results) ? (body.results as Array<{id?: unknown; key?: unknown}>) : []
      context.spaces = results
        .filter((s) => s.id !== undefined && typeof s.key === 'string')
        .map((s) => ({id: String(s.id), key: String(s.key), name: '', status: 'current', type: ''}))
    }

    if (call.name === 'space-pages' && context.pageId === undefined) {
      const first = Array.isArray(body.results) ? (body.results[0] as {id?: unknown} | undefined) : undefined
      if (typeof first?.id === 'string' || typeof first?.id === 'number') context.pageId = String(first.id)
    }

    return {...line, reason: 'Answered.', status: 'ok'}
  } catch (error) {
    if (isUnreachable(error)) throw error
    const fix = error instanceof CfadminError ? error.hint : undefined
    if (isAtlassianError(error, 403) && error.code === 'HTTP_403')
      return {...line, fix, reason: `Refused for a missing permission (403): ${messageOf(error)}`, status: 'fail'}
    return {...line, fix, reason: messageOf(error), status: 'fail'}
  }
}
