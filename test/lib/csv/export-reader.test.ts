import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {Readable} from 'node:stream'

import {expect} from 'chai'

import {type ExportUser, readExportUsers} from '../../../src/lib/csv/export-reader.js'
import {CfadminError} from '../../../src/lib/errors.js'
import {fixtures} from '../../support/paths.js'

/** The input as separate chunks, so records, quotes, BOMs and CRLFs can straddle chunk boundaries. */
function chunked(text: string, size: number): Readable {
  const bytes = Buffer.from(text)
  const chunks: Buffer[] = []
  for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size))
  return Readable.from(chunks)
}

async function readAll(input: string | Readable): Promise<ExportUser[]> {
  const stream = typeof input === 'string' ? Readable.from([Buffer.from(input)]) : input
  const users: ExportUser[] = []
  for await (const batch of readExportUsers(stream, 'export.csv')) users.push(...batch)
  return users
}

async function readError(input: string | Readable): Promise<CfadminError> {
  try {
    await readAll(input)
  } catch (error) {
    expect(error).to.be.instanceOf(CfadminError)
    return error as CfadminError
  }

  expect.fail('expected the export to be refused')
}

describe('export reader', () => {
  it('reads account ID, email, status and line of each row of the shared sample export', async () => {
    const users = await readAll(readFileSync(join(fixtures, 'user-exports/centralized-acme.csv'), 'utf8'))
    expect(users.map((u) => [u.accountId, u.email, u.active, u.line])).to.deep.equal([
      ['5b10ac8d82e05b22cc7d4ef5', 'ada@acme.example', true, 2],
      ['557058:f58131cb-b67d-43c7-b30d-6b58d40bd077', 'grace.hopper@acme.example', true, 3],
      ['712020:978521a6-2367-4092-a7f6-7cc1b9043bdd', 'soren@acme.example', true, 4],
      ['5d9b2c7e1f3a4b0012345678', 'crawler@acme.example', true, 5],
      ['63a1f0e2d4c5b6a7b8c9d0e1', '', true, 6],
      ['712020:0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9', 'former@acme.example', false, 7],
      ['5f0e1d2c3b4a596877665544', 'LINUS@ACME.EXAMPLE', true, 8],
      ['557058:0bd4c2aa-1111-4d2f-9a77-3e0f5a6b7c8d', 'bard@acme.example', true, 9],
    ])
  })

  it('trims the account ID but leaves the email as written (cleaning it is the caller’s policy)', async () => {
    const users = await readAll('User id,email\n  abc  , Ada@Example.COM \n')
    expect(users).to.deep.equal([{accountId: 'abc', active: true, email: ' Ada@Example.COM ', line: 2}])
  })

  it('reads an export with a UTF-8 byte-order mark and CRLF line ends', async () => {
    const users = await readAll(
      '\uFEFFUser id,email,User status\r\na1,a@x.example,Active\r\nb2,b@x.example,Suspended\r\n',
    )
    expect(users.map((u) => [u.accountId, u.email, u.active, u.line])).to.deep.equal([
      ['a1', 'a@x.example', true, 2],
      ['b2', 'b@x.example', false, 3],
    ])
  })

  it('finds the header after a byte-order mark even when the BOM is split across chunks', async () => {
    const users = await readAll(chunked('\uFEFFUser id,email\r\na1,a@x.example\r\n', 1))
    expect(users.map((u) => u.accountId)).to.deep.equal(['a1'])
  })

  it('reads quoted fields with commas, doubled quotes and line breaks, and reports the line each row starts on', async () => {
    const csv = [
      'User id,User name,email,User status',
      'a1,"Hopper, Grace",grace@x.example,Active',
      'b2,"Quote ""The Bard"" User",bard@x.example,Active',
      'c3,"Two',
      'line name",c3@x.example,Active',
      'd4,"Søren, 日本 😀","d4,odd@x.example",Active',
      '',
    ].join('\n')
    const users = await readAll(csv)
    expect(users.map((u) => [u.accountId, u.email, u.line])).to.deep.equal([
      ['a1', 'grace@x.example', 2],
      ['b2', 'bard@x.example', 3],
      ['c3', 'c3@x.example', 4],
      ['d4', 'd4,odd@x.example', 6],
    ])
  })

  it('gives the same users whatever the chunk size (multi-byte characters and CRLF split across chunks)', async () => {
    const csv =
      '\uFEFFUser name,User id,Email address,Status\r\n"Søren ""S"", K",s1,søren@x.example,Active\r\n"日本\r\n語",j2,J@x.example,Deactivated\r\n'
    const whole = await readAll(csv)
    expect(whole.map((u) => u.accountId)).to.deep.equal(['s1', 'j2'])
    for (const size of [1, 2, 3, 5, 7])
      expect(await readAll(chunked(csv, size)), `chunks of ${size}`).to.deep.equal(whole)
  })

  it('reads a group-per-row export: one row per user and group, each returned', async () => {
    const csv =
      'User id,User name,email,User status,Group id,Group name\nu1,Ada,ada@x.example,Active,g1,confluence-users\nu1,Ada,ada@x.example,Active,g2,site-admins\n'
    const users = await readAll(csv)
    expect(users.map((u) => [u.accountId, u.email, u.line])).to.deep.equal([
      ['u1', 'ada@x.example', 2],
      ['u1', 'ada@x.example', 3],
    ])
  })

  it('reads a "Pivot to column" export whose rows have different numbers of group columns', async () => {
    const csv = [
      'User id,email,User status,Group 1,Group 2,Group 3',
      'u1,a@x.example,Active,g1,g2,g3,g4',
      'u2,b@x.example,Active',
      'u3,c@x.example,Suspended,g1',
      '',
    ].join('\n')
    const users = await readAll(csv)
    expect(users.map((u) => [u.accountId, u.email, u.active])).to.deep.equal([
      ['u1', 'a@x.example', true],
      ['u2', 'b@x.example', true],
      ['u3', 'c@x.example', false],
    ])
  })

  it('reads the pre-2021 export whose "active" column says Yes or No', async () => {
    const users = await readAll('id,name,email,active\nu1,A,a@x.example,Yes\nu2,B,b@x.example,No\n')
    expect(users.map((u) => [u.accountId, u.active])).to.deep.equal([
      ['u1', true],
      ['u2', false],
    ])
  })

  it('treats every user as active when the export has no status column', async () => {
    const users = await readAll('Atlassian ID,Email\nu1,a@x.example\n')
    expect(users[0].active).to.equal(true)
  })

  it('skips blank lines and rows with only empty fields, and still counts lines right after them', async () => {
    const users = await readAll('\nUser id,email\n\nu1,a@x.example\n,\n , \nu2,b@x.example\n\n')
    expect(users.map((u) => [u.accountId, u.line])).to.deep.equal([
      ['u1', 4],
      ['u2', 7],
    ])
  })

  it('returns a row without an account ID with an empty ID, for the caller to count', async () => {
    const users = await readAll('User id,email\n,orphan@x.example\n')
    expect(users.map((u) => [u.accountId, u.email])).to.deep.equal([['', 'orphan@x.example']])
  })

  it('reads a last row without a final line break', async () => {
    const users = await readAll('User id,email\nu1,a@x.example')
    expect(users.map((u) => u.accountId)).to.deep.equal(['u1'])
  })

  it('delivers a large export in batches with every row in order', async () => {
    const rows = Array.from({length: 20_000}, (_, i) => `id${i},user${i}@x.example,Active`)
    const batches: number[] = []
    const ids: string[] = []
    for await (const batch of readExportUsers(
      chunked(['User id,email,User status', ...rows, ''].join('\n'), 64 * 1024),
      'big.csv',
    )) {
      batches.push(batch.length)
      ids.push(...batch.map((u) => u.accountId))
    }

    expect(ids).to.have.length(20_000)
    expect(ids[0]).to.equal('id0')
    expect(ids.at(-1)).to.equal('id19999')
    expect(batches.length).to.be.greaterThan(1)
  })

  describe('refusals', () => {
    it('refuses an empty file with EXPORT_EMPTY (exit 2) and says to export again', async () => {
      for (const text of ['', '\n\n', '\r\n', '\uFEFF']) {
        const error = await readError(text)
        expect(error.code, JSON.stringify(text)).to.equal('EXPORT_EMPTY')
        expect(error.exit).to.equal(2)
        expect(error.message).to.contain('empty')
        expect(error.hint).to.contain('Export users')
      }
    })

    it('refuses a header without account ID or email with EXPORT_COLUMNS_MISSING, naming the headers found', async () => {
      const error = await readError('Name,Department\nAda,R&D\n')
      expect(error.code).to.equal('EXPORT_COLUMNS_MISSING')
      expect(error.exit).to.equal(2)
      expect(error.message).to.contain('Headers found: "Name", "Department"')
      expect(error.message).to.contain('"User id"')
    })

    it('refuses a header-only file without the needed columns (no final line break)', async () => {
      const error = await readError('Name,Department')
      expect(error.code).to.equal('EXPORT_COLUMNS_MISSING')
    })

    it('points at the line where an unclosed quote starts, not at the end of the file', async () => {
      const error = await readError(
        'User id,email\nu1,a@x.example\nu2,b@x.example\nu3,"c@x.example\nu4,d@x.example\nu5,e@x.example\n',
      )
      expect(error.code).to.equal('MALFORMED_CSV')
      expect(error.exit).to.equal(2)
      expect(error.message).to.match(/^export\.csv is not valid CSV at line 4: /)
      expect(error.message).to.contain('never closed')
      expect(error.hint).to.contain('double quotes')
    })

    it('points at the line of an unclosed quote in a large file, after blank lines and multi-line fields', async () => {
      const head = 'User id,User name,email\nu1,"Two\nlines",a@x.example\n\n,,\n'
      const rows = Array.from({length: 5000}, (_, i) => `id${i},n,user${i}@x.example`).join('\n')
      // Lines 1-3 header and a two-line row, 4 blank, 5 empty fields, 6 the broken row.
      const error = await readError(chunked(head + 'u6,"Broken,b@x.example\n' + rows + '\n', 4096))
      expect(error.message).to.match(/at line 6: /)
    })

    it('points at the line of a stray quote in the middle of the file', async () => {
      const error = await readError('User id,email\nu1,a@x.example\nu2,b"@x.example"\nu3,c@x.example\n')
      expect(error.code).to.equal('MALFORMED_CSV')
      expect(error.message).to.match(/^export\.csv is not valid CSV at line 3: /)
    })

    it('points at the line of text after a closing quote', async () => {
      const error = await readError('User id,email\r\nu1,a@x.example\r\nu2,b@x.example\r\nu3,"c@x"example\r\n')
      expect(error.code).to.equal('MALFORMED_CSV')
      expect(error.message).to.match(/at line 4: /)
    })

    it('passes on an error of the input stream', async () => {
      const input = new Readable({
        read() {
          this.push('User id,email\nu1,a@x.example\n')
          this.destroy(new Error('disk on fire'))
        },
      })
      try {
        await readAll(input)
        expect.fail('expected the read error')
      } catch (error) {
        expect((error as Error).message).to.equal('disk on fire')
      }
    })
  })
})
