import {expect} from 'chai'
import {parse} from 'csv-parse/sync'
import fc from 'fast-check'

import {
  csvField,
  csvLine,
  formatCount,
  fromPeopleCsv,
  peopleCsvField,
  peopleCsvLine,
  plural,
  renderCsv,
  renderTable,
} from '../../src/lib/output.js'

describe('output rendering', () => {
  const columns = [
    {get: (r: {name: string; n: number}) => r.name, header: 'Name'},
    {align: 'right' as const, get: (r: {name: string; n: number}) => r.n, header: 'Count'},
  ]

  it('pads table columns to the widest cell and right-aligns numbers', () => {
    const table = renderTable(
      [
        {n: 5, name: 'confluence-users'},
        {n: 120, name: 'x'},
      ],
      columns,
    )
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

  it('renders a report of 200,000 rows (widths found without spreading the cells into Math.max)', () => {
    const rows = Array.from({length: 200_000}, (_, i) => ({n: i, name: `group-${i}`}))
    const lines = renderTable(rows, columns).split('\n')
    expect(lines).to.have.length(200_002)
    expect(lines[0]).to.equal('Name           Count')
    expect(lines.at(-1)).to.equal('group-199999  199999')
  })

  it('shows control characters in table cells escaped: a group name cannot retitle or clear the terminal', () => {
    const hostile = 'crawlers\u001B]0;pwned\u0007\u001B[2J\u009B31m'
    const table = renderTable([{n: 1, name: hostile}], columns)
    for (const raw of ['\u0007', '\u001B', '\u009B']) expect(table).to.not.include(raw)
    expect(table.split('\n')[2]).to.equal('crawlers\\u001b]0;pwned\\u0007\\u001b[2J\\u009b31m      1')
  })

  it('quotes CSV cells meant for people that a spreadsheet would run as a formula (= + - @ TAB CR)', () => {
    expect(
      ['=HYPERLINK("http://x")', '+1', '-2+3', '@SUM(A1)', '\tx', '\rx'].map((cell) => peopleCsvField(cell)),
    ).to.deep.equal([`"'=HYPERLINK(""http://x"")"`, "'+1", "'-2+3", "'@SUM(A1)", "'\tx", `"'\rx"`])
    expect(peopleCsvField('crawler@acme.example')).to.equal('crawler@acme.example')
    expect(peopleCsvField("it's")).to.equal("it's")
    expect(peopleCsvLine(['=1', 'ok', undefined])).to.equal("'=1,ok,\n")
    expect(renderCsv([{n: 2, name: '=cmd|"/c calc"!A1'}], columns)).to.equal(`Name,Count\n"'=cmd|""/c calc""!A1",2\n`)
  })

  it('leaves the machine-read CSV field as it is (the account map keeps its values)', () => {
    expect(csvField('=1')).to.equal('=1')
    expect(csvField('-x')).to.equal('-x')
  })

  it('gives every value back when a people CSV is parsed and its quote taken off', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({unit: fc.constantFrom("'", '=', '+', '-', '@', '\t', '\r', '\n', ',', '"', 'a', ' ')}), {
          minLength: 1,
          maxLength: 5,
        }),
        (cells) => {
          const [record] = parse(peopleCsvLine(cells), {relax_column_count: true}) as string[][]
          expect(record.map(fromPeopleCsv)).to.deep.equal(cells)
          for (const cell of record) expect(cell).to.not.match(/^[=+\-@\t\r]/)
        },
      ),
      {numRuns: 500},
    )
  })

  it('writes counts with thousands separators and plural nouns', () => {
    expect(formatCount(1_234_567)).to.equal('1,234,567')
    for (const n of [0, 7, 999, 1000, 12_345.6, 100_000, -4321, 9_007_199_254_740_991])
      expect(formatCount(n), String(n)).to.equal(Math.round(n).toLocaleString('en-US'))
    expect(plural(1, 'row')).to.equal('1 row')
    expect(plural(2, 'row')).to.equal('2 rows')
  })
})
