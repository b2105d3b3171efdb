import {readdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {expect} from 'chai'
import nock from 'nock'

import {CfadminError, ExitCode} from '../../../src/lib/errors.js'
import {createHttpClient} from '../../../src/lib/http/client.js'
import {OAuthCredentials} from '../../../src/lib/session/oauth-credentials.js'
import type {OAuthGrant, ProfileFile} from '../../../src/lib/session/profile.js'
import {ProfileStore} from '../../../src/lib/session/profile-store.js'
import {logout} from '../../../src/lib/auth/logout.js'
import {rejectionOf} from '../../support/rejection.js'
import {useTempDir} from '../../support/temp-dir.js'

const AUTH = 'https://auth.atlassian.com'
const GATEWAY = 'https://api.atlassian.com/ex/confluence/cloud-fake-1'
const NOW = Date.parse('2026-11-27T20:00:00Z')
const EXPIRED: OAuthGrant = {
  accessToken: 'fake-access-old',
  clientId: 'fake-client-id',
  clientSecret: 'fake-client-secret',
  expiresAt: '2026-11-27T19:00:00.000Z',
  refreshToken: 'fake-refresh-1',
  scopes: ['read:space:confluence', 'offline_access'],
}
const VALID: OAuthGrant = {...EXPIRED, expiresAt: '2026-11-27T20:30:00.000Z'}
/** A store whose disk fills up (or whose writes fail) when told to, and that can report little free space. */
class FaultyStore extends ProfileStore {
  failWrites = false
  free: number | undefined = undefined

  override async freeBytes(): Promise<number | undefined> {
    return this.free ?? super.freeBytes()
  }

  protected override async write(file: ProfileFile): Promise<void> {
    if (this.failWrites) throw Object.assign(new Error('ENOSPC: no space left on device, write'), {code: 'ENOSPC'})
    return super.write(file)
  }
}

const rotated = (n: number) => ({
  access_token: `fake-access-${n}`,
  expires_in: 3600,
  refresh_token: `fake-refresh-${n}`,
  scope: 'read:space:confluence offline_access',
  token_type: 'Bearer',
})

describe('OAuth credentials (rotating refresh tokens)', () => {
  let dir: string
  let store: FaultyStore
  const storedGrant = () => (JSON.parse(readFileSync(store.path, 'utf8')) as ProfileFile).profiles.default.oauth!
  const credentials = async (grant: OAuthGrant) => {
    await store.update('default', () => ({
      oauth: grant,
      site: {cloudId: 'cloud-fake-1', url: 'https://acme.atlassian.net'},
    }))
    return new OAuthCredentials({authUrl: AUTH, grant, now: () => NOW, profileName: 'default', store})
  }

  const gateway = (provider: OAuthCredentials) =>
    createHttpClient({baseUrl: GATEWAY, credentials: provider, family: 'gateway'})

  const temp = useTempDir('cfadmin-oauth-')
  beforeEach(() => {
    dir = temp.path
    store = new FaultyStore(join(dir, 'config'))
  })
  afterEach(() => {
    nock.cleanAll()
  })

  it('twenty requests that find the access token expired cause exactly one refresh', async () => {
    const token = nock(AUTH)
      .post('/oauth/token', (body) => body.refresh_token === 'fake-refresh-1')
      .once()
      .reply(200, rotated(2))
    const api = nock(GATEWAY)
      .matchHeader('authorization', 'Bearer fake-access-2')
      .get('/wiki/rest/api/space')
      .times(20)
      .reply(200, {results: []})
    const client = await gateway(await credentials(EXPIRED))
    await Promise.all(Array.from({length: 20}, () => client.get('wiki/rest/api/space').json()))
    token.done()
    api.done()
  })

  it('writes the new refresh token to the profile before the new access token is used', async () => {
    nock(AUTH).post('/oauth/token').reply(200, rotated(2))
    let storedWhenUsed: string | undefined
    nock(GATEWAY)
      .get('/wiki/rest/api/user/current')
      .reply(200, () => {
        storedWhenUsed = storedGrant().refreshToken
        return {accountId: 'a'}
      })
    await (await gateway(await credentials(EXPIRED))).get('wiki/rest/api/user/current').json()
    expect(storedWhenUsed).to.equal('fake-refresh-2')
    expect(storedGrant()).to.include({accessToken: 'fake-access-2', expiresAt: '2026-11-27T21:00:00.000Z'})
  })

  it('keeps the profile file private (0600) after a rotation', async () => {
    nock(AUTH).post('/oauth/token').reply(200, rotated(2))
    await (await credentials(EXPIRED)).authorization()
    const {statSync} = await import('node:fs')
    expect(statSync(store.path).mode & 0o777).to.equal(0o600)
  })

  it('a 401 on a token not yet expired refreshes once and sends the request again', async () => {
    nock(AUTH).post('/oauth/token').once().reply(200, rotated(2))
    nock(GATEWAY)
      .matchHeader('authorization', 'Bearer fake-access-old')
      .get('/wiki/rest/api/space')
      .reply(401, {message: 'Unauthorized'})
    nock(GATEWAY)
      .matchHeader('authorization', 'Bearer fake-access-2')
      .get('/wiki/rest/api/space')
      .reply(200, {ok: true})
    expect(await (await gateway(await credentials(VALID))).get('wiki/rest/api/space').json()).to.deep.equal({ok: true})
  })

  it('ten requests refused with 401 at the same time share one refresh', async () => {
    const token = nock(AUTH).post('/oauth/token').once().reply(200, rotated(2))
    nock(GATEWAY)
      .matchHeader('authorization', 'Bearer fake-access-old')
      .get('/wiki/rest/api/space')
      .times(10)
      .reply(401, {message: 'Unauthorized'})
    nock(GATEWAY)
      .matchHeader('authorization', 'Bearer fake-access-2')
      .get('/wiki/rest/api/space')
      .times(10)
      .reply(200, {ok: true})
    const client = await gateway(await credentials(VALID))
    await Promise.all(Array.from({length: 10}, () => client.get('wiki/rest/api/space').json()))
    token.done()
  })

  it('a dead refresh token ends with "log in again" (exit 4) after one try, never a loop', async () => {
    const token = nock(AUTH)
      .post('/oauth/token')
      .once()
      .reply(403, {error: 'invalid_grant', error_description: 'Unknown or invalid refresh token.'})
    const client = await gateway(await credentials(EXPIRED))
    const error = await rejectionOf<CfadminError>(client.get('wiki/rest/api/space').json())
    expect(error.code).to.equal('OAUTH_GRANT_EXPIRED')
    expect(error.exit).to.equal(ExitCode.notAuthenticated)
    token.done()
    expect(storedGrant().refreshToken).to.equal('fake-refresh-1')
  })

  it('a 401 that persists after the refresh is reported, not retried again', async () => {
    nock(AUTH).post('/oauth/token').once().reply(200, rotated(2))
    nock(GATEWAY).get('/wiki/rest/api/space').twice().reply(401, {message: 'Unauthorized'})
    const error = await rejectionOf<CfadminError>(
      (await gateway(await credentials(VALID))).get('wiki/rest/api/space').json(),
    )
    expect(error.code).to.equal('HTTP_401')
  })

  for (const [what, headers, body] of [
    ['its body', {}, {code: 401, message: 'Unauthorized; scope does not match'}],
    ['X-Failure-Category', {'X-Failure-Category': 'FAILURE_CLIENT_SCOPE_CHECK'}, {code: 401, message: 'Unauthorized'}],
  ] as const) {
    it(`a gateway 401 for a missing scope (${what}) spends no refresh token: exit 4 naming the endpoint`, async () => {
      const token = nock(AUTH).post('/oauth/token').reply(200, rotated(2))
      const api = nock(GATEWAY).get('/wiki/rest/api/space').once().reply(401, body, headers)
      const error = await rejectionOf<CfadminError>(
        (await gateway(await credentials(VALID))).get('wiki/rest/api/space').json(),
      )
      api.done()
      expect(token.isDone(), 'a token request').to.equal(false)
      expect(error.code).to.equal('OAUTH_SCOPE_MISSING')
      expect(error.exit).to.equal(ExitCode.notAuthenticated)
      expect(error.message).to.contain('GET /wiki/rest/api/space')
      expect(storedGrant().refreshToken).to.equal('fake-refresh-1')
    })
  }

  it('once Atlassian called the refresh token dead (unauthorized_client), later requests say "log in again" without asking again', async () => {
    const token = nock(AUTH)
      .post('/oauth/token')
      .once()
      .reply(403, {error: 'unauthorized_client', error_description: 'refresh_token is invalid'})
    const client = await gateway(await credentials(EXPIRED))
    const first = await rejectionOf<CfadminError>(client.get('wiki/rest/api/space').json())
    const second = await rejectionOf<CfadminError>(client.get('wiki/rest/api/space').json())
    token.done()
    expect([first.code, second.code]).to.deep.equal(['OAUTH_GRANT_EXPIRED', 'OAUTH_GRANT_EXPIRED'])
    expect(first.exit).to.equal(ExitCode.notAuthenticated)
    expect(first.hint).to.contain('Log in again: cfadmin auth login --oauth --client-id')
  })

  it('adopts the tokens another cfadmin process rotated, without asking Atlassian', async () => {
    const provider = await credentials(EXPIRED)
    await store.update('default', (p) => ({
      ...p,
      oauth: {...VALID, accessToken: 'fake-access-9', refreshToken: 'fake-refresh-9'},
    }))
    expect(await provider.authorization()).to.equal('Bearer fake-access-9')
  })

  it('waits for another process holding the refresh lock, then uses what it saved', async () => {
    const provider = await credentials(EXPIRED)
    const lock = `${store.path}.oauth-lock`
    writeFileSync(lock, String(process.pid)) // held by a live process (this one, standing in for another)
    setTimeout(async () => {
      await store.update('default', (p) => ({
        ...p,
        oauth: {...VALID, accessToken: 'fake-access-7', refreshToken: 'fake-refresh-7'},
      }))
      rmSync(lock)
    }, 100)
    expect(await provider.authorization()).to.equal('Bearer fake-access-7')
  })

  it('takes over a lock left by a killed process', async () => {
    nock(AUTH).post('/oauth/token').reply(200, rotated(2))
    const provider = await credentials(EXPIRED)
    writeFileSync(`${store.path}.oauth-lock`, '999999999')
    expect(await provider.authorization()).to.equal('Bearer fake-access-2')
  })

  it('does not refresh on its own a grant whose refresh token was given to a connector', async () => {
    const provider = await credentials({...EXPIRED, handedOverAt: '2026-11-27T19:30:00.000Z'})
    const error = await rejectionOf<CfadminError>(provider.authorization())
    expect(error.code).to.equal('OAUTH_LOGIN_NEEDED')
    expect(error.message).to.contain('connector')
    expect(error.hint).to.contain('cfadmin auth login --oauth')
  })

  it('refreshes a handed-over grant when asked explicitly (auth token --refresh)', async () => {
    nock(AUTH).post('/oauth/token').reply(200, rotated(2))
    const provider = await credentials({...VALID, handedOverAt: '2026-11-27T19:30:00.000Z'})
    expect((await provider.refreshNow()).refreshToken).to.equal('fake-refresh-2')
  })

  it('without a refresh token, an expired login asks to log in again', async () => {
    const error = await rejectionOf<CfadminError>(
      (await credentials({...EXPIRED, refreshToken: undefined})).authorization(),
    )
    expect(error.code).to.equal('OAUTH_LOGIN_NEEDED')
    expect(error.message).to.contain('offline_access')
  })

  it('auth logout during a refresh is not undone by it: nothing is saved, and the command stops with exit 4', async () => {
    const provider = await credentials(EXPIRED)
    nock(AUTH)
      .post('/oauth/token')
      .reply((_uri, _body, callback) => {
        logout({profile: 'default', store}).then(
          () => callback(null, [200, rotated(2)]),
          (error: NodeJS.ErrnoException) => callback(error, [500, '']),
        )
      })
    const error = await rejectionOf<CfadminError>(provider.authorization())
    expect(error.code).to.equal('OAUTH_LOGIN_CHANGED')
    expect(error.exit).to.equal(ExitCode.notAuthenticated)
    expect(error.message).to.include('logged out')
    const saved = JSON.parse(readFileSync(store.path, 'utf8')) as ProfileFile
    expect(saved.profiles.default).to.deep.equal({site: {cloudId: 'cloud-fake-1', url: 'https://acme.atlassian.net'}})
  })

  it('a login logged out before its refresh starts is not refreshed at all', async () => {
    const provider = await credentials(EXPIRED)
    const token = nock(AUTH).post('/oauth/token').reply(200, rotated(2))
    await logout({profile: 'default', store})
    expect((await rejectionOf<CfadminError>(provider.authorization())).code).to.equal('OAUTH_LOGIN_CHANGED')
    expect(token.isDone()).to.equal(false)
    expect((JSON.parse(readFileSync(store.path, 'utf8')) as ProfileFile).profiles.default.oauth).to.equal(undefined)
  })

  it('a new login saved during a refresh wins: the refresh writes nothing over it', async () => {
    const provider = await credentials(EXPIRED)
    const fresh = {...VALID, accessToken: 'fake-access-new-login', refreshToken: 'fake-refresh-new-login'}
    nock(AUTH)
      .post('/oauth/token')
      .reply((_uri, _body, callback) => {
        store
          .update('default', (p) => ({...p, oauth: fresh}))
          .then(
            () => callback(null, [200, rotated(2)]),
            (error: NodeJS.ErrnoException) => callback(error, [500, '']),
          )
      })
    expect((await rejectionOf<CfadminError>(provider.authorization())).code).to.equal('OAUTH_LOGIN_CHANGED')
    expect(storedGrant()).to.deep.equal(fresh)
  })

  it('a renewed login that cannot be saved (disk full) goes to a 0600 rescue file beside the config folder: exit 4 naming it', async () => {
    const provider = await credentials(EXPIRED)
    nock(AUTH)
      .post('/oauth/token')
      .reply(() => {
        store.failWrites = true
        return [200, rotated(2)]
      })
    const error = await rejectionOf<CfadminError>(provider.authorization())
    expect(error.code).to.equal('OAUTH_SAVE_FAILED')
    expect(error.exit).to.equal(ExitCode.notAuthenticated)
    const rescued = readdirSync(dir).filter((name) => name.startsWith('cfadmin-rescued-profiles-default-'))
    expect(rescued).to.have.length(1)
    const rescue = join(dir, rescued[0])
    expect(error.message).to.include(rescue)
    expect(error.hint).to.equal(`Once ${store.configDir} can be written again, put it back: mv ${rescue} ${store.path}`)
    expect(statSync(rescue).mode & 0o777).to.equal(0o600)
    const file = JSON.parse(readFileSync(rescue, 'utf8')) as ProfileFile
    expect(file.profiles.default.oauth).to.include({accessToken: 'fake-access-2', refreshToken: 'fake-refresh-2'})
    expect(file.profiles.default.site).to.deep.equal({cloudId: 'cloud-fake-1', url: 'https://acme.atlassian.net'})
    expect(`${error.message} ${error.hint}`).to.not.include('fake-refresh-2')
  })

  it('with too little free space for the profiles, stops with exit 2 before the refresh token is spent', async () => {
    const provider = await credentials(EXPIRED)
    const token = nock(AUTH).post('/oauth/token').reply(200, rotated(2))
    store.free = 1000
    const error = await rejectionOf<CfadminError>(provider.authorization())
    expect(error.code).to.equal('CONFIG_DIR_FULL')
    expect(error.exit).to.equal(ExitCode.badInput)
    expect(error.message).to.include(store.configDir)
    expect(token.isDone()).to.equal(false)
    expect(storedGrant().refreshToken).to.equal('fake-refresh-1')
  })
})
