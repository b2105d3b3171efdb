import {expect} from 'chai'
import fc from 'fast-check'

import {AccountTable, stringHash} from '../../src/lib/account-table.js'

describe('AccountTable (account ID -> small integer, off the JS heap)', () => {
  it('finds what was set and nothing else', () => {
    const table = new AccountTable()
    expect(table.get('557058:f58131cb-b67d-43c7-b30d-6b58d40bd077')).to.equal(undefined)
    table.set('557058:f58131cb-b67d-43c7-b30d-6b58d40bd077', 7)
    table.set('5b10ac8d82e05b22cc7d4ef5', -1)
    expect(table.get('557058:f58131cb-b67d-43c7-b30d-6b58d40bd077')).to.equal(7)
    expect(table.get('5b10ac8d82e05b22cc7d4ef5')).to.equal(-1)
    expect(table.get('5b10ac8d82e05b22cc7d4ef')).to.equal(undefined)
    expect(table.size).to.equal(2)
  })

  it('refuses to add a key twice instead of silently keeping two entries', () => {
    const table = new AccountTable()
    table.set('abc', 1)
    expect(() => table.set('abc', 2)).to.throw('already in the table')
    expect(table.get('abc')).to.equal(1)
  })

  it('keeps every entry across many table growths and slab changes (200,000 IDs)', () => {
    const table = new AccountTable()
    const ids = Array.from({length: 200_000}, (_, i) => `712020:${i.toString(16).padStart(32, '0')}`)
    ids.forEach((id, i) => {
      expect(table.get(id)).to.equal(undefined)
      table.set(id, i)
    })
    expect(table.size).to.equal(ids.length)
    expect(ids.every((id, i) => table.get(id) === i)).to.equal(true)
  })

  it('behaves like a Map for any keys, non-ASCII and empty ones included', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.oneof(fc.string(), fc.string({unit: 'grapheme'}), fc.constantFrom('', 'é', '日本', '😀')),
            fc.integer({max: 1e9, min: -2}),
          ),
          {maxLength: 300},
        ),
        (entries) => {
          const table = new AccountTable()
          const reference = new Map<string, number>()
          for (const [key, value] of entries) {
            expect(table.get(key)).to.equal(reference.get(key))
            if (!reference.has(key)) {
              table.set(key, value)
              reference.set(key, value)
            }
          }

          expect(table.size).to.equal(reference.size)
          for (const [key, value] of reference) expect(table.get(key)).to.equal(value)
        },
      ),
      {numRuns: 200},
    )
  })

  it('hashes strings deterministically and tells near-identical IDs apart', () => {
    expect(stringHash('5b10ac8d82e05b22cc7d4ef5')).to.equal(stringHash('5b10ac8d82e05b22cc7d4ef5'))
    expect(stringHash('5b10ac8d82e05b22cc7d4ef5')).not.to.equal(stringHash('5b10ac8d82e05b22cc7d4ef6'))
  })
})
