import {expect} from 'chai'

import type {DoctorContext} from '../../../src/lib/doctor/check.js'
import {checkExpiry, expiryResult} from '../../../src/lib/doctor/expiry.js'

const DAY = 86_400_000
const NOW = Date.parse('2026-12-02T12:00:00.000Z')
const at = (days: number) => ({
  checkedAt: '',
  expiresAt: new Date(NOW + days * DAY).toISOString(),
  source: 'given' as const,
})

describe('doctor: the expiry check', () => {
  it('is ok beyond 14 days, warns within them, fails once expired, with the fix only when not ok', () => {
    expect(expiryResult(at(30), NOW, 'renew'))
      .to.include({status: 'ok'})
      .and.not.to.have.property('fix')
    expect(expiryResult(at(14), NOW, 'renew')).to.include({fix: 'renew', status: 'warn'})
    expect(expiryResult(at(-1), NOW, 'renew')).to.include({fix: 'renew', status: 'fail'})
    expect(expiryResult(at(-1), NOW, 'renew').reason).to.include('expired on 2026-12-01')
  })
})

describe('doctor: who renews a 3LO grant', () => {
  const grant = {
    accessToken: 'fake-oauth-access-x',
    clientId: 'fake-oauth-client-x',
    clientSecret: 'fake-oauth-secret-x',
    expiresAt: new Date(NOW + 3_600_000).toISOString(),
    refreshToken: 'fake-refresh-x',
    scopes: [],
  }
  const context = (oauth: object, profileName = 'crawler') =>
    ({now: NOW, preset: 'crawler', profile: {}, session: {oauth, profileName}}) as unknown as DoctorContext

  it('is ok once auth token handed the refresh token to the connector: cfadmin does not renew it', async () => {
    const [line] = await checkExpiry(context({...grant, handedOverAt: '2026-11-30T10:00:00.000Z'}))
    expect(line.status).to.equal('ok')
    expect(line.reason).to.include('connector owns the refresh token').and.include('2026-11-30')
  })

  it('warns while cfadmin still owns it, with auth token --for as the fix', async () => {
    const [line] = await checkExpiry(context(grant))
    expect(line.status).to.equal('warn')
    expect(line.reason).to.include('cfadmin still owns the refresh token').and.include('in 90 days')
    expect(line.fix).to.include('cfadmin auth token --for crawler --profile crawler')
  })
})
