import {expect} from 'chai'

import type {ItemResult, RunReport} from '../../../src/lib/engine/operation.js'
import {SECTIONS, setupResult, setupTables} from '../../../src/lib/setup/setup-report.js'

const item = (kind: string | undefined, key: string, outcome: ItemResult['outcome'] = 'planned'): ItemResult => ({
  description: `do ${key}`,
  key,
  outcome,
  ...(kind === undefined ? {} : {kind}),
})

const report = (items: ItemResult[]): RunReport => ({
  counts: {already: 0, blocked: 0, done: 0, failed: 0, planned: items.length},
  dryRun: true,
  items,
  seconds: 0,
})

describe('setup report', () => {
  it('puts each item in the section of its kind, whatever its key says', () => {
    const result = setupResult(
      report([
        item('view', 'invite:looks-like-an-invitation'),
        item('invite', 'invite:a@acme.example'),
        item('access', 'access:user:a@acme.example'),
        item('group', 'group:crawlers'),
        item('member', 'member:crawlers:a@acme.example'),
        item('map', 'map:map.json'),
      ]),
      'plan.yaml',
      'dry-run',
    )
    expect(result.items.map((i) => [i.key, i.section])).to.deep.equal([
      ['invite:looks-like-an-invitation', 'Spaces'],
      ['invite:a@acme.example', 'Users'],
      ['access:user:a@acme.example', 'Roles'],
      ['group:crawlers', 'Groups'],
      ['member:crawlers:a@acme.example', 'Memberships'],
      ['map:map.json', 'Map'],
    ])
  })

  it('keeps the kind out of its items (--json prints the section), and counts an item without a kind under Users', () => {
    const result = setupResult(report([item(undefined, 'odd'), item('view', 'view:ENG:user:x')]), 'plan.yaml', 'apply')
    expect(result.items[0]).to.deep.equal({description: 'do odd', key: 'odd', outcome: 'planned', section: 'Users'})
    expect(result.items[1]).to.not.have.property('kind')
  })

  it('prints the sections in plan order, whatever the order of the items', () => {
    const result = setupResult(
      report([item('map', 'map:m'), item('member', 'member:g:u', 'done'), item('invite', 'invite:u')]),
      'plan.yaml',
      'apply',
    )
    const headings = setupTables(result.items)
      .split('\n')
      .filter((line) => /^[A-Z]\w+ \(/.test(line))
    expect(headings).to.deep.equal(['Users (1 to do)', 'Memberships (1 done)', 'Map (1 to do)'])
    expect(SECTIONS.map((s) => s.title)).to.deep.equal(['Users', 'Roles', 'Groups', 'Memberships', 'Spaces', 'Map'])
  })

  it('--verify lists as drift what would change, failed or is blocked', () => {
    const result = setupResult(
      report([
        item('invite', 'invite:a', 'already'),
        item('invite', 'invite:b', 'planned'),
        item('view', 'view:x', 'failed'),
        item('view', 'view:y', 'blocked'),
      ]),
      'plan.yaml',
      'verify',
    )
    expect(result.drift?.map((d) => [d.key, d.section])).to.deep.equal([
      ['invite:b', 'Users'],
      ['view:x', 'Spaces'],
      ['view:y', 'Spaces'],
    ])
  })
})
