import {expect} from 'chai'

import {type FakeAtlassian, type FakeAtlassianOptions, startFakeAtlassian} from './server.js'

/**
 * Mocha hooks for a test file that shares one fake: started before its tests, closed after them, and
 * after each test checked for off-contract traffic and reset to its seed. Returns a stand-in that
 * forwards to the running fake, so tests write `fake.url`, `writes(fake)` as with the fake itself.
 */
export function useFakeAtlassian(options?: FakeAtlassianOptions): FakeAtlassian {
  let current: FakeAtlassian | undefined
  before(async () => {
    current = await startFakeAtlassian(options)
  })
  after(() => current?.close())
  afterEach(() => {
    expect(current!.contractViolations).to.deep.equal([])
    current!.reset()
  })
  return new Proxy({} as FakeAtlassian, {
    has: (_target, property) => current !== undefined && Reflect.has(current, property),
    get(_target, property) {
      if (!current) throw new Error('the fake Atlassian is used outside a test (it starts in a before hook)')
      const value = Reflect.get(current, property)
      return typeof value === 'function' ? value.bind(current) : value
    },
  })
}
