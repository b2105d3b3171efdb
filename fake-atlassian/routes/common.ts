import {FakeHttpError} from '../errors.js'
import type {RouteContext} from '../router.js'
import type {FakeGroup} from '../types.js'

/**
 * Confluence v1 error messages, in the `{statusCode, message}` shape with the exception class first, as Atlassian
 * words them (atlassian-api.md §6a: e.g. "com.atlassian.confluence.api.service.exceptions.PermissionException: User
 * isn't authorized to modify permissions."). The exact texts are UNCONFIRMED except where noted; each lives here once.
 */
const EXCEPTIONS = 'com.atlassian.confluence.api.service.exceptions'
export const confluenceMessages = {
  /** §6a, spec text of addPermissionToSpace 400; wording UNCONFIRMED. */
  permissionAlreadyExists: `${EXCEPTIONS}.BadRequestException: Permission already exists for the given user or group`,
  /** §6a, spec text; wording UNCONFIRMED. */
  noGroupFound: `${EXCEPTIONS}.BadRequestException: No group found with the given groupName or groupId`,
  /** §6a, spec text; wording UNCONFIRMED. */
  readSpaceMissing: `${EXCEPTIONS}.BadRequestException: 'read space' permission doesn't exist for the given user or group`,
  /** §6a, quoted from a community thread. */
  notSpaceAdmin: `${EXCEPTIONS}.PermissionException: User isn't authorized to modify permissions.`,
  noUserFound: (accountId: string) =>
    `${EXCEPTIONS}.BadRequestException: No user found with the given accountId: ${accountId}`,
  invalidOperation: (key: string, target: string) =>
    `${EXCEPTIONS}.BadRequestException: Invalid space permission: ${key} ${target}`,
  noSpace: (key: string) => `${EXCEPTIONS}.NotFoundException: No space with key : ${key}`,
  /** §6a is UNCONFIRMED about 3LO; the fake refuses by default (state.behaviour.oauthSpacePermissionWrite). */
  oauthNotSupported:
    'This resource does not accept OAuth 2.0 (3LO) access tokens. Use an API token (Basic auth) of a space or site admin to add space permissions.',
  groupExists: (name: string) => `${EXCEPTIONS}.BadRequestException: Group already exists: ${name}`,
  groupNameMissing: `${EXCEPTIONS}.BadRequestException: Group name must not be empty`,
  noGroupWithId: (id: string) => `${EXCEPTIONS}.NotFoundException: No group with id ${id}`,
  noGroupWithName: (name: string) => `${EXCEPTIONS}.NotFoundException: No group with name ${name}`,
  noUserWithAccountId: (accountId: string) => `${EXCEPTIONS}.NotFoundException: No user with accountId ${accountId}`,
  groupManagedByIdp: (name: string) =>
    `${EXCEPTIONS}.BadRequestException: Group ${name} is managed by an identity provider; change its members there`,
  licenceExceeded: (reason: string) => `${EXCEPTIONS}.BadRequestException: ${reason}`,
  /** §1d: measured status 400 on roles-only sites; the text is the doc's paraphrase (UNCONFIRMED). */
  classicPermissionsOff:
    'Classic permissions are off site-wide; use space roles (POST /wiki/api/v2/spaces/{id}/role-assignments).',
  limitTooLarge: `${EXCEPTIONS}.BadRequestException: limit must not be greater than 200`,
}

/** v1 `_links` of the site (base includes /wiki; `next` links are relative to it). */
export const v1Links = (ctx: RouteContext) => ({base: `${ctx.apiBase}/wiki`, context: '/wiki'})

/** A v1 Group (v1 spec schema Group). */
export function confluenceGroup(group: FakeGroup, ctx: RouteContext) {
  return {
    _links: {self: `${ctx.apiBase}/wiki/rest/api/group/by-id?id=${encodeURIComponent(group.id)}`},
    id: group.id,
    name: group.name,
    type: 'group',
  }
}

/** An integer query parameter (the contract check already refused non-integers). */
export function intQuery(ctx: RouteContext, name: string, fallback: number): number {
  const raw = ctx.query.get(name)
  if (raw === null || raw === '') return fallback
  const n = Number(raw)
  if (!Number.isInteger(n) || n < 0) throw new FakeHttpError(400, `${name} must be a non-negative integer`)
  return n
}

/** A v1 start/limit page: {results, start, limit, size, _links: {base, context, self, next?}}. */
export function v1Page<T>(
  ctx: RouteContext,
  all: T[],
  start: number,
  limit: number,
  path: string,
  extra: Record<string, string> = {},
) {
  const results = all.slice(start, start + limit)
  // Confluence Cloud writes next=true first into its own v1 next links (test/lib/http/paginate.test.ts); the contract
  // check lets that parameter through on /wiki/rest/api (server.ts), since a client follows the link as given.
  const qs = (s: number) =>
    new URLSearchParams({next: 'true', ...extra, limit: String(limit), start: String(s)}).toString()
  const links: Record<string, string> = {...v1Links(ctx), self: `${ctx.apiBase}/wiki${path}`}
  if (limit > 0 && start + results.length < all.length) links.next = `${path}?${qs(start + results.length)}`
  return {_links: links, limit, results, size: results.length, start}
}

/** Query values of an array parameter, whether sent repeated (keys=A&keys=B) or comma-separated (keys=A,B). */
export function listQuery(ctx: RouteContext, name: string): string[] {
  return ctx.query
    .getAll(name)
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean)
}
