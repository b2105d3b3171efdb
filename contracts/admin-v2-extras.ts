/**
 * Admin API v2 endpoints that the copied Organizations spec does not have (contracts/README.md: "Not covered by
 * any copy here"), written as a small OpenAPI document of our own so the fake checks them exactly like the spec'd ones.
 * Paths are relative to /admin, as in the Organizations spec. Add the next endpoint (users/search, invite, groups...)
 * here, citing its section of docs/atlassian-api.md.
 *
 * Field names and enums the doc leaves out come from the client it cites, jira.js (src/admin/models, generated from the
 * current Organizations spec); what neither gives is marked UNCONFIRMED. Request bodies written here refuse unknown
 * properties (additionalProperties: false), so a misspelt field in cfadmin shows up as an off-contract request.
 */

const proxyError = {
  properties: {code: {type: 'number'}, message: {type: 'string'}},
  type: 'object',
}

const applicationErrors = {
  properties: {
    errors: {
      items: {
        properties: {
          code: {type: 'string'},
          detail: {type: 'string'},
          id: {type: 'string'},
          status: {type: 'string'},
          title: {type: 'string'},
        },
        type: 'object',
      },
      type: 'array',
    },
  },
  type: 'object',
}

const jsonContent = (schema: object) => ({content: {'application/json': {schema}}})

/** v2 pages: {data, links: {self, prev, next}} where next is a cursor (atlassian-api.md §8 "Pagination", Admin API). */
const linkPageCursor = {
  properties: {
    next: {nullable: true, type: 'string'},
    prev: {nullable: true, type: 'string'},
    self: {nullable: true, type: 'string'},
  },
  type: 'object',
}

const orgIdParam = {in: 'path', name: 'orgId', required: true, schema: {type: 'string'}}
const directoryIdParam = {in: 'path', name: 'directoryId', required: true, schema: {type: 'string'}}
const accountIdParam = {in: 'path', name: 'accountId', required: true, schema: {type: 'string'}}
const groupIdParam = {in: 'path', name: 'groupId', required: true, schema: {type: 'string'}}
const strings = {items: {type: 'string'}, type: 'array'}
const arrayQuery = (name: string) => ({explode: true, in: 'query', name, schema: strings, style: 'form'})
const enumArrayQuery = (name: string, values: string[]) => ({
  explode: true,
  in: 'query',
  name,
  schema: {items: {enum: values, type: 'string'}, type: 'array'},
  style: 'form',
})

/** The usual error answers of an Admin API operation (Organizations spec: ApplicationErrors / ProxyError). */
const errorResponses = {
  400: jsonContent(applicationErrors),
  401: jsonContent(proxyError),
  403: jsonContent(applicationErrors),
  404: jsonContent(applicationErrors),
  429: jsonContent(proxyError),
  500: jsonContent({anyOf: [proxyError, applicationErrors]}),
}

/** Canonical role ids (§2a, §3a; jira.js MultiDirectoryUserSearchRequest.roleIds lists them with the atlassian/ prefix). */
const allRoles = [
  'atlassian/user',
  'atlassian/admin',
  'atlassian/guest',
  'atlassian/customer',
  'atlassian/user-access-admin',
  'atlassian/contributor',
  'atlassian/basic',
  'atlassian/stakeholder',
  'atlassian/viewer',
  'atlassian/org-admin',
  'atlassian/site-admin',
]
/** The directory user statuses (jira.js MultiDirectoryUserSearchRequest.status, accountStatus, membershipStatus). */
const userStatuses = ['active', 'suspended', 'not_invited', 'deactivated', 'for_deletion']
const accountStatuses = ['active', 'inactive', 'closed']
const membershipStatuses = ['active', 'suspended', 'no_membership']

/** Roles an invite may give (§2a; jira.js MultidirectoryInviteRoleAssociation.role). */
export const inviteRoles = [
  'atlassian/user',
  'atlassian/admin',
  'atlassian/guest',
  'atlassian/contributor',
  'atlassian/customer',
  'atlassian/basic',
  'atlassian/stakeholder',
  'atlassian/viewer',
]
/** Roles of Admin v1 roles/assign (§3a: "atlassian/user, user-access-admin, admin, guest, contributor, customer, basic, stakeholder, site-admin, org-admin"). */
const assignRoles = allRoles.filter((r) => r !== 'atlassian/viewer')

