import {expect} from 'chai'

import {listApiKeys, listApiTokens, type ListedCredential} from '../../../src/lib/api/api-access.js'
import {matchAdminKey, matchApiToken, oauthExpiry, parseExpiryDate} from '../../../src/lib/auth/credential-expiry.js'
import {listedExpiry} from '../../../src/lib/auth/listed-expiry.js'
import {CfadminError} from '../../../src/lib/errors.js'
import {adminClient, API_HOST, intercept, ORG} from '../api/support.js'

const NOW = Date.parse('2026-12-02T10:00:00Z')
const DAY = 86_400_000
const at = (days: number) => new Date(NOW + days * DAY).toISOString()
const TOKENS = `/admin/api-access/v1/orgs/${ORG}/api-tokens`
const KEYS = `/admin/api-access/v1/orgs/${ORG}/api-keys`

const token = (accountId: string, days: number, extra: Partial<ListedCredential> = {}): ListedCredential => ({
  expiresAt: at(days),
  kind: 'api-token',
  owner: {accountId, email: `${accountId}@acme.example`},
  ...extra,
})

describe('credential expiry', () => {
  describe('reading the API-access listing (nock)', () => {
    it('follows links.next across pages and reads owner, label, expiresAt and lastActiveAt', async () => {
      intercept(API_HOST)
        .get(TOKENS)
        .reply(200, {
          data: [
            {
              expiresAt: at(20),
              id: 't1',
              label: 'crawler',
              lastActiveAt: at(-1),
              user: {email: 'c@acme.example', id: 'acc-c'},
            },
          ],
          links: {next: 'cursor-2'},
        })
        .get(TOKENS)
        .query({cursor: 'cursor-2'})
        .reply(200, {data: [{expiresAt: at(40), id: 't2', user: {id: 'acc-d'}}], links: {}})
      const listed = await listApiTokens(await adminClient(), ORG)
      expect(listed).to.deep.equal([
        {
          expiresAt: at(20),
          id: 't1',
          kind: 'api-token',
          label: 'crawler',
          lastActiveAt: at(-1),
          owner: {accountId: 'acc-c', email: 'c@acme.example', name: undefined},
          status: undefined,
        },
        {
          expiresAt: at(40),
          id: 't2',
          kind: 'api-token',
          label: undefined,
          lastActiveAt: undefined,
          owner: {accountId: 'acc-d', email: undefined, name: undefined},
          status: undefined,
        },
      ])
    })

    it('tolerates entries without the fields it looks for (the schema is unconfirmed)', async () => {
      intercept(API_HOST)
        .get(KEYS)
        .reply(200, {data: [{name: 'ci key'}, {expiresAt: 42, id: 'k2'}], links: {}})
      const keys = await listApiKeys(await adminClient(), ORG)
      expect(keys.map((k) => [k.label, k.expiresAt, k.owner])).to.deep.equal([
        ['ci key', undefined, undefined],
        [undefined, undefined, undefined],
      ])
    })

    it("matches the profile's token by owner and the only key, and reads nothing it is refused (403) as unknown", async () => {
      intercept(API_HOST)
        .get(TOKENS)
        .reply(403, {
          errors: [{code: 'ADMIN-403-1', detail: 'The API key lacks the scope read:tokens:admin', status: '403'}],
        })
        .get(KEYS)
        .reply(200, {data: [{expiresAt: at(6), id: 'k1', lastActiveAt: at(0), name: 'cfadmin'}], links: {}})
      const expiry = await listedExpiry(
        await adminClient(),
        ORG,
        {adminKey: true, apiToken: {accountId: 'acc-a', email: 'a@acme.example'}},
        NOW,
      )
      expect(expiry.apiToken).to.equal(undefined)
      expect(expiry.adminKey).to.deep.equal({
        checkedAt: new Date(NOW).toISOString(),
        expiresAt: at(6),
        lastActiveAt: at(0),
        source: 'api-access',
      })
    })
  })

  describe('matching a listed token to the one the profile holds', () => {
    it("takes the owner's soonest live token and says it is one of several", () => {
      const expiry = matchApiToken(
        [token('acc-a', 90), token('acc-a', 30), token('acc-a', -3), token('acc-b', 2)],
        {accountId: 'acc-a', email: 'a@acme.example'},
        NOW,
      )
      expect(expiry).to.include({expiresAt: at(30), note: 'the soonest of 2 tokens of a@acme.example'})
    })

    it('matches by email when the entry has no account ID, and knows nothing of an owner not listed', () => {
      const byEmail = [{expiresAt: at(8), kind: 'api-token' as const, owner: {email: 'A@Acme.example'}}]
      expect(matchApiToken(byEmail, {email: 'a@acme.example'}, NOW)).to.include({expiresAt: at(8), note: undefined})
      expect(matchApiToken([token('acc-b', 8)], {accountId: 'acc-a', email: 'a@acme.example'}, NOW)).to.equal(undefined)
    })

    it('knows the Admin key only when the organization has one live key', () => {
      const key = (days: number): ListedCredential => ({expiresAt: at(days), kind: 'admin-key'})
      expect(matchAdminKey([key(7), key(-1)], NOW)).to.include({expiresAt: at(7)})
      expect(matchAdminKey([key(7), key(9)], NOW)).to.equal(undefined)
    })
  })

  describe('auth login --expires', () => {
    it('takes a date as the start of that day (UTC) and a date-time with its zone', () => {
      expect(parseExpiryDate('2027-03-01', NOW)).to.equal('2027-03-01T00:00:00.000Z')
      expect(parseExpiryDate('2027-03-01T12:00:00+02:00', NOW)).to.equal('2027-03-01T10:00:00.000Z')
    })

    it('refuses a non-date, an impossible date and a past one with exit 2 naming the flag and the form', () => {
      for (const bad of ['soon', '03/01/2027', '2027-02-30', '2026-12-01']) {
        const error = rejectionOfSync(() => parseExpiryDate(bad, NOW))
        expect(error.exit, bad).to.equal(2)
        expect(error.message, bad).to.include('--expires')
        expect(error.hint, bad).to.include('YYYY-MM-DD')
      }
    })
  })

  describe('an OAuth grant', () => {
    const grant = {accessToken: 'fake-access', clientId: 'c', clientSecret: 'fake-secret', scopes: []}
    it('expires 90 days after its last renewal (an hour before the access token ends) while cfadmin holds the refresh token', () => {
      const expiry = oauthExpiry({...grant, expiresAt: at(1 / 24), refreshToken: 'fake-refresh'})
      expect(expiry).to.include({expiresAt: at(90), source: 'oauth'})
    })

    it('has no known expiry without a refresh token or once a connector holds it', () => {
      expect(oauthExpiry({...grant, expiresAt: at(0)})).to.equal(undefined)
      expect(oauthExpiry({...grant, expiresAt: at(0), handedOverAt: at(-1), refreshToken: 'fake-refresh'})).to.equal(
        undefined,
      )
    })
  })
})

function rejectionOfSync(run: () => unknown): CfadminError {
  try {
    run()
  } catch (error) {
    if (error instanceof CfadminError) return error
    throw error
  }

  throw new Error('expected an error')
}
