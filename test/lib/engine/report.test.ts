import {expect} from 'chai'
import {existsSync, readdirSync, readFileSync, statSync} from 'node:fs'
import {join} from 'node:path'

import type {RunReport} from '../../../src/lib/engine/operation.js'
import {reportCsv, reportSummary, reportTable, writeFailedRows} from '../../../src/lib/engine/report.js'
import {readUserInputs} from '../../../src/lib/access/principals.js'
import {useTempDir} from '../../support/temp-dir.js'

const report: RunReport = {
  counts: {already: 1, blocked: 1, done: 1, failed: 2, planned: 0},
  dryRun: false,
  items: [
    {
      description: 'Invite a@x',
      detail: 'INVITED',
      key: 'invite:a@x',
      outcome: 'done',
      row: {email: 'a@x', group: 'crawlers'},
    },
    {description: 'Invite b@x', key: 'invite:b@x', outcome: 'already', row: {email: 'b@x', group: 'crawlers'}},
    {
      description: 'Invite c@x',
      key: 'invite:c@x',
      outcome: 'failed',
      reason: '400 Bad Request: "c@x" is not valid, sorry',
      row: {email: 'c@x', group: 'crawlers'},
    },
    {
      description: 'Add c@x to crawlers',
      key: 'member:c@x',
      outcome: 'blocked',
      reason: 'needs "Invite c@x", which failed',
      row: {email: 'c@x', group: 'crawlers'},
    },
    {
      description: 'Grant View on ENG',
      key: 'space:ENG',
      outcome: 'failed',
      reason: 'timeout',
      row: {note: 'n', space: 'ENG'},
    },
  ],
  seconds: 2.08,
}

describe('engine report', () => {
  let dir: string
  const temp = useTempDir('cfadmin-engine-report-')
  beforeEach(() => {
    dir = temp.path
  })

  it('renders a table of outcome, item and the reason or, failing that, the detail', () => {
    expect(reportTable(report).split('\n')).to.deep.equal([
      'Outcome  Item                 Detail',
      '-------  -------------------  ------------------------------------------',
      'done     Invite a@x           INVITED',
      'already  Invite b@x',
      'failed   Invite c@x           400 Bad Request: "c@x" is not valid, sorry',
      'blocked  Add c@x to crawlers  needs "Invite c@x", which failed',
      'failed   Grant View on ENG    timeout',
    ])
  })

  it('renders CSV with key, description, outcome, reason and detail, quoted where needed', () => {
    expect(reportCsv(report).split('\n')).to.deep.equal([
      'key,description,outcome,reason,detail',
      'invite:a@x,Invite a@x,done,,INVITED',
      'invite:b@x,Invite b@x,already,,',
      'invite:c@x,Invite c@x,failed,"400 Bad Request: ""c@x"" is not valid, sorry",',
      'member:c@x,Add c@x to crawlers,blocked,"needs ""Invite c@x"", which failed",',
      'space:ENG,Grant View on ENG,failed,timeout,',
      '',
    ])
  })

  it('summarises a run in one line, naming failed and blocked only when there are some', () => {
    expect(reportSummary(report)).to.equal('1 done, 1 already, 2 failed, 1 blocked (2.1 s)')
    const clean: RunReport = {
      counts: {already: 5, blocked: 0, done: 3, failed: 0, planned: 0},
      dryRun: false,
      items: [],
      seconds: 0.04,
    }
    expect(reportSummary(clean)).to.equal('3 done, 5 already (0.0 s)')
    const dry: RunReport = {
      counts: {already: 5, blocked: 0, done: 0, failed: 0, planned: 3},
      dryRun: true,
      items: [],
      seconds: 1,
    }
    expect(reportSummary(dry)).to.equal('would change 3, already 5')
    expect(reportSummary({...dry, counts: {...dry.counts, failed: 1, planned: 1234}})).to.equal(
      'would change 1,234, already 5, 1 failed',
    )
  })

  it('writes the rows of failed and blocked items only, once each, header the union of their keys in first-seen order', async () => {
    const path = join(dir, 'failed.csv')
    const written = await writeFailedRows(report, path)
    expect(written).to.equal(2)
    expect(readFileSync(path, 'utf8')).to.equal('email,group,note,space\nc@x,crawlers,,\n,,n,ENG\n')
    expect(statSync(path).mode & 0o777).to.equal(0o600)
    expect(readdirSync(dir)).to.deep.equal(['failed.csv'])
  })

  it('writes failed rows under the columns given, in their order, and replaces an earlier file whole', async () => {
    const path = join(dir, 'failed.csv')
    await writeFailedRows(report, path)
    const written = await writeFailedRows(report, path, ['space', 'email'])
    expect(written).to.equal(2)
    expect(readFileSync(path, 'utf8')).to.equal('space,email\n,c@x\nENG,\n')
    expect(readdirSync(dir)).to.deep.equal(['failed.csv'])
  })

  it('with nothing failed writes just the header (or an empty file) and returns 0', async () => {
    const ok: RunReport = {...report, items: report.items.slice(0, 2)}
    const path = join(dir, 'none.csv')
    expect(await writeFailedRows(ok, path, ['email'])).to.equal(0)
    expect(readFileSync(path, 'utf8')).to.equal('email\n')
    expect(await writeFailedRows(ok, path)).to.equal(0)
    expect(readFileSync(path, 'utf8')).to.equal('')
  })

  it("quotes the failed rows' cells that a spreadsheet would run as a formula, and reading them back gives the values", async () => {
    const hostile: RunReport = {
      ...report,
      items: [
        {
          description: 'add',
          key: 'member:1',
          outcome: 'failed',
          reason: 'no',
          row: {group: '=HYPERLINK("http://evil.example","x")', user: '-crawler@acme.example'},
        },
        {
          description: 'add',
          key: 'member:2',
          outcome: 'failed',
          reason: 'no',
          row: {group: '@SUM(1)', user: '+1@acme.example'},
        },
      ],
    }
    const path = join(dir, 'failed.csv')
    await writeFailedRows(hostile, path, ['group', 'user'])
    const text = readFileSync(path, 'utf8')
    expect(text).to.equal(
      `group,user\n"'=HYPERLINK(""http://evil.example"",""x"")",'-crawler@acme.example\n'@SUM(1),'+1@acme.example\n`,
    )
    expect(await readUserInputs([], path)).to.deep.equal([
      {origin: `${path} line 2`, value: '-crawler@acme.example'},
      {origin: `${path} line 3`, value: '+1@acme.example'},
    ])
  })

  it('quotes formula-looking cells in the CSV report too', () => {
    const hostile: RunReport = {
      ...report,
      items: [{description: '=1+2', key: '@key', outcome: 'failed', reason: '-oops'}],
    }
    expect(reportCsv(hostile)).to.equal("key,description,outcome,reason,detail\n'@key,'=1+2,failed,'-oops,\n")
  })

  it('leaves no file and no temp file when the folder does not exist', async () => {
    const path = join(dir, 'missing', 'failed.csv')
    let error: unknown
    await writeFailedRows(report, path).catch((caught) => {
      error = caught
    })
    expect((error as {code?: string}).code).to.equal('OUTPUT_DIR_MISSING')
    expect(existsSync(path)).to.equal(false)
    expect(readdirSync(dir)).to.deep.equal([])
  })
})