/**
 * A directory user (§5; jira.js multiDirectoryUser.ts). `status` is the composite of `accountStatus` and
 * `membershipStatus` (jira.js MultiDirectoryUserSearchRequest.status). How an invitee who has not accepted yet shows
 * is UNCONFIRMED: the fake reports it active/active/active (no "invited" value exists in these enums).
 * `email` is optional (atlassian-2026.md §5: "email (optional in the schema)"; jira.js marks it optional), and
 * `groups` ({id, name, description}, jira.js multiDirectoryUserGroup.ts) comes only with `expand: ["groups"]`.
 */
const directoryUser = {
  additionalProperties: true,
  properties: {
    accountId: {type: 'string'},
    accountStatus: {enum: ['active', 'inactive', 'closed'], type: 'string'},
    accountType: {type: 'string'},
    addedToOrg: {type: 'string'},
    email: {type: 'string'},
    emailVerified: {type: 'boolean'},
    groups: {
      items: {
        properties: {
          description: {nullable: true, type: 'string'},
          id: {type: 'string'},
          name: {nullable: true, type: 'string'},
        },
        type: 'object',
      },
      type: 'array',
    },
    membershipStatus: {enum: ['active', 'suspended', 'no_membership'], type: 'string'},
    name: {type: 'string'},
    nickname: {type: 'string'},
    status: {enum: ['active', 'suspended', 'not_invited', 'deactivated', 'for_deletion'], type: 'string'},
  },
  required: ['accountId', 'name', 'status', 'accountStatus', 'membershipStatus'],
  type: 'object',
}

/** A directory group (§4a "Group object"; jira.js multiDirectoryGroup.ts, groupCounts.ts). */
const directoryGroup = {
  additionalProperties: true,
  properties: {
    counts: {properties: {resources: {type: 'number'}, users: {type: 'number'}}, type: 'object'},
    description: {type: 'string'},
    directoryId: {type: 'string'},
    externalSynced: {type: 'boolean'},
    id: {type: 'string'},
    managedBy: {type: 'string'},
    name: {type: 'string'},
  },
  required: ['id', 'name', 'directoryId'],
  type: 'object',
}

const page = (item: object) => ({
  properties: {data: {items: item, type: 'array'}, links: linkPageCursor},
  required: ['data', 'links'],
  type: 'object',
})

/** A page of the API-access API (atlassian-2026.md §4d): {data, links: {self?, next?, prev?}}, `next` a cursor. */
const apiAccessPage = (entry: object) => ({
  properties: {data: {items: entry, type: 'array'}, links: linkPageCursor},
  required: ['data'],
  type: 'object',
})

const optionalString = {type: 'string'}
const apiAccessUser = {
  additionalProperties: true,
  properties: {email: optionalString, id: optionalString, name: optionalString, orgId: optionalString},
  type: 'object',
}

/** One user API token in the API-access listing (Atlassian's API-access reference, ApiTokenSearchResponse). */
const apiTokenEntry = {
  additionalProperties: true,
  properties: {
    createdAt: optionalString,
    expiresAt: optionalString,
    id: optionalString,
    label: optionalString,
    lastActiveAt: optionalString,
    status: optionalString,
    user: apiAccessUser,
  },
  type: 'object',
}

/** One Admin API key in the API-access listing (beyond expiresAt and lastActiveAt: UNCONFIRMED). */
const apiKeyEntry = {
  additionalProperties: true,
  properties: {
    createdAt: optionalString,
    createdBy: apiAccessUser,
    expiresAt: optionalString,
    id: optionalString,
    lastActiveAt: optionalString,
    name: optionalString,
    status: optionalString,
  },
  type: 'object',
}

