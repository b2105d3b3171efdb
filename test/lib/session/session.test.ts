import {expect} from 'chai'

import {CfadminError} from '../../../src/lib/errors.js'
import {adminKeyCredentials, apiTokenCredentials, resolveSession} from '../../../src/lib/session/session.js'

const stored = {
  adminKey: {directoryId: 'dir-1', key: 'fake-admin-key-0001', orgId: 'org-1'},
  apiToken: {accountId: 'acc-1', displayName: 'Ada', email: 'ada@acme.example', token: 'fake-api-token-ada'},
  site: {cloudId: 'cloud-1', name: 'acme', url: 'https://acme.atlassian.net'},
}

describe('session resolution', () => {
  it('uses the stored profile and the default Atlassian hosts when no variable is set', () => {
    const session = resolveSession('default', stored, {})
    expect(session.site).to.deep.equal({...stored.site, source: 'profile'})
    expect(session.apiToken).to.include({email: 'ada@acme.example', source: 'profile', token: 'fake-api-token-ada'})
    expect(session.adminKey).to.include({directoryId: 'dir-1', orgId: 'org-1', source: 'profile'})
    expect(session.apiUrl).to.equal('https://api.atlassian.com')
    expect(session.authUrl).to.equal('https://auth.atlassian.com')
  })

  it('lets CFADMIN_* variables win over the profile, for CI', () => {
    const session = resolveSession('default', stored, {
      CFADMIN_ADMIN_KEY: 'fake-admin-key-env',
      CFADMIN_API_TOKEN: 'fake-api-token-env',
      CFADMIN_API_URL: 'http://127.0.0.1:4567/',
      CFADMIN_EMAIL: 'bot@acme.example',
      CFADMIN_ORG_ID: 'org-2',
      CFADMIN_SITE: 'http://127.0.0.1:4567',
    })
    expect(session.site).to.deep.equal({
      cloudId: undefined,
      name: undefined,
      source: 'env',
      url: 'http://127.0.0.1:4567',
    })
    expect(session.apiToken).to.deep.equal({
      accountId: undefined,
      displayName: undefined,
      email: 'bot@acme.example',
      source: 'env',
      token: 'fake-api-token-env',
    })
    expect(session.adminKey).to.deep.equal({
      directoryId: undefined,
      key: 'fake-admin-key-env',
      orgId: 'org-2',
      source: 'env',
    })
    expect(session.apiUrl).to.equal('http://127.0.0.1:4567')
  })

  it('builds Basic and Bearer headers from the right credential', async () => {
    const session = resolveSession('default', stored, {})
    expect(await apiTokenCredentials(session).authorization()).to.equal(
      `Basic ${Buffer.from('ada@acme.example:fake-api-token-ada').toString('base64')}`,
    )
    expect(await adminKeyCredentials(session).authorization()).to.equal('Bearer fake-admin-key-0001')
  })

  it('says which login adds a missing credential (exit 4)', () => {
    const empty = resolveSession('crawler', undefined, {})
    for (const [make, flag] of [
      [apiTokenCredentials, '--email'],
      [adminKeyCredentials, '--with-admin-key'],
    ] as const) {
      try {
        make(empty)
        expect.fail('expected an error')
      } catch (error) {
        expect(error).to.be.instanceOf(CfadminError)
        expect((error as CfadminError).exit).to.equal(4)
        expect((error as CfadminError).hint).to.include(flag)
      }
    }
  })

  describe('the stored API token stays with its site', () => {
    it('is not used when CFADMIN_SITE names another origin: exit 4 saying whose site it is and how to get one', () => {
      for (const other of ['https://evil.example', 'other', 'https://acme.atlassian.net:8443']) {
        const session = resolveSession('crawler', stored, {CFADMIN_SITE: other})
        expect(session.apiToken, other).to.equal(undefined)
        let error: unknown
        try {
          apiTokenCredentials(session)
        } catch (error_) {
          error = error_
        }

        expect(error, other).to.be.instanceOf(CfadminError).and.include({code: 'TOKEN_FOR_OTHER_SITE', exit: 4})
        expect((error as CfadminError).message)
          .to.include('https://acme.atlassian.net')
          .and.not.include('fake-api-token-ada')
        expect((error as CfadminError).hint)
          .to.include('CFADMIN_API_TOKEN')
          .and.include(`cfadmin auth login --site ${session.site?.url}`)
          .and.include('--profile crawler')
      }
    })

    it('is used when CFADMIN_SITE names the same site, however it is written', () => {
      for (const same of ['acme', 'acme.atlassian.net', 'https://acme.atlassian.net/wiki/spaces/ENG']) {
        expect(resolveSession('default', stored, {CFADMIN_SITE: same}).apiToken, same).to.include({
          token: 'fake-api-token-ada',
        })
      }
    })

    it('gives way to CFADMIN_API_TOKEN for the other site', () => {
      const session = resolveSession('default', stored, {
        CFADMIN_API_TOKEN: 'fake-api-token-other',
        CFADMIN_SITE: 'other',
      })
      expect(session.apiToken).to.include({token: 'fake-api-token-other'})
      expect(session.apiTokenElsewhere).to.equal(undefined)
    })
  })
})
