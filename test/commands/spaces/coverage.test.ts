import {expect} from 'chai'

import {BaseCommand} from '../../../src/lib/command.js'
import type {CoverageResult} from '../../../src/commands/spaces/coverage.js'
import {hasSpacePermission, writes} from '../../../fake-atlassian/index.js'
import {useFakeAtlassian} from '../../../fake-atlassian/use-fake.js'
import {runCommand} from '../../support/run-command.js'
import {testIo} from '../../support/test-io.js'
import {useLogin} from '../support.js'

/** spaces coverage --fix on a terminal: the plan, one question, then the grant (or nothing). Classic site. */
describe('spaces coverage --fix on a terminal (command, against the fake Atlassian)', () => {
  useLogin()
  const fake = useFakeAtlassian({seed: 'classic-legacy'})
  const coverage = (...args: string[]) => runCommand<CoverageResult>(['spaces', 'coverage', ...args])
  const onTerminal = (answer: boolean) => {
    const io = testIo({answers: [answer]})
    BaseCommand.replaceDeps = (deps) => ({...deps, io})
    return io
  }

  const CONFLUENCE_USERS = 'group-fake-1901'
  beforeEach(() => {
    Object.assign(process.env, {
      CFADMIN_API_TOKEN: 'fake-api-token-admin',
      CFADMIN_API_URL: fake.url,
      CFADMIN_SITE: fake.url,
    })
  })

  afterEach(() => {
    BaseCommand.replaceDeps = undefined
  })

  it('answered y, shows the plan, asks once and gives View where it was missing', async () => {
    const io = onTerminal(true)
    const {error, result, stderr, stdout} = await coverage('--group', 'confluence-users', '--fix')
    expect(error, stderr).to.equal(undefined)
    expect(io.asked).to.deep.equal(['Give View on 1 space(s) to group confluence-users?'])
    expect(stdout).to.match(/planned\s+grant View on ENG to group confluence-users/)
    expect(result?.spaces.map((s) => `${s.key} ${s.view} ${s.fix ?? ''}`.trim())).to.deep.equal([
      'ENG yes given now: permission',
      'WIKI yes',
    ])
    expect(hasSpacePermission(fake, 'ENG', {id: CONFLUENCE_USERS, type: 'group'}, 'read')).to.equal(true)
  })

  it('answered N, changes nothing, says so and exits 2', async () => {
    const io = onTerminal(false)
    const {error, stderr} = await coverage('--group', 'confluence-users', '--fix')
    expect(io.asked).to.have.length(1)
    expect(error?.oclif?.exit).to.equal(2)
    expect(stderr).to.include('Cancelled: nothing was changed.')
    expect(writes(fake)).to.deep.equal([])
  })
})
