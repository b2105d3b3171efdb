/**
 * Admin API v2 endpoints that the copied Organizations spec does not have (../shared/specs/README.md: "Not covered by
 * any copy here"), written as a small OpenAPI document of our own so the fake checks them exactly like the spec'd ones.
 * Paths are relative to /admin, as in the Organizations spec. Add the next endpoint (users/search, invite, groups...)
 * here, citing its section of ../shared/docs/atlassian-api.md.
 */

const proxyError = {
  properties: {code: {type: 'number'}, message: {type: 'string'}},
  type: 'object',
}

const applicationErrors = {
  properties: {
    errors: {
      items: {
        properties: {code: {type: 'string'}, detail: {type: 'string'}, id: {type: 'string'}, status: {type: 'string'}, title: {type: 'string'}},
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
  properties: {next: {nullable: true, type: 'string'}, prev: {nullable: true, type: 'string'}, self: {nullable: true, type: 'string'}},
  type: 'object',
}

const orgIdParam = {in: 'path', name: 'orgId', required: true, schema: {type: 'string'}}

export const adminV2Extras = {
  components: {securitySchemes: {bearerAuth: {scheme: 'bearer', type: 'http'}}},
  info: {
    description: 'Admin API v2 shapes from ../shared/docs/atlassian-api.md, not from an official spec copy.',
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
          {explode: true, in: 'query', name: 'directoryIds', schema: {items: {type: 'string'}, type: 'array'}, style: 'form'},
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
  },
  security: [{bearerAuth: []}],
}
