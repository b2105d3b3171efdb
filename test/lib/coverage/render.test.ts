import {expect} from 'chai'

import {coverageCsv, coverageSummary, coverageTable, sinceLastLines} from '../../../src/lib/coverage/render.js'
import {coverageOf, row} from './fixtures.js'

describe('coverage for people: table, CSV and the lines around them', () => {
  it('writes a CSV a spreadsheet shows as text: a space named like a formula is quoted, not run', () => {
    const csv = coverageCsv(
      coverageOf([
        row('ENG', 'yes', {name: '=HYPERLINK("https://evil.example","x")', through: 'role Viewer', via: 'role'}),
        row('HR', 'no', {name: 'Human resources, EMEA'}),
      ]),
    )
    expect(csv.split('\n')).to.deep.equal([
      'space,name,type,archived,can_view,via,through,reason',
      `ENG,"'=HYPERLINK(""https://evil.example"",""x"")",global,no,yes,role,role Viewer,`,
      'HR,"Human resources, EMEA",global,no,no,,,',
      '',
    ])
  })

  it('shows the fix column only when --fix ran, and escapes control characters in the table', () => {
    const plain = coverageTable(coverageOf([row('ENG', 'no', {name: 'Eng\u001B[2J'})]))
    expect(plain).not.to.include('Fix')
    expect(plain).not.to.include('\u001B')
    expect(coverageTable(coverageOf([row('ENG', 'no', {fix: 'to give: role Viewer'})]))).to.match(
      /Fix\n[- ]+\nENG .* to give: role Viewer$/,
    )
  })

  it('sums up who can view how many spaces, which it cannot, and what was not read or left out', () => {
    const lines = coverageSummary(
      coverageOf([row('ENG', 'yes', {through: 'role Viewer', via: 'role'}), row('HR', 'no'), row('LOCKED', 'unknown')]),
    )
    expect(lines).to.deep.equal([
      'group crawlers can view 1 of 2 spaces; cannot view 1: HR.',
      '1 space the login cannot administer: access unknown (on Premium and Enterprise --admin-key may read them).',
      'Left out, of a type not chosen: 2 personal (name it with --type).',
      'Left out: 1 archived space (--include-archived takes them).',
    ])
  })

  it('says when there is nothing to compare with, when nothing changed, and each kind of change', () => {
    expect(sinceLastLines(undefined)[0]).to.match(/nothing to compare with/)
    const none = {appeared: [], disappeared: [], gainedAccess: [], lostAccess: [], since: '2026-11-30T06:00:00.000Z'}
    expect(sinceLastLines(none)).to.deep.equal([
      'Since last run (2026-11-30T06:00:00.000Z): no space appeared, disappeared or changed access.',
    ])
    const space = {archived: false, name: 'x', type: 'global'}
    expect(
      sinceLastLines({
        ...none,
        appeared: [{...space, key: 'NEW'}],
        lostAccess: [{...space, key: 'ENG', through: 'group crawlers (role Viewer)'}],
      }),
    ).to.deep.equal([
      'Since last run (2026-11-30T06:00:00.000Z):',
      '  1 space appeared: NEW',
      '  1 space lost access: ENG (group crawlers (role Viewer))',
    ])
  })
})
