import {expect} from 'chai'

import {compareCoverage} from '../../../src/lib/coverage/compare.js'
import type {CoverageRow, CoverageSelection} from '../../../src/lib/coverage/read.js'
import {type SavedCoverage, SAVED_COVERAGE_VERSION} from '../../../src/lib/coverage/saved.js'

const CONTENT: CoverageSelection = {includeArchived: false, types: ['global', 'collaboration', 'knowledge_base']}

const space = (id: string, key: string, view: CoverageRow['view'], more: Partial<CoverageRow> = {}): CoverageRow => ({
  archived: false,
  id,
  key,
  name: `${key} space`,
  type: 'global',
  view,
  ...(view === 'yes' ? {through: 'group crawlers (role Viewer)', via: 'group'} : {}),
  ...more,
})

const saved = (spaces: CoverageRow[], selection = CONTENT): SavedCoverage => ({
  at: '2026-11-30T06:00:00.000Z',
  cloudId: 'cloud-1',
  principal: {id: 'g1', label: 'crawlers', type: 'group'},
  selection,
  site: 'https://acme.atlassian.net',
  spaces,
  version: SAVED_COVERAGE_VERSION,
})

const keys = (list: Array<{key: string}>) => list.map((s) => s.key)

describe('coverage --since-last: what changed since the last run', () => {
  it('lists a space that appeared, one that disappeared and one that lost the access, with how it was viewed before', () => {
    const last = saved([space('1', 'ENG', 'yes'), space('2', 'HR', 'yes'), space('3', 'OPS', 'yes')])
    const now = {selection: CONTENT, spaces: [space('1', 'ENG', 'yes'), space('3', 'OPS', 'no'), space('4', 'NEW', 'no')]}
    const since = compareCoverage(last, now)
    expect(since.since).to.equal('2026-11-30T06:00:00.000Z')
    expect(keys(since.appeared)).to.deep.equal(['NEW'])
    expect(keys(since.disappeared)).to.deep.equal(['HR'])
    expect(since.lostAccess).to.deep.equal([
      {archived: false, key: 'OPS', name: 'OPS space', through: 'group crawlers (role Viewer)', type: 'global'},
    ])
    expect(since.gainedAccess).to.deep.equal([])
    expect(since.note).to.equal(undefined)
  })

  it('lists a space that gained access, and nothing for a space whose access could not be read either time', () => {
    const last = saved([space('1', 'ENG', 'no'), space('2', 'LOCKED', 'yes')])
    const now = {selection: CONTENT, spaces: [space('1', 'ENG', 'yes'), space('2', 'LOCKED', 'unknown')]}
    const since = compareCoverage(last, now)
    expect(keys(since.gainedAccess)).to.deep.equal(['ENG'])
    expect([...since.appeared, ...since.disappeared, ...since.lostAccess]).to.deep.equal([])
  })

  it('follows a space by its ID through a key change', () => {
    const since = compareCoverage(saved([space('1', 'ENG', 'yes')]), {selection: CONTENT, spaces: [space('1', 'ENGINEERING', 'yes')]})
    expect([...since.appeared, ...since.disappeared]).to.deep.equal([])
  })

  it('does not call a space left out by a narrower choice of types or archived spaces disappeared, and says so', () => {
    const wide: CoverageSelection = {includeArchived: true, types: [...CONTENT.types, 'personal']}
    const last = saved(
      [space('1', 'ENG', 'yes'), space('2', '~alice', 'no', {type: 'personal'}), space('3', 'OLD', 'yes', {archived: true})],
      wide,
    )
    const since = compareCoverage(last, {selection: CONTENT, spaces: [space('1', 'ENG', 'yes')]})
    expect(since.disappeared).to.deep.equal([])
    expect(since.note).to.match(/only spaces both chose are compared/)
  })

  it('does not count spaces only an --admin-key run could list as appeared or disappeared, and says so', () => {
    const withKey = saved([space('1', 'ENG', 'yes'), space('9', 'SECRET', 'yes')], {...CONTENT, adminKey: true})
    const since = compareCoverage(withKey, {selection: CONTENT, spaces: [space('1', 'ENG', 'yes')]})
    expect(since.disappeared).to.deep.equal([])
    expect(since.note).to.match(/Only the last run used --admin-key/)
  })
})
