import {execFile} from 'node:child_process'
import {mkdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {promisify} from 'node:util'

import {expect} from 'chai'

import {type LockfileRegistry, startLockfileRegistry} from '../support/lockfile-registry.js'
import {projectRoot} from '../support/paths.js'
import {useTempDir} from '../support/temp-dir.js'

const run = promisify(execFile)
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'

interface Outcome {
  code: number
  stderr: string
  stdout: string
}

/**
 * What a user gets from `npm pack` and `npm install -g ./cfadmin-<version>.tgz`: the package is packed from the
 * built tree (dist/ and the manifest come from `npm test`'s build) and installed into a temporary prefix without the
 * network: the dependencies' tarballs come from the cache `npm ci` filled, and the package documents npm resolves
 * versions with from a loopback registry made of the shipped npm-shrinkwrap.json (npm's --offline alone cannot do
 * it: npm ci caches no package documents). Any other request is sent to a closed port. Then `cfadmin` runs from
 * another folder.
 */
describe('the installed package (npm pack, then npm install -g from the tarball)', function () {
  this.timeout(180_000)
  const temp = useTempDir('cfadmin-package-', {each: false})
  let cfadmin: string
  let files: string[]
  let registry: LockfileRegistry | undefined

  before(async () => {
    registry = await startLockfileRegistry(join(projectRoot, 'npm-shrinkwrap.json'))
    const env = {
      ...process.env,
      npm_config_audit: 'false',
      npm_config_fund: 'false',
      // Anything but the loopback registry goes to a closed port (npm applies https-proxy to every request).
      npm_config_https_proxy: 'http://127.0.0.1:9',
      npm_config_noproxy: '127.0.0.1',
      npm_config_prefer_offline: 'true',
      npm_config_registry: registry.url,
      npm_config_update_notifier: 'false',
    }
    const {stdout} = await run(npm, ['pack', '--ignore-scripts', '--json', '--pack-destination', temp.path], {
      cwd: projectRoot,
      env,
      maxBuffer: 16 * 1024 * 1024,
    })
    const [packed] = JSON.parse(stdout) as Array<{filename: string; files: Array<{path: string}>}>
    files = packed.files.map((f) => f.path)
    const prefix = join(temp.path, 'prefix')
    await run(npm, ['install', '--global', '--prefix', prefix, join(temp.path, packed.filename)], {cwd: temp.path, env})
    cfadmin = join(prefix, 'bin', 'cfadmin')
  })

  after(async () => {
    await registry?.close()
  })

  /** Runs the installed cfadmin from a folder that is not the project. */
  async function installed(args: string[]): Promise<Outcome> {
    const elsewhere = join(temp.path, 'elsewhere')
    mkdirSync(elsewhere, {recursive: true})
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      CFADMIN_CONFIG_DIR: join(temp.path, 'config'),
      NODE_ENV: 'production',
    }
    delete env.NODE_V8_COVERAGE
    try {
      const {stderr, stdout} = await run(cfadmin, args, {cwd: elsewhere, env})
      return {code: 0, stderr, stdout}
    } catch (error) {
      const failed = error as Outcome
      return {code: failed.code, stderr: failed.stderr, stdout: failed.stdout}
    }
  }

  it('holds the CLI, its manifest, schema, examples, README and LICENSE, and no tests or sources', () => {
    expect(files).to.include.members([
      'bin/run.js',
      'oclif.manifest.json',
      'schema/setup-plan.schema.json',
      'examples/users-export.csv',
      'README.md',
      'LICENSE',
      'package.json',
    ])
    expect(files.some((f) => f.startsWith('dist/commands/'))).to.equal(true)
    expect(
      files.filter(
        (f) => /^(test|src|bench|contracts|scripts|docs)\//.test(f) || f.endsWith('.map') || f === 'bin/dev.js',
      ),
    ).to.deep.equal([])
  })

  it('answers cfadmin --version with the package version', async () => {
    const {version} = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as {version: string}
    const result = await installed(['--version'])
    expect(result.code, result.stderr).to.equal(0)
    expect(result.stdout).to.match(new RegExp(`^cfadmin/${version.replaceAll('.', '\\.')} `))
  })

  it('lists the topics in cfadmin help', async () => {
    const result = await installed(['help'])
    expect(result.code, result.stderr).to.equal(0)
    for (const topic of ['auth', 'users', 'groups', 'space', 'setup']) expect(result.stdout).to.contain(topic)
  })

  it('answers a mistyped command with exit 2 and the command it meant', async () => {
    const result = await installed(['user', 'invite'])
    expect(result.code).to.equal(2)
    expect(result.stderr).to.contain('cfadmin users invite')
  })

  it('runs the Quick start export-map on the shipped sample from another folder', async () => {
    const sample = join(projectRoot, 'examples/users-export.csv')
    const result = await installed(['users', 'export-map', sample])
    expect(result.code, result.stderr).to.equal(0)
    expect(result.stdout.split('\n')[0]).to.equal('accountId,email')
    expect(result.stdout).to.contain('grace.hopper@example.com')
    expect(result.stderr).to.contain('Mapped 8 users')
  })
})