export const adminV2Extras = {
  components: {securitySchemes: {bearerAuth: {scheme: 'bearer', type: 'http'}}},
  info: {
    description: 'Admin API v2 shapes from docs/atlassian-api.md, not from an official spec copy.',
    title: 'cfadmin fake: Admin API v2 endpoints missing from the Organizations spec copy',
    version: '0',
  },
  openapi: '3.0.1',
  paths: {
    /*
     * GET /admin/v2/orgs/{orgId}/directories — atlassian-api.md §1c ("directoryId: GET /admin/v2/orgs/{orgId}/directories",
     * scope read:directories:admin; sources jira.js src/admin/api/orgs.ts, directory.ts).
     * UNCONFIRMED: the doc names the endpoint but not its body. Field names follow the client the doc cites, jira.js
     * (src/admin/models/multiDirectoryUserDirectoryPage.ts, multiDirectoryUserDirectory.ts and
     * parameters/getDirectoriesForOrg.ts, generated from the current Organizations spec):
     * {data: [{directoryId, name, icon?}], links: {self?, prev?, next?}}; query accountId, directoryIds[], searchTerm,
     * cursor, limit. cfadmin's reader also accepts `id` for `directoryId` (src/lib/api/admin.ts).
     */
    '/v2/orgs/{orgId}/directories': {
      get: {
        operationId: 'getDirectoriesForOrg',
        parameters: [
          orgIdParam,
          {in: 'query', name: 'accountId', schema: {type: 'string'}},
          {
            explode: true,
            in: 'query',
            name: 'directoryIds',
            schema: {items: {type: 'string'}, type: 'array'},
            style: 'form',
          },
          {in: 'query', name: 'searchTerm', schema: {type: 'string'}},
          {in: 'query', name: 'cursor', schema: {type: 'string'}},
          {in: 'query', name: 'limit', schema: {maximum: 1000, minimum: 1, type: 'integer'}},
        ],
        responses: {
          200: jsonContent({
            properties: {
              data: {
                items: {
                  additionalProperties: true,
                  properties: {directoryId: {type: 'string'}, icon: {type: 'string'}, name: {type: 'string'}},
                  required: ['directoryId', 'name'],
                  type: 'object',
                },
                type: 'array',
              },
              links: linkPageCursor,
            },
            required: ['data'],
            type: 'object',
          }),
          400: jsonContent(applicationErrors),
          401: jsonContent(proxyError),
          403: jsonContent(applicationErrors),
          404: jsonContent(applicationErrors),
          429: jsonContent(proxyError),
        },
      },
    },

    /*
     * POST /admin/v2/orgs/{orgId}/directories/{directoryId}/users/search — §5 (exact email match; `emails` and
     * `searchTerm` are mutually exclusive, 400 if both: enforced by the route as an off-contract request). Body fields:
     * jira.js models/multiDirectoryUserSearchRequest.ts (limit default 50; sortBy [{field: "nick_name", direction}]).
     * Answer {data: [directory user], links: {next}}.
     */
    '/v2/orgs/{orgId}/directories/{directoryId}/users/search': {
      post: {
        operationId: 'searchDirectoryUsers',
        parameters: [orgIdParam, directoryIdParam],
        requestBody: jsonContent({
          additionalProperties: false,
          properties: {
            accountIds: strings,
            accountStatus: {items: {enum: accountStatuses, type: 'string'}, type: 'array'},
            claimStatus: {enum: ['managed', 'unmanaged'], type: 'string'},
            cursor: {type: 'string'},
            directoryIds: strings,
            emailDomains: strings,
            emails: strings,
            expand: {
              items: {enum: ['platformRoles', 'counts.resources', 'productAccess', 'groups'], type: 'string'},
              type: 'array',
            },
            groupIds: strings,
            limit: {minimum: 1, type: 'integer'},
            membershipStatus: {items: {enum: membershipStatuses, type: 'string'}, type: 'array'},
            mfaEnabled: {type: 'boolean'},
            resourceIds: strings,
            roleIds: {items: {enum: allRoles, type: 'string'}, type: 'array'},
            searchTerm: {type: 'string'},
            // jira.js: field "nick_name" only, one entry only ("Currently, only a single field can be sorted by"); the
            // route refuses another field or a second entry as off-contract, naming it.
            sortBy: {
              items: {
                additionalProperties: false,
                properties: {direction: {enum: ['asc', 'desc'], type: 'string'}, field: {type: 'string'}},
                required: ['field', 'direction'],
                type: 'object',
              },
              type: 'array',
            },
            status: {items: {enum: userStatuses, type: 'string'}, type: 'array'},
          },
          type: 'object',
        }),
        responses: {200: jsonContent(page(directoryUser)), ...errorResponses},
      },
    },

    /*
     * GET /admin/v2/orgs/{orgId}/directories/{directoryId}/users/count — jira.js src/admin/api/users.ts
     * getDirectoryUsersCount and src/admin/models/getDirectoryUsersCount.ts (generated from the current Organizations
     * spec; the answer model's doc: "The total number of users matching the criteria"). Query: the users/search filters,
     * lists as repeated parameters (jira.js sends arrays so). Answer {count}; jira.js marks `count` optional, the fake
     * always sends it. Error answers as for users/search (UNCONFIRMED: jira.js gives none). The jira.js doc adds that
     * by default "all your managed accounts are counted (including managed accounts that aren't in a directory)".
     */
    '/v2/orgs/{orgId}/directories/{directoryId}/users/count': {
      get: {
        operationId: 'getDirectoryUsersCount',
        parameters: [
          orgIdParam,
          directoryIdParam,
          arrayQuery('accountIds'),
          arrayQuery('directoryIds'),
          arrayQuery('resourceIds'),
          arrayQuery('groupIds'),
          {in: 'query', name: 'mfaEnabled', schema: {type: 'boolean'}},
          {in: 'query', name: 'claimStatus', schema: {enum: ['managed', 'unmanaged'], type: 'string'}},
          enumArrayQuery('status', userStatuses),
          enumArrayQuery('accountStatus', accountStatuses),
          enumArrayQuery('membershipStatus', membershipStatuses),
          enumArrayQuery('roleIds', allRoles),
          {in: 'query', name: 'searchTerm', schema: {type: 'string'}},
          arrayQuery('emailDomains'),
        ],
        responses: {
          200: jsonContent({
            properties: {count: {minimum: 0, type: 'integer'}},
            required: ['count'],
            type: 'object',
          }),
          ...errorResponses,
        },
      },
    },

    /*
     * POST /admin/v2/orgs/{orgId}/users/invite — §2a. Body and answer as in the doc (jira.js
     * multidirectoryInviteApiRequest.ts, adminInviteResponse.ts, roleAssignmentResult.ts, groupAssignmentResult.ts).
     * Status codes are UNCONFIRMED (§2a): the fake answers 200 with per-rule INVITED/ERROR results, and 402
     * {code, message} for an org without a paid subscription ("Only available to orgs with at least one paid
     * subscription"; the 402 is the third-party doc's claim).
     */
    '/v2/orgs/{orgId}/users/invite': {
      post: {
        operationId: 'inviteUsers',
        parameters: [orgIdParam],
        requestBody: {
          content: {
            'application/json': {
              schema: {
                additionalProperties: false,
                properties: {
                  additionalGroups: strings,
                  emails: {items: {type: 'string'}, minItems: 1, type: 'array'},
                  notificationText: {type: 'string'},
                  permissionRules: {
                    items: {
                      additionalProperties: false,
                      // Any atlassian/ role: the service itself refuses one outside `inviteRoles` (atlassian-2026.md §5:
                      // atlassian/user-access-admin is not one) with a 400 for the whole batch (the fake's route does).
                      properties: {resource: {type: 'string'}, role: {pattern: '^atlassian/', type: 'string'}},
                      required: ['resource', 'role'],
                      type: 'object',
                    },
                    type: 'array',
                  },
                  sendNotification: {type: 'boolean'},
                },
                required: ['emails'],
                type: 'object',
              },
            },
          },
          required: true,
        },
        responses: {
          200: jsonContent({
            properties: {
              data: {
                items: {
                  properties: {
                    email: {type: 'string'},
                    id: {type: 'string'},
                    results: {
                      items: {
                        properties: {
                          groupAssignmentResult: {
                            items: {
                              properties: {
                                group: {type: 'string'},
                                status: {enum: ['INVITED', 'ERROR'], type: 'string'},
                                statusReason: {nullable: true, type: 'string'},
                              },
                              required: ['group', 'status'],
                              type: 'object',
                            },
                            type: 'array',
                          },
                          roleAssignmentResult: {
                            items: {
                              properties: {
                                resource: {type: 'string'},
                                role: {type: 'string'},
                                status: {enum: ['INVITED', 'ERROR'], type: 'string'},
                                statusReason: {nullable: true, type: 'string'},
                              },
                              required: ['resource', 'role', 'status'],
                              type: 'object',
                            },
                            type: 'array',
                          },
                        },
                        type: 'object',
                      },
                      type: 'array',
                    },
                  },
                  required: ['id', 'email', 'results'],
                  type: 'object',
                },
                type: 'array',
              },
            },
            required: ['data'],
            type: 'object',
          }),
          402: jsonContent(proxyError),
          ...errorResponses,
        },
      },
    },

    /*
     * GET /admin/v2/orgs/{orgId}/directories/{directoryId}/users/{accountId}/role-assignments — §3a (scope
     * read:directories:admin). UNCONFIRMED shape: the doc names the endpoint only. The fake answers
     * {data: [{resourceId, roleId}], links: {next?}}, one entry per (resource, role), direct or through a group.
     * (jira.js multiDirectoryUserRoleAssignment.ts suggests one entry per resource with `roles: [roleId]` and
     * `roleAssignments: [{role, roleAssignmentMethods}]` instead: a reader should accept both.)
     */
    '/v2/orgs/{orgId}/directories/{directoryId}/users/{accountId}/role-assignments': {
      get: {
        operationId: 'getUserRoleAssignments',
        parameters: [
          orgIdParam,
          directoryIdParam,
          accountIdParam,
          {in: 'query', name: 'cursor', schema: {type: 'string'}},
          {in: 'query', name: 'limit', schema: {minimum: 1, type: 'integer'}},
          arrayQuery('directoryIds'),
          arrayQuery('resourceOwners'),
          arrayQuery('resourceIds'),
          arrayQuery('roleIds'),
        ],
        responses: {
          200: jsonContent(
            page({
              additionalProperties: true,
              properties: {resourceId: {type: 'string'}, roleId: {type: 'string'}},
              required: ['resourceId', 'roleId'],
              type: 'object',
            }),
          ),
          ...errorResponses,
        },
      },
    },

    /*
     * POST /admin/v1/orgs/{orgId}/users/{accountId}/roles/assign — §3a: {role, resource}, `resource` required for every
     * role except atlassian/org-admin; success 204; an invalid resource is 400 {errors: [{id, code: "ADMIN-UAM-400-5",
     * status: "400", title: "Empty/Invalid Resource", detail: "Cloud Resource is invalid"}]} (ID-8887).
     * (A v1 path, but not in the 2023 Organizations spec copy.)
     */
    '/v1/orgs/{orgId}/users/{accountId}/roles/assign': {
      post: {
        operationId: 'grantUserAccess',
        parameters: [orgIdParam, accountIdParam],
        requestBody: {
          content: {
            'application/json': {
              schema: {
                additionalProperties: false,
                properties: {resource: {type: 'string'}, role: {enum: assignRoles, type: 'string'}},
                required: ['role'],
                type: 'object',
              },
            },
          },
          required: true,
        },
        responses: {204: {description: 'Role assigned'}, ...errorResponses},
      },
    },

    /*
     * POST /admin/v2/orgs/{orgId}/directories/{directoryId}/groups/search — §4a: {groupNames, groupIds, accountIds,
     * searchTerm, expand: ["counts.users"], limit, cursor} (jira.js multiDirectoryGroupSearchRequest.ts: limit default
     * 20; groupNames exact, case-insensitive; groupNames with searchTerm or groupIds is a 400, enforced by the route).
     */
    '/v2/orgs/{orgId}/directories/{directoryId}/groups/search': {
      post: {
        operationId: 'searchDirectoryGroups',
        parameters: [orgIdParam, directoryIdParam],
        requestBody: jsonContent({
          additionalProperties: false,
          properties: {
            accountIds: strings,
            cursor: {type: 'string'},
            directoryIds: strings,
            expand: {items: {enum: ['counts.resources', 'counts.users'], type: 'string'}, type: 'array'},
            groupIds: strings,
            groupNames: strings,
            limit: {minimum: 1, type: 'integer'},
            resourceIds: strings,
            resourceOwners: strings,
            roleIds: strings,
            searchTerm: {type: 'string'},
            sortBy: {items: {type: 'object'}, type: 'array'},
          },
          type: 'object',
        }),
        responses: {200: jsonContent(page(directoryGroup)), ...errorResponses},
      },
    },

    /*
     * POST /admin/v2/orgs/{orgId}/directories/{directoryId}/groups — §4a: {name, description?}. Status and body are
     * UNCONFIRMED (§4a; jira.js createGroup returns void): the fake answers 201 with the group. A name already used in
     * the directory is 400 (the Organizations spec's v1 create-group, same rule "existing group names not permitted",
     * documents 400 and no 409).
     */
    '/v2/orgs/{orgId}/directories/{directoryId}/groups': {
      post: {
        operationId: 'createGroup',
        parameters: [orgIdParam, directoryIdParam],
        requestBody: {
          content: {
            'application/json': {
              schema: {
                additionalProperties: false,
                properties: {description: {type: 'string'}, name: {minLength: 1, type: 'string'}},
                required: ['name'],
                type: 'object',
              },
            },
          },
          required: true,
        },
        responses: {201: jsonContent(directoryGroup), ...errorResponses},
      },
    },

    /*
     * POST /admin/v2/orgs/{orgId}/directories/{directoryId}/groups/{groupId}/memberships — §4a: {accountId} -> 204.
     * Rules (§4a; jira.js addUserToGroup): same directory as the group; not an IdP-synced group; not past an app's user
     * limit. Adding someone already in the group: 204 too (UNCONFIRMED).
     */
    '/v2/orgs/{orgId}/directories/{directoryId}/groups/{groupId}/memberships': {
      post: {
        operationId: 'addUserToGroup',
        parameters: [orgIdParam, directoryIdParam, groupIdParam],
        requestBody: {
          content: {
            'application/json': {
              schema: {
                additionalProperties: false,
                properties: {accountId: {minLength: 1, type: 'string'}},
                required: ['accountId'],
                type: 'object',
              },
            },
          },
          required: true,
        },
        responses: {204: {description: 'Added (or already a member)'}, ...errorResponses},
      },
    },
    /*
     * GET /admin/api-access/v1/orgs/{orgId}/api-tokens — atlassian-2026.md §4d (read:tokens:admin): the org's user API
     * tokens with expiresAt and lastActiveAt, cursor paging with links.next. Entry fields as Atlassian's API-access
     * reference shows them (developer.atlassian.com/cloud/admin/api-access/rest/api-group-api-token: id, label, status,
     * createdAt, expiresAt, lastActiveAt, user {id, orgId, name, email}); its many search filters are not used by cfadmin
     * and left out. Every field is optional here: which ones Atlassian always sends is UNCONFIRMED.
     */
    '/api-access/v1/orgs/{orgId}/api-tokens': {
      get: {
        operationId: 'getApiTokens',
        parameters: [
          orgIdParam,
          {in: 'query', name: 'cursor', schema: {type: 'string'}},
          {in: 'query', name: 'limit', schema: {maximum: 100, minimum: 1, type: 'integer'}},
        ],
        responses: {
          200: jsonContent(apiAccessPage(apiTokenEntry)),
          ...errorResponses,
        },
      },
    },

    /*
     * GET /admin/api-access/v1/orgs/{orgId}/api-keys — atlassian-2026.md §4d (read:keys:admin): the org's Admin API keys
     * with expiresAt and lastActiveAt, cursor paging with links.next. Entry fields beyond those are UNCONFIRMED (id,
     * name, status, createdAt, createdBy are the fake's guess, after the API-token entry).
     */
    '/api-access/v1/orgs/{orgId}/api-keys': {
      get: {
        operationId: 'getApiKeys',
        parameters: [
          orgIdParam,
          {in: 'query', name: 'cursor', schema: {type: 'string'}},
          {in: 'query', name: 'limit', schema: {maximum: 100, minimum: 1, type: 'integer'}},
        ],
        responses: {
          200: jsonContent(apiAccessPage(apiKeyEntry)),
          ...errorResponses,
        },
      },
    },

    /*
     * GET /admin/api-access/v1/orgs/{orgId}/service-accounts — atlassian-2026.md §4b (Admin "API access" REST API,
     * experimental; scope read:service-accounts:admin; cursor paging with links.next as the other v2 lists).
     * UNCONFIRMED body: the doc names the endpoint and its scope only. Written here as {data: [{id, name, email?,
     * description?, status?, accountType?}], links}; cfadmin's reader also accepts accountId and displayName, and tolerates
     * missing fields (src/lib/api/service-accounts.ts).
     */
    '/api-access/v1/orgs/{orgId}/service-accounts': {
      get: {
        operationId: 'getServiceAccounts',
        parameters: [
          orgIdParam,
          {in: 'query', name: 'cursor', schema: {type: 'string'}},
          {in: 'query', name: 'limit', schema: {minimum: 1, type: 'integer'}},
        ],
        responses: {
          200: jsonContent(
            page({
              additionalProperties: true,
              properties: {
                accountId: {type: 'string'},
                accountType: {type: 'string'},
                description: {type: 'string'},
                displayName: {type: 'string'},
                email: {type: 'string'},
                id: {type: 'string'},
                name: {type: 'string'},
                status: {type: 'string'},
              },
              type: 'object',
            }),
          ),
          ...errorResponses,
        },
      },
    },
  },
  security: [{bearerAuth: []}],
}
