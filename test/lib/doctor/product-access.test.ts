import {expect} from 'chai'

import type {DoctorContext} from '../../../src/lib/doctor/check.js'
import {checkProductAccess} from '../../../src/lib/doctor/product-access.js'

const context = (found: Partial<DoctorContext>) => found as DoctorContext

describe('doctor: the product access check', () => {
  it('fails for an account without Confluence, with the fix the refusal gave', async () => {
    const [line] = await checkProductAccess(context({noConfluenceAccess: true, noConfluenceAccessFix: 'Give access.'}))
    expect(line).to.include({fix: 'Give access.', status: 'fail'})
  })

  it('warns that it cannot tell when the credential may not read the current user', async () => {
    const [line] = await checkProductAccess(context({scopesLimited: true}))
    expect(line.status).to.equal('warn')
    expect(line.fix).to.include('read:confluence-user')
  })

  it('is ok when Confluence answered the account, and says nothing for a refused credential', async () => {
    expect((await checkProductAccess(context({})))[0].status).to.equal('ok')
    expect(await checkProductAccess(context({unusable: 'refused'}))).to.deep.equal([])
  })
})
