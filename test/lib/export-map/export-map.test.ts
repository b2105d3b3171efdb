import {chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {Readable} from 'node:stream'

import {expect} from 'chai'
import {parse as parseCsv} from 'csv-parse/sync'
import fc from 'fast-check'

import {COLUMN_ALIASES} from '../../../src/lib/csv/export-columns.js'
import {readExportUsers} from '../../../src/lib/csv/export-reader.js'
import {MAP_FORMATS, type MapFormat} from '../../../src/lib/csv/map-format.js'
import {CfadminError} from '../../../src/lib/errors.js'
import type {TextSink} from '../../../src/lib/files/text-sink.js'
import {
  type EmailConflict,
  exportMap,
  type ExportMapOptions,
  exportMapFiles,
  type ExportMapSummary,
  SKIPPED_REPORT_HEADER,
} from '../../../src/lib/export-map/export-map.js'
import {fixtures} from '../../support/paths.js'
import {rejectionOf} from '../../support/rejection.js'
import {useTempDir} from '../../support/temp-dir.js'

/** A TextSink that keeps what it is given, in memory. */
class MemorySink implements TextSink {
  text = ''
  committed = false
  aborted = false

  write(text: string): void {
    this.text += text
  }

  async commit(): Promise<void> {
    this.committed = true
  }

  async abort(): Promise<void> {
    this.aborted = true
  }
}

/** The input as a stream of byte chunks, as standard input would deliver it. */
function streamOf(text: string, chunkSize = Number.POSITIVE_INFINITY): Readable {
  const bytes = Buffer.from(text)
  const chunks: Buffer[] = []
  for (let i = 0; i < bytes.length; i += Math.min(chunkSize, bytes.length))
    chunks.push(bytes.subarray(i, i + chunkSize))
  return Readable.from(chunks)
}

interface MapRun {
  summary: ExportMapSummary
  output: string
  skipped: string
  conflicts: EmailConflict[]
}

async function mapText(
  csv: string,
  options: Partial<Omit<ExportMapOptions, 'output' | 'skipped' | 'users'>> & {chunkSize?: number} = {},
): Promise<MapRun> {
  const {chunkSize, ...rest} = options
  const output = new MemorySink()
  const skipped = new MemorySink()
  const conflicts: EmailConflict[] = []
  const summary = await exportMap({
    format: 'csv',
    onConflict: (c) => conflicts.push(c),
    ...rest,
    output,
    skipped,
    users: readExportUsers(streamOf(csv, chunkSize), 'export.csv'),
  })
  return {conflicts, output: output.text, skipped: skipped.text, summary}
}

/** The map a run wrote, as [accountId, email] pairs in file order, whatever the format. */
function mapEntries(format: MapFormat, text: string): Array<[string, string]> {
  switch (format) {
    case 'csv': {
      const rows = parseCsv(text) as string[][]
      expect(rows[0]).to.deep.equal(['accountId', 'email'])
      return rows.slice(1).map(([id, email]) => [id, email])
    }

    case 'json': {
      return Object.entries(JSON.parse(text) as Record<string, string>)
    }

    case 'jsonl': {
      return text
        .split('\n')
        .filter(Boolean)
        .map((line) => {
          const entry = JSON.parse(line) as {accountId: string; email: string}
          expect(Object.keys(entry)).to.deep.equal(['accountId', 'email'])
          return [entry.accountId, entry.email]
        })
    }
  }
}

const HEADER = 'User id,User name,email,User status'
const csvOf = (...rows: string[]) => [HEADER, ...rows, ''].join('\n')

describe('export-map service', () => {
  describe('what goes into the map', () => {
    it('maps the active users of the shared sample export to lower-cased emails', async () => {
      const csv = readFileSync(join(fixtures, 'user-exports/centralized-acme.csv'), 'utf8')
      const {output, summary} = await mapText(csv)
      expect(output).to.equal(
        [
          'accountId,email',
          '5b10ac8d82e05b22cc7d4ef5,ada@acme.example',
          '557058:f58131cb-b67d-43c7-b30d-6b58d40bd077,grace.hopper@acme.example',
          '712020:978521a6-2367-4092-a7f6-7cc1b9043bdd,soren@acme.example',
          '5d9b2c7e1f3a4b0012345678,crawler@acme.example',
          '5f0e1d2c3b4a596877665544,linus@acme.example',
          '557058:0bd4c2aa-1111-4d2f-9a77-3e0f5a6b7c8d,bard@acme.example',
          '',
        ].join('\n'),
      )
      expect(summary).to.include({
        conflicts: 0,
        duplicateRows: 0,
        rowsRead: 8,
        rowsWithoutAccountId: 0,
        skippedInactive: 1,
        skippedWithoutEmail: 1,
        usersMapped: 6,
      })
    })

    it('leaves out suspended, deactivated and inactive users and counts them', async () => {
      const {output, summary} = await mapText(
        csvOf(
          'u1,A,a@x.example,Active',
          'u2,B,b@x.example,Suspended',
          'u3,C,c@x.example,Deactivated',
          'u4,D,d@x.example,Inactive',
        ),
      )
      expect(mapEntries('csv', output)).to.deep.equal([['u1', 'a@x.example']])
      expect(summary).to.include({skippedInactive: 3, usersMapped: 1})
    })

    it('keeps inactive users with includeInactive', async () => {
      const {output, summary} = await mapText(
        csvOf('u1,A,a@x.example,Active', 'u2,B,b@x.example,Suspended', 'u3,C,c@x.example,Deactivated'),
        {includeInactive: true},
      )
      expect(mapEntries('csv', output).map(([id]) => id)).to.deep.equal(['u1', 'u2', 'u3'])
      expect(summary).to.include({skippedInactive: 0, usersMapped: 3})
    })

    it('skips users without an email (hidden or blank) and counts them', async () => {
      const {output, summary} = await mapText(csvOf('u1,A,a@x.example,Active', 'u2,B,,Active', 'u3,C,"   ",Active'))
      expect(mapEntries('csv', output)).to.deep.equal([['u1', 'a@x.example']])
      expect(summary).to.include({skippedWithoutEmail: 2, usersMapped: 1})
    })

    it('quotes account IDs a spreadsheet would run as a formula in the --report-skipped list, and keeps the map as it is', async () => {
      const {output, skipped} = await mapText(
        csvOf('"=HYPERLINK(""http://x"")",A,,Active', '@u2,B,,Suspended', '-u3,C,c@x.example,Active'),
      )
      expect(skipped).to.equal(`"'=HYPERLINK(""http://x"")",no-email,2\n'@u2,inactive,3\n`)
      expect(output).to.contain('-u3')
      expect(output).to.not.contain("'-u3")
    })

    it('lists the users left out, with the reason and the line, for --report-skipped', async () => {
      const {skipped} = await mapText(
        csvOf('u1,A,a@x.example,Active', 'u2,B,,Active', 'u3,C,c@x.example,Suspended', 'u4,"Multi\nline",,Active'),
      )
      // u4's row spans lines 5 and 6: the line given is where it starts.
      expect(skipped).to.equal('u2,no-email,3\nu3,inactive,4\nu4,no-email,5\n')
    })

    it('reports an inactive user without an email as inactive, and lists nothing twice', async () => {
      const {skipped, summary} = await mapText(csvOf('u1,A,,Suspended', 'u1,A,,Suspended'))
      expect(skipped).to.equal('u1,inactive,2\n')
      expect(summary).to.include({duplicateRows: 1, skippedInactive: 1, skippedWithoutEmail: 0})
    })

    it('trims and lower-cases emails', async () => {
      const {output} = await mapText(
        csvOf('u1,A,"  Ada.Lovelace@Example.COM ",Active', 'u2,B,\tBOB@X.EXAMPLE\t,Active'),
      )
      expect(mapEntries('csv', output)).to.deep.equal([
        ['u1', 'ada.lovelace@example.com'],
        ['u2', 'bob@x.example'],
      ])
    })

    it('keeps the case of emails with preserveCase, still trimmed', async () => {
      const {output} = await mapText(csvOf('u1,A,"  Ada.Lovelace@Example.COM ",Active'), {preserveCase: true})
      expect(mapEntries('csv', output)).to.deep.equal([['u1', 'Ada.Lovelace@Example.COM']])
    })

    it('ignores rows without an account ID and counts them', async () => {
      const {output, summary} = await mapText(
        csvOf('u1,A,a@x.example,Active', ',Ghost,ghost@x.example,Active', '  ,Ghost,ghost@x.example,Active'),
      )
      expect(mapEntries('csv', output)).to.deep.equal([['u1', 'a@x.example']])
      expect(summary).to.include({rowsRead: 3, rowsWithoutAccountId: 2, usersMapped: 1})
    })

    it('reads the export from a stream delivered in small chunks (standard input with -)', async () => {
      const csv = '\uFEFFUser id,email,User status\r\nu1,"Søren@X.example",Active\r\nu2,b@x.example,Active\r\n'
      const {output, summary} = await mapText(csv, {chunkSize: 3})
      expect(mapEntries('csv', output)).to.deep.equal([
        ['u1', 'søren@x.example'],
        ['u2', 'b@x.example'],
      ])
      expect(summary.rowsRead).to.equal(2)
    })

    it('reports progress with the rows read so far, ending at the total', async () => {
      const rows = Array.from({length: 30_000}, (_, i) => `id${i},N,u${i}@x.example,Active`)
      const seen: number[] = []
      const {summary} = await mapText(csvOf(...rows), {chunkSize: 64 * 1024, onProgress: (n) => seen.push(n)})
      expect(seen.length).to.be.greaterThan(1)
      expect(seen).to.deep.equal([...seen].sort((a, b) => a - b))
      expect(seen.at(-1)).to.equal(30_000)
      expect(summary.rowsRead).to.equal(30_000)
    })
  })

  describe('several rows per user', () => {
    it('gives one entry per account ID for a group-per-row export and counts the extra rows', async () => {
      const csv = [
        'User id,User name,email,User status,Group id,Group name',
        'u1,Ada,ada@x.example,Active,g1,confluence-users',
        'u1,Ada,ada@x.example,Active,g2,site-admins',
        'u2,Bob,bob@x.example,Active,g1,confluence-users',
        'u1,Ada,ADA@x.example ,Active,g3,jira-users',
        '',
      ].join('\n')
      const {conflicts, output, summary} = await mapText(csv)
      expect(mapEntries('csv', output)).to.deep.equal([
        ['u1', 'ada@x.example'],
        ['u2', 'bob@x.example'],
      ])
      expect(summary).to.include({conflicts: 0, duplicateRows: 2, rowsRead: 4, usersMapped: 2})
      expect(conflicts).to.deep.equal([])
    })

    it('gives one entry per account ID for a "Pivot to column" export with ragged rows', async () => {
      const csv = [
        'User id,email,User status,Group 1,Group 2',
        'u1,a@x.example,Active,g1,g2,g3',
        'u1,a@x.example,Active,g4',
        'u2,b@x.example,Active',
        '',
      ].join('\n')
      const {output, summary} = await mapText(csv)
      expect(mapEntries('csv', output)).to.deep.equal([
        ['u1', 'a@x.example'],
        ['u2', 'b@x.example'],
      ])
      expect(summary).to.include({duplicateRows: 1, usersMapped: 2})
    })

    it('counts extra rows of users left out as duplicates, not as more users left out', async () => {
      const {summary} = await mapText(
        csvOf('u1,A,,Active', 'u1,A,,Active', 'u2,B,b@x.example,Suspended', 'u2,B,b@x.example,Suspended'),
      )
      expect(summary).to.include({duplicateRows: 2, skippedInactive: 1, skippedWithoutEmail: 1, usersMapped: 0})
    })

    it('keeps the first email when an account ID has a second, different one, and reports the conflict', async () => {
      const {conflicts, output, summary} = await mapText(
        csvOf('u1,A,first@x.example,Active', 'u1,A,Second@x.example,Active'),
      )
      expect(mapEntries('csv', output)).to.deep.equal([['u1', 'first@x.example']])
      expect(summary).to.include({conflicts: 1, duplicateRows: 0, usersMapped: 1})
      expect(conflicts).to.deep.equal([{accountId: 'u1', ignored: 'second@x.example', line: 3}])
    })

    it('does not count the same email in another case as a conflict, even with preserveCase', async () => {
      const {conflicts, output, summary} = await mapText(
        csvOf('u1,A,Ada@X.example,Active', 'u1,A,ada@x.EXAMPLE,Active'),
        {preserveCase: true},
      )
      expect(mapEntries('csv', output)).to.deep.equal([['u1', 'Ada@X.example']])
      expect(summary).to.include({conflicts: 0, duplicateRows: 1})
      expect(conflicts).to.deep.equal([])
    })

    it('fails with EMAIL_CONFLICT (exit 2) naming the account, the second email and its line under strict', async () => {
      const error = await rejectionOf<CfadminError>(
        mapText(csvOf('u1,A,first@x.example,Active', 'u2,B,b@x.example,Active', 'u1,A,second@x.example,Active'), {
          strict: true,
        }),
      )
      expect(error.code).to.equal('EMAIL_CONFLICT')
      expect(error.exit).to.equal(2)
      expect(error.message).to.contain('Account u1 ').and.contain('second@x.example').and.contain('line 4')
      expect(error.hint).to.contain('without --strict')
    })

    it('quotes the cells of a conflict under strict only as short escaped excerpts', async () => {
      const id = `u1\u001b]0;owned\u0007${'i'.repeat(5000)}`
      const csv = csvOf(
        `"${id}",A,first@x.example,Active`,
        `"${id}",A,"second\u001b[2J${'e'.repeat(5000)}@x.example",Active`,
      )
      const error = await rejectionOf<CfadminError>(mapText(csv, {strict: true}))
      expect(error.code).to.equal('EMAIL_CONFLICT')
      expect(error.message)
        .to.not.include('\u001b')
        .and.to.not.include('i'.repeat(100))
        .and.to.not.include('e'.repeat(100))
      expect(error.message.length).to.be.below(300)
    })
  })

  describe('formats', () => {
    const csv = csvOf(
      'u1,A,a@x.example,Active',
      '557058:f58131cb-b67d-43c7-b30d-6b58d40bd077,B,"b,odd@x.example",Active',
    )

    it('writes CSV with the header accountId,email and quotes fields that need it', async () => {
      const {output} = await mapText(csv, {format: 'csv'})
      expect(output).to.equal(
        'accountId,email\nu1,a@x.example\n557058:f58131cb-b67d-43c7-b30d-6b58d40bd077,"b,odd@x.example"\n',
      )
    })

    it('writes JSON as one object from account ID to email', async () => {
      const {output} = await mapText(csv, {format: 'json'})
      expect(JSON.parse(output)).to.deep.equal({
        '557058:f58131cb-b67d-43c7-b30d-6b58d40bd077': 'b,odd@x.example',
        u1: 'a@x.example',
      })
      expect(output.endsWith('}\n')).to.equal(true)
    })

    it('writes valid JSON ({}) when no user is mapped', async () => {
      const {output} = await mapText(csvOf('u1,A,,Active'), {format: 'json'})
      expect(JSON.parse(output)).to.deep.equal({})
      expect(output).to.equal('{}\n')
    })

    it('writes only the CSV header when no user is mapped', async () => {
      const {output} = await mapText(csvOf('u1,A,,Active'), {format: 'csv'})
      expect(output).to.equal('accountId,email\n')
    })

    it('writes JSON Lines with one {"accountId","email"} object per line', async () => {
      const {output} = await mapText(csv, {format: 'jsonl'})
      expect(output).to.equal(
        '{"accountId":"u1","email":"a@x.example"}\n{"accountId":"557058:f58131cb-b67d-43c7-b30d-6b58d40bd077","email":"b,odd@x.example"}\n',
      )
    })

    it('writes nothing at all in JSON Lines when no user is mapped', async () => {
      const {output} = await mapText(csvOf('u1,A,,Active'), {format: 'jsonl'})
      expect(output).to.equal('')
    })
  })

  describe('on files (exportMapFiles)', () => {
    let dir: string

    const temp = useTempDir('cfadmin-')
    beforeEach(() => {
      dir = temp.path
    })

    const write = (name: string, text: string) => {
      const path = join(dir, name)
      writeFileSync(path, text)
      return path
    }

    it('writes the map and the report of skipped users to files with mode 0600', async () => {
      const input = write('export.csv', csvOf('u1,A,A@x.example,Active', 'u2,B,,Active'))
      const summary = await exportMapFiles({
        format: 'json',
        input,
        outputPath: join(dir, 'map.json'),
        reportSkippedPath: join(dir, 'skipped.csv'),
      })
      expect(JSON.parse(readFileSync(join(dir, 'map.json'), 'utf8'))).to.deep.equal({u1: 'a@x.example'})
      expect(readFileSync(join(dir, 'skipped.csv'), 'utf8')).to.equal(SKIPPED_REPORT_HEADER + 'u2,no-email,3\n')
      expect(statSync(join(dir, 'map.json')).mode & 0o777).to.equal(0o600)
      expect(statSync(join(dir, 'skipped.csv')).mode & 0o777).to.equal(0o600)
      expect(readdirSync(dir).sort()).to.deep.equal(['export.csv', 'map.json', 'skipped.csv'])
      expect(summary.usersMapped).to.equal(1)
    })

    it('leaves existing output files untouched and no temp file behind when the CSV is malformed late in the file', async () => {
      const rows = Array.from({length: 30_000}, (_, i) => `id${i},N,u${i}@x.example,Active`)
      const input = write('export.csv', csvOf(...rows, 'bad,N,"x"y@x.example,Active', 'id-after,N,z@x.example,Active'))
      const output = write('map.csv', 'previous map\n')
      const report = write('skipped.csv', 'previous report\n')
      const error = await rejectionOf<CfadminError>(
        exportMapFiles({format: 'csv', input, outputPath: output, reportSkippedPath: report}),
      )
      expect(error.code).to.equal('MALFORMED_CSV')
      expect(error.message).to.contain(`line ${rows.length + 2}`)
      expect(readFileSync(output, 'utf8')).to.equal('previous map\n')
      expect(readFileSync(report, 'utf8')).to.equal('previous report\n')
      expect(readdirSync(dir).sort()).to.deep.equal(['export.csv', 'map.csv', 'skipped.csv'])
    })

    it('creates no output file when strict finds a conflict', async () => {
      const input = write('export.csv', csvOf('u1,A,a@x.example,Active', 'u1,A,b@x.example,Active'))
      const error = await rejectionOf<CfadminError>(
        exportMapFiles({format: 'csv', input, outputPath: join(dir, 'map.csv'), strict: true}),
      )
      expect(error.code).to.equal('EMAIL_CONFLICT')
      expect(readdirSync(dir)).to.deep.equal(['export.csv'])
    })

    it('refuses an output path in a missing folder with OUTPUT_DIR_MISSING, before reading anything', async () => {
      const input = write('export.csv', csvOf('u1,A,a@x.example,Active'))
      for (const paths of [
        {outputPath: join(dir, 'nope', 'map.csv')},
        {outputPath: join(dir, 'map.csv'), reportSkippedPath: join(dir, 'nope', 'skipped.csv')},
      ]) {
        const error = await rejectionOf<CfadminError>(exportMapFiles({format: 'csv', input, ...paths}))
        expect(error.code).to.equal('OUTPUT_DIR_MISSING')
        expect(error.exit).to.equal(2)
        expect(error.message).to.contain(join(dir, 'nope'))
        expect(readdirSync(dir)).to.deep.equal(['export.csv'])
      }
    })

    it('refuses a missing input with FILE_NOT_FOUND and a directory with FILE_UNREADABLE', async () => {
      const missing = await rejectionOf<CfadminError>(
        exportMapFiles({format: 'csv', input: join(dir, 'missing.csv'), outputPath: join(dir, 'map.csv')}),
      )
      expect(missing.code).to.equal('FILE_NOT_FOUND')
      mkdirSync(join(dir, 'folder'))
      const folder = await rejectionOf<CfadminError>(
        exportMapFiles({format: 'csv', input: join(dir, 'folder'), outputPath: join(dir, 'map.csv')}),
      )
      expect(folder.code).to.equal('FILE_UNREADABLE')
      expect(folder.message).to.contain('is a directory')
      expect(existsSync(join(dir, 'map.csv'))).to.equal(false)
    })

    it('refuses an input it cannot read with FILE_UNREADABLE', async function () {
      if (process.getuid?.() === 0) this.skip() // root reads any file
      const input = write('export.csv', csvOf('u1,A,a@x.example,Active'))
      chmodSync(input, 0o000)
      const error = await rejectionOf<CfadminError>(
        exportMapFiles({format: 'csv', input, outputPath: join(dir, 'map.csv')}),
      )
      expect(error.code).to.equal('FILE_UNREADABLE')
      expect(error.message).to.contain('permission denied')
    })
  })

  describe('properties', () => {
    const hex = fc.constantFrom(...'0123456789abcdef')
    const accountId = fc.oneof(
      fc.string({maxLength: 24, minLength: 24, unit: hex}),
      fc.uuid().map((uuid) => `557058:${uuid}`),
      fc.uuid().map((uuid) => `712020:${uuid}`),
    )
    // Lower-case by construction, so the expected map entry is the generated email itself.
    const realEmail = fc.stringMatching(/^[a-z0-9][a-z0-9._+-]{0,11}@[a-z0-9-]{1,10}\.[a-z]{2,4}$/)
    const noEmail = fc.constantFrom('', ' ', '  \t ')
    const email = fc.oneof({arbitrary: realEmail, weight: 4}, {arbitrary: noEmail, weight: 1})
    /** How one row writes the user's email: case changed, spaces around. */
    const emailStyle = fc.record({
      case: fc.constantFrom('as-is', 'upper', 'capitalised'),
      left: fc.constantFrom('', ' ', '\t'),
      right: fc.constantFrom('', ' ', '  '),
    })
    const styled = (value: string, style: {case: string; left: string; right: string}) => {
      const cased =
        style.case === 'upper'
          ? value.toUpperCase()
          : style.case === 'capitalised'
            ? value.charAt(0).toUpperCase() + value.slice(1)
            : value
      return style.left + cased + style.right
    }

    const name = fc
      .array(
        fc.oneof(
          fc.constantFrom(',', '"', '""', '\n', '\r\n', ' ', 'Hopper, Grace', 'Søren', '日本', '😀', 'Zoë "Z"'),
          fc.string({maxLength: 4, unit: 'grapheme'}),
        ),
        {maxLength: 5},
      )
      .map((parts) => parts.join(''))
    const user = fc.record({
      active: fc.boolean(),
      email,
      id: accountId,
      inactiveStatus: fc.constantFrom('Suspended', 'Deactivated', 'Inactive'),
      name,
      // One row per group; rows of different users are interleaved by `order`.
      rows: fc.array(fc.record({group: name, order: fc.nat(), style: emailStyle}), {maxLength: 3, minLength: 1}),
    })
    const headerSpelling = fc.constantFrom('as-is', 'upper', 'lower', 'snake', 'padded')
    const spell = (header: string, spelling: string) =>
      spelling === 'upper'
        ? header.toUpperCase()
        : spelling === 'lower'
          ? header.toLowerCase()
          : spelling === 'snake'
            ? header.replaceAll(' ', '_')
            : spelling === 'padded'
              ? ` ${header} `
              : header
    const layout = fc.record({
      bom: fc.boolean(),
      columnOrder: fc.shuffledSubarray(['id', 'email', 'status', 'name', 'added', 'group'], {minLength: 6}),
      emailHeader: fc.constantFrom(...COLUMN_ALIASES.email),
      eol: fc.constantFrom('\n', '\r\n'),
      finalEol: fc.boolean(),
      idHeader: fc.constantFrom(...COLUMN_ALIASES.accountId),
      quoteAll: fc.boolean(),
      spelling: headerSpelling,
      // undefined: an export without a status column, where every user counts as active.
      statusHeader: fc.option(fc.constantFrom(...COLUMN_ALIASES.status), {nil: undefined}),
    })
    const options = fc.record({
      chunkSize: fc.oneof(fc.integer({max: 64, min: 1}), fc.constant(Number.POSITIVE_INFINITY)),
      format: fc.constantFrom(...MAP_FORMATS),
      includeInactive: fc.boolean(),
      preserveCase: fc.boolean(),
    })

    type Layout = typeof layout extends fc.Arbitrary<infer T> ? T : never
    type User = {active: boolean; email: string; id: string; inactiveStatus: string; name: string}
    type Row = {user: User; email: string; group: string; order: number}

    /** An export as admin.atlassian.com could write it, serialised with correct CSV quoting. */
    function serialise(rows: Row[], shape: Layout): string {
      const field = (value: string) =>
        shape.quoteAll || /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value
      const columns = shape.columnOrder.filter((column) => column !== 'status' || shape.statusHeader !== undefined)
      const headers: Record<string, string> = {
        added: 'Added to org',
        email: shape.emailHeader,
        group: 'Group name',
        id: shape.idHeader,
        name: 'User name',
        status: shape.statusHeader ?? '',
      }
      // The pre-2021 "active" column says Yes or No; the others say Active or why not.
      const status = (u: User) =>
        shape.statusHeader === 'active' ? (u.active ? 'Yes' : 'No') : u.active ? 'Active' : u.inactiveStatus
      const cells = (row: Row): Record<string, string> => ({
        added: '3 Jan 2024',
        email: row.email,
        group: row.group,
        id: row.user.id,
        name: row.user.name,
        status: status(row.user),
      })
      const lines = [
        columns.map((c) => field(spell(headers[c], shape.spelling))).join(','),
        ...rows.map((row) => columns.map((c) => field(cells(row)[c])).join(',')),
      ]
      return (shape.bom ? '\uFEFF' : '') + lines.join(shape.eol) + (shape.finalEol ? shape.eol : '')
    }

    function rowsOf(
      users: Array<
        User & {rows: Array<{group: string; order: number; style: {case: string; left: string; right: string}}>}
      >,
    ): Row[] {
      const rows = users.flatMap((u) =>
        u.rows.map((r) => ({email: styled(u.email, r.style), group: r.group, order: r.order, user: u})),
      )
      return rows.sort((a, b) => a.order - b.order)
    }

    it('maps every active user with an email exactly once, and nothing else, for any valid export', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.uniqueArray(user, {maxLength: 25, selector: (u) => u.id}),
          layout,
          options,
          async (users, shape, opts) => {
            const rows = rowsOf(users)
            const csv = serialise(rows, shape)
            const {output, skipped, summary} = await mapText(csv, opts)

            const firstRow = new Map<string, Row>()
            for (const row of rows) if (!firstRow.has(row.user.id)) firstRow.set(row.user.id, row)
            const expected = new Map<string, string>()
            const expectedSkipped = new Map<string, string>()
            for (const u of users) {
              const active = shape.statusHeader === undefined || u.active
              if (!active && !opts.includeInactive) expectedSkipped.set(u.id, 'inactive')
              else if (u.email.trim() === '') expectedSkipped.set(u.id, 'no-email')
              else expected.set(u.id, opts.preserveCase ? firstRow.get(u.id)!.email.trim() : u.email)
            }

            const entries = mapEntries(opts.format, output)
            expect(new Set(entries.map(([id]) => id)).size, 'one entry per account ID').to.equal(entries.length)
            expect(new Map(entries)).to.deep.equal(expected)

            const skippedRows = (parseCsv(skipped) as string[][]).map(
              ([id, reason]) => [id, reason] as [string, string],
            )
            expect(new Set(skippedRows.map(([id]) => id)).size, 'one skipped line per account ID').to.equal(
              skippedRows.length,
            )
            expect(new Map(skippedRows)).to.deep.equal(expectedSkipped)

            expect(summary.rowsRead).to.equal(rows.length)
            expect(summary.usersMapped).to.equal(expected.size)
            expect(summary.skippedInactive).to.equal(
              [...expectedSkipped.values()].filter((r) => r === 'inactive').length,
            )
            expect(summary.skippedWithoutEmail).to.equal(
              [...expectedSkipped.values()].filter((r) => r === 'no-email').length,
            )
            expect(summary.usersMapped + summary.skippedInactive + summary.skippedWithoutEmail).to.equal(users.length)
            expect(summary.duplicateRows).to.equal(rows.length - users.length)
            expect(summary.conflicts).to.equal(0)
            expect(summary.rowsWithoutAccountId).to.equal(0)
          },
        ),
        {numRuns: 100},
      )
    })

    it('keeps the first email of an account ID and counts every later, different one as a conflict; strict refuses exactly those exports', async () => {
      const conflicted = fc.record({
        active: fc.boolean(),
        emails: fc.uniqueArray(realEmail, {maxLength: 2, minLength: 1}),
        id: accountId,
        // Which email (or none) each row of the user carries.
        rows: fc.array(fc.record({pick: fc.nat(2), style: emailStyle}), {maxLength: 4, minLength: 1}),
      })
      await fc.assert(
        fc.asyncProperty(
          fc.uniqueArray(conflicted, {maxLength: 15, selector: (u) => u.id}),
          fc.boolean(),
          async (users, includeInactive) => {
            const lines = ['User id,email,User status']
            let expectedConflicts = 0
            let expectedDuplicates = 0
            const expected = new Map<string, string>()
            const expectedWarnings: Array<{accountId: string; ignored: string}> = []
            for (const u of users) {
              const emails = u.rows.map((r) => u.emails[r.pick] ?? '')
              for (const [i, r] of u.rows.entries())
                lines.push(`${u.id},"${styled(emails[i], r.style)}",${u.active ? 'Active' : 'Suspended'}`)
              const mapped = (u.active || includeInactive) && emails[0] !== ''
              if (mapped) expected.set(u.id, emails[0])
              for (const later of emails.slice(1)) {
                if (mapped && later !== '' && later !== emails[0]) {
                  expectedConflicts++
                  expectedWarnings.push({accountId: u.id, ignored: later})
                } else {
                  expectedDuplicates++
                }
              }
            }

            const csv = lines.join('\n') + '\n'
            const {conflicts, output, summary} = await mapText(csv, {includeInactive})
            expect(new Map(mapEntries('csv', output))).to.deep.equal(expected)
            expect(summary.conflicts).to.equal(expectedConflicts)
            expect(summary.duplicateRows).to.equal(expectedDuplicates)
            expect(conflicts.map(({accountId, ignored}) => ({accountId, ignored}))).to.deep.equal(expectedWarnings)

            const strict = mapText(csv, {includeInactive, strict: true})
            if (expectedConflicts > 0) {
              expect((await rejectionOf<CfadminError>(strict)).code).to.equal('EMAIL_CONFLICT')
            } else {
              expect((await strict).output).to.equal(output)
            }
          },
        ),
        {numRuns: 100},
      )
    })
  })
})
