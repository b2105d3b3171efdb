/**
 * The Confluence endpoints each cfadmin command may call over OAuth, and from them (endpoint-scopes.ts, the official
 * documents) the scopes each command needs: `cfadmin auth scopes --commands`. Admin API calls take the Admin API key,
 * not OAuth scopes, so they are not listed. test/lib/oauth/command-scopes.test.ts checks every Confluence call of
 * src/lib/api is here.
 */
import {ENDPOINT_SCOPES} from './endpoint-scopes.js'
import {presetsWith} from './scope-advice.js'

const WHO_AM_I = ['GET /wiki/rest/api/user/current']
const ADMIN_KEY = ['GET /wiki/api/v2/admin-key', 'POST /wiki/api/v2/admin-key', 'DELETE /wiki/api/v2/admin-key']
const GROUP_LOOKUP = ['GET /wiki/rest/api/group', 'GET /wiki/rest/api/group/picker']
const MEMBERS = [
  ...GROUP_LOOKUP,
  'POST /wiki/rest/api/group',
  'POST /wiki/rest/api/group/userByGroupId',
  'GET /wiki/rest/api/group/{groupId}/membersByGroupId',
  'GET /wiki/rest/api/user/memberof',
]
const INVITE = ['POST /wiki/api/v2/user/access/invite-by-email', 'POST /wiki/api/v2/user/access/check-access-by-email']
const SPACES_READ = [
  'GET /wiki/api/v2/spaces',
  'GET /wiki/api/v2/spaces/{id}/permissions',
  'GET /wiki/api/v2/space-role-mode',
  'GET /wiki/api/v2/space-roles',
  'GET /wiki/api/v2/spaces/{id}/role-assignments',
]
const VIEW = [
  ...SPACES_READ,
  ...GROUP_LOOKUP,
  'POST /wiki/rest/api/space/{spaceKey}/permission',
  'POST /wiki/api/v2/spaces/{id}/role-assignments',
]

/** command -> the endpoints it may call (with --admin-key, the admin-key ones too). */
export const COMMAND_ENDPOINTS: Readonly<Record<string, readonly string[]>> = {
  'auth login': WHO_AM_I,
  'auth status': WHO_AM_I,
  'groups add-members': [...MEMBERS, ...ADMIN_KEY],
  'groups list': [...GROUP_LOOKUP, 'GET /wiki/rest/api/group/{groupId}/membersByGroupId', ...ADMIN_KEY],
  setup: [...new Set([...INVITE, ...MEMBERS, ...VIEW, ...ADMIN_KEY])],
  'spaces grant-view': [...VIEW, ...ADMIN_KEY],
  'spaces permissions': [...SPACES_READ, ...ADMIN_KEY],
  'users find': ['GET /wiki/rest/api/user', 'GET /wiki/rest/api/user/memberof', ...ADMIN_KEY],
  'users grant-access': [...MEMBERS, ...ADMIN_KEY],
  'users invite': [...INVITE, ...MEMBERS, ...ADMIN_KEY],
}

export interface CommandScopes {
  command: string
  /** The scopes the official documents list for its endpoints (classic scopes for v1 calls). */
  scopes: string[]
  /** The presets holding all of them. */
  presets: string[]
}

/** Each command with the scopes its endpoints need, from the one endpoint table. */
export function commandScopes(): CommandScopes[] {
  return Object.entries(COMMAND_ENDPOINTS).map(([command, endpoints]) => {
    const scopes = [...new Set(endpoints.flatMap((endpoint) => ENDPOINT_SCOPES[endpoint]?.scopes ?? []))].sort()
    return {command, presets: presetsWith(scopes), scopes}
  })
}
