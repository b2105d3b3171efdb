import {expect} from 'chai'

import Setup from '../../src/commands/setup.js'
import SpaceGrantView from '../../src/commands/spaces/grant-view.js'
import SpacePermissions from '../../src/commands/spaces/permissions.js'
import {accessFlags} from '../../src/lib/access-command.js'

describe('the flags the access commands share', () => {
  it('--concurrency says the pacer slows the request rate on 429 and that the number itself is not lowered', () => {
    const help = accessFlags.concurrency.description ?? ''
    expect(help)
      .to.match(/paces its request rate/)
      .and.match(/stays as given/)
    expect(help).to.not.match(/lowered by itself/)
    expect(Setup.flags.concurrency.description).to.equal(help)
  })

  it('spaces permissions takes the same --type and --all-spaces as spaces grant-view', () => {
    expect(SpacePermissions.flags.type).to.equal(SpaceGrantView.flags.type)
    expect(SpacePermissions.flags['all-spaces']).to.equal(SpaceGrantView.flags['all-spaces'])
  })

  it('spaces grant-view keeps the journal name of space grant-view, so a run interrupted before the rename resumes', () => {
    expect(SpaceGrantView.journalName).to.equal('space:grant-view')
    expect(SpaceGrantView.hiddenAliases).to.include('space:grant-view')
  })
})
