import {expect} from 'chai'

import type {RunReport} from '../../../src/lib/engine/operation.js'
import {runCommand} from '../../support/run-command.js'
import {
  admin,
  adminLogin,
  adminPage,
  allDone,
  DIR_PATH,
  itemOf,
  ORG,
  outcomes,
  site,
  SITE_ARI,
  tenantInfo,
  useLogin,
  v1Page,
  withAdminKey,
} from '../support.js'

const grantAccess = (...args: string[]) => runCommand<RunReport>(['users', 'grant-access', ...args])

const PICKER = '/wiki/rest/api/group/picker'
const GROUPS = '/wiki/rest/api/group'
const MEMBER_OF = '/wiki/rest/api/user/memberof'
const ADD_MEMBER = '/wiki/rest/api/group/userByGroupId'

const group = (id: string, name: string) => ({id, name, type: 'group'})

describe('users grant-access', () => {
  const login = useLogin()

  describe('through the Admin API (an Admin key in the login)', () => {
    beforeEach(withAdminKey)

    const roles = (accountId: string, assignments: Array<{resourceId: string; roleId: string}>) =>
      admin()
        .get(`${DIR_PATH}/users/${encodeURIComponent(accountId)}/role-assignments`)
        .reply(200, adminPage(assignments))
    const assign = (accountId: string, role: string) =>
      admin()
        .post(`/admin/v1/orgs/${ORG}/users/${encodeURIComponent(accountId)}/roles/assign`, {resource: SITE_ARI, role})
        .reply(204)

    it("looks emails up in the directory, checks each user's role assignments, and assigns the role only where it is missing", async () => {
      const scopes = [
        ...adminLogin(),
        admin()
          .post(`${DIR_PATH}/users/search`, {emails: ['reader@acme.example', 'crawler@acme.example'], limit: 100})
          .reply(
            200,
            adminPage([
              {accountId: '712020:acc-reader', email: 'reader@acme.example', status: 'active'},
              {accountId: '712020:acc-crawler', email: 'crawler@acme.example', status: 'active'},
            ]),
          ),
        roles('712020:acc-reader', [{resourceId: SITE_ARI, roleId: 'atlassian/user'}]),
        roles('712020:acc-crawler', [{resourceId: 'ari:cloud:jira::site/other', roleId: 'atlassian/user'}]),
        assign('712020:acc-crawler', 'atlassian/user'),
      ]
      const {error, result} = await grantAccess('Reader@acme.example', 'crawler@acme.example', '--json')
      expect(error).to.equal(undefined)
      expect(outcomes(result)).to.deep.equal({
        'access:user:712020:acc-crawler': 'done',
        'access:user:712020:acc-reader': 'already',
      })
      expect(itemOf(result, 'access:user:712020:acc-crawler')).to.include({
        description: 'give crawler@acme.example the Confluence user role',
      })
      expect(process.exitCode ?? 0).to.equal(0)
      allDone(...scopes)
    })

    it('assigns --role admin to an account ID as atlassian/admin, even when the user already has the user role', async () => {
      const scopes = [
        ...adminLogin(),
        roles('712020:acc-reader', [{resourceId: SITE_ARI, roleId: 'atlassian/user'}]),
        assign('712020:acc-reader', 'atlassian/admin'),
      ]
      const {result} = await grantAccess('712020:acc-reader', '--role', 'admin', '--json')
      expect(outcomes(result)).to.deep.equal({'access:admin:712020:acc-reader': 'done'})
      allDone(...scopes)
    })

    it('fails an email no account has, with the reason, gives the others their role, and exits 3', async () => {
      const scopes = [
        ...adminLogin(),
        admin()
          .post(`${DIR_PATH}/users/search`)
          .reply(200, adminPage([{accountId: '712020:acc-crawler', email: 'crawler@acme.example'}])),
        roles('712020:acc-crawler', []),
        assign('712020:acc-crawler', 'atlassian/user'),
      ]
      const {result} = await grantAccess('ghost@acme.example', 'crawler@acme.example', '--json')
      expect(itemOf(result, 'access:user:ghost@acme.example')).to.include({
        outcome: 'failed',
        reason: 'no Atlassian account has the email ghost@acme.example',
      })
      expect(itemOf(result, 'access:user:712020:acc-crawler').outcome).to.equal('done')
      expect(process.exitCode).to.equal(3)
      allDone(...scopes)
    })

    it('gives a service account its role like a user, and stops (exit 2) before any change when one does not exist', async () => {
      const SA = 'crawler@serviceaccount.atlassian.com'
      const found = [
        ...adminLogin(),
        admin()
          .post(`${DIR_PATH}/users/search`, {emails: [SA], limit: 100})
          .reply(200, adminPage([{accountId: '712020:sa-1', accountType: 'app', email: SA, status: 'active'}])),
        roles('712020:sa-1', []),
        assign('712020:sa-1', 'atlassian/user'),
      ]
      const {result} = await grantAccess(SA, '--json')
      expect(outcomes(result)).to.deep.equal({'access:user:712020:sa-1': 'done'})
      allDone(...found)

      const missing = [
        ...adminLogin(),
        admin()
          .post(`${DIR_PATH}/users/search`, {
            emails: ['crawler@acme.example', 'gone@serviceaccount.atlassian.com'],
            limit: 100,
          })
          .reply(200, adminPage([{accountId: '712020:acc-crawler', email: 'crawler@acme.example'}])),
        admin().get(`/admin/api-access/v1/orgs/${ORG}/service-accounts`).reply(200, adminPage([])),
      ]
      const {error, stderr} = await grantAccess('crawler@acme.example', 'gone@serviceaccount.atlassian.com')
      expect(error?.oclif?.exit).to.equal(2)
      expect(stderr)
        .to.include('No service account has the email gone@serviceaccount.atlassian.com (argument 2)')
        .and.include('The organization has no service accounts yet.')
      allDone(...missing)
    })

    it('assigns nothing with --dry-run and reports the missing role as planned', async () => {
      const scopes = [...adminLogin(), roles('712020:acc-crawler', [])]
      const {result, stdout} = await grantAccess('712020:acc-crawler', '--dry-run')
      expect(stdout).to.match(/planned\s+give 712020:acc-crawler the Confluence user role/)
      expect(result?.counts).to.include({planned: 1})
      allDone(...scopes)
    })
  })

  describe("through the site's default groups (no Admin key)", () => {
    it('adds users to confluence-users-<site>, looked up by name once, after checking the groups each is in', async () => {
      const scopes = [
        tenantInfo(),
        site()
          .get(PICKER)
          .query({limit: 200, query: 'confluence-users-acme'})
          .once()
          .reply(
            200,
            v1Page([group('g-users2', 'confluence-users-acme-old'), group('g-users', 'confluence-users-acme')]),
          ),
        site()
          .get(MEMBER_OF)
          .query({accountId: '712020:acc-reader', limit: 200})
          .reply(200, v1Page([group('g-other', 'jira-users'), group('g-users', 'confluence-users-acme')])),
        site().get(MEMBER_OF).query({accountId: '712020:acc-crawler', limit: 200}).reply(200, v1Page([])),
        site().post(ADD_MEMBER, {accountId: '712020:acc-crawler'}).query({groupId: 'g-users'}).reply(201),
      ]
      const {error, result} = await grantAccess('712020:acc-reader', '712020:acc-crawler', '--json')
      expect(error).to.equal(undefined)
      expect(outcomes(result)).to.deep.equal({
        'access:user:712020:acc-crawler': 'done',
        'access:user:712020:acc-reader': 'already',
      })
      expect(itemOf(result, 'access:user:712020:acc-crawler').description).to.equal(
        'give 712020:acc-crawler Confluence user access (add to confluence-users-acme)',
      )
      allDone(...scopes)
    })

    it('uses confluence-admins-<site> for --role admin', async () => {
      const scopes = [
        tenantInfo(),
        site()
          .get(PICKER)
          .query({limit: 200, query: 'confluence-admins-acme'})
          .reply(200, v1Page([group('g-admins', 'Confluence-Admins-ACME')])),
        site().get(MEMBER_OF).query({accountId: '712020:acc-crawler', limit: 200}).reply(200, v1Page([])),
        site().post(ADD_MEMBER, {accountId: '712020:acc-crawler'}).query({groupId: 'g-admins'}).reply(201),
      ]
      const {result} = await grantAccess('712020:acc-crawler', '--role', 'admin', '--json')
      expect(outcomes(result)).to.deep.equal({'access:admin:712020:acc-crawler': 'done'})
      allDone(...scopes)
    })

    it('uses the group that gives user access (accessType) when confluence-users-<site> is missing, and says so', async () => {
      const scopes = [
        tenantInfo(),
        site().get(PICKER).query({limit: 200, query: 'confluence-users-acme'}).reply(200, v1Page([])),
        site()
          .get(GROUPS)
          .query({accessType: 'user', limit: 200})
          .reply(200, v1Page([group('g-legacy', 'confluence-users')])),
        site().get(MEMBER_OF).query({accountId: '712020:acc-crawler', limit: 200}).reply(200, v1Page([])),
        site().post(ADD_MEMBER, {accountId: '712020:acc-crawler'}).query({groupId: 'g-legacy'}).reply(201),
      ]
      const {result, stderr} = await grantAccess('712020:acc-crawler')
      expect(outcomes(result)).to.deep.equal({'access:user:712020:acc-crawler': 'done'})
      const note =
        'the site has no group confluence-users-acme: using confluence-users, which gives Confluence user access.'
      expect(result?.notes).to.deep.equal([note])
      expect(stderr).to.include(`Note: ${note}`)
      allDone(...scopes)
    })

    it('stops before any change (exit 2) when the site has neither the default group nor one that gives the access', async () => {
      const scopes = [
        tenantInfo(),
        site().get(PICKER).query({limit: 200, query: 'confluence-users-acme'}).reply(200, v1Page([])),
        site().get(GROUPS).query({accessType: 'user', limit: 200}).reply(200, v1Page([])),
      ]
      const {error} = await grantAccess('712020:acc-crawler', '--json')
      expect(error).to.include({code: 'DEFAULT_GROUP_MISSING'})
      expect(error?.message).to.equal(
        'The site has no group confluence-users-acme and no group that gives Confluence user access: cfadmin cannot give the user role without an Admin API key.',
      )
      expect(process.exitCode).to.equal(2)
      allDone(...scopes)
    })

    it('explains a refusal to add the member for lack of a licence', async () => {
      const scopes = [
        tenantInfo(),
        site()
          .get(PICKER)
          .query(true)
          .reply(200, v1Page([group('g-users', 'confluence-users-acme')])),
        site().get(MEMBER_OF).query(true).reply(200, v1Page([])),
        site().post(ADD_MEMBER).query(true).reply(403, {message: 'Cannot add user: license exceeded', statusCode: 403}),
      ]
      const {result} = await grantAccess('712020:acc-crawler', '--json')
      const item = itemOf(result, 'access:user:712020:acc-crawler')
      expect(item.outcome).to.equal('failed')
      expect(item.reason).to.match(
        /^no Confluence licence is left on the site to add a user to confluence-users-acme \(.*license exceeded\)$/,
      )
      expect(process.exitCode).to.equal(3)
      allDone(...scopes)
    })

    it('turns emails into account IDs through the user export given with --map', async () => {
      const map = login.file(
        'export-users.csv',
        'User id,User name,email,User status\n712020:acc-ada,Ada,Ada@acme.example,Active\n712020:acc-bob,Bob,bob@acme.example,Active\n',
      )
      const scopes = [
        tenantInfo(),
        site()
          .get(PICKER)
          .query({limit: 200, query: 'confluence-users-acme'})
          .reply(200, v1Page([group('g-users', 'confluence-users-acme')])),
        site().get(MEMBER_OF).query({accountId: '712020:acc-ada', limit: 200}).reply(200, v1Page([])),
        site().post(ADD_MEMBER, {accountId: '712020:acc-ada'}).query({groupId: 'g-users'}).reply(201),
      ]
      const {result} = await grantAccess('ada@acme.example', 'nobody@acme.example', '--map', map, '--json')
      expect(outcomes(result)).to.deep.equal({
        'access:user:712020:acc-ada': 'done',
        'access:user:nobody@acme.example': 'failed',
      })
      expect(itemOf(result, 'access:user:nobody@acme.example').reason).to.equal(
        'no Atlassian account has the email nobody@acme.example',
      )
      expect(process.exitCode).to.equal(3)
      allDone(...scopes)
    })

    it('refuses emails without an Admin key or --map (exit 2, EMAILS_NEED_ADMIN_KEY) and changes nothing', async () => {
      const scopes = [tenantInfo()]
      const {error, stderr} = await grantAccess('crawler@acme.example')
      expect(error?.oclif?.exit).to.equal(2)
      expect((error as {code?: string} | undefined)?.code).to.equal('EMAILS_NEED_ADMIN_KEY')
      expect(stderr).to.contain(
        'Error: Emails can be turned into account IDs only with an organization Admin API key or a user export',
      )
      expect(stderr).to.contain(
        'Hint: Log in with an Admin API key (cfadmin auth login --with-admin-key), give --map export-users.csv',
      )
      allDone(...scopes)
    })
  })

  describe('bad input (exit 2, nothing sent)', () => {
    it('refuses a role that is not user, admin or user-access-admin', async () => {
      const {error} = await grantAccess('712020:acc-crawler', '--role', 'guest')
      expect(error?.oclif?.exit).to.equal(2)
      expect(error?.message).to.contain('user, admin, user-access-admin')
      allDone()
    })

    it('refuses account IDs like .., --dry-run or /x in a --file before any request, naming each line', async () => {
      const file = login.file('users.txt', '712020:acc-crawler\n..\n--dry-run\n/x\n')
      const {error, stderr} = await grantAccess('--file', file)
      expect(error?.oclif?.exit).to.equal(2)
      expect(stderr).to.contain(
        `Error: Not an email or account ID: ".." (${file} line 2), "--dry-run" (${file} line 3), "/x" (${file} line 4).`,
      )
      allDone()
    })

    it('refuses a malformed account ID, naming where it came from', async () => {
      const {error, stderr} = await grantAccess('712020:acc-reader', 'acc/crawler')
      expect(error?.oclif?.exit).to.equal(2)
      expect(stderr).to.contain('Error: Not an email or account ID: "acc/crawler" (argument 2).')
      allDone()
    })
  })
})
