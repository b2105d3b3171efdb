import {expect} from 'chai'

import {expiryResult} from '../../../src/lib/doctor/expiry.js'

const DAY = 86_400_000
const NOW = Date.parse('2026-12-02T12:00:00.000Z')
const at = (days: number) => ({checkedAt: '', expiresAt: new Date(NOW + days * DAY).toISOString(), source: 'given' as const})

describe('doctor: the expiry check', () => {
  it('is ok beyond 14 days, warns within them, fails once expired, with the fix only when not ok', () => {
    expect(expiryResult(at(30), NOW, 'renew')).to.include({status: 'ok'}).and.not.to.have.property('fix')
    expect(expiryResult(at(14), NOW, 'renew')).to.include({fix: 'renew', status: 'warn'})
    expect(expiryResult(at(-1), NOW, 'renew')).to.include({fix: 'renew', status: 'fail'})
    expect(expiryResult(at(-1), NOW, 'renew').reason).to.include('expired on 2026-12-01')
  })
})
