import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {Readable} from 'node:stream'

import {expect} from 'chai'

import {CfadminError} from '../../../src/lib/errors.js'
import {TEXT_INPUT_LIMITS} from '../../../src/lib/files/input-file.js'
import {readUserInputs} from '../../../src/lib/access/principals.js'
import {rejectionOf} from '../../support/rejection.js'
import {useTempDir} from '../../support/temp-dir.js'
import {ACCOUNT_ID} from '../../../src/lib/domain.js'

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
  const temp = useTempDir('cfadmin-principals-')
  beforeEach(() => {
    dir = temp.path
  })

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
    expect(error.message).to.equal(
      `standard input is larger than ${TEXT_INPUT_LIMITS.bytes / 1024 / 1024} MB, the most cfadmin reads from it.`,
    )
  })

  it('refuses a --file or standard input that is not UTF-8, naming the line', async () => {
    const bytes = Buffer.concat([
      Buffer.from('email\nada@acme.example\n'),
      Buffer.from('zo\u00eb@acme.example\n', 'latin1'),
    ])
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
    const error = await rejectionOf<CfadminError>(
      readUserInputs([], '-', stdinOf('"ada@acme.example\nbob@acme.example\n')),
    )
    expect(error).to.be.instanceOf(CfadminError)
    expect(error).to.include({code: 'USER_INVALID', exit: 2})
    expect(error.message).to.equal('Not an email or account ID: ""ada@acme.example" (standard input line 1).')
  })

  it('names at most a few bad entries, each as a short escaped excerpt', async () => {
    const lines = [
      `${'x'.repeat(10_000)}@`,
      'evil\u001b]0;title\u0007@acme.example',
      ...Array.from({length: 30}, (_, i) => `bad ${i}`),
    ]
    const error = await rejectionOf<CfadminError>(readUserInputs(['-'], undefined, stdinOf(lines.join('\n'))))
    expect(error).to.include({code: 'USER_INVALID', exit: 2})
    expect(error.message).to.include('and 27 more.').and.to.not.include('\u001b').and.to.not.include('x'.repeat(100))
    expect(error.message.length).to.be.below(600)
  })
})

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

  for (const value of [
    '..',
    '--dry-run',
    '/x',
    '../../admin',
    '712020:../x',
    'crawlers',
    'acc/crawler',
    '5b10ac8d82e05b22cc7d4ef',
    '557058:',
    ':abc',
    'x'.repeat(24) + '?',
  ]) {
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
