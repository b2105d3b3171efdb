import {expect} from 'chai'

import {budgetShareLeft} from '../../../src/lib/http/budget.js'

describe("Atlassian's request budget on an answer", () => {
  it('is X-RateLimit-Remaining over X-RateLimit-Limit', () => {
    expect(budgetShareLeft({'x-ratelimit-limit': '10', 'x-ratelimit-remaining': '4'})).to.equal(0.4)
    expect(budgetShareLeft({'x-ratelimit-limit': ['200'], 'x-ratelimit-remaining': ['200']})).to.equal(1)
  })

  it('counts X-RateLimit-NearLimit: true as nearly used, with or without the numbers', () => {
    expect(budgetShareLeft({'x-ratelimit-nearlimit': 'true'})).to.equal(0.1)
    expect(
      budgetShareLeft({'x-ratelimit-limit': '10', 'x-ratelimit-nearlimit': 'TRUE', 'x-ratelimit-remaining': '9'}),
    ).to.equal(0.1)
    expect(
      budgetShareLeft({'x-ratelimit-limit': '10', 'x-ratelimit-nearlimit': 'true', 'x-ratelimit-remaining': '0'}),
    ).to.equal(0)
  })

  it('says nothing for missing, zero or malformed numbers (a hostile server cannot stall the pacer)', () => {
    expect(budgetShareLeft({})).to.equal(undefined)
    expect(budgetShareLeft({'x-ratelimit-remaining': '3'})).to.equal(undefined)
    expect(budgetShareLeft({'x-ratelimit-limit': '0', 'x-ratelimit-remaining': '0'})).to.equal(undefined)
    expect(budgetShareLeft({'x-ratelimit-limit': '10', 'x-ratelimit-remaining': '-1'})).to.equal(undefined)
    expect(budgetShareLeft({'x-ratelimit-limit': '1e9', 'x-ratelimit-remaining': '1'})).to.equal(undefined)
    expect(budgetShareLeft({'x-ratelimit-limit': '9'.repeat(400), 'x-ratelimit-remaining': '1'})).to.equal(undefined)
    expect(
      budgetShareLeft({'x-ratelimit-limit': '10', 'x-ratelimit-remaining': '25'}),
      'more left than the limit',
    ).to.equal(1)
  })
})
