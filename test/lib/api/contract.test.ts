/**
 * Every request the API module tests sent (recorded by support.ts `intercept`) must match the official specs in
 * contracts/, or, for the Admin API endpoints those copies lack, the fake Atlassian's own Admin v2 document
 * (contracts/admin-v2-extras.ts), through the fake's contract loader.
 *
 * The unit tests of those modules are imported here, and run only from here (their files end in .cases.ts, which the
 * test globs do not take): they register before this suite whatever order mocha is given the files in, and a parallel
 * run, whose workers each load the files they are handed, never runs them twice.
 */
import './confluence.cases.js'
import './directory.cases.js'

import {expect} from 'chai'

import {type Contracts, loadContracts, type SpecName} from '../../../fake-atlassian/contract.js'
import {recordedRequests, type RecordedRequest} from './support.js'

interface Endpoint {
  method: 'GET' | 'POST'
  /** The full request path template. */
  path: string
  /** Which API module function sends it. */
  sender: string
}

const ENDPOINTS: Endpoint[] = [
  // Confluence v1 (paths in the spec include /wiki/rest/api)
  {method: 'GET', path: '/wiki/rest/api/user', sender: 'confluence.getUser'},
  {method: 'GET', path: '/wiki/rest/api/user/memberof', sender: 'confluence.getUserGroups'},
  {method: 'GET', path: '/wiki/rest/api/group', sender: 'confluence.listGroups'},
  {method: 'GET', path: '/wiki/rest/api/group/picker', sender: 'confluence.findGroupByName'},
  {method: 'POST', path: '/wiki/rest/api/group', sender: 'confluence.createGroup'},
  {method: 'POST', path: '/wiki/rest/api/group/userByGroupId', sender: 'confluence.addGroupMember'},
  {method: 'GET', path: '/wiki/rest/api/group/{groupId}/membersByGroupId', sender: 'confluence.listGroupMembers'},
  {method: 'POST', path: '/wiki/rest/api/space/{spaceKey}/permission', sender: 'confluence.addSpacePermission'},
  // Confluence v2 (spec paths relative to /wiki/api/v2)
  {method: 'POST', path: '/wiki/api/v2/user/access/invite-by-email', sender: 'confluence.inviteByEmail'},
  {method: 'POST', path: '/wiki/api/v2/user/access/check-access-by-email', sender: 'confluence.emailsWithoutAccess'},
  {method: 'GET', path: '/wiki/api/v2/spaces', sender: 'confluence.listSpaces'},
  {method: 'GET', path: '/wiki/api/v2/spaces/{id}/permissions', sender: 'confluence.getSpacePermissions'},
  // Admin API (spec paths relative to /admin)
  {
    method: 'POST',
    path: '/admin/v2/orgs/{orgId}/directories/{directoryId}/users/search',
    sender: 'directory.searchUsersByEmail',
  },
  {
    method: 'GET',
    path: '/admin/v2/orgs/{orgId}/directories/{directoryId}/users/{accountId}/role-assignments',
    sender: 'directory.getUserRoles',
  },
  {method: 'POST', path: '/admin/v2/orgs/{orgId}/users/invite', sender: 'directory.inviteUsers'},
  {method: 'POST', path: '/admin/v1/orgs/{orgId}/users/{accountId}/roles/assign', sender: 'directory.assignUserRole'},
  {
    method: 'POST',
    path: '/admin/v2/orgs/{orgId}/directories/{directoryId}/groups/search',
    sender: 'directory.searchGroups',
  },
  {
    method: 'POST',
    path: '/admin/v2/orgs/{orgId}/directories/{directoryId}/groups',
    sender: 'directory.createDirectoryGroup',
  },
  {
    method: 'POST',
    path: '/admin/v2/orgs/{orgId}/directories/{directoryId}/groups/{groupId}/memberships',
    sender: 'directory.addDirectoryGroupMember',
  },
]

const API_ROOTS: Array<{prefix: string; specs: SpecName[]; strip: string}> = [
  {prefix: '/wiki/rest/api/', specs: ['confluence-v1'], strip: ''},
  {prefix: '/wiki/api/v2/', specs: ['confluence-v2'], strip: '/wiki/api/v2'},
  {prefix: '/admin/', specs: ['admin-organization', 'admin-v2-extras'], strip: '/admin'},
]

