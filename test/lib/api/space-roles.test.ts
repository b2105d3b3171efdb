import {expect} from 'chai'
import nock from 'nock'

import {addSpacePermission} from '../../../src/lib/api/confluence.js'
import {
  assignSpaceRoles,
  getSpaceRoleAssignments,
  getSpaceRoleMode,
  isClassicPermissionsOff,
  listSpaceRoles,
} from '../../../src/lib/api/space-roles.js'
import {CfadminError, ExitCode} from '../../../src/lib/errors.js'
import {rejectionOf} from '../http/helpers.js'
import {intercept, noteTest, SITE, siteClient} from './support.js'

const ROLES_PATH = '/wiki/api/v2/space-roles'
const ASSIGNMENTS = '/wiki/api/v2/spaces/101/role-assignments'

describe('api/space-roles (site)', () => {
  beforeEach(function () {
    noteTest(this.currentTest?.fullTitle() ?? '')
  })

  describe('getSpaceRoleMode', () => {
    it('reads the mode', async () => {
      const scope = intercept(SITE).get('/wiki/api/v2/space-role-mode').reply(200, {mode: 'ROLES_TRANSITION'})
      expect(await getSpaceRoleMode(await siteClient())).to.equal('ROLES_TRANSITION')
      scope.done()
    })

    it('answers undefined on 404 (a site without the endpoint) and throws other errors', async () => {
      intercept(SITE).get('/wiki/api/v2/space-role-mode').reply(404, {message: 'Not found', statusCode: 404})
      expect(await getSpaceRoleMode(await siteClient())).to.equal(undefined)
      intercept(SITE).get('/wiki/api/v2/space-role-mode').reply(401, {message: 'Unauthorized', statusCode: 401})
      expect(await rejectionOf(getSpaceRoleMode(await siteClient()))).to.have.property('status', 401)
    })

    it('refuses a mode it does not know instead of guessing', async () => {
      intercept(SITE).get('/wiki/api/v2/space-role-mode').reply(200, {mode: 'SOMETHING_NEW'})
      const error = await rejectionOf(getSpaceRoleMode(await siteClient()))
      expect(error).to.be.instanceOf(CfadminError).and.to.have.property('exit', ExitCode.unreachable)
    })
  })

  describe('listSpaceRoles and getSpaceRoleAssignments', () => {
    it('reads every page of the roles, 250 a page', async () => {
      const scope = intercept(SITE)
        .get(ROLES_PATH)
        .query({limit: 250})
        .reply(200, {
          _links: {next: `${ROLES_PATH}?cursor=c2&limit=250`},
          results: [{description: 'd', id: 'r-admin', name: 'Admin', spacePermissions: [], type: 'SYSTEM'}],
        })
        .get(ROLES_PATH)
        .query({cursor: 'c2', limit: 250})
        .reply(200, {
          _links: {},
          results: [
            {description: 'd', id: 'r-ro', name: 'Read-only', spacePermissions: ['read/space'], type: 'CUSTOM'},
          ],
        })
      expect(await listSpaceRoles(await siteClient())).to.deep.equal([
        {id: 'r-admin', name: 'Admin', type: 'SYSTEM'},
        {id: 'r-ro', name: 'Read-only', type: 'CUSTOM'},
      ])
      scope.done()
    })

    it('reads a space’s role assignments as user, group and access-class principals, skipping unknown kinds', async () => {
      const scope = intercept(SITE)
        .get(ASSIGNMENTS)
        .query({limit: 250})
        .reply(200, {
          _links: {},
          results: [
            {principal: {principalId: '712020:ann', principalType: 'USER'}, roleId: 'r-viewer'},
            {principal: {principalId: 'g-1', principalType: 'GROUP'}, roleId: 'r-admin'},
            {principal: {principalId: 'anonymous-users', principalType: 'ACCESS_CLASS'}, roleId: 'r-viewer'},
            {principal: {principalId: 'x', principalType: 'toString'}, roleId: 'r-viewer'},
            {principal: {principalId: 'app-1', principalType: 'APP'}, roleId: 'r-viewer'},
          ],
        })
      expect(await getSpaceRoleAssignments(await siteClient(), '101')).to.deep.equal([
        {principal: {id: '712020:ann', type: 'user'}, roleId: 'r-viewer'},
        {principal: {id: 'g-1', type: 'group'}, roleId: 'r-admin'},
        {principal: {id: 'anonymous-users', type: 'access-class'}, roleId: 'r-viewer'},
      ])
      scope.done()
    })
  })

  describe('assignSpaceRoles', () => {
    it('POSTs each principal with its roleId', async () => {
      const scope = intercept(SITE)
        .post(ASSIGNMENTS, [{principal: {principalId: 'g-1', principalType: 'GROUP'}, roleId: 'r-viewer'}])
        .reply(200, {_links: {}, results: []})
      await assignSpaceRoles(await siteClient(), '101', [{principal: {id: 'g-1', type: 'group'}, roleId: 'r-viewer'}])
      scope.done()
    })

    it('never sends an entry without a roleId (Confluence would remove that role): a bug, refused before any request', async () => {
      const watched: string[] = []
      const listen = (req: {path?: string}) => watched.push(req.path ?? '')
      nock.emitter.on('no match', listen)
      try {
        for (const roleId of ['', undefined]) {
          const error = await rejectionOf(
            assignSpaceRoles(await siteClient(), '101', [
              {principal: {id: '712020:ok', type: 'user'}, roleId: 'r-viewer'},
              {principal: {id: '712020:ann', type: 'user'}, roleId: roleId as unknown as string},
            ]),
          )
          expect(error).to.be.instanceOf(CfadminError).and.to.include({code: 'ROLE_ID_MISSING', exit: 1})
        }
      } finally {
        nock.emitter.removeListener('no match', listen)
      }

      expect(watched).to.deep.equal([])
    })
  })

  describe('isClassicPermissionsOff', () => {
    it('is a 400 that mentions roles, and nothing else', async () => {
      const answer = async (status: number, message: string) => {
        intercept(SITE).post('/wiki/rest/api/space/ENG/permission').reply(status, {message, statusCode: status})
        return isClassicPermissionsOff(
          await rejectionOf(addSpacePermission(await siteClient(), 'ENG', {identifier: 'g-1', type: 'group'})),
        )
      }

      expect(await answer(400, 'Classic permissions are off site-wide; use space roles')).to.equal(true)
      expect(await answer(400, 'No group found with the given groupName or groupId')).to.equal(false)
      expect(await answer(403, 'Space roles: not authorized')).to.equal(false)
    })
  })
})
