/**
 * Confluence space roles (v2, atlassian-2026.md §1d): the site's role mode, its roles, and a space's role
 * assignments. Typed calls only; which route a grant takes is the access layer's choice.
 */
import type {Got} from 'got'

import {CfadminError, ExitCode} from '../errors.js'
import {isAtlassianError} from '../http/errors.js'
import {paginateV2, type SearchParams} from '../http/paginate.js'

/** Page size of the role lists (the v2 spec's maximum). */
export const ROLE_PAGE = 250

const enc = encodeURIComponent

export const SPACE_ROLE_MODES = ['PRE_ROLES', 'ROLES_TRANSITION', 'ROLES'] as const
export type SpaceRoleMode = (typeof SPACE_ROLE_MODES)[number]

/**
 * The site's space role mode: GET wiki/api/v2/space-role-mode. undefined when Confluence answers 404 (a site
 * without the endpoint, or a login the spec says may not read it); every other error is thrown.
 */
export async function getSpaceRoleMode(site: Got): Promise<SpaceRoleMode | undefined> {
  let body: {mode?: unknown}
  try {
    body = await site.get('wiki/api/v2/space-role-mode').json<{mode?: unknown}>()
  } catch (error) {
    if (isAtlassianError(error, 404)) return undefined
    throw error
  }

  const mode = SPACE_ROLE_MODES.find((m) => m === body?.mode)
  if (mode) return mode
  throw new CfadminError(`Confluence answered an unknown space role mode: ${JSON.stringify(body?.mode)}.`, {
    code: 'UNEXPECTED_RESPONSE',
    exit: ExitCode.unreachable,
    hint: 'Run the command again; if it stays, report it with the answer above.',
  })
}

export interface SpaceRole {
  id: string
  type: 'SYSTEM' | 'CUSTOM'
  name: string
}

interface RawRole {
  id?: unknown
  type?: unknown
  name?: unknown
}

/** The site's space roles, system and custom: GET wiki/api/v2/space-roles (250 a page, every page). */
export async function listSpaceRoles(site: Got, roleType?: 'SYSTEM' | 'CUSTOM'): Promise<SpaceRole[]> {
  const roles: SpaceRole[] = []
  const params: SearchParams = roleType ? {'role-type': roleType} : {}
  for await (const raw of paginateV2<RawRole>(site, 'wiki/api/v2/space-roles', params, ROLE_PAGE)) {
    if (typeof raw.id !== 'string' || typeof raw.name !== 'string') continue
    roles.push({id: raw.id, name: raw.name, type: raw.type === 'CUSTOM' ? 'CUSTOM' : 'SYSTEM'})
  }

  return roles
}

export interface RolePrincipal {
  type: 'user' | 'group'
  /** accountId or group ID. */
  id: string
}

export interface SpaceRoleAssignment {
  /** A user, a group, or an access class ("all-licensed-users": a space's default access may name one, §1d). */
  principal: RolePrincipal | {type: 'access-class'; id: string}
  roleId: string
}

const PRINCIPAL_TYPES = {ACCESS_CLASS: 'access-class', GROUP: 'group', USER: 'user'} as const

interface RawAssignment {
  principal?: {principalType?: unknown; principalId?: unknown}
  roleId?: unknown
}

/** Who holds which role on a space: GET wiki/api/v2/spaces/{id}/role-assignments (250 a page, every page). */
export async function getSpaceRoleAssignments(site: Got, spaceId: string): Promise<SpaceRoleAssignment[]> {
  const assignments: SpaceRoleAssignment[] = []
  for await (const raw of paginateV2<RawAssignment>(
    site,
    `wiki/api/v2/spaces/${enc(spaceId)}/role-assignments`,
    {},
    ROLE_PAGE,
  )) {
    const type = raw.principal?.principalType
    const id = raw.principal?.principalId
    if (typeof type !== 'string' || !Object.hasOwn(PRINCIPAL_TYPES, type)) continue
    if (typeof id !== 'string' || typeof raw.roleId !== 'string') continue
    assignments.push({principal: {id, type: PRINCIPAL_TYPES[type as keyof typeof PRINCIPAL_TYPES]}, roleId: raw.roleId})
  }

  return assignments
}

/**
 * Gives roles on a space: POST wiki/api/v2/spaces/{id}/role-assignments `[{principal, roleId}]` (needs the right
 * to manage roles in the space). An entry without roleId would REMOVE that principal's role (spec), so every entry
 * must carry one: an entry without it is refused here, before any request, as a cfadmin bug.
 */
export async function assignSpaceRoles(
  site: Got,
  spaceId: string,
  assignments: readonly SpaceRoleAssignment[],
): Promise<void> {
  const json = assignments.map((a) => {
    if (typeof a.roleId !== 'string' || a.roleId === '')
      throw new CfadminError('Refused to send a role assignment without a role: Confluence would remove a role.', {
        code: 'ROLE_ID_MISSING',
        exit: ExitCode.unexpected,
        hint: 'This is a cfadmin bug: report it; nothing was sent.',
      })
    return {
      principal: {principalId: a.principal.id, principalType: a.principal.type === 'user' ? 'USER' : 'GROUP'},
      roleId: a.roleId,
    }
  })
  // Safe to resend: the same role again changes nothing.
  await site.post(`wiki/api/v2/spaces/${enc(spaceId)}/role-assignments`, {context: {retry: true}, json})
}

/**
 * Confluence refused an individual (classic) space permission because the site uses space roles: status 400 and a
 * message that mentions roles (measured status, text UNCONFIRMED: "classic permissions are off site-wide; use space
 * roles").
 */
export const isClassicPermissionsOff = (error: unknown): boolean =>
  isAtlassianError(error, 400) && /\broles?\b/i.test(error.atlassianMessage ?? error.message)
