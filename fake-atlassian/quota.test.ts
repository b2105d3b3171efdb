import {expect} from 'chai'

import {basicAuth, bearer, defaultSeedCredentials as seed} from './credentials.js'
import {useFakeAtlassian} from './use-fake.js'

const HOUR = 3_600_000

describe('fake Atlassian: the OAuth points quota and 429s of 2026', () => {
  const fake = useFakeAtlassian()
  const gateway = () => `${fake.url}/ex/confluence/${seed.cloudId}/wiki/api/v2/spaces`
  const get = (url: string, authorization: string) => fetch(url, {headers: {authorization}})

  it('meters OAuth gateway traffic per hour: quota headers, NearLimit from 80%, then a 429 naming the quota and its reset', async () => {
    fake.clock.pause()
    fake.clock.advance(HOUR - (fake.clock.now() % HOUR) + 60_000) // one minute into an hour
    fake.state.behaviour.oauthQuotaPerHour = 5
    const answers = []
    for (let i = 0; i < 6; i++) answers.push(await get(gateway(), bearer(seed.oauthAccessToken)))
    expect(answers.map((a) => a.status)).to.deep.equal([200, 200, 200, 200, 200, 429])
    expect(answers.map((a) => a.headers.get('x-beta-ratelimit-nearlimit'))).to.deep.equal([
      'false',
      'false',
      'false',
      'true',
      'true',
      'true',
    ])
    const limited = answers[5]
    const reset = Date.parse(limited.headers.get('x-beta-ratelimit-reset') ?? '')
    expect(reset - fake.clock.now()).to.equal(HOUR - 60_000)
    expect(limited.headers.get('x-beta-ratelimit-reason')).to.match(/quota/)
    expect(limited.headers.get('retry-after')).to.equal(String((HOUR - 60_000) / 1000))
    expect(answers[0].headers.get('beta-ratelimit-policy')).to.equal('"global-app-quota";q=5;w=3600')
    expect(fake.requests.at(-1)?.fault).to.equal('quota')
    fake.clock.advance(HOUR)
    expect((await get(gateway(), bearer(seed.oauthAccessToken))).status, 'a new hour').to.equal(200)
  })

  it('does not meter API-token traffic, and sends no quota header while the knob is 0 (default)', async () => {
    fake.state.behaviour.oauthQuotaPerHour = 1
    const site = await get(`${fake.url}/wiki/api/v2/spaces`, basicAuth(seed.adminToken.email, seed.adminToken.token))
    const again = await get(`${fake.url}/wiki/api/v2/spaces`, basicAuth(seed.adminToken.email, seed.adminToken.token))
    expect([site.status, again.status, site.headers.get('beta-ratelimit-policy')]).to.deep.equal([200, 200, null])
    fake.state.behaviour.oauthQuotaPerHour = 0
    const oauth = await get(gateway(), bearer(seed.oauthAccessToken))
    expect([oauth.status, oauth.headers.get('x-beta-ratelimit-nearlimit')]).to.deep.equal([200, null])
  })

  it('scripts a 429 without Retry-After, and one with an absurd Retry-After sent as given', async () => {
    fake.faults.failNext(1, 429)
    fake.faults.failNext(1, 429, '9223372036854775807')
    const bare = await fetch(`${fake.url}/_edge/tenant_info`)
    const absurd = await fetch(`${fake.url}/_edge/tenant_info`)
    expect([bare.status, bare.headers.get('retry-after')]).to.deep.equal([429, null])
    expect([absurd.status, absurd.headers.get('retry-after')]).to.deep.equal([429, '9223372036854775807'])
  })
})
