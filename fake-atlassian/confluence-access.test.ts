import {setTimeout as sleep} from 'node:timers/promises'

import {expect} from 'chai'

import {basicAuth, bearer, defaultSeedCredentials as seed, defaultSeedIds as ids} from './credentials.js'
import {hasConfluenceAccess, isMember, userByEmail} from './helpers.js'
import {call} from './testing.js'
import {useFakeAtlassian} from './use-fake.js'

const admin = basicAuth(seed.adminToken.email, seed.adminToken.token)
const reader = basicAuth(seed.readerToken.email, seed.readerToken.token)
const INVITE = '/wiki/api/v2/user/access/invite-by-email'
const CHECK = '/wiki/api/v2/user/access/check-access-by-email'

describe('fake Atlassian: Confluence v2 access by email (default seed)', () => {
  const fake = useFakeAtlassian()

  describe('POST check-access-by-email', () => {
    it('lists emails without access and invalid emails', async () => {
      const emails = [
        'reader@acme.example',
        'CRAWLER@acme.example',
        'suspended@acme.example',
        'nobody@new.example',
        'not-an-email',
        'hidden@acme.example',
      ]
      const {body, status} = await call(fake, 'POST', CHECK, reader, {emails})
      expect(status).to.equal(200)
      expect(body).to.deep.equal({
        emailsWithoutAccess: ['CRAWLER@acme.example', 'suspended@acme.example', 'nobody@new.example'],
        invalidEmails: ['not-an-email'],
      })
    })

    it('answers 404 to a caller without Confluence access, and 503 when the API is off', async () => {
      fake.state.users.find((u) => u.accountId === ids.accounts.crawler)!.apiTokens.push('fake-api-token-crawler')
      expect(
        (
          await call(fake, 'POST', CHECK, basicAuth('crawler@acme.example', 'fake-api-token-crawler'), {
            emails: ['a@b.example'],
          })
        ).status,
      ).to.equal(404)
      fake.state.sites[0].accessApiEnabled = false
      expect((await call(fake, 'POST', CHECK, admin, {emails: ['a@b.example']})).status).to.equal(503)
    })

    it('records an empty or missing emails list as off-contract', async () => {
      expect((await call(fake, 'POST', CHECK, admin, {emails: []})).status).to.equal(400)
      expect((await call(fake, 'POST', CHECK, admin, {})).status).to.equal(400)
      expect(fake.contractViolations).to.have.length(2)
      fake.contractViolations.length = 0
    })

    it('wants read:configuration:confluence on the gateway', async () => {
      expect(
        (
          await call(fake, 'POST', `/ex/confluence/${seed.cloudId}${CHECK}`, bearer(seed.oauthAccessToken), {
            emails: ['a@b.example'],
          })
        ).status,
      ).to.equal(200)
      expect(
        (
          await call(fake, 'POST', `/ex/confluence/${seed.cloudId}${CHECK}`, bearer(seed.readerOAuthAccessToken), {
            emails: ['a@b.example'],
          })
        ).status,
      ).to.equal(401)
    })
  })

  describe('POST invite-by-email', () => {
    it('answers 200 at once and gives access on the next request: new accounts and existing ones without access', async () => {
      const {body, status} = await call(fake, 'POST', INVITE, reader, {
        emails: ['new.person@new.example', 'crawler@acme.example', 'bad email'],
      })
      expect(status).to.equal(200)
      expect(body).to.equal(undefined)
      expect(fake.state.users.some((u) => u.email === 'new.person@new.example')).to.equal(false) // not applied yet
      expect(fake.state.pendingInvites.map((p) => p.email)).to.deep.equal([
        'new.person@new.example',
        'crawler@acme.example',
      ])
      const check = await call(fake, 'POST', CHECK, reader, {
        emails: ['new.person@new.example', 'crawler@acme.example'],
      })
      expect(check.body.emailsWithoutAccess).to.deep.equal([])
      const created = userByEmail(fake, 'new.person@new.example')!
      expect(created).to.include({directoryId: seed.directoryId, invited: true, status: 'active'})
      expect(isMember(fake, ids.groups.confluenceUsers, created.accountId)).to.equal(true)
      expect(isMember(fake, ids.groups.confluenceUsers, ids.accounts.crawler)).to.equal(true)
    })

    it('leaves users who have access, and suspended accounts, untouched', async () => {
      const before = structuredClone(fake.state.memberships)
      await call(fake, 'POST', INVITE, admin, {emails: ['reader@acme.example', 'suspended@acme.example']})
      expect(fake.state.pendingInvites).to.deep.equal([])
      await call(fake, 'GET', '/_edge/tenant_info')
      expect(fake.state.memberships).to.deep.equal(before)
    })

    it('waits state.behaviour.inviteDelayMs before the invites take effect', async () => {
      fake.state.behaviour.inviteDelayMs = 150
      await call(fake, 'POST', INVITE, admin, {emails: ['later@new.example']})
      expect(
        (await call(fake, 'POST', CHECK, admin, {emails: ['later@new.example']})).body.emailsWithoutAccess,
      ).to.deep.equal(['later@new.example'])
      await sleep(200)
      expect(
        (await call(fake, 'POST', CHECK, admin, {emails: ['later@new.example']})).body.emailsWithoutAccess,
      ).to.deep.equal([])
    })

    it('applies due invites when a test reads the state through the helpers', async () => {
      await call(fake, 'POST', INVITE, admin, {emails: ['helper@new.example']})
      const user = userByEmail(fake, 'helper@new.example')
      expect(user).not.to.equal(undefined)
      expect(hasConfluenceAccess(fake, user!.accountId)).to.equal(true)
    })

    it('creates the account but no access when the licence is full', async () => {
      fake.state.sites[0].licenceLimit = 5
      await call(fake, 'POST', INVITE, admin, {emails: ['full@new.example']})
      const user = userByEmail(fake, 'full@new.example')!
      expect(hasConfluenceAccess(fake, user.accountId)).to.equal(false)
    })

    it('records more than 100 emails as off-contract', async () => {
      const emails = Array.from({length: 101}, (_, i) => `u${i}@new.example`)
      expect((await call(fake, 'POST', INVITE, admin, {emails})).status).to.equal(400)
      expect(fake.contractViolations).to.have.length(1)
      fake.contractViolations.length = 0
    })
  })
})
