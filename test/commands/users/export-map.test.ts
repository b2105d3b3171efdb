import {
  chmodSync,
  existsSync,
  linkSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import {join} from 'node:path'

import {expect} from 'chai'

import {fixtures} from '../../support/paths.js'
import {runCommand} from '../../support/run-command.js'
import {useTempDir} from '../../support/temp-dir.js'

const exportMap = (...args: string[]) => runCommand<Record<string, unknown>>(['users', 'export-map', ...args])

const SAMPLE = join(fixtures, 'user-exports/centralized-acme.csv')
const SAMPLE_MAP = [
  'accountId,email',
  '5b10ac8d82e05b22cc7d4ef5,ada@acme.example',
  '557058:f58131cb-b67d-43c7-b30d-6b58d40bd077,grace.hopper@acme.example',
  '712020:978521a6-2367-4092-a7f6-7cc1b9043bdd,soren@acme.example',
  '5d9b2c7e1f3a4b0012345678,crawler@acme.example',
  '5f0e1d2c3b4a596877665544,linus@acme.example',
  '557058:0bd4c2aa-1111-4d2f-9a77-3e0f5a6b7c8d,bard@acme.example',
  '',
].join('\n')

describe('users export-map', () => {
  const temp = useTempDir('cfadmin-')

  const file = (name: string, text: string | Buffer = '') => {
    const path = join(temp.path, name)
    writeFileSync(path, text)
    return path
  }

  const exportOf = (...rows: string[]) =>
    file('export.csv', ['User id,User name,email,User status', ...rows, ''].join('\n'))

  describe('the map', () => {
    it('writes active users with their lower-cased email as CSV to stdout, and a summary to stderr', async () => {
      const {error, stderr, stdout} = await exportMap(SAMPLE)
      expect(error).to.equal(undefined)
      expect(stdout).to.equal(SAMPLE_MAP)
      expect(stderr).to.match(/^Read 8 rows in \d+\.\d\d s \([\d,]+ rows\/s\)\.$/m)
      expect(stderr).to.contain('Mapped 6 users to an email.')
      expect(stderr).to.contain('Skipped 1 inactive user (keep them with --include-inactive).')
      expect(stderr).to.contain('Skipped 1 user without an email in the export')
      expect(stderr).to.contain('list them with --report-skipped FILE')
    })

    it('finds the columns by header name in any case, spacing and order', async () => {
      const input = file(
        'managed.csv',
        'Name, EMAIL ,STATUS,atlassian_id\nAda,Ada@X.example,active,u1\nBob,bob@x.example,deactivated,u2\n',
      )
      const {stdout} = await exportMap(input)
      expect(stdout).to.equal('accountId,email\nu1,ada@x.example\n')
    })

    it('reads the pre-2021 export with id, email and an active column saying Yes or No', async () => {
      const input = file('old.csv', 'id,name,email,active\nu1,Ada,ada@x.example,Yes\nu2,Bob,bob@x.example,No\n')
      const {stdout} = await exportMap(input)
      expect(stdout).to.equal('accountId,email\nu1,ada@x.example\n')
    })

    it('reads an export with a byte-order mark, CRLF line ends and quoted commas, quotes and line breaks', async () => {
      const csv =
        '\uFEFFUser id,User name,Email address,User status\r\nu1,"Hopper, Grace",grace@x.example,Active\r\nu2,"Quote ""The Bard""",bard@x.example,Active\r\nu3,"Two\r\nlines, Søren",søren@x.example,Active\r\n'
      const {stdout} = await exportMap(file('export.csv', csv))
      expect(stdout).to.equal('accountId,email\nu1,grace@x.example\nu2,bard@x.example\nu3,søren@x.example\n')
    })

    it('also maps suspended and deactivated users with --include-inactive', async () => {
      const {stderr, stdout} = await exportMap(SAMPLE, '--include-inactive')
      expect(stdout).to.contain('712020:0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9,former@acme.example\n')
      expect(stderr).to.contain('Mapped 7 users')
      expect(stderr).not.to.contain('inactive user')
    })

    it('trims and lower-cases emails, and keeps their case with --preserve-case', async () => {
      const input = exportOf('u1,Ada,"  Ada@Example.COM ",Active')
      expect((await exportMap(input)).stdout).to.equal('accountId,email\nu1,ada@example.com\n')
      expect((await exportMap(input, '--preserve-case')).stdout).to.equal('accountId,email\nu1,Ada@Example.COM\n')
    })

    it('lists the users left out in the --report-skipped file as accountId,reason,line', async () => {
      const report = join(temp.path, 'skipped.csv')
      const {stderr} = await exportMap(SAMPLE, '--report-skipped', report)
      expect(readFileSync(report, 'utf8')).to.equal(
        'accountId,reason,line\n63a1f0e2d4c5b6a7b8c9d0e1,no-email,6\n712020:0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9,inactive,7\n',
      )
      expect(stderr).to.contain(`listed in ${report}`)
      expect(statSync(report).mode & 0o777).to.equal(0o600)
    })

    it('writes an empty --report-skipped file (header only) when nobody is left out', async () => {
      const report = join(temp.path, 'skipped.csv')
      await exportMap(exportOf('u1,Ada,ada@x.example,Active'), '--report-skipped', report)
      expect(readFileSync(report, 'utf8')).to.equal('accountId,reason,line\n')
    })
  })

  describe('several rows per user', () => {
    it('gives one entry per account ID for a group-per-row export and says how many rows it merged', async () => {
      const input = file(
        'groups.csv',
        'User id,User name,email,User status,Group id,Group name\nu1,Ada,ada@x.example,Active,g1,confluence-users\nu1,Ada,ada@x.example,Active,g2,site-admins\nu2,Bob,bob@x.example,Active,g1,confluence-users\nu1,Ada,ada@x.example,Active,g3,jira-users\n',
      )
      const {result, stderr, stdout} = await exportMap(input)
      expect(stdout).to.equal('accountId,email\nu1,ada@x.example\nu2,bob@x.example\n')
      expect(stderr).to.contain('Merged 2 repeated rows for users already mapped.')
      expect(result).to.include({duplicateRows: 2, rowsRead: 4, usersMapped: 2})
    })

    it('gives one entry per account ID for a "Pivot to column" export with ragged rows', async () => {
      const input = file(
        'pivot.csv',
        'User id,email,User status,Group 1,Group 2\nu1,a@x.example,Active,g1,g2,g3\nu1,a@x.example,Active,g4\nu2,b@x.example,Active\n',
      )
      const {stdout} = await exportMap(input)
      expect(stdout).to.equal('accountId,email\nu1,a@x.example\nu2,b@x.example\n')
    })

    it('warns on stderr when an account ID has two different emails and keeps the first', async () => {
      const {error, result, stderr, stdout} = await exportMap(
        exportOf('u1,Ada,ada@x.example,Active', 'u1,Ada,ada.l@x.example,Active'),
      )
      expect(error).to.equal(undefined)
      expect(stdout).to.equal('accountId,email\nu1,ada@x.example\n')
      const [warning] = stderr.split('\n')
      expect(warning).to.match(/^Warning: account u1 /)
      expect(warning).to.contain('ada.l@x.example').and.contain('line 3')
      expect(stderr).to.contain('Found 1 account ID with a second, different email: kept the first')
      expect(result).to.include({conflicts: 1})
    })

    it('exits 2 with --strict on two emails for one account ID and creates no output file', async () => {
      const input = exportOf('u1,Ada,ada@x.example,Active', 'u1,Ada,ada.l@x.example,Active')
      const output = join(temp.path, 'map.csv')
      const {error, stderr} = await exportMap(input, '--strict', '--output', output)
      expect(error?.oclif?.exit).to.equal(2)
      expect(stderr).to.match(/^Error: Account u1 /)
      expect(stderr.split('\n')[0]).to.contain('ada.l@x.example').and.contain('line 3')
      expect(stderr).to.contain('Hint: ')
      expect(existsSync(output)).to.equal(false)
      expect(readdirSync(temp.path)).to.deep.equal(['export.csv'])
    })

    it('leaves an existing output file as it was when --strict fails', async () => {
      const output = file('map.csv', 'previous map\n')
      const {error} = await exportMap(
        exportOf('u1,Ada,a@x.example,Active', 'u1,Ada,b@x.example,Active'),
        '--strict',
        '-o',
        output,
      )
      expect(error?.oclif?.exit).to.equal(2)
      expect(readFileSync(output, 'utf8')).to.equal('previous map\n')
      expect(readdirSync(temp.path).sort()).to.deep.equal(['export.csv', 'map.csv'])
    })
  })

  describe('--output', () => {
    it('writes the map to the file with mode 0600 and keeps stdout empty', async () => {
      const output = join(temp.path, 'map.csv')
      const {stderr, stdout} = await exportMap(SAMPLE, '--output', output)
      expect(stdout).to.equal('')
      expect(readFileSync(output, 'utf8')).to.equal(SAMPLE_MAP)
      expect(statSync(output).mode & 0o777).to.equal(0o600)
      expect(stderr).to.contain(`Mapped 6 users to an email in ${output}.`)
      expect(readdirSync(temp.path)).to.deep.equal(['map.csv'])
    })

    it('replaces an existing file, which then has mode 0600', async () => {
      const output = file('map.csv', 'old\n')
      chmodSync(output, 0o644)
      await exportMap(SAMPLE, '-o', output)
      expect(readFileSync(output, 'utf8')).to.equal(SAMPLE_MAP)
      expect(statSync(output).mode & 0o777).to.equal(0o600)
    })

    it('leaves an existing file byte for byte untouched, and no temp file, when the CSV is malformed late in the file', async () => {
      const rows = Array.from({length: 20_000}, (_, i) => `id${i},User ${i},user${i}@x.example,Active`)
      const input = exportOf(...rows, 'bad,Bad,"bad@x"example,Active', 'after,After,after@x.example,Active')
      const before = Buffer.from('\uFEFFaccountId,email\r\nold,old@x.example\r\n')
      const output = file('map.csv', before)
      const report = file('skipped.csv', 'old report\n')
      const {error, stderr, stdout} = await exportMap(input, '-o', output, '--report-skipped', report)
      expect(error?.oclif?.exit).to.equal(2)
      expect(stdout).to.equal('')
      expect(stderr).to.contain(`Error: ${input} is not valid CSV at line ${rows.length + 2}:`)
      expect(readFileSync(output).equals(before)).to.equal(true)
      expect(readFileSync(report, 'utf8')).to.equal('old report\n')
      expect(readdirSync(temp.path).sort()).to.deep.equal(['export.csv', 'map.csv', 'skipped.csv'])
    })

    it('-o X --report-skipped X is refused before anything is written, so the map is not lost', async () => {
      const input = exportOf('u1,Ada,ada@x.example,Active', 'u2,Bob,,Active')
      const output = file('map.csv', 'accountId,email\nold,old@x.example\n')
      symlinkSync(output, join(temp.path, 'link.csv'))
      linkSync(output, join(temp.path, 'hard.csv'))
      for (const report of [
        output,
        join(temp.path, 'link.csv'),
        join(temp.path, 'hard.csv'),
        join(temp.path, 'sub/../map.csv'),
      ]) {
        if (report.includes('sub/')) mkdirSync(join(temp.path, 'sub'), {recursive: true})
        const {error, stderr, stdout} = await exportMap(input, '-o', output, '--report-skipped', report)
        expect(error?.oclif?.exit, report).to.equal(2)
        expect(stderr).to.include(`Error: --report-skipped ${report} is the same file as --output ${output}`)
        expect(stdout).to.equal('')
        expect(readFileSync(output, 'utf8')).to.equal('accountId,email\nold,old@x.example\n')
      }

      // Two new files with the same name are the same file too.
      const fresh = join(temp.path, 'new.csv')
      const {error} = await exportMap(input, '-o', fresh, '--report-skipped', fresh)
      expect(error?.oclif?.exit).to.equal(2)
      expect(existsSync(fresh)).to.equal(false)
    })

    it('refuses an output that is the export it reads', async () => {
      const input = exportOf('u1,Ada,ada@x.example,Active')
      const before = readFileSync(input, 'utf8')
      for (const args of [
        ['-o', input],
        ['--report-skipped', input],
      ]) {
        const {error, stderr} = await exportMap(input, ...args)
        expect(error?.oclif?.exit).to.equal(2)
        expect(stderr).to.include(`is the same file as the export it reads (${input})`)
        expect(readFileSync(input, 'utf8')).to.equal(before)
      }
    })

    it('an unwritable --report-skipped fails before any of the map reaches stdout', async () => {
      const input = exportOf('u1,Ada,ada@x.example,Active', 'u2,Bob,,Active')
      mkdirSync(join(temp.path, 'reports'))
      file('plain-file', 'x')
      for (const report of [
        join(temp.path, 'reports'),
        join(temp.path, 'plain-file/skipped.csv'),
        join(temp.path, 'missing/skipped.csv'),
      ]) {
        const {error, stderr, stdout} = await exportMap(input, '--report-skipped', report)
        expect(error?.oclif?.exit, `${report}: ${stderr}`).to.equal(2)
        expect(stdout, report).to.equal('')
      }
    })

    it('leaves no file behind when the export is refused', async () => {
      const {error} = await exportMap(
        file('export.csv', 'Name,Department\nAda,R&D\n'),
        '-o',
        join(temp.path, 'map.json'),
        '--report-skipped',
        join(temp.path, 'skipped.csv'),
      )
      expect(error?.oclif?.exit).to.equal(2)
      expect(readdirSync(temp.path)).to.deep.equal(['export.csv'])
    })
  })

  describe('formats', () => {
    const input = () =>
      exportOf(
        'u1,Ada,Ada@x.example,Active',
        '557058:f58131cb-b67d-43c7-b30d-6b58d40bd077,"Hopper, Grace",grace@x.example,Active',
      )

    it('writes a JSON object {"<accountId>": "<email>"} for an --output ending in .json', async () => {
      const output = join(temp.path, 'map.json')
      const {result} = await exportMap(input(), '-o', output)
      expect(JSON.parse(readFileSync(output, 'utf8'))).to.deep.equal({
        '557058:f58131cb-b67d-43c7-b30d-6b58d40bd077': 'grace@x.example',
        u1: 'ada@x.example',
      })
      expect(result).to.include({format: 'json'})
    })

    it('writes one {"accountId","email"} object per line for .jsonl and .ndjson', async () => {
      for (const name of ['map.jsonl', 'map.ndjson']) {
        const output = join(temp.path, name)
        await exportMap(input(), '-o', output)
        const lines = readFileSync(output, 'utf8').split('\n')
        expect(lines.pop(), name).to.equal('')
        expect(lines.map((line) => JSON.parse(line))).to.deep.equal([
          {accountId: 'u1', email: 'ada@x.example'},
          {accountId: '557058:f58131cb-b67d-43c7-b30d-6b58d40bd077', email: 'grace@x.example'},
        ])
      }
    })

    it('picks the format from the extension in any case, and CSV for any other extension', async () => {
      await exportMap(input(), '-o', join(temp.path, 'MAP.JSON'))
      expect(JSON.parse(readFileSync(join(temp.path, 'MAP.JSON'), 'utf8'))).to.have.property('u1', 'ada@x.example')
      for (const name of ['map.csv', 'map.txt', 'map']) {
        await exportMap(input(), '-o', join(temp.path, name))
        expect(readFileSync(join(temp.path, name), 'utf8'), name).to.match(/^accountId,email\nu1,ada@x\.example\n/)
      }
    })

    it('lets --format override the extension, also on stdout', async () => {
      await exportMap(input(), '-o', join(temp.path, 'map.csv'), '--format', 'json')
      expect(JSON.parse(readFileSync(join(temp.path, 'map.csv'), 'utf8'))).to.have.property('u1')
      const {stdout} = await exportMap(input(), '--format', 'jsonl')
      expect(stdout.split('\n')[0]).to.equal('{"accountId":"u1","email":"ada@x.example"}')
    })

    it('writes valid JSON ({}) when no user is mapped', async () => {
      const output = join(temp.path, 'map.json')
      await exportMap(exportOf('u1,Ada,,Active', 'u2,Bob,bob@x.example,Suspended'), '-o', output)
      expect(JSON.parse(readFileSync(output, 'utf8'))).to.deep.equal({})
    })

    it('refuses an unknown --format with exit 2', async () => {
      const {error, stdout} = await exportMap(SAMPLE, '--format', 'xml')
      expect(error?.oclif?.exit).to.equal(2)
      expect(error?.message).to.contain('csv, json, jsonl')
      expect(stdout).to.equal('')
    })
  })

  describe('--json', () => {
    it('returns the counts of the summary, and prints only that JSON on stdout', async () => {
      const output = join(temp.path, 'map.jsonl')
      const {result, stderr, stdout} = await exportMap(SAMPLE, '--json', '-o', output)
      expect(result).to.include({
        conflicts: 0,
        duplicateRows: 0,
        format: 'jsonl',
        output,
        rowsRead: 8,
        rowsWithoutAccountId: 0,
        skippedInactive: 1,
        skippedWithoutEmail: 1,
        usersMapped: 6,
      })
      expect(result?.rowsPerSecond).to.be.a('number')
      expect(result?.seconds).to.be.a('number')
      expect(JSON.parse(stdout)).to.deep.equal(result)
      expect(stderr).to.equal('')
      expect(readFileSync(output, 'utf8').split('\n').filter(Boolean)).to.have.length(6)
    })

    it('gives the same counts as the summary printed without --json', async () => {
      const input = file(
        'groups.csv',
        'User id,email,User status,Group name\nu1,a@x.example,Active,g1\nu1,a@x.example,Active,g2\nu1,other@x.example,Active,g3\nu2,,Active,g1\nu3,c@x.example,Suspended,g1\n,orphan@x.example,Active,g1\n',
      )
      const {stderr} = await exportMap(input, '-o', join(temp.path, 'a.csv'))
      const {result} = await exportMap(input, '-o', join(temp.path, 'b.csv'), '--json')
      expect(result).to.include({
        conflicts: 1,
        duplicateRows: 1,
        rowsRead: 6,
        rowsWithoutAccountId: 1,
        skippedInactive: 1,
        skippedWithoutEmail: 1,
        usersMapped: 1,
      })
      expect(stderr).to.contain('Read 6 rows')
      expect(stderr).to.contain('Mapped 1 user to an email')
      expect(stderr).to.contain('Skipped 1 inactive user')
      expect(stderr).to.contain('Skipped 1 user without an email')
      expect(stderr).to.contain('Ignored 1 row without an account ID.')
      expect(stderr).to.contain('Merged 1 repeated row for users already mapped.')
      expect(stderr).to.contain('Found 1 account ID with a second, different email')
    })

    it('keeps stdout pure JSON when it warns about a conflict (the warning goes to stderr)', async () => {
      const {result, stderr, stdout} = await exportMap(
        exportOf('u1,A,a@x.example,Active', 'u1,A,b@x.example,Active'),
        '--json',
        '-o',
        join(temp.path, 'map.csv'),
      )
      expect(JSON.parse(stdout)).to.deep.equal(result)
      expect(stderr).to.match(/^Warning: account u1 [^\n]*b@x\.example[^\n]*\n$/)
    })

    it('exits 2 with JSON_NEEDS_OUTPUT when there is no --output for the map', async () => {
      const {error, stdout} = await exportMap(SAMPLE, '--json')
      expect(error?.oclif?.exit).to.equal(2)
      const json = JSON.parse(stdout) as {error: {code: string; exit: number; hint: string; message: string}}
      expect(json.error).to.include({code: 'JSON_NEEDS_OUTPUT', exit: 2})
      expect(json.error.hint).to.contain('--output')
      expect(Object.keys(json)).to.deep.equal(['error'])
    })

    it('prints an error as {"error":{code,exit,message,hint}} and nothing else on stdout', async () => {
      const missing = join(temp.path, 'missing.csv')
      const {error, stderr, stdout} = await exportMap(missing, '--json', '-o', join(temp.path, 'map.csv'))
      expect(error?.oclif?.exit).to.equal(2)
      expect(JSON.parse(stdout)).to.deep.equal({
        error: {
          code: 'FILE_NOT_FOUND',
          exit: 2,
          hint: 'Check the path, or pass - to read from standard input.',
          message: `The export ${missing} does not exist.`,
        },
      })
      expect(stderr).to.equal('')
    })

    it('prints a malformed-CSV error as JSON with the line in the message', async () => {
      const input = file(
        'export.csv',
        'User id,email\nu1,a@x.example\nu2,b@x.example\nu3,"c@x.example\nu4,d@x.example\n',
      )
      const {stdout} = await exportMap(input, '--json', '-o', join(temp.path, 'map.csv'))
      const json = JSON.parse(stdout) as {error: {code: string; message: string}}
      expect(json.error.code).to.equal('MALFORMED_CSV')
      expect(json.error.message).to.contain('at line 4')
    })
  })

  describe('bad input (exit 2, saying what is wrong and what to do)', () => {
    async function refused(args: string[], code: string) {
      const {error, stderr, stdout} = await exportMap(...args)
      expect(error?.oclif?.exit, stderr).to.equal(2)
      expect((error as {code?: string} | undefined)?.code).to.equal(code)
      expect(stdout).to.equal('')
      const [message, hint] = stderr.split('\n')
      expect(message).to.match(/^Error: /)
      expect(hint).to.match(/^Hint: \S/)
      return {hint, message}
    }

    it('refuses neither an export nor --from-api (EXPORT_MAP_NO_SOURCE), and both at once (EXPORT_MAP_TWO_SOURCES)', async () => {
      const none = await refused(['-o', join(temp.path, 'map.csv')], 'EXPORT_MAP_NO_SOURCE')
      expect(none.message).to.contain('--from-api')
      const both = await refused([SAMPLE, '--from-api'], 'EXPORT_MAP_TWO_SOURCES')
      expect(both.hint).to.contain('or compare the two with --from-api --compare ')
    })

    it('refuses --with-groups and --compare without --from-api, and --compare with --output', async () => {
      for (const args of [
        [SAMPLE, '--with-groups'],
        [SAMPLE, '--compare', SAMPLE],
        ['--from-api', '--compare', SAMPLE, '-o', join(temp.path, 'map.csv')],
      ]) {
        const {error, stderr} = await exportMap(...args)
        expect(error?.oclif?.exit, `${args.join(' ')}: ${stderr}`).to.equal(2)
        expect(stderr).to.match(/--from-api|--output/)
      }

      expect(existsSync(join(temp.path, 'map.csv'))).to.equal(false)
    })

    it('refuses a file that does not exist (FILE_NOT_FOUND)', async () => {
      const missing = join(temp.path, 'nope.csv')
      const {hint, message} = await refused([missing], 'FILE_NOT_FOUND')
      expect(message).to.equal(`Error: The export ${missing} does not exist.`)
      expect(hint).to.contain('Check the path')
    })

    it('refuses a directory (FILE_UNREADABLE)', async () => {
      mkdirSync(join(temp.path, 'exports'))
      const {hint, message} = await refused([join(temp.path, 'exports')], 'FILE_UNREADABLE')
      expect(message).to.contain('is a directory')
      expect(hint).to.contain('CSV file itself')
    })

    it('refuses a file it cannot read (FILE_UNREADABLE)', async function () {
      if (process.getuid?.() === 0) this.skip() // root reads any file
      const input = exportOf('u1,Ada,a@x.example,Active')
      chmodSync(input, 0o000)
      const {hint, message} = await refused([input], 'FILE_UNREADABLE')
      expect(message).to.contain('permission denied')
      expect(hint).to.contain('ls -l')
    })

    it('refuses an empty file (EXPORT_EMPTY)', async () => {
      const {hint, message} = await refused([file('empty.csv')], 'EXPORT_EMPTY')
      expect(message).to.contain('empty')
      expect(hint).to.contain('Export users')
    })

    it('refuses a header without account ID or email (EXPORT_COLUMNS_MISSING), listing the headers found and the names accepted', async () => {
      const {hint, message} = await refused(
        [file('people.csv', 'Full name,Mail,Department\nAda,ada@x.example,R&D\n')],
        'EXPORT_COLUMNS_MISSING',
      )
      expect(message).to.contain('no account ID or email column')
      expect(message).to.contain('Headers found: "Full name", "Mail", "Department"')
      expect(message).to.contain('"User id", "Atlassian ID", "Account ID", "accountId", "id"')
      expect(message).to.contain('"email", "Email", "Email address"')
      expect(hint).to.contain('rename the columns')
    })

    it('refuses malformed CSV (MALFORMED_CSV) naming the line of an unclosed quote, not the end of the file', async () => {
      // With -o: on stdout the rows before the error would already be out (only --output is all-or-nothing).
      const input = file(
        'export.csv',
        'User id,email\nu1,a@x.example\nu2,b@x.example\nu3,"c@x.example\nu4,d@x.example\nu5,e@x.example\n',
      )
      const {hint, message} = await refused([input, '-o', join(temp.path, 'map.csv')], 'MALFORMED_CSV')
      expect(message).to.match(new RegExp(`^Error: ${input} is not valid CSV at line 4: `))
      expect(hint).to.contain('double quotes')
      expect(readdirSync(temp.path)).to.deep.equal(['export.csv'])
    })

    it('refuses malformed CSV naming the line of a stray quote', async () => {
      const input = file('export.csv', 'User id,email\r\nu1,a@x.example\r\nu2,b"@x.example\r\nu3,c@x.example\r\n')
      const {message} = await refused([input], 'MALFORMED_CSV')
      expect(message).to.contain('not valid CSV at line 3: ')
    })

    it('refuses an --output in a folder that does not exist (OUTPUT_DIR_MISSING)', async () => {
      const {hint, message} = await refused([SAMPLE, '-o', join(temp.path, 'missing', 'map.csv')], 'OUTPUT_DIR_MISSING')
      expect(message).to.contain(`the folder ${join(temp.path, 'missing')} does not exist`)
      expect(hint).to.contain('Create the folder')
      expect(readdirSync(temp.path)).to.deep.equal([])
    })
  })
})
