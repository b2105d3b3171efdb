// Written by scripts/endpoint-scopes.js from contracts/ (the official API documents): do not edit by hand.
import type {EndpointScopes} from './scope-advice.js'

/** The OAuth scopes the official documents list for each Confluence endpoint cfadmin calls. */
export const ENDPOINT_SCOPES: Readonly<Record<string, EndpointScopes>> = {
  'GET /wiki/rest/api/user/current': {beta: ['read:content-details:confluence'], scopes: ['read:confluence-user']},
  'GET /wiki/rest/api/user': {beta: ['read:content-details:confluence'], scopes: ['read:confluence-user']},
  'GET /wiki/rest/api/user/memberof': {
    beta: ['read:user:confluence', 'read:group:confluence'],
    scopes: ['read:confluence-user'],
  },
  'GET /wiki/rest/api/group': {beta: ['read:group:confluence'], scopes: ['read:confluence-groups']},
  'POST /wiki/rest/api/group': {
    beta: ['read:group:confluence', 'write:group:confluence'],
    scopes: ['write:confluence-groups'],
  },
  'GET /wiki/rest/api/group/picker': {beta: ['read:group:confluence'], scopes: ['read:confluence-groups']},
  'POST /wiki/rest/api/group/userByGroupId': {beta: ['write:group:confluence'], scopes: ['write:confluence-groups']},
  'GET /wiki/rest/api/group/{groupId}/membersByGroupId': {
    beta: ['read:group:confluence', 'read:user:confluence'],
    scopes: ['read:confluence-groups'],
  },
  'POST /wiki/rest/api/space/{spaceKey}/permission': {
    scopes: ['read:space.permission:confluence', 'write:space.permission:confluence'],
  },
  'POST /wiki/api/v2/user/access/invite-by-email': {scopes: ['read:configuration:confluence']},
  'POST /wiki/api/v2/user/access/check-access-by-email': {scopes: ['read:configuration:confluence']},
  'GET /wiki/api/v2/spaces': {scopes: ['read:space:confluence']},
  'GET /wiki/api/v2/spaces/{id}/permissions': {scopes: ['read:space:confluence']},
  'GET /wiki/api/v2/spaces/{id}/pages': {scopes: ['read:page:confluence']},
  'GET /wiki/rest/api/content/{id}/restriction/byOperation': {
    beta: ['read:content-details:confluence'],
    scopes: ['read:confluence-content.all'],
  },
  'GET /wiki/api/v2/admin-key': {scopes: []},
  'POST /wiki/api/v2/admin-key': {scopes: []},
  'DELETE /wiki/api/v2/admin-key': {scopes: []},
  'GET /wiki/api/v2/space-role-mode': {scopes: ['read:configuration:confluence']},
  'GET /wiki/api/v2/space-roles': {scopes: ['read:space.permission:confluence']},
  'GET /wiki/api/v2/spaces/{id}/role-assignments': {scopes: ['read:space.permission:confluence']},
  'POST /wiki/api/v2/spaces/{id}/role-assignments': {scopes: ['write:space.permission:confluence']},
}
