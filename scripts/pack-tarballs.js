// Builds standalone tarballs (cfadmin with its own Node 24 inside) with oclif:
//
//   npm run pack:tarballs [-- linux-x64 linux-arm64 darwin-arm64 ...]      default: linux-x64
//
// `oclif pack tarballs` downloads each target's Node from nodejs.org unless its cache (tmp/cache) has it already. This
// script fills that cache from the npm registry instead, which serves Node's binaries as packages
// (node-<platform>-<arch>), so packing works where only the registry is reachable. oclif runs under the Node 24 of
// scripts/node24.js, so the tarballs carry that same version. Output: dist/cfadmin-v<version>-<sha>-<target>.tar.gz.
import {execFileSync} from 'node:child_process'
import {chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const targets = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['linux-x64']
const node24 = (...args) =>
  execFileSync(process.execPath, [join(root, 'scripts/node24.js'), ...args], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  })

const version = node24('node', '-p', 'process.versions.node').trim()
for (const target of targets) {
  if (!/^(linux|darwin)-(x64|arm64)$/.test(target)) {
    console.error(
      `Error: ${target}: this script fills the cache for linux-x64, linux-arm64, darwin-x64 and darwin-arm64; run oclif pack tarballs directly for others (it downloads from nodejs.org)`,
    )
    process.exit(2)
  }

  const cached = join(root, 'tmp', 'cache', `node-v${version}-${target}`, 'node')
  if (existsSync(cached)) continue
  const work = mkdtempSync(join(tmpdir(), 'cfadmin-node-'))
  try {
    const file = execFileSync('npm', ['pack', `node-${target}@${version}`, '--silent', '--pack-destination', work], {
      encoding: 'utf8',
    })
      .trim()
      .split('\n')
      .pop()
    execFileSync('tar', ['-xzf', join(work, file), '-C', work, 'package/bin/node'])
    mkdirSync(dirname(cached), {recursive: true})
    copyFileSync(join(work, 'package/bin/node'), `${cached}.partial`)
    chmodSync(`${cached}.partial`, 0o755)
    renameSync(`${cached}.partial`, cached)
    console.error(`Cached Node ${version} for ${target} from the npm registry`)
  } finally {
    rmSync(work, {force: true, recursive: true})
  }
}

node24(
  'node',
  join(root, 'node_modules/oclif/bin/run.js'),
  'pack',
  'tarballs',
  '--targets',
  targets.join(','),
  '--no-xz',
)
console.error(`Tarballs in ${join(root, 'dist')}`)
