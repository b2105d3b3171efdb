import {execFileSync, spawn} from 'node:child_process'
import {
  chmodSync,
  chownSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

import {expect} from 'chai'

import {CfadminError, ExitCode} from '../../../src/lib/errors.js'
import {checkProfileName, ProfileStore} from '../../../src/lib/session/profile-store.js'
import {rejectionOf} from '../../support/rejection.js'
import {useTempDir} from '../../support/temp-dir.js'

const here = dirname(fileURLToPath(import.meta.url))
const root = resolve(here, '../../..')

describe('profile store', () => {
  let dir: string
  let store: ProfileStore
  const temp = useTempDir('cfadmin-profiles-')
  beforeEach(() => {
    dir = join(temp.path, 'config')
    store = new ProfileStore(dir)
  })

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

  it('six processes each adding a profile at the same time: all six are saved', async function () {
    this.timeout(120_000)
    mkdirSync(dir, {mode: 0o700})
    const names = Array.from({length: 6}, (_, i) => `team-${i}`)
    const children = names.map((name) => {
      const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'fixtures', 'add-profile.ts'), dir, name], {
        cwd: root,
        stdio: ['ignore', 'pipe', 'inherit'],
      })
      const ready = new Promise<void>((resolvePromise) => child.stdout.on('data', () => resolvePromise()))
      const exited = new Promise<number | null>((resolvePromise) => child.on('exit', resolvePromise))
      return {exited, ready}
    })
    await Promise.all(children.map((c) => c.ready))
    writeFileSync(`${dir}.go`, '')
    expect(await Promise.all(children.map((c) => c.exited))).to.deep.equal(names.map(() => 0))
    expect(Object.keys((await store.read()).profiles).sort()).to.deep.equal(names)
    expect(readdirSync(dir)).to.deep.equal(['profiles.json'])
  })

  it('changes made at the same time in one process all survive', async () => {
    await Promise.all(
      Array.from({length: 10}, (_, i) => store.update(`p${i}`, () => ({site: {url: `https://p${i}.atlassian.net`}}))),
    )
    expect(Object.keys((await store.read()).profiles)).to.have.length(10)
  })

  for (const name of ['__proto__', 'constructor', 'a b', '-rf', '../x', '', 'x'.repeat(65), 'team\u001b]0;pwned']) {
    it(`refuses ${JSON.stringify(name)} as a profile name unless it is a plain one (exit 2)`, async () => {
      if (name === 'constructor') {
        // A plain word: allowed, and an ordinary key, never Object.prototype.constructor.
        expect(await store.get(name)).to.equal(undefined)
        await store.update(name, () => ({site: {url: 'https://acme.atlassian.net'}}))
        expect(JSON.parse(readFileSync(store.path, 'utf8')).profiles.constructor).to.deep.equal({
          site: {url: 'https://acme.atlassian.net'},
        })
        expect((await store.get(name))?.site?.url).to.equal('https://acme.atlassian.net')
        return
      }

      expect(() => checkProfileName(name))
        .to.throw(CfadminError)
        .with.property('exit', ExitCode.badInput)
      const error = await rejectionOf<CfadminError>(store.update(name, () => ({})))
      expect(error.code).to.equal('PROFILE_NAME_INVALID')
      expect(error.message).to.not.include('\u001b')
    })
  }

  it('keeps a "__proto__" entry of the file as a profile like any other, and saves it back', async () => {
    mkdirSync(dir, {mode: 0o700})
    writeFileSync(
      store.path,
      '{"version": 1, "profiles": {"__proto__": {"site": {"url": "https://odd.atlassian.net"}}}}',
      {mode: 0o600},
    )
    expect(Object.keys((await store.read()).profiles)).to.deep.equal(['__proto__'])
    await store.update('default', () => ({}))
    expect(Object.keys(JSON.parse(readFileSync(store.path, 'utf8')).profiles)).to.deep.equal(['__proto__', 'default'])
  })

  it('refuses a file whose "profiles" is a list (exit 2) and says how to fix it', async () => {
    mkdirSync(dir, {mode: 0o700})
    writeFileSync(store.path, '{"version": 1, "profiles": []}', {mode: 0o600})
    const error = await rejectionOf<CfadminError>(
      store.update('default', () => ({site: {url: 'https://acme.atlassian.net'}})),
    )
    expect(error.code).to.equal('PROFILE_CORRUPT')
    expect(error.message).to.include('list')
    expect(error.hint).to.include('"profiles": {')
    expect(readFileSync(store.path, 'utf8')).to.equal('{"version": 1, "profiles": []}')
  })

  it('never quotes the file in the error about invalid JSON (it holds secrets)', async () => {
    mkdirSync(dir, {mode: 0o700})
    writeFileSync(
      store.path,
      '{"version": 1, "profiles": {"default": {"apiToken": {"token": "fake-secret-token" oops',
      {mode: 0o600},
    )
    const error = await rejectionOf<CfadminError>(store.read())
    expect(error.code).to.equal('PROFILE_CORRUPT')
    expect(error.message + error.hint).to.not.include('fake-secret')
  })

  it('refuses a FIFO at profiles.json at once (exit 2), never waiting for a writer', async function () {
    if (process.platform === 'win32') this.skip()
    mkdirSync(dir, {mode: 0o700})
    execFileSync('mkfifo', ['-m', '600', store.path])
    const error = await rejectionOf<CfadminError>(store.read())
    expect(error.code).to.equal('PROFILE_NOT_A_FILE')
    expect(error.exit).to.equal(ExitCode.badInput)
  })

  it('refuses a folder at profiles.json (exit 2)', async () => {
    mkdirSync(store.path, {recursive: true})
    const error = await rejectionOf<CfadminError>(store.get('default'))
    expect(error.code).to.equal('PROFILE_NOT_A_FILE')
  })

  it('refuses a symbolic link at profiles.json and leaves the linked file alone', async () => {
    mkdirSync(dir, {mode: 0o700})
    const target = join(dir, '..', 'elsewhere.json')
    writeFileSync(target, '{"version": 1, "profiles": {}}', {mode: 0o600})
    symlinkSync(target, store.path)
    const error = await rejectionOf<CfadminError>(store.update('default', () => ({})))
    expect(error.code).to.equal('PROFILE_NOT_A_FILE')
    expect(error.exit).to.equal(ExitCode.badInput)
    expect(readFileSync(target, 'utf8')).to.equal('{"version": 1, "profiles": {}}')
  })

  it('refuses a profiles.json that belongs to another user', async function () {
    if (process.platform === 'win32' || process.getuid?.() !== 0) this.skip()
    await store.update('default', () => ({}))
    chownSync(store.path, 4242, 4242)
    expect((await rejectionOf<CfadminError>(store.read())).code).to.equal('PROFILE_OWNER')
  })

  it('leaves the mode of an existing folder alone (a shared 1777 folder keeps its sticky bit)', async function () {
    if (process.platform === 'win32') this.skip()
    mkdirSync(dir)
    chmodSync(dir, 0o1777)
    await store.update('default', () => ({}))
    expect(statSync(dir).mode & 0o7777).to.equal(0o1777)
    expect(statSync(store.path).mode & 0o777).to.equal(0o600)
  })

  it('refuses to save into an existing folder others can write to without the sticky bit', async function () {
    if (process.platform === 'win32') this.skip()
    mkdirSync(dir)
    chmodSync(dir, 0o777)
    const error = await rejectionOf<CfadminError>(store.update('default', () => ({})))
    expect(error.code).to.equal('CONFIG_DIR_SHARED')
    expect(error.hint).to.include(`chmod go-w ${dir}`)
    expect(readdirSync(dir)).to.deep.equal([])
  })

  it('removes temp files a killed save left behind (dead pid), and only those', async () => {
    mkdirSync(dir, {mode: 0o700})
    const old = new Date(Date.now() - 120_000)
    for (const name of ['.profiles.json.999999999.0badc0de.tmp', '.profiles.json.999999999.lock.tmp', 'notes.tmp']) {
      writeFileSync(join(dir, name), '')
      utimesSync(join(dir, name), old, old)
    }

    await store.update('default', () => ({}))
    expect(readdirSync(dir).sort()).to.deep.equal(['.profiles.json.999999999.lock.tmp', 'notes.tmp', 'profiles.json'])
  })

  it('a mistyped profile name is an error (exit 2) with the closest saved name', async () => {
    await store.update('acme-prod', () => ({site: {url: 'https://acme.atlassian.net'}}))
    const error = await rejectionOf<CfadminError>(store.named('acme-prd'))
    expect(error.code).to.equal('PROFILE_UNKNOWN')
    expect(error.exit).to.equal(ExitCode.badInput)
    expect(error.hint).to.equal('Did you mean --profile acme-prod?')
    expect((await store.named('acme-prod'))?.site?.url).to.equal('https://acme.atlassian.net')
  })

  it('an unknown profile far from any saved name says that only auth login creates profiles', async () => {
    const error = await rejectionOf<CfadminError>(store.named('staging'))
    expect(error.message).to.include('none is saved yet')
    expect(error.hint).to.include('cfadmin auth login --profile staging')
  })

  it('"default" may be missing: the credentials can all come from CFADMIN_* variables', async () => {
    expect(await store.named('default')).to.equal(undefined)
  })
})
