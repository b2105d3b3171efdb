import {expect} from 'chai'

import {propagationWaitMs, unknownPrincipal, waitForConfluence} from '../../../src/lib/access/propagation.js'
import {CfadminError} from '../../../src/lib/errors.js'
import {AtlassianApiError} from '../../../src/lib/http/errors.js'

const answer = (status: number, atlassianMessage: string) =>
  new AtlassianApiError({
    atlassianMessage,
    family: 'site',
    method: 'POST',
    status,
    url: '/wiki/rest/api/space/ENG/permission',
  })

describe('waiting for Atlassian to make a new group or user known to Confluence', () => {
  it("calls only Confluence's answers about an unknown group or user not known yet", () => {
    const exceptions = 'com.atlassian.confluence.api.service.exceptions'
    for (const error of [
      answer(400, `${exceptions}.BadRequestException: No group found with the given groupName or groupId`),
      answer(400, `${exceptions}.BadRequestException: No user found with the given accountId: 712020:x`),
      answer(404, `${exceptions}.NotFoundException: No user with accountId 712020:x`),
    ])
      expect(unknownPrincipal(error), error.message).to.equal(true)
    for (const error of [
      answer(400, `${exceptions}.BadRequestException: Permission already exists for the given user or group`),
      answer(403, `${exceptions}.PermissionException: User isn't authorized to modify permissions.`),
      answer(500, 'No group found'),
      new Error('No group found'),
    ])
      expect(unknownPrincipal(error), error.message).to.equal(false)
  })

  it('says what a grant waits for and why it failed, naming the principal as the report does', () => {
    const pending = waitForConfluence('group crawlers')
    expect(pending).to.include({
      gaveUp: 'Atlassian has not yet made group crawlers known to Confluence; run again later',
      waitingFor: 'Atlassian to make group crawlers known to Confluence',
    })
    expect(pending.matches(answer(400, 'No group found with the given groupName or groupId'))).to.equal(true)
    expect(pending.matches(answer(403, 'not allowed'))).to.equal(false)
  })

  it('--wait-for-propagation takes seconds, minutes or hours; anything else is exit 2 naming the flag and the forms', () => {
    expect(propagationWaitMs('30s')).to.equal(30_000)
    expect(propagationWaitMs('5m')).to.equal(300_000)
    expect(propagationWaitMs('1h')).to.equal(3_600_000)
    expect(propagationWaitMs('0s')).to.equal(0)
    for (const bad of ['5', '5 minutes', '-1m', '1.5m', 'm', '']) {
      let error: unknown
      try {
        propagationWaitMs(bad)
      } catch (thrown) {
        error = thrown
      }

      expect(error, bad).to.be.instanceOf(CfadminError)
      expect((error as CfadminError).exit, bad).to.equal(2)
      expect((error as CfadminError).message, bad).to.include(
        '--wait-for-propagation takes a duration such as 30s, 5m or 1h',
      )
    }
  })
})
