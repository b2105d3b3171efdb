import {createReadStream, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {Readable} from 'node:stream'

import {expect} from 'chai'
import fc from 'fast-check'

import {readExport} from '../../../src/lib/csv/export-file.js'
import {type ExportUser, MAX_RECORD_BYTES} from '../../../src/lib/csv/export-parser.js'
import {readExportUsers} from '../../../src/lib/csv/export-reader.js'
import {readExportFileInParallel} from '../../../src/lib/csv/parallel-export-reader.js'
import {CfadminError} from '../../../src/lib/errors.js'
import {Utf8LineChecker} from '../../../src/lib/text/utf8.js'
import {useTempDir} from '../../support/temp-dir.js'

const HEADER = 'User id,User name,email,User status\n'
const row = (i: number) => `id${i},Name ${i},u${i}@x.example,Active\n`

async function failure(users: AsyncIterable<ExportUser[]>): Promise<CfadminError> {
  try {
    for await (const batch of users) void batch
  } catch (error) {
    expect(error).to.be.instanceOf(CfadminError)
    return error as CfadminError
  }

  throw new Error('expected the export to be refused')
}

async function collect(users: AsyncIterable<ExportUser[]>): Promise<ExportUser[]> {
  const all: ExportUser[] = []
  for await (const batch of users) all.push(...batch)
  return all
}

/** An input that never ends: the same bytes again and again, as /dev/zero or `yes` would give. */
function endless(prefix: string, unit: string): Readable {
  const block = Buffer.from(unit.repeat(Math.ceil(65_536 / unit.length)))
  let first = true
  return new Readable({
    read() {
      this.push(first ? Buffer.concat([Buffer.from(prefix), block]) : block)
      first = false
    },
  })
}

/** The bytes as chunks of `size`, so a character can be cut between two chunks. */
function chunked(bytes: Buffer, size: number): Readable {
  const chunks: Buffer[] = []
  for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size))
  return Readable.from(chunks)
}

const latin1 = (text: string) => Buffer.from(text, 'latin1')

