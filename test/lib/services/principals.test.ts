import {expect} from 'chai'

import {ACCOUNT_ID, readUserInputs} from '../../../src/lib/services/principals.js'

/** The error readUserInputs throws for these arguments, or undefined. */
async function refusal(args: string[]): Promise<{code?: string; exit?: number; message: string} | undefined> {
  try {
    await readUserInputs(args)
    return undefined
  } catch (error) {
    return error as {code?: string; exit?: number; message: string}
  }
}

describe('users given on the command line', () => {
  it("accepts account IDs in Atlassian's shapes", async () => {
    const ids = [
      '557058:f58131cb-b67d-43c7-b30d-6b58d40bd077',
      '712020:0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9',
      '5b10ac8d82e05b22cc7d4ef5',
      '5b10a2844c20165700ede21g',
      'qm:0c7fbb48-9b1b-4e19-8d7b-5a2b3c4d5e6f:3f1a2b3c-4d5e-4f60-8a9b-0c1d2e3f4a5b',
    ]
    expect((await readUserInputs(ids)).map((input) => input.value)).to.deep.equal(ids)
  })

  for (const value of ['..', '--dry-run', '/x', '../../admin', '712020:../x', 'crawlers', 'acc/crawler', '5b10ac8d82e05b22cc7d4ef', '557058:', ':abc', 'x'.repeat(24) + '?']) {
    it(`refuses ${JSON.stringify(value)} as an account ID, naming it (exit 2)`, async () => {
      expect(ACCOUNT_ID.test(value)).to.equal(false)
      const error = await refusal(['crawler@acme.example', value])
      expect(error).to.include({code: 'USER_INVALID', exit: 2})
      expect(error?.message).to.equal(`Not an email or account ID: "${value}" (argument 2).`)
    })
  }

  it('refuses an empty or blank argument, naming where it came from', async () => {
    const error = await refusal(['', '   '])
    expect(error).to.include({code: 'USER_INVALID', exit: 2})
    expect(error?.message).to.equal('Not an email or account ID: "" (argument 1), "" (argument 2).')
  })

  it('escapes control characters and cuts long values in the refusal', async () => {
    const error = await refusal(['\u001B]0;pwned\u0007', 'y'.repeat(5000)])
    expect(error?.message).to.not.include('\u001B').and.not.include('\u0007')
    expect(error?.message).to.contain('\\u001b]0;pwned\\u0007')
    expect(error?.message.length).to.be.lessThan(300)
  })

  it('refuses an email with a control character in it', async () => {
    expect((await refusal(['crawler\u001B[2J@acme.example']))?.code).to.equal('USER_INVALID')
  })
})