function rootOf(path: string) {
  const root = API_ROOTS.find((r) => path.startsWith(r.prefix))
  if (!root) throw new Error(`no API root for ${path}`)
  return root
}

/** The path template as the spec writes it. */
const specPath = (endpoint: Endpoint) => endpoint.path.slice(rootOf(endpoint.path).strip.length)

function matches(endpoint: Endpoint, request: RecordedRequest): boolean {
  if (endpoint.method !== request.method) return false
  const pattern = new RegExp(`^${endpoint.path.replaceAll(/\{[^}]+\}/g, '[^/]+')}$`)
  return pattern.test(request.path)
}

function describeRequest(request: RecordedRequest): string {
  const query = new URLSearchParams()
  for (const [k, v] of Object.entries(request.query))
    for (const item of Array.isArray(v) ? v : [v]) query.append(k, item)
  const qs = query.toString()
  return `${request.method} ${request.path}${qs ? `?${qs}` : ''} ${request.body === undefined ? '' : JSON.stringify(request.body).slice(0, 200)} (from "${request.test}")`
}

describe('api contract: every request the API tests sent matches the specs', () => {
  let contracts: Contracts

  before(async function () {
    this.timeout(60_000)
    contracts = await loadContracts()
  })

  for (const endpoint of ENDPOINTS) {
    it(`${endpoint.method} ${endpoint.path} (${endpoint.sender})`, () => {
      const sent = recordedRequests.filter((request) => matches(endpoint, request))
      expect(sent, `no API test sent ${endpoint.method} ${endpoint.path}`).to.not.be.empty

      const problems: string[] = []
      for (const request of sent) {
        const check = contracts.checkRequest({
          body: request.body,
          headers: request.headers,
          method: request.method,
          path: request.path,
          query: request.query,
        })
        if (check.kind === 'ok' && check.problem) problems.push(`${describeRequest(request)}: ${check.problem}`)
        if (check.kind === 'violation') problems.push(`${describeRequest(request)}: ${check.message}`)
        if (check.kind === 'unspecified') problems.push(`${describeRequest(request)}: no spec covers this path`)
        if (
          check.kind === 'ok' &&
          (check.match.operation.path !== specPath(endpoint) ||
            check.match.operation.method !== endpoint.method.toLowerCase())
        ) {
          problems.push(
            `${describeRequest(request)}: matched ${check.match.label} (${check.match.operation.method} ${check.match.operation.path}) instead`,
          )
        }
      }

      expect(problems).to.deep.equal([])
    })
  }

  it('saw no request to any other endpoint', () => {
    expect(recordedRequests.length, 'the API tests recorded no requests').to.be.greaterThan(0)
    const strays = recordedRequests.filter((request) => !ENDPOINTS.some((endpoint) => matches(endpoint, request)))
    expect(strays.map((request) => describeRequest(request))).to.deep.equal([])
  })

  it('flags requests off the spec, so the checks above are live', () => {
    const badBody = contracts.checkRequest({
      body: {operation: {key: 'read', target: 'galaxy'}, subject: {identifier: 'g-1', type: 'group'}},
      headers: {'content-type': 'application/json'},
      method: 'POST',
      path: '/wiki/rest/api/space/ENG/permission',
      query: {},
    })
    expect(badBody.kind).to.equal('violation')
    const badQuery = contracts.checkRequest({
      body: undefined,
      headers: {},
      method: 'GET',
      path: '/wiki/api/v2/spaces',
      query: {limit: '1000'},
    })
    expect(badQuery.kind).to.equal('violation')
    const tooManyEmails = contracts.checkRequest({
      body: {emails: Array.from({length: 101}, (_, i) => `u${i}@example.com`)},
      headers: {'content-type': 'application/json'},
      method: 'POST',
      path: '/wiki/api/v2/user/access/check-access-by-email',
      query: {},
    })
    expect(tooManyEmails.kind).to.equal('violation')
    const roleWithoutPrefix = contracts.checkRequest({
      body: {emails: ['a@example.com'], permissionRules: [{resource: 'ari:cloud:confluence::site/c1', role: 'user'}]},
      headers: {'content-type': 'application/json'},
      method: 'POST',
      path: '/admin/v2/orgs/org-1/users/invite',
      query: {},
    })
    expect(roleWithoutPrefix.kind).to.equal('violation')
  })
})
