import {expect} from 'chai'

import type {UsersFindResult} from '../../../src/commands/users/find.js'
import {runCommand} from '../../support/run-command.js'
import {
  admin,
  adminLogin,
  adminPage,
  allDone,
  DIR_PATH,
  site,
  tenantInfo,
  useLogin,
  v1Page,
  withAdminKey,
} from '../support.js'

const find = (...args: string[]) => runCommand<UsersFindResult>(['users', 'find', ...args])

/** The users as --json prints them (properties left undefined are absent). */
const printed = (result: UsersFindResult | undefined) => JSON.parse(JSON.stringify(result?.users ?? null))

const USER = '/wiki/rest/api/user'
const MEMBER_OF = '/wiki/rest/api/user/memberof'

/** Confluence's user as an admin sees it when the user hides their email: "" in place of the address. */
const confluenceUser = (accountId: string, displayName: string, email = '') => ({
  accountId,
  accountType: 'atlassian',
  displayName,
  email,
  publicName: displayName,
  type: 'known',
})
const group = (id: string, name: string) => ({id, name, type: 'group'})

describe('users find', () => {
  useLogin()

  describe('through the Admin API (an Admin key in the login)', () => {
    beforeEach(withAdminKey)

    const searchGroupsOf = (accountId: string, groups: Array<{id: string; name: string}>) =>
      admin()
        .post(`${DIR_PATH}/groups/search`, {accountIds: [accountId], expand: ['counts.users'], limit: 50})
        .reply(200, adminPage(groups))

    it('shows the email a user hides on Confluence, with name, directory status and groups', async () => {
      const directoryUser = {
        accountId: '712020:acc-quiet',
        email: 'quiet@acme.example',
        name: 'Quiet Q',
        status: 'active',
      }
      const scopes = [
        ...adminLogin(),
        // Once to turn the email into an account ID, once for the directory's view of the user.
        admin()
          .post(`${DIR_PATH}/users/search`, {emails: ['quiet@acme.example'], limit: 100})
          .times(2)
          .reply(200, adminPage([directoryUser])),
        site()
          .get(USER)
          .query({accountId: '712020:acc-quiet'})
          .reply(200, confluenceUser('712020:acc-quiet', 'Quiet Q')),
        searchGroupsOf('712020:acc-quiet', [
          {id: 'g-users', name: 'confluence-users-acme'},
          {id: 'g-crawl', name: 'crawlers'},
        ]),
      ]
      const {error, result, stdout} = await find('Quiet@acme.example', '--json')
      expect(error).to.equal(undefined)
      expect(result?.users).to.deep.equal([
        {
          accountId: '712020:acc-quiet',
          email: 'quiet@acme.example',
          groups: ['confluence-users-acme', 'crawlers'],
          input: 'Quiet@acme.example',
          serviceAccount: false,
          name: 'Quiet Q',
          status: 'active',
        },
      ])
      expect(JSON.parse(stdout)).to.deep.equal(result)
      expect(process.exitCode ?? 0).to.equal(0)
      allDone(...scopes)
    })

    describe('service accounts', () => {
      const SA = 'crawler@serviceaccount.atlassian.com'
      /** A user found by email: the search (twice: resolve, then the directory's view), Confluence's profile, groups. */
      const found = (email: string, accountId: string, accountType: string) => [
        admin()
          .post(`${DIR_PATH}/users/search`, {emails: [email], limit: 100})
          .times(2)
          .reply(200, adminPage([{accountId, accountType, email, name: 'Bot', status: 'active'}])),
        site()
          .get(USER)
          .query({accountId})
          .reply(200, confluenceUser(accountId, 'Bot', email)),
        searchGroupsOf(accountId, []),
      ]
      const kinds = (result: UsersFindResult | undefined) =>
        result?.users.map((u) => [u.input, u.serviceAccount] as const)

      it("are marked by their email's domain, whatever account type the directory gives (Kind column, serviceAccount)", async () => {
        const scopes = [...adminLogin(), ...found(SA, '712020:sa-1', 'atlassian')]
        const {result, stdout} = await find(SA)
        expect(kinds(result)).to.deep.equal([[SA, true]])
        expect(stdout.split('\n')[2]).to.match(/\sactive\s+service account\s*$/)
        allDone(...scopes)
      })

      it('are marked by the account type when the directory names a service account, not for "app" alone', async () => {
        const bot = {
          accountId: '712020:bot-1',
          accountType: 'service_account',
          email: 'bot@acme.example',
          name: 'Bot',
          status: 'active',
        }
        const app = {
          accountId: '712020:app-1',
          accountType: 'app',
          email: 'app@acme.example',
          name: 'App',
          status: 'active',
        }
        const scopes = [
          ...adminLogin(),
          // One search turns both emails into account IDs; then one per user for the directory's view.
          admin()
            .post(`${DIR_PATH}/users/search`, {emails: [bot.email, app.email], limit: 100})
            .reply(200, adminPage([bot, app])),
          ...[bot, app].flatMap((user) => [
            admin()
              .post(`${DIR_PATH}/users/search`, {emails: [user.email], limit: 100})
              .reply(200, adminPage([user])),
            site()
              .get(USER)
              .query({accountId: user.accountId})
              .reply(200, confluenceUser(user.accountId, user.name, user.email)),
            searchGroupsOf(user.accountId, []),
          ]),
        ]
        const {error, result, stderr} = await find(bot.email, app.email)
        expect(error, stderr).to.equal(undefined)
        expect(kinds(result)).to.deep.equal([
          [bot.email, true],
          [app.email, false],
        ])
        allDone(...scopes)
      })

      it('one that does not exist is reported (exit 3) with how to create it, not refused', async () => {
        const scopes = [
          ...adminLogin(),
          admin()
            .post(`${DIR_PATH}/users/search`, {emails: [SA], limit: 100})
            .reply(200, adminPage([])),
        ]
        const {result} = await find(SA)
        expect(printed(result)).to.deep.equal([
          {
            email: SA,
            input: SA,
            reason: `no service account has the email ${SA} (service accounts are never invited): create the service account in admin.atlassian.com > Directory > Service accounts`,
            serviceAccount: true,
          },
        ])
        expect(process.exitCode).to.equal(3)
        allDone(...scopes)
      })
    })

    it('says "has product access" for an account ID with roles, since the directory status is only looked up by email', async () => {
      const scopes = [
        ...adminLogin(),
        site()
          .get(USER)
          .query({accountId: '712020:acc-crawler'})
          .reply(200, confluenceUser('712020:acc-crawler', 'Crawler', 'crawler@acme.example')),
        searchGroupsOf('712020:acc-crawler', []),
        admin()
          .get(`${DIR_PATH}/users/712020%3Aacc-crawler/role-assignments`)
          .reply(200, adminPage([{resourceId: 'ari:cloud:confluence::site/x', roleId: 'atlassian/user'}])),
      ]
      const {result, stdout} = await find('712020:acc-crawler')
      expect(result?.users).to.deep.equal([
        {
          accountId: '712020:acc-crawler',
          email: 'crawler@acme.example',
          groups: [],
          input: '712020:acc-crawler',
          serviceAccount: false,
          name: 'Crawler',
          status: 'has product access',
        },
      ])
      const [header, rule, row] = stdout.split('\n')
      expect(header).to.match(/^User\s+Account ID\s+Name\s+Email\s+Status\s+Kind\s+Groups$/)
      expect(rule).to.match(/^-+( +-+)+$/)
      expect(row).to.match(
        /^712020:acc-crawler\s+712020:acc-crawler\s+Crawler\s+crawler@acme\.example\s+has product access\s+user$/,
      )
      allDone(...scopes)
    })

    it('reports an email no account has with the reason in the table, and exits 3', async () => {
      const scopes = [
        ...adminLogin(),
        admin()
          .post(`${DIR_PATH}/users/search`, {emails: ['ghost@acme.example'], limit: 100})
          .reply(200, adminPage([])),
      ]
      const {error, result, stdout} = await find('ghost@acme.example')
      expect(error).to.equal(undefined)
      expect(result?.users).to.deep.equal([
        {
          email: 'ghost@acme.example',
          input: 'ghost@acme.example',
          serviceAccount: false,
          reason: 'no Atlassian account has the email ghost@acme.example',
        },
      ])
      expect(stdout).to.contain('no Atlassian account has the email ghost@acme.example')
      expect(process.exitCode).to.equal(3)
      allDone(...scopes)
    })

    it('reports an account ID nobody has with the reason, still shows the other users, and exits 3', async () => {
      const scopes = [
        ...adminLogin(),
        site()
          .get(USER)
          .query({accountId: '712020:acc-gone'})
          .reply(404, {message: 'No user with accountId 712020:acc-gone', statusCode: 404}),
        searchGroupsOf('712020:acc-gone', []),
        admin()
          .get(`${DIR_PATH}/users/712020%3Aacc-gone/role-assignments`)
          .reply(404, {errors: [{code: 'ADMIN-404-8', status: '404', title: 'User not found'}]}),
        site()
          .get(USER)
          .query({accountId: '712020:acc-crawler'})
          .reply(200, confluenceUser('712020:acc-crawler', 'Crawler')),
        searchGroupsOf('712020:acc-crawler', []),
        admin().get(`${DIR_PATH}/users/712020%3Aacc-crawler/role-assignments`).reply(200, adminPage([])),
      ]
      const {error, result} = await find('712020:acc-gone', '712020:acc-crawler', '--json')
      expect(error).to.equal(undefined)
      expect(printed(result)).to.deep.equal([
        {
          accountId: '712020:acc-gone',
          groups: [],
          input: '712020:acc-gone',
          serviceAccount: false,
          reason: 'no user 712020:acc-gone on the site',
        },
        {
          accountId: '712020:acc-crawler',
          groups: [],
          input: '712020:acc-crawler',
          name: 'Crawler',
          serviceAccount: false,
        },
      ])
      expect(process.exitCode).to.equal(3)
      allDone(...scopes)
    })
  })

  describe('through Confluence (no Admin key)', () => {
    it('shows "(hidden)" for an email the user hides, with name and groups', async () => {
      const scopes = [
        tenantInfo(),
        site()
          .get(USER)
          .query({accountId: '712020:acc-quiet'})
          .reply(200, confluenceUser('712020:acc-quiet', 'Quiet Q')),
        site()
          .get(MEMBER_OF)
          .query({accountId: '712020:acc-quiet', limit: 200})
          .reply(200, v1Page([group('g-users', 'confluence-users-acme'), group('g-crawl', 'crawlers')])),
      ]
      const {error, result, stdout} = await find('712020:acc-quiet')
      expect(error).to.equal(undefined)
      expect(printed(result)).to.deep.equal([
        {
          accountId: '712020:acc-quiet',
          groups: ['confluence-users-acme', 'crawlers'],
          input: '712020:acc-quiet',
          serviceAccount: false,
          name: 'Quiet Q',
        },
      ])
      expect(stdout.split('\n')[2]).to.match(
        /^712020:acc-quiet\s+712020:acc-quiet\s+Quiet Q\s+\(hidden\)\s+user\s+confluence-users-acme, crawlers$/,
      )
      allDone(...scopes)
    })

    it('reports an account ID Confluence does not know with the reason, and exits 3', async () => {
      const scopes = [
        tenantInfo(),
        site().get(USER).query({accountId: '712020:acc-gone'}).reply(404, {message: 'No user', statusCode: 404}),
      ]
      const {result, stdout} = await find('712020:acc-gone')
      expect(result?.users).to.deep.equal([
        {
          accountId: '712020:acc-gone',
          input: '712020:acc-gone',
          reason: 'no user 712020:acc-gone on the site',
          serviceAccount: false,
        },
      ])
      expect(stdout).to.contain('no user 712020:acc-gone on the site')
      expect(process.exitCode).to.equal(3)
      allDone(...scopes)
    })

    it('refuses emails without an Admin key or --map (exit 2)', async () => {
      const scopes = [tenantInfo()]
      const {error} = await find('ada@acme.example')
      expect(error?.oclif?.exit).to.equal(2)
      expect((error as {code?: string} | undefined)?.code).to.equal('EMAILS_NEED_ADMIN_KEY')
      allDone(...scopes)
    })
  })
})
