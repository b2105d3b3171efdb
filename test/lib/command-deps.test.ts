import {join} from 'node:path'

import {Config} from '@oclif/core'
import {expect} from 'chai'

import {BaseCommand, profileFlag} from '../../src/lib/command.js'
import {type CommandDeps, commandDeps} from '../../src/lib/command-deps.js'
import type {CfadminError} from '../../src/lib/errors.js'
import {ProfileStore} from '../../src/lib/session/profile-store.js'
import {projectRoot} from '../support/paths.js'
import {rejectionOf} from '../support/rejection.js'
import {useTempDir} from '../support/temp-dir.js'

/** A command that only hands back its dependencies, asked for twice. */
class Probe extends BaseCommand<CommandDeps[]> {
  static override enableJsonFlag = false
  static override flags = {profile: profileFlag}
  async run(): Promise<CommandDeps[]> {
    await this.parse(Probe)
    return [this.deps(), this.deps()]
  }
}

describe("a command's dependencies", () => {
  const dir = useTempDir('cfadmin-deps-')
  let savedProfile: string | undefined
  beforeEach(() => {
    savedProfile = process.env.CFADMIN_PROFILE
    delete process.env.CFADMIN_PROFILE
  })
  afterEach(() => {
    if (savedProfile === undefined) delete process.env.CFADMIN_PROFILE
    else process.env.CFADMIN_PROFILE = savedProfile
  })

  const probe = async (argv: string[]) => new Probe(argv, await Config.load(projectRoot)).run()

  it('use the profile named by --profile, else CFADMIN_PROFILE, else "default", and are made once per run', async () => {
    process.env.CFADMIN_PROFILE = 'from-env'
    const [first, again] = await probe(['--profile', 'crawler'])
    expect(first.profileName).to.equal('crawler')
    expect(again).to.equal(first)
    expect((await probe([]))[0].profileName).to.equal('from-env')
    delete process.env.CFADMIN_PROFILE
    expect((await probe([]))[0].profileName).to.equal('default')
  })

  it('build the session from the store and profile a test put in place of the real ones', async () => {
    const other = join(dir.path, 'other')
    const store = new ProfileStore(other)
    await store.update('acme-prod', () => ({site: {url: 'https://acme.atlassian.net'}}))
    const real = commandDeps({configDir: join(dir.path, 'real')})
    const replaced: CommandDeps = {...real, profileName: 'acme-prd', store}
    const error = await rejectionOf<CfadminError>(replaced.accessContext())
    expect(error.code).to.equal('PROFILE_UNKNOWN')
    expect(error.message).to.include('"acme-prd"')
    expect(error.hint).to.equal('Did you mean --profile acme-prod?')
  })
})
