import {readFileSync, statSync} from 'node:fs'
import {join} from 'node:path'

import {expect} from 'chai'

import {projectRoot} from '../support/paths.js'
import {runCli} from '../support/run-cli.js'
import {useTempDir} from '../support/temp-dir.js'

describe('bin/run.js (the built CLI)', () => {
  let dir: string
  const temp = useTempDir('cfadmin-e2e-')
  beforeEach(() => {
    dir = temp.path
  })

  it('runs the Quick start line: maps the sample export and explains what it left out', async () => {
    const run = await runCli(['users', 'export-map', 'examples/users-export.csv'])
    expect(run.code).to.equal(0)
    const lines = run.stdout.trimEnd().split('\n')
    expect(lines[0]).to.equal('accountId,email')
    expect(lines).to.include('5e6f7a8b9c0d1e2f3a4b5c6d,grace.hopper@example.com')
    expect(lines).to.include('5f7a8b9c0d1e2f3a4b5c6d7e,hedy.lamarr@example.com')
    expect(lines).to.have.length(9)
    expect(run.stdout).not.to.include('contractor@example.com')
    expect(run.stderr).to.include('Read 12 rows')
    expect(run.stderr).to.include('Mapped 8 users')
    expect(run.stderr).to.include('Skipped 2 inactive users')
    expect(run.stderr).to.include('Skipped 2 users without an email')
  })

  it('reads the export from stdin with - and writes a 0600 JSON map with --output', async () => {
    const output = join(dir, 'map.json')
    const run = await runCli(['users', 'export-map', '-', '--output', output, '--json'], {
      stdin: readFileSync(join(projectRoot, 'examples/users-export.csv'), 'utf8'),
    })
    expect(run.code).to.equal(0)
    expect(JSON.parse(run.stdout)).to.include({format: 'json', rowsRead: 12, usersMapped: 8})
    expect(Object.keys(JSON.parse(readFileSync(output, 'utf8')))).to.have.length(8)
    expect(statSync(output).mode & 0o777).to.equal(0o600)
  })

  it('keeps exit code 2 and prints only the JSON error on stdout under --json', async () => {
    const run = await runCli([
      'users',
      'export-map',
      join(dir, 'missing.csv'),
      '--output',
      join(dir, 'm.csv'),
      '--json',
    ])
    expect(run.code).to.equal(2)
    expect(JSON.parse(run.stdout).error).to.include({code: 'FILE_NOT_FOUND', exit: 2})
  })

  it('prints the version and lists the export-map command in --help', async () => {
    const version = await runCli(['--version'])
    expect(version.stdout).to.match(/^cfadmin\/\d+\.\d+\.\d+ /)
    const help = await runCli(['users', '--help'])
    expect(help.stdout).to.include('users export-map')
  })
})
