import {expect} from 'chai'

import {callOf, CONNECTOR_CALLS, fillCall, scopesOf} from '../../../src/lib/doctor/connector-calls.js'
import {ENDPOINT_SCOPES} from '../../../src/lib/oauth/endpoint-scopes.js'
import {SCOPE_PRESETS} from '../../../src/lib/oauth/scope-presets.js'

describe('doctor: the API calls each connector makes', () => {
  it('has an entry for every scope preset', () => {
    expect(Object.keys(CONNECTOR_CALLS).sort()).to.deep.equal(SCOPE_PRESETS.map((p) => p.name).sort())
  })

  it('sends only GETs, each an endpoint whose scopes the official documents list', () => {
    for (const names of Object.values(CONNECTOR_CALLS))
      for (const name of names) {
        const call = callOf(name)
        expect(call.method).to.equal('GET')
        expect(call.endpoint.startsWith('GET ')).to.equal(true)
        expect(ENDPOINT_SCOPES, call.endpoint).to.have.property(call.endpoint)
        expect(`/${call.path}`.replaceAll(/\{\w+\}/g, '{id}')).to.equal(
          call.endpoint.slice(4).replaceAll(/\{\w+\}/g, '{id}'),
        )
      }
  })

  it('the crawler lists spaces, reads their permissions and resolves users and groups', () => {
    expect(CONNECTOR_CALLS.crawler).to.include.members([
      'list-spaces',
      'space-permissions',
      'user',
      'user-groups',
      'groups',
    ])
  })

  it('names the scopes a call needs, the granular ones as the alternative', () => {
    expect(scopesOf(callOf('list-spaces'))).to.equal('read:space:confluence')
    expect(scopesOf(callOf('groups'))).to.equal('read:confluence-groups (or read:group:confluence)')
  })

  it("fills a call's ids from earlier answers, encoded, and gives nothing when one is unknown", () => {
    expect(fillCall(callOf('space-permissions'), {spaceId: '12 3'})).to.deep.equal({
      path: 'wiki/api/v2/spaces/12%203/permissions',
      query: {limit: '25'},
    })
    expect(fillCall(callOf('user'), {accountId: '712020:abc'})?.query).to.deep.equal({accountId: '712020:abc'})
    expect(fillCall(callOf('space-permissions'), {})).to.equal(undefined)
    expect(fillCall(callOf('user-groups'), {spaceId: '1'})).to.equal(undefined)
  })
})
