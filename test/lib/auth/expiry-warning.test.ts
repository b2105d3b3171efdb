import {mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {expect} from 'chai'

import {expiryWarnings, WARNING_STATE_FILE} from '../../../src/lib/auth/expiry-warning.js'
import type {Profile} from '../../../src/lib/session/profile.js'
import {useTempDir} from '../../support/temp-dir.js'

const DAY = 86_400_000
const NOW = Date.parse('2026-12-02T09:00:00Z')
const at = (days: number) => new Date(NOW + days * DAY).toISOString()

const profileExpiring = (days: number): Profile => ({
  apiToken: {
    email: 'crawler@acme.example',
    expiry: {checkedAt: at(-1), expiresAt: at(days), source: 'api-access'},
    token: 'fake-api-token-crawler',
  },
  site: {url: 'https://acme.atlassian.net'},
})

describe('the once-a-day expiry warning', () => {
  const temp = useTempDir('cfadmin-expiry-warning-', {each: true})
  const warn = (profile: Profile | undefined, now: number, env: NodeJS.ProcessEnv = {}) =>
    expiryWarnings({configDir: temp.path, env, now, profile, profileName: 'crawler'})

  it('warns of a token that expires within 14 days, naming it, the profile, the date and the fix', async () => {
    const lines = await warn(profileExpiring(9), NOW)
    expect(lines).to.deep.equal([
      'the API token of crawler@acme.example (profile "crawler") expires 2026-12-11 (in 9 days), ' +
        "from the Admin API's token listing. Create a new token at https://id.atlassian.com/manage-profile/security/api-tokens, then: cfadmin auth login --with-token.",
    ])
  })

  it('warns once a day: not again later the same day, again the next day', async () => {
    expect(await warn(profileExpiring(9), NOW)).to.have.length(1)
    expect(await warn(profileExpiring(9), NOW + 6 * 3_600_000)).to.deep.equal([])
    expect(await warn(profileExpiring(9), NOW + DAY)).to.have.length(1)
    const state = JSON.parse(readFileSync(join(temp.path, WARNING_STATE_FILE), 'utf8'))
    expect(state.warned).to.deep.equal({crawler: '2026-12-03'})
  })

  it('says nothing of a credential 15 days or more from its end, nor of one the environment replaces', async () => {
    expect(await warn(profileExpiring(15), NOW)).to.deep.equal([])
    expect(await warn(profileExpiring(3), NOW, {CFADMIN_API_TOKEN: 'fake-api-token-other'})).to.deep.equal([])
    expect(await warn(undefined, NOW)).to.deep.equal([])
  })

  it('still warns when the state file is not readable JSON, and when it cannot be written', async () => {
    writeFileSync(join(temp.path, WARNING_STATE_FILE), '{not json')
    expect(await warn(profileExpiring(2), NOW)).to.have.length(1)

    const blocked = join(temp.path, 'blocked')
    mkdirSync(join(blocked, WARNING_STATE_FILE), {recursive: true})
    const lines = await expiryWarnings({
      configDir: blocked,
      env: {},
      now: NOW,
      profile: profileExpiring(2),
      profileName: 'x',
    })
    expect(lines).to.have.length(1)
  })

  it('says an expired credential has expired', async () => {
    const [line] = await warn(profileExpiring(-2), NOW)
    expect(line).to.include('expired on 2026-11-30')
  })

  it("warns of a service account's client secret whose expiry the login was given", async () => {
    const profile: Profile = {
      clientCredentials: {
        clientId: 'fake-sa-client-0001',
        clientSecret: 'fake-sa-secret-0001',
        expiry: {checkedAt: at(-1), expiresAt: at(6), source: 'given'},
      },
      site: {url: 'https://acme.atlassian.net'},
    }
    const [line] = await warn(profile, NOW)
    expect(line).to.include(
      'the client secret of fake-sa-client-0001 (profile "crawler") expires 2026-12-08 (in 6 days)',
    )
    expect(line).to.include('admin.atlassian.com > Directory > Service accounts')
    expect(line).not.to.include('fake-sa-secret-0001')
  })
})
