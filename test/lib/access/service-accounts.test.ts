import {expect} from 'chai'

import {serviceAccountChoices} from '../../../src/lib/access/service-accounts.js'
import {isServiceAccountEmail} from '../../../src/lib/domain.js'

const CRAWLER = {email: 'search-crawler@serviceaccount.atlassian.com', id: '712020:sa-1', name: 'Search crawler'}

describe('service accounts', () => {
  it('are told by their email domain, in any case, and nothing else', () => {
    expect(isServiceAccountEmail('Bot@ServiceAccount.Atlassian.COM')).to.equal(true)
    expect(isServiceAccountEmail('bot@acme.example')).to.equal(false)
    expect(isServiceAccountEmail('bot@serviceaccount.atlassian.com.evil.example')).to.equal(false)
    expect(isServiceAccountEmail('bot@notserviceaccount.atlassian.com')).to.equal(false)
  })

  describe('the choices offered for a missing one', () => {
    it("suggest the close one by the name before the @ (all share the domain), then list the org's", () => {
      expect(
        serviceAccountChoices(
          ['search-crawlr@serviceaccount.atlassian.com', 'x@serviceaccount.atlassian.com'],
          [CRAWLER, {id: '712020:sa-2', name: 'No email'}, {email: 'only-email@serviceaccount.atlassian.com'}],
        ),
      ).to.deep.equal([
        'search-crawlr@serviceaccount.atlassian.com: did you mean search-crawler@serviceaccount.atlassian.com?',
        "The organization's service accounts:",
        '  Search crawler <search-crawler@serviceaccount.atlassian.com>',
        '  No email',
        '  only-email@serviceaccount.atlassian.com',
      ])
    })

    it('say when the organization has none, and say nothing when the list could not be read', () => {
      expect(serviceAccountChoices(['a@serviceaccount.atlassian.com'], [])).to.deep.equal([
        'The organization has no service accounts yet.',
      ])
      expect(serviceAccountChoices(['a@serviceaccount.atlassian.com'], undefined)).to.deep.equal([])
    })

    it('list at most 20 and count the rest, with names made safe for the terminal', () => {
      const many = Array.from({length: 23}, (_, i) => ({name: `Bot ${i}\u001B[31m`}))
      const lines = serviceAccountChoices(['a@serviceaccount.atlassian.com'], many)
      expect(lines).to.have.length(1 + 20 + 1)
      expect(lines[1]).to.equal('  Bot 0\\u001b[31m')
      expect(lines.at(-1)).to.equal('  and 3 more')
    })
  })
})
