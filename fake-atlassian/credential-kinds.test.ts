import {expect} from 'chai'

import {basicAuth, bearer, defaultSeedCredentials as seed, defaultSeedIds as ids} from './credentials.js'
import {createState, readSeed, seedPath} from './state.js'
import {call} from './testing.js'
import {useFakeAtlassian} from './use-fake.js'

const HOUR_MS = 60 * 60_000

describe('fake Atlassian: scoped API tokens and client credentials (atlassian-2026.md §4)', () => {
  const fake = useFakeAtlassian()
  const gateway = `/ex/confluence/${seed.cloudId}`
  const scoped = basicAuth(seed.scopedToken.email, seed.scopedToken.token)
  const classic = basicAuth(seed.adminToken.email, seed.adminToken.token)
  const sa = seed.serviceAccount

  const get = (path: string, authorization: string) =>
    fetch(fake.url + path, {headers: {authorization}}).then(async (res) => ({
      body: (await res.json()) as Record<string, unknown>,
      status: res.status,
    }))
  const token = (body: Record<string, string>, form = false) =>
    fetch(`${fake.url}/oauth/token`, {
      body: form ? new URLSearchParams(body) : JSON.stringify(body),
      headers: {'content-type': form ? 'application/x-www-form-urlencoded' : 'application/json'},
      method: 'POST',
    }).then(async (res) => ({body: (await res.json()) as Record<string, unknown>, status: res.status}))
  const clientToken = (form = false) =>
    token({client_id: sa.clientId, client_secret: sa.clientSecret, grant_type: 'client_credentials'}, form)

  describe('scoped API tokens', () => {
    it('answers a scoped token with 401 on the site and accepts it (Basic) on the gateway', async () => {
      expect((await get('/wiki/rest/api/user/current', scoped)).status).to.equal(401)
      const there = await get(`${gateway}/wiki/rest/api/user/current`, scoped)
      expect(there.status).to.equal(200)
      expect(there.body.accountId).to.equal(ids.accounts.admin)
    })

    it('refuses a classic token sent as Basic to the gateway (strict: unconfirmed there)', async () => {
      expect((await get(`${gateway}/wiki/rest/api/user/current`, classic)).status).to.equal(401)
    })

    it('checks a scoped token against its scopes on the gateway: 401 "scope does not match" without them', async () => {
      const admin = fake.state.users.find((u) => u.accountId === ids.accounts.admin)!
      admin.apiTokens = [{scoped: true, scopes: ['read:space:confluence'], token: 'fake-scoped-token-narrow'}]
      const narrow = basicAuth(seed.adminToken.email, 'fake-scoped-token-narrow')
      const groups = await get(`${gateway}/wiki/rest/api/group`, narrow)
      expect(groups.status).to.equal(401)
      expect(groups.body.message).to.equal('Unauthorized; scope does not match')
      expect((await get(`${gateway}/wiki/rest/api/group`, scoped)).status).to.equal(401) // no longer the admin's
    })
  })

  describe('OAuth client credentials (grant_type=client_credentials)', () => {
    for (const form of [false, true]) {
      it(`gives a 60-minute access token and no refresh token (${form ? 'form' : 'JSON'} body)`, async () => {
        const answer = await clientToken(form)
        expect(answer.status).to.equal(200)
        expect(answer.body).to.include({expires_in: 3600, token_type: 'Bearer'})
        expect(answer.body).not.to.have.property('refresh_token')
        const me = await get(`${gateway}/wiki/rest/api/user/current`, bearer(String(answer.body.access_token)))
        expect(me.body.accountId).to.equal(ids.accounts.crawlerBot)
      })
    }

    it('refuses the token an hour later on the fake clock, and a new request gives a working one', async () => {
      fake.clock.pause()
      const first = bearer(String((await clientToken()).body.access_token))
      fake.clock.advance(HOUR_MS - 1000)
      expect((await get(`${gateway}/wiki/rest/api/user/current`, first)).status).to.equal(200)
      fake.clock.advance(1000)
      const expired = await get(`${gateway}/wiki/rest/api/user/current`, first)
      expect([expired.status, expired.body.message]).to.deep.equal([401, 'Unauthorized; access token expired'])
      const next = bearer(String((await clientToken()).body.access_token))
      expect((await get(`${gateway}/wiki/rest/api/user/current`, next)).status).to.equal(200)
    })

    it('answers a wrong secret or an unknown client with 401 access_denied, and a missing secret with 400', async () => {
      for (const body of [
        {client_id: sa.clientId, client_secret: 'fake-sa-secret-wrong', grant_type: 'client_credentials'},
        {client_id: 'fake-sa-client-nope', client_secret: sa.clientSecret, grant_type: 'client_credentials'},
      ]) {
        const answer = await token(body)
        expect([answer.status, answer.body.error]).to.deep.equal([401, 'access_denied'])
      }

      const missing = await token({client_id: sa.clientId, grant_type: 'client_credentials'})
      expect([missing.status, missing.body.error]).to.deep.equal([400, 'invalid_request'])
    })

    it('answers 401 for a service account that was deactivated', async () => {
      fake.state.users.find((u) => u.accountId === ids.accounts.crawlerBot)!.status = 'deactivated'
      expect((await clientToken()).status).to.equal(401)
    })

    it('checks the tokens against the client credentials scopes on the gateway', async () => {
      const access = bearer(String((await clientToken()).body.access_token))
      const read = await call(fake, 'GET', `${gateway}/wiki/rest/api/group`, access)
      expect(read.status).to.equal(200)
      const write = await call(fake, 'POST', `${gateway}/wiki/rest/api/group`, access, {name: 'bots'})
      expect([write.status, (write.body as {message?: string}).message]).to.deep.equal([
        401,
        'Unauthorized; scope does not match',
      ])
    })

    it('refuses a seed whose client credentials name an unknown account', () => {
      const base = readSeed(seedPath('default'))
      const bad = {...base, clientCredentials: [{...base.clientCredentials![0], accountId: '712020:nobody'}]}
      expect(() => createState(bad)).to.throw('client credentials fake-sa-client-0001: unknown account 712020:nobody')
    })
  })
})
