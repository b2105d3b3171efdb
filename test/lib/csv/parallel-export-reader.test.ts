import {createReadStream, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {expect} from 'chai'
import fc from 'fast-check'

import {planExportChunks} from '../../../src/lib/csv/export-chunks.js'
import type {ExportUser} from '../../../src/lib/csv/export-parser.js'
import {readExportUsers} from '../../../src/lib/csv/export-reader.js'
import {readExportFileInParallel} from '../../../src/lib/csv/parallel-export-reader.js'
import {CfadminError} from '../../../src/lib/errors.js'
import {useTempDir} from '../../support/temp-dir.js'

async function collect(users: AsyncIterable<ExportUser[]>): Promise<ExportUser[]> {
  const all: ExportUser[] = []
  for await (const batch of users) all.push(...batch)
  return all
}

async function failure(users: AsyncIterable<ExportUser[]>): Promise<CfadminError> {
  try {
    await collect(users)
  } catch (error) {
    return error as CfadminError
  }

  throw new Error('expected the read to fail')
}

const HEADER = 'User id,User name,email,User status\n'

describe('reading a large export with several threads', () => {
  let dir: string
  let file: string
  const temp = useTempDir('cfadmin-parallel-')
  beforeEach(() => {
    dir = temp.path
    file = join(dir, 'export.csv')
  })

  const streamed = (path: string) => collect(readExportUsers(createReadStream(path), 'export.csv'))
  const parallel = (path: string, chunkBytes: number, threads = 2) =>
    collect(readExportFileInParallel(path, 'export.csv', {chunkBytes, threads}))

  it('cuts only at line breaks outside quoted fields', async () => {
    writeFileSync(
      file,
      HEADER +
        'a1,"two\nlines",a@x.example,Active\na2,"quote "" and\nbreak",b@x.example,Active\na3,plain,c@x.example,Active\n',
    )
    const plan = await planExportChunks(file, 1)
    expect(plan?.header.toString()).to.equal(HEADER)
    const text = readFileSync(file, 'utf8')
    expect(plan?.chunks.map(({end, start}) => text.slice(start, end))).to.deep.equal([
      'a1,"two\nlines",a@x.example,Active\n',
      'a2,"quote "" and\nbreak",b@x.example,Active\n',
      'a3,plain,c@x.example,Active\n',
    ])
  })

  it('gives the same users, in the same order and with the same line numbers, as one stream', async function () {
    this.timeout(90_000) // 15 files each read by worker threads; a guard against a hang, not a speed check
    const name = fc.oneof(
      fc.constantFrom('Ada', 'Søren', 'Hopper, Grace', 'say "hi"', 'two\nlines', 'crlf\r\nname', ''),
      fc.string({maxLength: 6}),
    )
    const row = fc.record({
      email: fc.constantFrom('', 'a@x.example', ' B@X.EXAMPLE ', 'c@x.example'),
      id: fc.constantFrom('5b10ac8d82e05b22cc7d4ef5', '557058:f58131cb-b67d-43c7-b30d-6b58d40bd077', 'id-3', ''),
      name,
      status: fc.constantFrom('Active', 'Suspended', 'Deactivated'),
    })
    const quote = (field: string) => (/[",\r\n]/.test(field) ? `"${field.replaceAll('"', '""')}"` : field)
    await fc.assert(
      fc.asyncProperty(
        fc.array(row, {maxLength: 40}),
        fc.constantFrom('\n', '\r\n'),
        fc.boolean(),
        fc.integer({max: 200, min: 1}),
        async (rows, eol, bom, chunkBytes) => {
          const body = rows.map((r) => [r.id, quote(r.name), quote(r.email), r.status].join(',')).join(eol)
          writeFileSync(file, (bom ? '\uFEFF' : '') + HEADER.replace('\n', eol) + body + (rows.length > 0 ? eol : ''))
          expect(await parallel(file, chunkBytes)).to.deep.equal(await streamed(file))
        },
      ),
      {numRuns: 15},
    )
  })

  it('reports a stray quote at the same line as one stream does, whichever chunk it falls in', async () => {
    const rows = Array.from({length: 50}, (_, i) => `id${i},Name ${i},u${i}@x.example,Active\n`)
    rows[31] = 'id31,Bad "quote,u31@x.example,Active\n'
    writeFileSync(file, HEADER + rows.join(''))
    const expected = await failure(readExportUsers(createReadStream(file), 'export.csv'))
    const actual = await failure(readExportFileInParallel(file, 'export.csv', {chunkBytes: 200, threads: 2}))
    expect(actual.code).to.equal('MALFORMED_CSV')
    expect(actual.message).to.equal(expected.message)
    expect(actual.message).to.include('at line 33')
  })

  it('reports a quote that is never closed at the line its row starts, as one stream does', async () => {
    const rows = Array.from({length: 40}, (_, i) => `id${i},Name ${i},u${i}@x.example,Active\n`)
    rows[25] = 'id25,"Never closed,u25@x.example,Active\n'
    writeFileSync(file, HEADER + rows.join(''))
    const expected = await failure(readExportUsers(createReadStream(file), 'export.csv'))
    const actual = await failure(readExportFileInParallel(file, 'export.csv', {chunkBytes: 100, threads: 2}))
    expect(actual.message).to.equal(expected.message)
    expect(actual.message).to.include('at line 27')
  })

  it('refuses a header without an email column before starting any thread', async () => {
    writeFileSync(file, 'User id,User name\nabc,Ada\n'.repeat(3))
    const error = await failure(readExportFileInParallel(file, 'export.csv', {chunkBytes: 10, threads: 2}))
    expect(error.code).to.equal('EXPORT_COLUMNS_MISSING')
  })

  it('reads a file that has a header and no rows', async () => {
    writeFileSync(file, HEADER)
    expect(await parallel(file, 10)).to.deep.equal([])
  })

  it('stops its threads when the reader is abandoned part-way', async () => {
    writeFileSync(file, HEADER + Array.from({length: 2000}, (_, i) => `id${i},N,u${i}@x.example,Active\n`).join(''))
    const users = readExportFileInParallel(file, 'export.csv', {chunkBytes: 1000, threads: 2})
    const first = await users.next()
    expect(first.done).to.equal(false)
    await users.return(undefined)
    expect((await users.next()).done).to.equal(true)
  })
})
