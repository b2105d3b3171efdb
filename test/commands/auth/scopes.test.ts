import {expect} from 'chai'

import {commandScopes} from '../../../src/lib/oauth/command-scopes.js'
import {runCommand} from '../../support/run-command.js'

describe('auth scopes', () => {
  it('--commands prints each command with the scopes it needs and the presets that hold them', async () => {
    const {stdout} = await runCommand(['auth', 'scopes', '--commands'])
    const line = stdout.split('\n').find((l) => l.startsWith('groups add-members'))
    expect(line).to.include('read:confluence-groups').and.to.include('write:confluence-groups').and.to.include('admin')
    expect(stdout.split('\n')[0]).to.match(/^command\s+scopes\s+presets$/)
  })

  it('--commands --json gives the same table as data', async () => {
    const {stdout} = await runCommand(['auth', 'scopes', '--commands', '--json'])
    expect(JSON.parse(stdout)).to.deep.equal({commands: commandScopes()})
  })

  it('--commands with a preset is a usage error naming both (exit 2)', async () => {
    const {error} = await runCommand(['auth', 'scopes', 'crawler', '--commands'])
    expect(error?.oclif?.exit).to.equal(2)
    expect(error?.message).to.include('--commands').and.to.include('crawler')
  })
})
