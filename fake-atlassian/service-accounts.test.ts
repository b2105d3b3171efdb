import {expect} from 'chai'

import {basicAuth, bearer, defaultSeedCredentials as seed, defaultSeedIds as ids} from './credentials.js'
import {hasConfluenceAccess, userByEmail, writes} from './helpers.js'
import {seatsUsed} from './model.js'
import {call} from './testing.js'
import {useFakeAtlassian} from './use-fake.js'

const key = bearer(seed.adminKey)
const org = `/admin/v2/orgs/${seed.orgId}`
const listing = `/admin/api-access/v1/orgs/${seed.orgId}/service-accounts`
const SERVICE_ACCOUNT = 'search-crawler@serviceaccount.atlassian.com'
const CLOUD = seed.cloudId

describe('fake Atlassian: service accounts (default seed)', () => {
  const fake = useFakeAtlassian()

  describe('in the directory', () => {
    it('are found by email like users, active, with the account type of behaviour.serviceAccountType', async () => {
      const search = () =>
        call(fake, 'POST', `${org}/directories/${seed.directoryId}/users/search`, key, {emails: [SERVICE_ACCOUNT]})
      const {body, status} = await search()
      expect(status).to.equal(200)
      expect(body.data).to.have.length(1)
      expect(body.data[0]).to.deep.include({
        accountId: ids.accounts.searchCrawler,
        accountType: 'app',
        email: SERVICE_ACCOUNT,
        status: 'active',
      })
      fake.state.behaviour.serviceAccountType = 'atlassian'
      expect((await search()).body.data[0].accountType).to.equal('atlassian')
    })

    it('take no licence seat when given Confluence access, even on a full site', async () => {
      const site = fake.state.sites[0]
      site.licenceLimit = seatsUsed(fake.state, CLOUD)
      const {status} = await call(
        fake,
        'POST',
        `/admin/v1/orgs/${seed.orgId}/users/${ids.accounts.searchCrawler}/roles/assign`,
        key,
        {
          resource: ids.siteAri,
          role: 'atlassian/user',
        },
      )
      expect(status).to.equal(204)
      expect(hasConfluenceAccess(fake, ids.accounts.searchCrawler)).to.equal(true)
      expect(seatsUsed(fake.state, CLOUD)).to.equal(site.licenceLimit)
    })
  })

  describe('invitations', () => {
    it('the Admin API refuses to invite a service-account email (any case), inviting nobody of the request', async () => {
      const {body, status} = await call(fake, 'POST', `${org}/users/invite`, key, {
        emails: ['new.person@acme.example', 'Other-Bot@ServiceAccount.Atlassian.com'],
        permissionRules: [{resource: ids.siteAri, role: 'atlassian/user'}],
      })
      expect(status).to.equal(400)
      expect(body.errors[0].detail)
        .to.include('Service accounts cannot be invited: Other-Bot@ServiceAccount.Atlassian.com')
        .and.include('admin.atlassian.com > Directory > Service accounts')
      expect(userByEmail(fake, 'new.person@acme.example')).to.equal(undefined)
      expect(userByEmail(fake, 'other-bot@serviceaccount.atlassian.com')).to.equal(undefined)
    })

    it("Confluence's invite-by-email drops a service-account email: no account, no access", async () => {
      const {status} = await call(
        fake,
        'POST',
        '/wiki/api/v2/user/access/invite-by-email',
        basicAuth(seed.adminToken.email, seed.adminToken.token),
        {
          emails: ['new-bot@serviceaccount.atlassian.com', SERVICE_ACCOUNT],
        },
      )
      expect(status).to.equal(200)
      expect(userByEmail(fake, 'new-bot@serviceaccount.atlassian.com')).to.equal(undefined)
      expect(hasConfluenceAccess(fake, ids.accounts.searchCrawler)).to.equal(false)
    })
  })

  describe('GET /admin/api-access/v1/orgs/{orgId}/service-accounts', () => {
    it("lists the org's service accounts, and only them", async () => {
      const {body, status} = await call(fake, 'GET', listing, key)
      expect(status).to.equal(200)
      expect(body).to.deep.equal({
        data: [
          {
            accountType: 'app',
            description: 'Service account of the enterprise-search connector',
            email: SERVICE_ACCOUNT,
            id: ids.accounts.searchCrawler,
            name: 'Search crawler',
            status: 'active',
          },
          {
            accountType: 'app',
            email: 'crawler-bot@serviceaccount.atlassian.com',
            id: ids.accounts.crawlerBot,
            name: 'Crawler Bot (service account)',
            status: 'active',
          },
        ],
        links: {},
      })
    })

    it('pages with limit and a links.next cursor', async () => {
      for (const n of [1, 2]) {
        fake.state.users.push({
          accountId: `712020:fake-sa-${n}`,
          apiTokens: [],
          directoryId: seed.directoryId,
          email: `bot-${n}@serviceaccount.atlassian.com`,
          emailVisible: true,
          name: `Bot ${n}`,
          serviceAccount: true,
          siteAdmin: false,
          status: 'active',
        })
      }

      // The seed's two service accounts, then these two.
      const first = await call(fake, 'GET', `${listing}?limit=3`, key)
      expect(first.body.data).to.have.length(3)
      const next = await call(fake, 'GET', `${listing}?cursor=${first.body.links.next}`, key)
      expect(next.body.data.map((a: {email: string}) => a.email)).to.deep.equal(['bot-2@serviceaccount.atlassian.com'])
      expect(next.body.links).to.deep.equal({})
    })

    it('refuses as behaviour.serviceAccountListing says, and refuses another org or a credential that is not a key', async () => {
      for (const refusal of [401, 403, 404] as const) {
        fake.state.behaviour.serviceAccountListing = refusal
        expect((await call(fake, 'GET', listing, key)).status, String(refusal)).to.equal(refusal)
      }

      fake.state.behaviour.serviceAccountListing = 'allow'
      expect((await call(fake, 'GET', '/admin/api-access/v1/orgs/org-other/service-accounts', key)).status).to.equal(
        404,
      )
      expect((await call(fake, 'GET', listing)).status).to.equal(401)
      expect(writes(fake)).to.deep.equal([])
    })
  })
})
