import {spawn} from 'node:child_process'
import {closeSync, existsSync, mkdirSync, openSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {expect} from 'chai'

import {cliPath, projectRoot} from '../support/paths.js'
import {useFakeAtlassian} from '../../fake-atlassian/use-fake.js'
import {type CliRun, runCli} from '../support/run-cli.js'
import {closedPort} from '../support/closed-port.js'
import {useTempDir} from '../support/temp-dir.js'

const TOKEN = 'fake-api-token-admin'
const SITE_LOGIN = {CFADMIN_API_TOKEN: TOKEN, CFADMIN_EMAIL: 'admin@acme.example'}

function expectNoBug(run: CliRun): void {
  expect(run.stderr)
    .not.to.include('This is a bug')
    .and.not.to.match(/\n\s+at /)
}

describe('exit codes: whose fault a failure is', function () {
  this.timeout(60_000)
  const fake = useFakeAtlassian()
  let dir: string
  let env: Record<string, string>

  const temp = useTempDir('cfadmin-e2e-exit-')
  beforeEach(() => {
    dir = temp.path
    env = {
      CFADMIN_API_URL: fake.url,
      CFADMIN_AUTH_URL: fake.url,
      CFADMIN_CONFIG_DIR: join(dir, 'config'),
      CFADMIN_RETRY_BASE_MS: '1',
    }
  })

  const cli = (args: string[], extra: Record<string, string> = {}, stdin?: string) =>
    runCli(args, {env: {...env, ...extra}, stdin})

  describe('Atlassian or the network out of reach: exit 5, saying what was tried', () => {
    it('site info on a refused connection, within the retries CFADMIN_RETRY_BASE_MS sets', async () => {
      const port = await closedPort()
      const run = await cli(['sites', 'info', `http://127.0.0.1:${port}`])
      expect(run.code, run.stderr).to.equal(5)
      expect(run.stderr)
        .to.include(`Could not reach 127.0.0.1:${port}`)
        .and.include('connection refused')
        .and.include('gave up after 4 retries')
      expectNoBug(run)
    })

    it('auth login on a refused connection (not "does not look like an Atlassian site")', async () => {
      const port = await closedPort()
      const run = await cli(
        ['auth', 'login', '--site', `http://127.0.0.1:${port}`, '--email', 'admin@acme.example', '--with-token'],
        {},
        `${TOKEN}\n`,
      )
      expect(run.code, run.stderr).to.equal(5)
      expect(run.stderr).to.include(`Could not reach 127.0.0.1:${port}`)
      expectNoBug(run)
    })

    it('auth status does not call a credential usable when it could not check it', async () => {
      const port = await closedPort()
      const run = await cli(['auth', 'status', '--json'], {...SITE_LOGIN, CFADMIN_SITE: `http://127.0.0.1:${port}`})
      expect(run.code, run.stderr).to.equal(5)
      const [profile] = JSON.parse(run.stdout).profiles
      expect(profile).to.deep.include({usable: false})
      expect(profile.credentials[0]).to.include({check: 'unreachable'})
      expect(run.stderr).to.include('could not be checked').and.include(`Could not reach 127.0.0.1:${port}`)
    })

    it('auth status still exits 0 for a credential it checked', async () => {
      const run = await cli(['auth', 'status', '--json'], {...SITE_LOGIN, CFADMIN_SITE: fake.url})
      expect(run.code, run.stderr).to.equal(0)
    })

    it('Atlassian answering 503 past the retries, with the attempts in the message and under --json', async () => {
      fake.faults.failNext(5, 503)
      const run = await cli(['groups', 'list', '--json'], {...SITE_LOGIN, CFADMIN_SITE: fake.url})
      expect(run.code, run.stderr).to.equal(5)
      const {error} = JSON.parse(run.stdout)
      expect(error).to.include({code: 'HTTP_503', exit: 5})
      expect(error.message).to.include('answered 503').and.include('sent 5 times')
    })

    it('says each retry wait over 2 s on stderr, also under --json', async () => {
      fake.faults.failNext(1, 503, 3)
      const run = await cli(['groups', 'list', '--json'], {...SITE_LOGIN, CFADMIN_SITE: fake.url})
      expect(run.code, run.stderr).to.equal(0)
      expect(run.stderr).to.match(/Atlassian answered 503 \(127\.0\.0\.1:\d+\); trying again in 3 s \(1 of 4\)/)
      expect(() => JSON.parse(run.stdout)).not.to.throw()
    })
  })

  describe('local file-system problems: exit 2 with the path and a fix', () => {
    it('an output path that is a folder', async () => {
      writeFileSync(
        join(dir, 'export.csv'),
        'email,name,User id,User status\na@acme.example,A,712020:fake-0001-a,Active\n',
      )
      mkdirSync(join(dir, 'out'))
      const run = await cli(['users', 'export-map', join(dir, 'export.csv'), '-o', join(dir, 'out')])
      expect(run.code, run.stderr).to.equal(2)
      expect(run.stderr)
        .to.include(`Cannot write --output ${join(dir, 'out')}: it is a folder.`)
        .and.include('Hint: Give a file path')
      expectNoBug(run)
    })

    for (const args of [
      ['users', 'export-map', 'EXPORT'],
      ['auth', 'status', '--offline'],
    ]) {
      it(`a full disk behind standard output (${args.slice(0, 2).join(' ')} > /dev/full) is exit 2 saying so, not a crash`, async function () {
        if (!existsSync('/dev/full')) this.skip()
        writeFileSync(
          join(dir, 'export.csv'),
          'email,name,User id,User status\na@acme.example,A,712020:fake-0001-a,Active\n',
        )
        const full = openSync('/dev/full', 'w')
        try {
          const child = spawn(
            process.execPath,
            [cliPath, ...args.map((a) => (a === 'EXPORT' ? join(dir, 'export.csv') : a))],
            {cwd: projectRoot, env: {...process.env, ...env}, stdio: ['ignore', full, 'pipe']},
          )
          let stderr = ''
          child.stderr!.on('data', (chunk) => (stderr += chunk))
          const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
          expect(code, stderr).to.equal(2)
          expect(stderr)
            .to.include('no space left on the device, writing standard output')
            .and.include('Hint: Free some space')
          expect(stderr)
            .not.to.include('This is a bug')
            .and.not.to.match(/\n\s+at /)
        } finally {
          closeSync(full)
        }
      })
    }

    it('a broken pipe (cfadmin ... | head -1) ends quietly, without claiming success', async () => {
      const rows = Array.from(
        {length: 200_000},
        (_, i) => `u${i}@acme.example,U${i},712020:${i.toString(16).padStart(32, '0')},Active`,
      )
      writeFileSync(join(dir, 'big.csv'), `email,name,User id,User status\n${rows.join('\n')}\n`)
      const child = spawn(process.execPath, [cliPath, 'users', 'export-map', join(dir, 'big.csv')], {
        cwd: projectRoot,
        env: {...process.env, ...env},
      })
      let stderr = ''
      child.stderr.on('data', (chunk) => (stderr += chunk))
      child.stdout.once('data', () => child.stdout.destroy())
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
      expect(code, stderr).to.equal(2)
      expect(stderr).not.to.include('Error').and.not.to.include('EPIPE').and.not.to.include('This is a bug')
    })
  })
})
