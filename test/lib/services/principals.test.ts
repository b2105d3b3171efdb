import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {Readable} from 'node:stream'

import {expect} from 'chai'

import {CfadminError} from '../../../src/lib/errors.js'
import {TEXT_INPUT_LIMITS} from '../../../src/lib/files/input-file.js'
import {readUserInputs} from '../../../src/lib/services/principals.js'
import {rejectionOf} from '../../support/rejection.js'

/** A standard input that never ends, with no line break: `yes | tr -d '\n'`, or a 300 MB line. */
function endlessLine(): Readable {
  const block = Buffer.alloc(65_536, 'a')
  return new Readable({
    read() {
      this.push(block)
    },
  })
}

/** A standard input of short lines that never ends. */
function endlessLines(): Readable {
  const block = Buffer.from('a@acme.example\n'.repeat(65_536))
  return new Readable({
    read() {
      this.push(block)
    },
  })
}

const stdinOf = (bytes: Buffer | string) => Readable.from([Buffer.from(bytes)])

describe('users from --file and standard input: bounded, UTF-8, never a crash', () => {
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cfadmin-principals-'))
  })
  afterEach(() => rmSync(dir, {force: true, recursive: true}))

  it('a huge line on standard input is exit 2 naming the line, read no further than the line limit', async () => {
    const error = await rejectionOf<CfadminError>(readUserInputs(['-'], undefined, endlessLine()))
    expect(error).to.be.instanceOf(CfadminError)
    expect(error).to.include({code: 'LINE_TOO_LONG', exit: 2})
    expect(error.message).to.equal('standard input line 1 is longer than 64 KB, the most cfadmin reads in one line.')
    const viaFile = await rejectionOf<CfadminError>(readUserInputs([], '-', endlessLine()))
    expect(viaFile).to.include({code: 'LINE_TOO_LONG', exit: 2})
  })

  it('standard input larger than 64 MB is exit 2, stopped at the limit', async function () {
    this.timeout(30_000)
    const error = await rejectionOf<CfadminError>(readUserInputs(['-'], undefined, endlessLines()))
    expect(error).to.include({code: 'INPUT_TOO_LARGE', exit: 2})
    expect(error.message).to.equal(`standard input is larger than ${TEXT_INPUT_LIMITS.bytes / 1024 / 1024} MB, the most cfadmin reads from it.`)
  })

  it('refuses a --file or standard input that is not UTF-8, naming the line', async () => {
    const bytes = Buffer.concat([Buffer.from('email\nada@acme.example\n'), Buffer.from('zo\u00eb@acme.example\n', 'latin1')])
    const file = join(dir, 'users.csv')
    writeFileSync(file, bytes)
    const fromFile = await rejectionOf<CfadminError>(readUserInputs([], file))
    expect(fromFile).to.include({code: 'INPUT_NOT_UTF8', exit: 2})
    expect(fromFile.message).to.equal(`${file} is not UTF-8 text: line 3 has bytes that are not UTF-8.`)
    const fromStdin = await rejectionOf<CfadminError>(readUserInputs(['-'], undefined, stdinOf(bytes)))
    expect(fromStdin.message).to.equal('standard input is not UTF-8 text: line 3 has bytes that are not UTF-8.')
  })

  it('keeps reading UTF-8 with a byte-order mark', async () => {
    const users = await readUserInputs([], '-', stdinOf('\uFEFFemail\nZoë@acme.example\n'))
    expect(users.map((u) => u.value)).to.deep.equal(['Zoë@acme.example'])
  })

  it('a --file that is malformed CSV is exit 2 naming the line, not a crash', async () => {
    const file = join(dir, 'users.csv')
    writeFileSync(file, 'email,name\nada@acme.example,Ada\nbob@acme.example,"Bob\n')
    const error = await rejectionOf<CfadminError>(readUserInputs([], file))
    expect(error).to.be.instanceOf(CfadminError)
    expect(error).to.include({code: 'MALFORMED_CSV', exit: 2})
    expect(error.message).to.match(new RegExp(`^${file} is not valid CSV at line \\d+: `))
  })

  it('a first line that is not CSV is read as one user per line, and its value refused with exit 2', async () => {
    const error = await rejectionOf<CfadminError>(readUserInputs([], '-', stdinOf('"ada@acme.example\nbob@acme.example\n')))
    expect(error).to.be.instanceOf(CfadminError)
    expect(error).to.include({code: 'USER_INVALID', exit: 2})
    expect(error.message).to.equal('Not an email or account ID: ""ada@acme.example" (standard input line 1).')
  })

  it('names at most a few bad entries, each as a short escaped excerpt', async () => {
    const lines = [`${'x'.repeat(10_000)}@`, 'evil\u001b]0;title\u0007@acme.example', ...Array.from({length: 30}, (_, i) => `bad ${i}`)]
    const error = await rejectionOf<CfadminError>(readUserInputs(['-'], undefined, stdinOf(lines.join('\n'))))
    expect(error).to.include({code: 'USER_INVALID', exit: 2})
    expect(error.message).to.include('and 27 more.').and.to.not.include('\u001b').and.to.not.include('x'.repeat(100))
    expect(error.message.length).to.be.below(600)
  })
})
