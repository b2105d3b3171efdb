import {expect} from 'chai'

import {redactUrl, scrubSecrets, secretsOf} from '../../../src/lib/http/redact.js'

describe('redaction', () => {
  it('replaces secret query values and user-info in URLs but keeps cursors and space keys', () => {
    const url =
      'https://me:pw@x.test/a?token=t1&access_token=t2&refresh_token=t3&client_secret=t4&key=t5&code=t6&password=t7&x-api-key=t8&cursor=c&keys=ENG'
    const redacted = redactUrl(url)
    for (const secret of ['me', 'pw', 't1', 't2', 't3', 't4', 't5', 't6', 't7', 't8']) {
      expect(redacted).not.to.match(new RegExp(`[=:/@]${secret}[&@:]|=${secret}$`))
    }
    expect(redacted).to.equal(
      'https://REDACTED:REDACTED@x.test/a?token=REDACTED&access_token=REDACTED&refresh_token=REDACTED&client_secret=REDACTED&key=REDACTED&code=REDACTED&password=REDACTED&x-api-key=REDACTED&cursor=c&keys=ENG',
    )
  })

  it('collects the Authorization value, its Basic token and secret query values, and cuts them out', () => {
    const basic = `Basic ${Buffer.from('me@example.com:FAKE-API-TOKEN-789').toString('base64')}`
    const secrets = secretsOf(basic, 'https://x/y?token=FAKE-QUERY-456&keys=ENG')
    expect(secrets).to.include.members([basic, 'FAKE-API-TOKEN-789', 'FAKE-QUERY-456'])
    expect(secrets).not.to.include('ENG')
    expect(scrubSecrets('echo FAKE-API-TOKEN-789 and FAKE-QUERY-456', secrets)).to.equal(
      'echo [REDACTED] and [REDACTED]',
    )
  })

  it("collects the OAuth token request's secrets from a JSON, form or URLSearchParams body, but not a space key", () => {
    const fields = {
      grant_type: 'refresh_token',
      client_id: 'fake-client-id',
      client_secret: 'FAKE-CLIENT-SECRET-1',
      refresh_token: 'FAKE-REFRESH-TOKEN-2',
      code: 'FAKE-AUTH-CODE-3',
      code_verifier: 'FAKE-VERIFIER-4',
      key: 'ENGINEERING',
    }
    const wanted = ['FAKE-CLIENT-SECRET-1', 'FAKE-REFRESH-TOKEN-2', 'FAKE-AUTH-CODE-3', 'FAKE-VERIFIER-4']
    for (const body of [
      fields,
      JSON.stringify(fields),
      new URLSearchParams(fields),
      new URLSearchParams(fields).toString(),
      {nested: fields},
    ]) {
      const secrets = secretsOf(undefined, undefined, body)
      expect(secrets, String(body)).to.include.members(wanted)
      expect(secrets, String(body)).not.to.include.members(['ENGINEERING', 'fake-client-id', 'refresh_token'])
    }
  })
})
