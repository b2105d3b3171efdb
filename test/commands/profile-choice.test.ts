import {mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {expect} from 'chai'

import {runCommand} from '../support/run-command.js'
import {allDone, useLogin} from './support.js'

/** Only `auth login` creates profiles: every other command pointed at a profile that is not saved stops (exit 2). */
describe('choosing a profile', () => {
  const login = useLogin()
  beforeEach(() => {
    mkdirSync(login.dir, {recursive: true})
    const profiles = {profiles: {'acme-prod': {site: {url: 'https://acme.atlassian.net'}}}, version: 1}
    writeFileSync(join(login.dir, 'profiles.json'), JSON.stringify(profiles), {mode: 0o600})
  })
  afterEach(() => allDone())

  const commands: string[][] = [
    ['groups', 'list'],
    ['users', 'find', 'ada@acme.example'],
    ['spaces', 'permissions', 'ENG'],
    ['sites', 'info'],
    ['auth', 'status'],
    ['auth', 'token'],
    ['auth', 'logout'],
  ]
  for (const argv of commands) {
    it(`${argv.slice(0, 2).join(' ')} with a mistyped --profile stops with exit 2 and the closest saved name, sending nothing`, async () => {
      const {error, stderr} = await runCommand([...argv, '--profile', 'acme-prd'])
      expect(error?.oclif?.exit).to.equal(2)
      expect(stderr).to.include('There is no profile "acme-prd"').and.to.include('Did you mean --profile acme-prod?')
    })
  }

  it('CFADMIN_PROFILE naming no saved profile is refused the same way', async () => {
    process.env.CFADMIN_PROFILE = 'acme-prd'
    const {error, stderr} = await runCommand(['groups', 'list', '--json'])
    expect(error?.oclif?.exit).to.equal(2)
    expect(stderr + JSON.stringify(error?.message)).to.include('acme-prd')
  })

  it('auth logout of a mistyped profile removes nothing from the real one', async () => {
    const {error} = await runCommand(['auth', 'logout', '--profile', 'acme-prd'])
    expect(error?.oclif?.exit).to.equal(2)
    const {readFileSync} = await import('node:fs')
    expect(JSON.parse(readFileSync(join(login.dir, 'profiles.json'), 'utf8')).profiles['acme-prod']).to.deep.equal({
      site: {url: 'https://acme.atlassian.net'},
    })
  })

  it('a profile name that is not a plain word (--profile __proto__) is refused with exit 2', async () => {
    const {error, stderr} = await runCommand(['auth', 'status', '--profile', '__proto__'])
    expect(error?.oclif?.exit).to.equal(2)
    expect(stderr).to.include('cannot name a profile')
  })
})
