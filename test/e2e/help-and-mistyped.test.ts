import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import {expect} from 'chai'

import {runCli} from '../support/run-cli.js'
import {useTempDir} from '../support/temp-dir.js'

const version = /^cfadmin\/\d+\.\d+\.\d+ \S+ node-v\d+/

describe('bin/run.js: help, version and mistyped commands (the built CLI)', () => {
  describe('help and version', () => {
    it('`help` lists the topics and the top-level commands', async () => {
      const run = await runCli(['help'])
      expect(run.code).to.equal(0)
      expect(run.stdout).to.match(/^TOPICS$/m)
      expect(run.stdout).to.match(/^ {2}users +Find, invite/m)
      expect(run.stdout).to.match(/^ {2}setup +/m)
      expect(run.stderr).to.equal('')
    })

    it("`help users invite` prints that command's help", async () => {
      const run = await runCli(['help', 'users', 'invite'])
      expect(run.code).to.equal(0)
      expect(run.stdout).to.include('$ cfadmin users invite [USERS...]')
      expect(run.stdout).to.include('--role')
    })

    it('`help users` prints the topic and its commands', async () => {
      const run = await runCli(['help', 'users'])
      expect(run.code).to.equal(0)
      expect(run.stdout).to.include('users export-map')
      expect(run.stdout).to.include('users invite')
    })

    it('`-h` and `--help` print the root help, `users invite -h` the command help', async () => {
      const [short, long, command] = await Promise.all([
        runCli(['-h']),
        runCli(['--help']),
        runCli(['users', 'invite', '-h']),
      ])
      expect(short.code).to.equal(0)
      expect(short.stdout).to.match(/^TOPICS$/m)
      expect(short.stdout).to.equal(long.stdout)
      expect(command.code).to.equal(0)
      expect(command.stdout).to.include('$ cfadmin users invite [USERS...]')
    })

    it('`-v` and `--version` print the version', async () => {
      const [short, long] = await Promise.all([runCli(['-v']), runCli(['--version'])])
      expect(short.code).to.equal(0)
      expect(short.stdout).to.match(version)
      expect(long.stdout).to.equal(short.stdout)
    })
  })

  describe('the former, singular topic names', () => {
    for (const [former, current] of [
      ['space grant-view', 'spaces grant-view'],
      ['space permissions', 'spaces permissions'],
      ['site info', 'sites info'],
    ]) {
      it(`\`${former}\` still runs \`${current}\``, async () => {
        const [old, now] = await Promise.all([
          runCli([...former.split(' '), '--help']),
          runCli([...current.split(' '), '--help']),
        ])
        expect(old.code).to.equal(0)
        expect(old.stdout.split('\n')[0]).to.equal(now.stdout.split('\n')[0])
      })
    }
  })

  describe('a mistyped command', () => {
    const cases = [
      ['user invite', 'users invite'],
      ['space grant', 'spaces grant-view'],
      ['spaces grnat-view', 'spaces grant-view'],
      ['usres find', 'users find'],
      ['setpu', 'setup'],
    ]
    for (const [typed, meant] of cases) {
      it(`\`${typed}\` exits 2 and asks "did you mean \`${meant}\`" on stderr, without prompting (stdin closed)`, async () => {
        const run = await runCli([...typed.split(' '), 'ada@example.com'], {stdin: ''})
        expect(run.code).to.equal(2)
        expect(run.stdout).to.equal('')
        expect(run.stderr).to.equal(
          `Error: "${typed}" is not a cfadmin command.\nHint: Did you mean "cfadmin ${meant}"?\n`,
        )
      })
    }

    it('`user` alone suggests the topic `users` and lists its commands', async () => {
      const run = await runCli(['user'])
      expect(run.code).to.equal(2)
      expect(run.stderr).to.include('Error: "user" is not a cfadmin command.')
      expect(run.stderr).to.include(
        'Did you mean "cfadmin users"? Its commands: export-map, find, grant-access, invite.',
      )
    })

    it('a word close to nothing lists the topics and points at `cfadmin help`', async () => {
      const run = await runCli(['frobnicate'])
      expect(run.code).to.equal(2)
      expect(run.stderr).to.include('Error: "frobnicate" is not a cfadmin command.')
      expect(run.stderr).to.match(
        /^Hint: Topics: auth, groups, sites, spaces, users; commands: .*setup.* \(see "cfadmin help"\)\.$/m,
      )
    })

    it('prints the base command\'s {"error": …} on stdout under --json, exit 2', async () => {
      const run = await runCli(['user', 'invite', 'ada@example.com', '--role', 'user', '--json'])
      expect(run.code).to.equal(2)
      expect(run.stderr).to.equal('')
      expect(JSON.parse(run.stdout)).to.deep.equal({
        error: {
          code: 'COMMAND_NOT_FOUND',
          exit: 2,
          hint: 'Did you mean "cfadmin users invite"?',
          message: '"user invite" is not a cfadmin command.',
        },
      })
    })

    it('answers in JSON under CFADMIN_CONTENT_TYPE=json too', async () => {
      const run = await runCli(['setpu'], {env: {CFADMIN_CONTENT_TYPE: 'json'}})
      expect(run.code).to.equal(2)
      expect(JSON.parse(run.stdout).error).to.include({
        code: 'COMMAND_NOT_FOUND',
        hint: 'Did you mean "cfadmin setup"?',
      })
    })

    it('`help user invite` and `user invite -h` answer the same way', async () => {
      for (const args of [
        ['help', 'user', 'invite'],
        ['user', 'invite', '-h'],
      ]) {
        const run = await runCli(args)
        expect(run.code).to.equal(2)
        expect(run.stderr).to.equal(
          'Error: "user invite" is not a cfadmin command.\nHint: Did you mean "cfadmin users invite"?\n',
        )
      }
    })
  })

  describe('shell completion (@oclif/plugin-autocomplete)', () => {
    let cacheDir: string
    const temp = useTempDir('cfadmin-e2e-cache-')
    beforeEach(() => {
      cacheDir = temp.path
    })

    it('`autocomplete --help` names the shells', async () => {
      const run = await runCli(['autocomplete', '--help'])
      expect(run.code).to.equal(0)
      expect(run.stdout).to.include('$ cfadmin autocomplete [SHELL]')
      expect(run.stdout).to.include('zsh|bash|powershell')
    })

    it("`autocomplete bash` prints the setup and writes a completion function with cfadmin's commands and flags", async () => {
      const run = await runCli(['autocomplete', 'bash'], {env: {CFADMIN_CACHE_DIR: cacheDir}})
      expect(run.code).to.equal(0)
      expect(run.stdout).to.include('cfadmin autocomplete script bash')
      const functions = readFileSync(join(cacheDir, 'autocomplete/functions/bash/cfadmin.bash'), 'utf8')
      expect(functions).to.match(/^users:invite .*--role/m)
      expect(functions).to.match(/^setup /m)
    })
  })
})