describe('export reader: bounded and strictly UTF-8', () => {
  let dir: string
  const temp = useTempDir('cfadmin-export-limits-')
  beforeEach(() => {
    dir = temp.path
  })

  it('a line longer than the row limit is exit 2 naming the line where the row starts, not a crash', async () => {
    const error = await failure(readExportUsers(endless(HEADER + row(1) + row(2) + 'id3,', 'x'), 'export.csv'))
    expect(error).to.include({code: 'MALFORMED_CSV', exit: 2})
    expect(error.message).to.equal(
      'export.csv is not valid CSV at line 4: the row that starts on this line is longer than 1 MB, the most cfadmin reads in one row; a user export has short rows: check that this is the right file',
    )
  })

  it('an export read from /dev/zero ends at the row limit', async () => {
    const {users} = await readExport('/dev/zero')
    const error = await failure(users)
    expect(error).to.include({code: 'MALFORMED_CSV', exit: 2})
    expect(error.message).to.include(
      '/dev/zero is not valid CSV at line 1: the row that starts on this line is longer than 1 MB',
    )
  })

  it('a huge header line in a file read by several threads is the same exit 2, without reading the line into memory', async () => {
    const file = join(dir, 'export.csv')
    writeFileSync(file, 'User id,' + 'h'.repeat(MAX_RECORD_BYTES + 10) + '\n' + row(1))
    const error = await failure(readExportFileInParallel(file, 'export.csv', {chunkBytes: 100, threads: 2}))
    expect(error).to.include({code: 'MALFORMED_CSV', exit: 2})
    expect(error.message).to.include('at line 1: the row that starts on this line is longer than 1 MB')
  })

  it('a huge row deep in a file read by several threads is reported at the same line as one stream reports it', async () => {
    const file = join(dir, 'export.csv')
    const rows = Array.from({length: 60}, (_, i) => row(i))
    rows[40] = `id40,"${'n'.repeat(MAX_RECORD_BYTES)}",u40@x.example,Active\n`
    writeFileSync(file, HEADER + rows.join(''))
    const single = await failure(readExportUsers(createReadStream(file), 'export.csv'))
    const parallel = await failure(readExportFileInParallel(file, 'export.csv', {chunkBytes: 200, threads: 2}))
    expect(single.message).to.include('at line 42: the row that starts on this line is longer than 1 MB')
    expect(parallel.message).to.equal(single.message)
  })

  it('a malformed header in a file read by several threads is exit 2 naming line 1, as one stream says', async () => {
    const file = join(dir, 'export.csv')
    writeFileSync(file, 'User id,Na"me,email\n' + Array.from({length: 20}, (_, i) => row(i)).join(''))
    const single = await failure(readExportUsers(createReadStream(file), 'export.csv'))
    const parallel = await failure(readExportFileInParallel(file, 'export.csv', {chunkBytes: 50, threads: 2}))
    expect(parallel).to.include({code: 'MALFORMED_CSV', exit: 2})
    expect(parallel.message).to.equal(single.message)
  })

  it('refuses bytes that are not UTF-8 (a Latin-1 export) with exit 2 naming the line, instead of U+FFFD in an email', async () => {
    const bytes = Buffer.concat([
      Buffer.from(HEADER + row(1) + row(2)),
      latin1('id3,Zoë,zoë@x.example,Active\n'),
      Buffer.from(row(4)),
    ])
    for (const size of [1, 2, 3, 7, bytes.length]) {
      const error = await failure(readExportUsers(chunked(bytes, size), 'export.csv'))
      expect(error, `chunks of ${size}`).to.include({code: 'INPUT_NOT_UTF8', exit: 2})
      expect(error.message).to.equal('export.csv is not UTF-8 text: line 4 has bytes that are not UTF-8.')
    }
  })

  it('refuses an export that ends inside a character, and a UTF-16 export', async () => {
    const cut = Buffer.concat([Buffer.from(HEADER + 'id1,Zo'), Buffer.from('ë').subarray(0, 1)])
    expect((await failure(readExportUsers(chunked(cut, 4), 'export.csv'))).message).to.include(
      'line 2 has bytes that are not UTF-8',
    )
    const utf16 = Buffer.from('\uFEFF' + HEADER + row(1), 'utf16le')
    expect(await failure(readExportUsers(chunked(utf16, 64), 'export.csv'))).to.include({
      code: 'INPUT_NOT_UTF8',
      exit: 2,
    })
  })

  it('reads UTF-8 with a BOM and characters of every length cut anywhere between chunks', async () => {
    const text = '\uFEFF' + HEADER + 'id1,Zoë Ωmega 漢字 😀,zoë@x.example,Active\n' + row(2)
    const bytes = Buffer.from(text)
    for (let size = 1; size <= 9; size++) {
      const users = await collect(readExportUsers(chunked(bytes, size), 'export.csv'))
      expect(
        users.map((u) => u.email),
        `chunks of ${size}`,
      ).to.deep.equal(['zoë@x.example', 'u2@x.example'])
    }
  })

  it('reports a non-UTF-8 line in a file read by several threads as one stream does', async () => {
    const file = join(dir, 'export.csv')
    const rows = Array.from({length: 50}, (_, i) => Buffer.from(row(i)))
    rows[33] = latin1('id33,Zoë,zoe@x.example,Active\n')
    writeFileSync(file, Buffer.concat([Buffer.from(HEADER), ...rows]))
    const single = await failure(readExportUsers(createReadStream(file), 'export.csv'))
    const parallel = await failure(readExportFileInParallel(file, 'export.csv', {chunkBytes: 100, threads: 2}))
    expect(single.message).to.equal('export.csv is not UTF-8 text: line 35 has bytes that are not UTF-8.')
    expect(parallel.message).to.equal(single.message)
  })

  it('finds the same first bad line however a stream of bytes is cut into chunks', () => {
    const pieces = fc.array(
      fc.oneof(
        fc.constantFrom('a', ',', '\n', 'é', '€', '😀', '"'),
        fc.constantFrom(latin1('é'), Buffer.from([0xc0, 0x80]), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from([0xf5])),
      ),
      {maxLength: 40},
    )
    fc.assert(
      fc.property(pieces, fc.array(fc.integer({max: 64, min: 1}), {maxLength: 20, minLength: 1}), (parts, sizes) => {
        const bytes = Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : p)))
        const whole = new Utf8LineChecker()
        const expected = whole.check(bytes) ?? whole.end()
        const checker = new Utf8LineChecker()
        let found: number | undefined
        for (let offset = 0, i = 0; offset < bytes.length && found === undefined; i++) {
          const size = sizes[i % sizes.length]
          found = checker.check(bytes.subarray(offset, offset + size))
          offset += size
        }

        expect(found ?? checker.end()).to.equal(expected)
        let decoded = true
        try {
          new TextDecoder('utf-8', {fatal: true}).decode(bytes)
        } catch {
          decoded = false
        }

        expect(expected === undefined).to.equal(decoded)
      }),
      {numRuns: 300},
    )
  })
})
