import {expect} from 'chai'

import type {CheckResult} from '../../../src/lib/doctor/check.js'
import {doctorLines} from '../../../src/lib/doctor/render.js'
import {checkPreset, doctorExit, summarize} from '../../../src/lib/doctor/runner.js'
import {CfadminError} from '../../../src/lib/errors.js'

const ok: CheckResult = {id: 'credential', reason: 'It works there.', status: 'ok', title: 'Credential'}
const warn: CheckResult = {fix: 'Record it.', id: 'expiry', reason: 'Unknown.', status: 'warn', title: 'Expiry'}
const fail: CheckResult = {fix: 'Give access.', id: 'product-access', reason: '403.', status: 'fail', title: 'Access'}

describe('doctor: summing up and printing the checks', () => {
  it('counts the checks by status', () => {
    expect(summarize([ok, warn, fail, ok])).to.deep.equal({fail: 1, ok: 2, warn: 1})
  })

  it('exits 0 when all are ok, 3 on any warn or fail, 4 for a refused credential, 5 when unreachable', () => {
    expect(doctorExit([ok, ok])).to.equal(0)
    expect(doctorExit([ok, warn])).to.equal(3)
    expect(doctorExit([fail])).to.equal(3)
    expect(doctorExit([fail], 'refused')).to.equal(4)
    expect(doctorExit([fail], 'unreachable')).to.equal(5)
  })

  it('prints a marked line per check, the reason, the fix of what is not ok, and the counts', () => {
    const result = {
      checks: [ok, warn, fail],
      preset: 'crawler',
      profile: 'crawler',
      summary: summarize([ok, warn, fail]),
    }
    const unicode = doctorLines(result, {unicode: true})
    expect(unicode).to.deep.equal([
      'Checking profile crawler as the crawler connector uses it:',
      '✓ Credential',
      '    It works there.',
      '! Expiry',
      '    Unknown.',
      '    Fix: Record it.',
      '✗ Access',
      '    403.',
      '    Fix: Give access.',
      '1 ok, 1 warning(s), 1 failed.',
    ])
    const ascii = doctorLines(result, {unicode: false})
    expect(ascii.filter((l) => l.startsWith('['))).to.deep.equal([
      '[ok]   Credential',
      '[warn] Expiry',
      '[fail] Access',
    ])
  })

  it('keeps terminal control characters from Atlassian out of the lines', () => {
    const odd: CheckResult = {...fail, reason: 'bad\u001B[2Jname'}
    const lines = doctorLines(
      {checks: [odd], preset: 'crawler', profile: 'p', summary: summarize([odd])},
      {unicode: true},
    )
    expect(lines.join('\n')).not.to.include('\u001B')
  })

  it('refuses an unknown preset with exit 2, naming the closest', () => {
    expect(checkPreset('kore')).to.equal('kore')
    try {
      checkPreset('crawlr')
      expect.fail('an unknown preset was taken')
    } catch (error) {
      expect(error).to.be.instanceOf(CfadminError)
      expect((error as CfadminError).exit).to.equal(2)
      expect((error as CfadminError).hint).to.include('Did you mean crawler?')
    }
  })
})
