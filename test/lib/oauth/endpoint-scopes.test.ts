import {execFile} from 'node:child_process'
import {readdirSync, readFileSync} from 'node:fs'
import {join, resolve} from 'node:path'
import {promisify} from 'node:util'

import {expect} from 'chai'

import {COMMAND_ENDPOINTS, commandScopes} from '../../../src/lib/oauth/command-scopes.js'
import {ENDPOINT_SCOPES} from '../../../src/lib/oauth/endpoint-scopes.js'
import {endpointOf, presetsWith} from '../../../src/lib/oauth/scope-advice.js'
import {findPreset} from '../../../src/lib/oauth/scope-presets.js'
import {projectRoot} from '../../support/paths.js'
import {callOf, CONNECTOR_CALLS} from '../../../src/lib/doctor/connector-calls.js'

/** Every Confluence call of src/lib/api, as [method, path with each ${...} as "x"], read from the source. */
function confluenceCalls(): Array<[string, string, string]> {
  const folder = resolve(projectRoot, 'src/lib/api')
  const calls: Array<[string, string, string]> = []
  for (const file of readdirSync(folder).filter((name) => name.endsWith('.ts'))) {
    const text = readFileSync(join(folder, file), 'utf8')
    const path = String.raw`['\x60](wiki/[^'\x60]*)['\x60]`
    for (const m of text.matchAll(new RegExp(String.raw`\.(get|post|put|patch|delete)(?:<[^>]*>)?\(\s*${path}`, 'g')))
      calls.push([m[1].toUpperCase(), `/${m[2].replaceAll(/\$\{[^}]*\}/g, 'x')}`, file])
    for (const m of text.matchAll(new RegExp(String.raw`paginate\w*(?:<[^>]*>)?\(\s*\w+,\s*${path}`, 'g')))
      calls.push(['GET', `/${m[1].replaceAll(/\$\{[^}]*\}/g, 'x')}`, file])
  }

  return calls
}

describe('OAuth scopes per endpoint and per command', () => {
  it('the committed table is what scripts/endpoint-scopes.js reads from the official documents in contracts/', async () => {
    const {stdout} = await promisify(execFile)(process.execPath, [
      resolve(projectRoot, 'scripts/endpoint-scopes.js'),
      '--print',
    ])
    expect(ENDPOINT_SCOPES).to.deep.equal(JSON.parse(stdout))
  })

  it('every Confluence call cfadmin makes (src/lib/api) is in the table', () => {
    const calls = confluenceCalls()
    expect(calls.length, 'calls found in src/lib/api').to.be.at.least(20)
    const missing = calls.filter(([method, path]) => endpointOf(method, path) === undefined)
    expect(missing, 'calls without scopes: add them to scripts/endpoint-scopes.js and run it').to.deep.equal([])
  })

  it('every endpoint of the table belongs to a command or to a connector call doctor checks, and every command names only endpoints of the table', () => {
    const doctorCalls = Object.values(CONNECTOR_CALLS)
      .flat()
      .map((name) => callOf(name).endpoint)
    const used = new Set([...Object.values(COMMAND_ENDPOINTS).flat(), ...doctorCalls])
    expect(Object.keys(ENDPOINT_SCOPES).filter((endpoint) => !used.has(endpoint))).to.deep.equal([])
    expect([...used].filter((endpoint) => !(endpoint in ENDPOINT_SCOPES))).to.deep.equal([])
  })

  it('the admin preset holds every scope the official documents list for the calls of every cfadmin command, classic v1 scopes included', () => {
    for (const {command, presets, scopes} of commandScopes()) {
      expect(presets, `${command} needs ${scopes.join(' ')}`).to.include('admin')
    }

    expect(findPreset('admin')?.scopes).to.include.members([
      'read:confluence-user',
      'read:confluence-groups',
      'write:confluence-groups',
    ])
  })

  it('names each command with its scopes, e.g. groups add-members needs the classic group scopes', () => {
    const addMembers = commandScopes().find((c) => c.command === 'groups add-members')
    expect(addMembers?.scopes).to.include.members(['read:confluence-groups', 'write:confluence-groups'])
    expect(presetsWith(['read:confluence-user']))
      .to.include('amazon-q')
      .and.to.include('admin')
  })

  it('matches a path with ids to its documented template, and nothing else', () => {
    expect(endpointOf('GET', '/wiki/rest/api/group/g-1/membersByGroupId')).to.equal(
      'GET /wiki/rest/api/group/{groupId}/membersByGroupId',
    )
    expect(endpointOf('POST', '/wiki/rest/api/group/g-1/membersByGroupId')).to.equal(undefined)
    expect(endpointOf('GET', '/wiki/rest/api/group/a/b/membersByGroupId')).to.equal(undefined)
  })
})
