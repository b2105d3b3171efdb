import {expect} from 'chai'

import {CfadminError, ExitCode} from '../../../src/lib/errors.js'
import {codeFromPastedAddress, PASTE_LIMIT} from '../../../src/lib/oauth/pasted-callback.js'

const STATE = 'state-fake-0123456789'
const CODE = 'fake-code-pasted-0001'
const LOGIN = {redirectUri: 'http://localhost:13131', state: STATE}

/** The error codeFromPastedAddress throws for `pasted`; fails the test when it returns a code instead. */
function refusal(pasted: string, login = LOGIN): CfadminError {
  try {
    codeFromPastedAddress(pasted, login)
  } catch (error) {
    if (error instanceof CfadminError) return error
    throw error
  }

  throw new Error(`a code was taken from ${pasted}`)
}

describe('auth login --paste: the address the browser ended on', () => {
  it("gives the code of an address with this login's state, as the address bar shows it", () => {
    expect(codeFromPastedAddress(`http://localhost:13131/?code=${CODE}&state=${STATE}`, LOGIN)).to.equal(CODE)
    expect(codeFromPastedAddress(`  http://localhost:13131?state=${STATE}&code=${CODE}\r`, LOGIN)).to.equal(CODE)
    expect(codeFromPastedAddress(`http://127.0.0.1:13131/?code=${CODE}&state=${STATE}`, LOGIN)).to.equal(CODE)
    expect(
      codeFromPastedAddress(`http://localhost:8080/cb?code=${CODE}&state=${STATE}`, {
        redirectUri: 'http://localhost:8080/cb',
        state: STATE,
      }),
    ).to.equal(CODE)
  })

  it("refuses an address with another login's state or none (exit 4), never quoting the code", () => {
    for (const pasted of [
      `http://localhost:13131/?code=${CODE}&state=older-login-state`,
      `http://localhost:13131/?code=${CODE}`,
      `http://localhost:13131/?code=${CODE}&state=`,
    ]) {
      const error = refusal(pasted)
      expect(error.code, pasted).to.equal('OAUTH_STATE_MISMATCH')
      expect(error.exit, pasted).to.equal(ExitCode.notAuthenticated)
      expect(`${error.message} ${error.hint}`, pasted).not.to.contain(CODE)
    }
  })

  it("refuses what is not this login's callback address (exit 2), quoting at most its address without the query", () => {
    const cases = [
      `https://auth.atlassian.com/authorize?client_id=x&redirect_uri=http%3A%2F%2Flocalhost%3A13131&state=${STATE}&code=${CODE}`,
      `http://localhost:13132/?code=${CODE}&state=${STATE}`,
      `http://localhost:13131/other?code=${CODE}&state=${STATE}`,
      `https://localhost:13131/?code=${CODE}&state=${STATE}`,
      `http://evil.example:13131/?code=${CODE}&state=${STATE}`,
      `code=${CODE}&state=${STATE}`,
    ]
    for (const pasted of cases) {
      const error = refusal(pasted)
      expect(error.code, pasted).to.equal('PASTE_NOT_CALLBACK')
      expect(error.exit, pasted).to.equal(ExitCode.badInput)
      expect(`${error.message} ${error.hint}`, pasted).not.to.contain(CODE)
      expect(error.message, pasted).to.contain('http://localhost:13131')
    }
  })

  it('refuses nothing pasted and an overlong paste (exit 2)', () => {
    expect(refusal('   ').code).to.equal('PASTE_EMPTY')
    const long = refusal(`http://localhost:13131/?code=${'c'.repeat(PASTE_LIMIT)}&state=${STATE}`)
    expect(long.code).to.equal('PASTE_TOO_LONG')
    expect(long.exit).to.equal(ExitCode.badInput)
  })

  it("ends with Atlassian's refusal when the address carries it with the right state, its words escaped", () => {
    expect(refusal(`http://localhost:13131/?error=access_denied&state=${STATE}`).code).to.equal('OAUTH_DENIED')
    const error = refusal(
      `http://localhost:13131/?error=server_error&error_description=${encodeURIComponent('\u001B[2Jgone')}&state=${STATE}`,
    )
    expect(error.exit).to.equal(ExitCode.notAuthenticated)
    expect(error.message).to.contain('\\u001b[2Jgone').and.not.to.contain('\u001B')
  })
})
