import {readFileSync} from 'node:fs'

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
  ORG_PATH,
  outcomes,
  site,
  SITE_ARI,
  spaced,
  tenantInfo,
  useLogin,
  withAdminKey,
} from '../support.js'

const invite = (...args: string[]) => runCommand<RunReport>(['users', 'invite', ...args])

const CHECK = '/wiki/api/v2/user/access/check-access-by-email'
const INVITE_BY_EMAIL = '/wiki/api/v2/user/access/invite-by-email'

/** Atlassian's answer to an Admin API invite: one entry per email with its role and group results. */
const invited = (
  email: string,
  accountId: string,
  role = 'atlassian/user',
  status = 'INVITED',
  statusReason: string | null = null,
) => ({
  data: [
    {
      email,
      id: accountId,
      results: [{groupAssignmentResult: [], roleAssignmentResult: [{resource: SITE_ARI, role, status, statusReason}]}],
    },
  ],
})

describe('users invite', () => {
  const login = useLogin()

  describe('through the Admin API (an Admin key in the login)', () => {
    beforeEach(withAdminKey)

    /** The user search the check makes for one email, answered with these users. */
    const search = (email: string, users: unknown[] = []) =>
      admin()
        .post(`${DIR_PATH}/users/search`, {emails: [email], limit: 100})
        .reply(200, adminPage(users))

    it("invites a new email with the Confluence user role on the site's resource ARI, and says no email went out without --message", async () => {
      const scopes = [
        ...adminLogin(),
        search('new@acme.example'),
        admin()
          .post(`${ORG_PATH}/users/invite`, {
            emails: ['new@acme.example'],
            permissionRules: [{resource: SITE_ARI, role: 'atlassian/user'}],
            sendNotification: true,
          })
          .reply(200, invited('new@acme.example', '712020:acc-new')),
      ]
      const {error, result, stderr} = await invite('New@Acme.example', '--json')
      expect(error, stderr).to.equal(undefined)
      expect(result?.items).to.deep.equal([
        {
          description: 'invite new@acme.example to Confluence as user',
          detail: 'INVITED',
          key: 'invite:new@acme.example',
          outcome: 'done',
          row: {email: 'new@acme.example'},
        },
      ])
      expect(result?.counts).to.include({already: 0, done: 1, failed: 0})
      expect(result?.notes).to.deep.equal([
        'no invitation email went out: Atlassian sends one only with a text (--message TEXT); the invitees have access without it.',
      ])
      expect(stderr, 'no warning on the Admin route').to.equal('')
      allDone(...scopes)
    })

    it('sends the --message text as notificationText, and then says nothing about the email', async () => {
      const scopes = [
        ...adminLogin(),
        search('new@acme.example'),
        admin()
          .post(`${ORG_PATH}/users/invite`, {
            emails: ['new@acme.example'],
            notificationText: 'Welcome',
            permissionRules: [{resource: SITE_ARI, role: 'atlassian/user'}],
            sendNotification: true,
          })
          .reply(200, invited('new@acme.example', '712020:acc-new')),
      ]
      const {result, stderr} = await invite('new@acme.example', '--message', 'Welcome')
      expect(outcomes(result)).to.deep.equal({'invite:new@acme.example': 'done'})
      expect(result?.notes).to.equal(undefined)
      expect(stderr).not.to.include('no invitation email')
      allDone(...scopes)
    })

    it('invites --role user-access-admin as atlassian/user (the invite refuses that role), then assigns the role', async () => {
      const scopes = [
        ...adminLogin(),
        search('new@acme.example'),
        admin()
          .post(`${ORG_PATH}/users/invite`, {
            emails: ['new@acme.example'],
            permissionRules: [{resource: SITE_ARI, role: 'atlassian/user'}],
            sendNotification: true,
          })
          .reply(200, invited('new@acme.example', '712020:acc-new')),
        admin()
          .post('/admin/v1/orgs/org-1/users/712020%3Aacc-new/roles/assign', {
            resource: SITE_ARI,
            role: 'atlassian/user-access-admin',
          })
          .reply(204),
      ]
      const {result} = await invite('new@acme.example', '--role', 'user-access-admin', '--json')
      expect(itemOf(result, 'invite:new@acme.example')).to.include({
        detail: 'INVITED as atlassian/user, then given atlassian/user-access-admin',
        outcome: 'done',
      })
      allDone(...scopes)
    })

    it('fails the invitation, naming the role, when the assignment after it is refused', async () => {
      const scopes = [
        ...adminLogin(),
        search('new@acme.example'),
        admin().post(`${ORG_PATH}/users/invite`).reply(200, invited('new@acme.example', '712020:acc-new')),
        admin()
          .post('/admin/v1/orgs/org-1/users/712020%3Aacc-new/roles/assign')
          .reply(400, {errors: [{code: 'ADMIN-UAM-400-5', status: '400', title: 'Empty/Invalid Resource'}]}),
      ]
      const {result} = await invite('new@acme.example', '--role', 'user-access-admin', '--json')
      const item = itemOf(result, 'invite:new@acme.example')
      expect(item.outcome).to.equal('failed')
      expect(item.reason).to.match(/^invited as a user, but atlassian\/user-access-admin was not assigned: /)
      expect(process.exitCode).to.equal(3)
      allDone(...scopes)
    })

    it('sends the --role, --group IDs as additionalGroups, sendNotification false for --no-notify and the --message text', async () => {
      const scopes = [
        ...adminLogin(),
        search('new@acme.example'),
        admin()
          .post(`${ORG_PATH}/users/invite`, {
            additionalGroups: ['group-id-1', 'group-id-2'],
            emails: ['new@acme.example'],
            notificationText: 'Welcome to the crawler project',
            permissionRules: [{resource: SITE_ARI, role: 'atlassian/admin'}],
            sendNotification: false,
          })
          .reply(200, invited('new@acme.example', '712020:acc-new', 'atlassian/admin')),
      ]
      const args = [
        'new@acme.example',
        '--role',
        'admin',
        '--group',
        'group-id-1',
        '--group',
        'group-id-2',
        '--no-notify',
        '--message',
        spaced('Welcome to the crawler project'),
      ]
      const {result} = await invite(...args, '--json')
      expect(itemOf(result, 'invite:new@acme.example')).to.include({
        description: 'invite new@acme.example to Confluence as admin',
        outcome: 'done',
      })
      allDone(...scopes)
    })

    it('reports a user who already has a role on the site as "already" and does not invite them', async () => {
      const scopes = [
        ...adminLogin(),
        search('reader@acme.example', [
          {accountId: '712020:acc-reader', email: 'reader@acme.example', name: 'Reader', status: 'active'},
        ]),
        admin()
          .get(`${DIR_PATH}/users/712020%3Aacc-reader/role-assignments`)
          .reply(
            200,
            adminPage([
              {resourceId: 'ari:cloud:jira::site/other', roleId: 'atlassian/user'},
              {resourceId: SITE_ARI, roleId: 'atlassian/user'},
            ]),
          ),
        search('new@acme.example'),
        admin()
          .post(`${ORG_PATH}/users/invite`, (body: {emails: string[]}) => body.emails[0] === 'new@acme.example')
          .reply(200, invited('new@acme.example', '712020:acc-new')),
      ]
      const {error, result, stdout} = await invite('reader@acme.example', 'new@acme.example')
      expect(error).to.equal(undefined)
      expect(stdout).to.match(/already\s+invite reader@acme\.example to Confluence as user/)
      expect(stdout).to.match(/done\s+invite new@acme\.example to Confluence as user\s+INVITED/)
      expect(process.exitCode ?? 0).to.equal(0)
      expect(result?.counts).to.include({already: 1, done: 1})
      allDone(...scopes)
    })

    it('invites an existing account that has no role on this site yet (e.g. a Jira-only user)', async () => {
      const scopes = [
        ...adminLogin(),
        search('jira@acme.example', [{accountId: '712020:acc-jira', email: 'jira@acme.example', status: 'active'}]),
        admin()
          .get(`${DIR_PATH}/users/712020%3Aacc-jira/role-assignments`)
          .reply(200, adminPage([{resourceId: 'ari:cloud:jira::site/other', roleId: 'atlassian/user'}])),
        admin().post(`${ORG_PATH}/users/invite`).reply(200, invited('jira@acme.example', '712020:acc-jira')),
      ]
      const {result} = await invite('jira@acme.example', '--json')
      expect(outcomes(result)).to.deep.equal({'invite:jira@acme.example': 'done'})
      allDone(...scopes)
    })

    it("fails an email Atlassian answers ERROR for, with Atlassian's statusReason as the reason, and exits 3", async () => {
      const scopes = [
        ...adminLogin(),
        search('full@acme.example'),
        admin()
          .post(`${ORG_PATH}/users/invite`)
          .reply(
            200,
            invited(
              'full@acme.example',
              '712020:acc-full',
              'atlassian/user',
              'ERROR',
              'User limit exceeded for Confluence',
            ),
          ),
      ]
      const {error, result, stderr} = await invite('full@acme.example', '--json')
      expect(error).to.equal(undefined)
      expect(itemOf(result, 'invite:full@acme.example')).to.include({
        outcome: 'failed',
        reason: 'User limit exceeded for Confluence',
      })
      expect(process.exitCode).to.equal(3)
      expect(stderr).to.equal('')
      allDone(...scopes)
    })

    it('fails the invitation with the paid-subscription explanation when Atlassian answers 402', async () => {
      const scopes = [
        ...adminLogin(),
        search('new@acme.example'),
        admin()
          .post(`${ORG_PATH}/users/invite`)
          .reply(402, {errors: [{code: 'ADMIN-402-1', status: '402', title: 'Payment Required'}]}),
      ]
      const {error, result} = await invite('new@acme.example', '--json')
      expect(error).to.equal(undefined)
      const item = itemOf(result, 'invite:new@acme.example')
      expect(item.outcome).to.equal('failed')
      expect(item.reason).to.equal(
        'Atlassian refused the invitation (402): the Admin API invite is only available to organizations with at least one paid subscription.',
      )
      expect(process.exitCode).to.equal(3)
      allDone(...scopes)
    })

    it('writes the emails that failed to the --failed-to CSV as an email column, to run again with --file', async () => {
      const failed = login.file('failed.csv', 'old\n')
      const scopes = [
        ...adminLogin(),
        search('full@acme.example'),
        admin()
          .post(`${ORG_PATH}/users/invite`)
          .reply(
            200,
            invited('full@acme.example', '712020:acc-full', 'atlassian/user', 'ERROR', 'User limit exceeded'),
          ),
      ]
      const {stderr} = await invite('full@acme.example', '--failed-to', failed)
      expect(readFileSync(failed, 'utf8')).to.equal('email\nfull@acme.example\n')
      expect(stderr).to.contain(`Wrote 1 failed row(s) to ${failed}`)
      allDone(...scopes)
    })

    it('checks but sends no invitation with --dry-run, and reports it as planned', async () => {
      const scopes = [...adminLogin(), search('new@acme.example')]
      const {result, stderr, stdout} = await invite('new@acme.example', '--dry-run')
      expect(stdout).to.match(/planned\s+invite new@acme\.example to Confluence as user/)
      expect(stderr).to.contain('would change 1, already 0')
      expect(result?.dryRun).to.equal(true)
      allDone(...scopes)
    })
  })

  describe('through Confluence (no Admin key)', () => {
    it('checks access by email, then invites by email, and warns that the route is asynchronous and cannot set a role', async () => {
      const scopes = [
        tenantInfo(),
        site()
          .post(CHECK, {emails: ['new@acme.example']})
          .reply(200, {emailsWithoutAccess: ['new@acme.example'], invalidEmails: []}),
        site()
          .post(INVITE_BY_EMAIL, {emails: ['new@acme.example']})
          .reply(200),
      ]
      const {error, result, stderr} = await invite('new@acme.example', '--json')
      expect(error, stderr).to.equal(undefined)
      expect(stderr).to.equal(
        'Warning: no Admin API key in the profile: inviting through Confluence invite-by-email, which Atlassian processes asynchronously and which cannot set a role.\n',
      )
      expect(itemOf(result, 'invite:new@acme.example')).to.include({
        detail: 'requested (Atlassian processes it asynchronously)',
        outcome: 'done',
      })
      allDone(...scopes)
    })

    it('says a --role other than user is ignored on this route', async () => {
      const scopes = [tenantInfo(), site().post(CHECK).reply(200, {emailsWithoutAccess: [], invalidEmails: []})]
      const {stderr} = await invite('someone@acme.example', '--role', 'admin', '--json')
      expect(stderr).to.contain('cannot set a role (--role admin is ignored).')
      allDone(...scopes)
    })

    it('reports an email that already has access as "already" and sends no invitation', async () => {
      const scopes = [
        tenantInfo(),
        site()
          .post(CHECK, {emails: ['reader@acme.example']})
          .reply(200, {emailsWithoutAccess: [], invalidEmails: []}),
      ]
      const {result} = await invite('reader@acme.example', '--json')
      expect(outcomes(result)).to.deep.equal({'invite:reader@acme.example': 'already'})
      expect(process.exitCode ?? 0).to.equal(0)
      allDone(...scopes)
    })

    it('fails an email Confluence calls invalid, without inviting it, and exits 3', async () => {
      const scopes = [
        tenantInfo(),
        site()
          .post(CHECK, {emails: ['odd@acme.example']})
          .reply(200, {emailsWithoutAccess: [], invalidEmails: ['odd@acme.example']}),
      ]
      const {result} = await invite('odd@acme.example', '--json')
      expect(itemOf(result, 'invite:odd@acme.example')).to.include({
        outcome: 'failed',
        reason: 'Atlassian calls odd@acme.example an invalid email',
      })
      expect(process.exitCode).to.equal(3)
      allDone(...scopes)
    })

    it('checks but sends no invitation with --dry-run', async () => {
      const scopes = [
        tenantInfo(),
        site()
          .post(CHECK)
          .reply(200, {emailsWithoutAccess: ['new@acme.example'], invalidEmails: []}),
      ]
      const {result} = await invite('new@acme.example', '--dry-run', '--json')
      expect(outcomes(result)).to.deep.equal({'invite:new@acme.example': 'planned'})
      expect(result?.dryRun).to.equal(true)
      allDone(...scopes)
    })
  })

  describe('service accounts (never invited)', () => {
    const SA = 'crawler@serviceaccount.atlassian.com'
    const LISTING = '/admin/api-access/v1/orgs/org-1/service-accounts'
    const search = (emails: string[], users: unknown[]) =>
      admin().post(`${DIR_PATH}/users/search`, {emails, limit: 100}).reply(200, adminPage(users))

    it('gives an existing one the role on the site instead of an invitation', async () => {
      withAdminKey()
      const scopes = [
        ...adminLogin(),
        search([SA], [{accountId: '712020:sa-1', accountType: 'app', email: SA, name: 'Crawler', status: 'active'}]),
        admin().get(`${DIR_PATH}/users/712020%3Asa-1/role-assignments`).reply(200, adminPage([])),
        admin()
          .post('/admin/v1/orgs/org-1/users/712020%3Asa-1/roles/assign', {resource: SITE_ARI, role: 'atlassian/user'})
          .reply(204),
      ]
      const {error, result, stderr} = await invite(SA.toUpperCase(), '--json')
      expect(error, stderr).to.equal(undefined)
      expect(result?.items).to.deep.equal([
        {
          description: `give the service account ${SA} the Confluence user role (service accounts are not invited)`,
          detail: 'given atlassian/user (a service account is not invited)',
          key: 'access:user:712020:sa-1',
          outcome: 'done',
          row: {email: SA},
        },
      ])
      allDone(...scopes)
    })

    it("a missing one is exit 2 before anything is sent, with the org's service accounts to pick from", async () => {
      withAdminKey()
      const scopes = [
        ...adminLogin(),
        search(['crawlr@serviceaccount.atlassian.com'], []),
        admin()
          .get(LISTING)
          .reply(200, adminPage([{email: SA, id: '712020:sa-1', name: 'Crawler'}])),
      ]
      const {error, stderr} = await invite('new@acme.example', 'crawlr@serviceaccount.atlassian.com')
      expect(error?.oclif?.exit).to.equal(2)
      expect((error as {code?: string} | undefined)?.code).to.equal('SERVICE_ACCOUNT_MISSING')
      expect(stderr)
        .to.contain('No service account has the email crawlr@serviceaccount.atlassian.com (argument 2)')
        .and.contain(`crawlr@serviceaccount.atlassian.com: did you mean ${SA}?`)
        .and.contain(`  Crawler <${SA}>`)
        .and.contain('Hint: Create the service account in admin.atlassian.com > Directory > Service accounts')
      allDone(...scopes)
    })

    it('leaves the list out when the key may not read it (403), still exit 2', async () => {
      withAdminKey()
      const scopes = [
        ...adminLogin(),
        search([SA], []),
        admin()
          .get(LISTING)
          .reply(403, {errors: [{code: 'ADMIN-403-1', detail: 'missing scope', status: '403'}]}),
      ]
      const {error, stderr} = await invite(SA)
      expect(error?.oclif?.exit).to.equal(2)
      expect(stderr)
        .to.contain(`No service account has the email ${SA}`)
        .and.not.contain("organization's service accounts")
      allDone(...scopes)
    })
  })

  describe('bad input (exit 2, nothing sent)', () => {
    it('refuses a malformed email before any request, naming where it came from', async () => {
      withAdminKey()
      const {error, stderr} = await invite('good@acme.example', 'not-an-email@')
      expect(error?.oclif?.exit).to.equal(2)
      expect((error as {code?: string} | undefined)?.code).to.equal('USER_INVALID')
      expect(stderr).to.contain('"not-an-email@" (argument 2)')
      expect(stderr).to.contain('Hint: Fix those entries; nothing was sent to Atlassian.')
      allDone()
    })

    it('refuses a malformed email in a --file, naming its line', async () => {
      const file = login.file('people.csv', 'email\nada@acme.example\nbob at acme.example\n')
      const {error, stderr} = await invite('--file', file)
      expect(error?.oclif?.exit).to.equal(2)
      expect(stderr).to.contain(`"bob at acme.example" (${file} line 3)`)
      allDone()
    })

    it('refuses a run without any email', async () => {
      const {error, stderr} = await invite()
      expect(error?.oclif?.exit).to.equal(2)
      expect(stderr).to.contain('Error: No users given.')
      allDone()
    })

    it('refuses an account ID, since invitations go to emails, before any request', async () => {
      const {error, stderr} = await invite('new@acme.example', '712020:abc')
      expect(error?.oclif?.exit).to.equal(2)
      expect((error as {code?: string} | undefined)?.code).to.equal('INVITE_NEEDS_EMAIL')
      expect(stderr).to.contain('"712020:abc" (argument 2) is not one.')
      allDone()
    })
  })
})
