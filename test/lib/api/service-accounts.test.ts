import {expect} from 'chai'

import {listServiceAccounts} from '../../../src/lib/api/service-accounts.js'
import {AtlassianApiError} from '../../../src/lib/http/errors.js'
import {rejectionOf} from '../http/helpers.js'
import {adminClient, API_HOST, intercept, noteTest, ORG} from './support.js'

const LISTING = `/admin/api-access/v1/orgs/${ORG}/service-accounts`

describe('api/service-accounts (Admin API access)', () => {
  beforeEach(function () {
    noteTest(this.currentTest?.fullTitle() ?? '')
  })

  it('GETs the listing with the Bearer key, following links.next as a cursor', async () => {
    const scope = intercept(API_HOST)
      .get(LISTING)
      .reply(200, {
        data: [{email: 'crawler@serviceaccount.atlassian.com', id: '712020:sa-1', name: 'Crawler'}],
        links: {next: 'NEXT'},
      })
      .get(LISTING)
      .query({cursor: 'NEXT'})
      .reply(200, {data: [{email: 'bot@serviceaccount.atlassian.com', id: '712020:sa-2', name: 'Bot'}], links: {}})
    expect(await listServiceAccounts(await adminClient(), ORG)).to.deep.equal([
      {email: 'crawler@serviceaccount.atlassian.com', id: '712020:sa-1', name: 'Crawler'},
      {email: 'bot@serviceaccount.atlassian.com', id: '712020:sa-2', name: 'Bot'},
    ])
    scope.done()
  })

  it('reads accountId and displayName too, keeps an entry with part of its fields, and skips one with none', async () => {
    const scope = intercept(API_HOST)
      .get(LISTING)
      .reply(200, {
        data: [
          {accountId: '712020:sa-1', displayName: 'Crawler'},
          {name: 'No email'},
          {description: 'nothing to name it by', status: 'active'},
          {email: 42, id: '712020:sa-3'},
        ],
        links: {},
      })
    expect(await listServiceAccounts(await adminClient(), ORG)).to.deep.equal([
      {id: '712020:sa-1', name: 'Crawler'},
      {name: 'No email'},
      {id: '712020:sa-3'},
    ])
    scope.done()
  })

  it('lets a refusal through as the Atlassian error (the caller decides)', async () => {
    const scope = intercept(API_HOST)
      .get(LISTING)
      .reply(403, {errors: [{code: 'ADMIN-403-1', detail: 'missing scope read:service-accounts:admin', status: '403'}]})
    const error = await rejectionOf(listServiceAccounts(await adminClient(), ORG))
    expect(error).to.be.instanceOf(AtlassianApiError).and.include({status: 403})
    scope.done()
  })
})
