import {expect} from 'chai'

import {csvField, csvLine, formatCount, plural, renderCsv, renderTable} from '../../src/lib/output.js'

describe('output rendering', () => {
  const columns = [
    {get: (r: {name: string; n: number}) => r.name, header: 'Name'},
    {align: 'right' as const, get: (r: {name: string; n: number}) => r.n, header: 'Count'},
  ]

  it('pads table columns to the widest cell and right-aligns numbers', () => {
    const table = renderTable([{n: 5, name: 'confluence-users'}, {n: 120, name: 'x'}], columns)
    expect(table.split('\n')).to.deep.equal([
      'Name              Count',
      '----------------  -----',
      'confluence-users      5',
      'x                   120',
    ])
  })

  it('quotes CSV fields only when they hold a comma, quote or line break', () => {
    expect(csvField('plain')).to.equal('plain')
    expect(csvField('Hopper, Grace')).to.equal('"Hopper, Grace"')
    expect(csvField('say "hi"')).to.equal('"say ""hi"""')
    expect(csvField('two\nlines')).to.equal('"two\nlines"')
    expect(csvField(undefined)).to.equal('')
    expect(csvLine(['a', 1, null])).to.equal('a,1,\n')
  })

  it('renders a CSV document with a header row', () => {
    expect(renderCsv([{n: 2, name: 'a,b'}], columns)).to.equal('Name,Count\n"a,b",2\n')
  })

  it('writes counts with thousands separators and plural nouns', () => {
    expect(formatCount(1_234_567)).to.equal('1,234,567')
    expect(plural(1, 'row')).to.equal('1 row')
    expect(plural(2, 'row')).to.equal('2 rows')
  })
})
