import {chmodSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'

import {CfadminError} from '../../../src/lib/errors.js'
import {ProfileStore} from '../../../src/lib/session/profile-store.js'
import {rejectionOf} from '../../support/rejection.js'

describe('profile store', () => {
  let dir: string
  let store: ProfileStore
  beforeEach(() => {
    dir = join(mkdtempSync(join(tmpdir(), 'cfadmin-profiles-')), 'config')
    store = new ProfileStore(dir)
  })
  afterEach(() => rmSync(join(dir, '..'), {force: true, recursive: true}))

  it('reads as empty before anything is saved', async () => {
    expect(await store.read()).to.deep.equal({profiles: {}, version: 1})
  })

  it('creates the folder 0700 and the file 0600, and leaves no temp file', async () => {
    await store.update('default', () => ({site: {url: 'https://acme.atlassian.net'}}))
    expect(statSync(dir).mode & 0o777).to.equal(0o700)
    expect(statSync(store.path).mode & 0o777).to.equal(0o600)
    expect(readdirSync(dir)).to.deep.equal(['profiles.json'])
  })

  it('keeps other profiles when one is changed, and removes a profile whose change returns nothing', async () => {
    await store.update('default', () => ({site: {url: 'https://acme.atlassian.net'}}))
    await store.update('crawler', () => ({site: {url: 'https://other.atlassian.net'}}))
    await store.update('default', (p) => ({...p, apiToken: {email: 'a@acme.example', token: 'fake-token-1'}}))
    expect(Object.keys((await store.read()).profiles)).to.deep.equal(['default', 'crawler'])
    expect((await store.get('default'))?.apiToken?.token).to.equal('fake-token-1')
    await store.update('crawler', () => undefined)
    expect(await store.get('crawler')).to.equal(undefined)
  })

  it('refuses a profile file other users can read, naming the chmod that fixes it', async function () {
    if (process.platform === 'win32') this.skip()
    await store.update('default', () => ({site: {url: 'https://acme.atlassian.net'}}))
    chmodSync(store.path, 0o644)
    const error = await rejectionOf<CfadminError>(store.read())
    expect(error.code).to.equal('PROFILE_PERMISSIONS')
    expect(error.hint).to.include(`chmod 600 ${store.path}`)
  })

  it('refuses a corrupt profile file with exit 2 and says how to start over', async () => {
    await store.update('default', () => ({}))
    writeFileSync(store.path, '{"version": 1, "profiles": ', {mode: 0o600})
    const error = await rejectionOf<CfadminError>(store.read())
    expect(error.code).to.equal('PROFILE_CORRUPT')
    expect(error.exit).to.equal(2)
    expect(error.hint).to.include('cfadmin auth login')
  })
})
