import {Readable} from 'node:stream'

import {expect} from 'chai'

import {CfadminError} from '../../src/lib/errors.js'
import {readStdinLines, SECRET_INPUT_LIMIT} from '../../src/lib/secret-input.js'
import {rejectionOf} from '../support/rejection.js'

/** A standard input that never ends: `auth login --with-token < /dev/zero`. */
function endless(): Readable {
  const block = Buffer.alloc(16_384, 'a')
  return new Readable({
    read() {
      this.push(block)
    },
  })
}

describe('secrets piped on standard input', () => {
  it('gives the trimmed non-empty lines, without a byte order mark', async () => {
    expect(
      await readStdinLines(Readable.from([Buffer.from('\uFEFFfake-api-token-0001  \r\n\r\nfake-admin-key-0001\n')])),
    ).to.deep.equal(['fake-api-token-0001', 'fake-admin-key-0001'])
  })

  it('stops an endless input at its limit with exit 2, quoting none of it', async () => {
    const error = await rejectionOf(readStdinLines(endless()))
    expect(error).to.be.instanceOf(CfadminError).and.include({code: 'SECRET_INPUT_TOO_LARGE', exit: 2})
    expect(error.message)
      .to.include(`${SECRET_INPUT_LIMIT / 1024} KB`)
      .and.not.include('aaaa')
  })

  it('refuses input that is not UTF-8 text (exit 2), quoting none of it', async () => {
    const error = await rejectionOf(
      readStdinLines(Readable.from([Buffer.from([0x66, 0x61, 0x6b, 0x65, 0xff, 0xfe, 0x0a])])),
    )
    expect(error).to.be.instanceOf(CfadminError).and.include({code: 'SECRET_INPUT_NOT_UTF8', exit: 2})
    expect(error.message).to.not.include('fake')
  })
})
