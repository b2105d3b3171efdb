import {expect} from 'chai'

import Setup from '../../src/commands/setup.js'
import SpaceGrantView from '../../src/commands/space/grant-view.js'
import SpacePermissions from '../../src/commands/space/permissions.js'
import {accessFlags, RATE_LIMITED_NOTICE, rateLimitedNotice} from '../../src/lib/access-command.js'

describe('the flags the access commands share', () => {
  it('--concurrency says the pacer slows the request rate on 429 and that the number itself is not lowered', () => {
    const help = accessFlags.concurrency.description ?? ''
    expect(help).to.match(/paces its request rate/).and.match(/stays as given/)
    expect(help).to.not.match(/lowered by itself/)
    expect(Setup.flags.concurrency.description).to.equal(help)
  })

  it('space permissions takes the same --type as space grant-view', () => {
    expect(SpacePermissions.flags.type).to.equal(SpaceGrantView.flags.type)
  })

  it('says a 429 slow-down once, however often it is told', () => {
    const said: string[] = []
    const notice = rateLimitedNotice((message) => said.push(message))
    for (let i = 0; i < 5; i++) notice()
    expect(said).to.deep.equal([RATE_LIMITED_NOTICE])
  })
})
