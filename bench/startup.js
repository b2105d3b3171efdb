// npm run bench:startup [-- ROUNDS]
// What every cfadmin command pays before doing anything: times `cfadmin --version` and
// `cfadmin users export-map --help` against bare Node (`node -e ""`), the three alternating in each
// round so that a busy moment of the machine hits all of them alike (15 rounds by default).
// Prints the medians and the ratios to bare Node; asserts nothing. Needs a build (npm run build).
// On Linux it also prints the CPU time each run used (from /proc/self/stat, in 10 ms ticks), which a
// busy machine disturbs less than the wall time.
import {spawnSync} from 'node:child_process'
import {existsSync, readFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const rounds = Number(process.argv[2] ?? 15)
const cli = join(root, 'bin/run.js')
const target = 2.5

if (!existsSync(join(root, 'dist/commands/users/export-map.js')) || !existsSync(join(root, 'oclif.manifest.json'))) {
  console.error('Build first: npm run build')
  process.exit(2)
}

const runs = [
  {args: ['-e', ''], cpu: [], label: 'node -e ""', times: []},
  {args: [cli, '--version'], cpu: [], label: 'cfadmin --version', times: []},
  {args: [cli, 'users', 'export-map', '--help'], cpu: [], label: 'cfadmin users export-map --help', times: []},
]

/** User + system CPU ms of the children this process has waited for (Linux), else undefined. */
function childrenCpuMs() {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ')
    return (Number(fields[13]) + Number(fields[14])) * 10
  } catch {
    return undefined
  }
}

const env = {...process.env, NODE_ENV: 'production'}
// One untimed run of each first: the files are in the page cache for every timed round alike.
for (const run of runs) spawnSync(process.execPath, run.args, {cwd: root, env})
for (let round = 0; round < rounds; round++) {
  for (const run of runs) {
    const cpuBefore = childrenCpuMs()
    const started = performance.now()
    const child = spawnSync(process.execPath, run.args, {cwd: root, encoding: 'utf8', env})
    run.times.push(performance.now() - started)
    if (cpuBefore !== undefined) run.cpu.push(childrenCpuMs() - cpuBefore)
    if (child.status !== 0) throw new Error(`${run.label} failed (exit ${child.status}): ${child.stderr}`)
  }
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]
const [node, ...cfadmin] = runs
const withCpu = node.cpu.length > 0
const columns = (label, ms, ratio, cpuMs, cpuRatio) =>
  `${label.padEnd(32)}  ${ms.padStart(6)}  ${ratio.padStart(7)}` +
  (withCpu ? `  ${cpuMs.padStart(6)}  ${cpuRatio.padStart(7)}` : '')
console.log('start-up, median of %d alternating rounds (Node %s)', rounds, process.versions.node)
console.log(columns('what', 'ms', 'x node', 'CPU ms', 'x node'))
console.log(columns(node.label, median(node.times).toFixed(0), '1.00', String(median(node.cpu)), '1.00'))
for (const run of cfadmin) {
  const ratio = median(run.times) / median(node.times)
  const cpuRatio = (median(run.cpu) / median(node.cpu)).toFixed(2)
  console.log(
    columns(run.label, median(run.times).toFixed(0), ratio.toFixed(2), String(median(run.cpu)), cpuRatio) +
      `  (target < ${target}x: ${ratio < target ? 'met' : 'NOT met'})`,
  )
}
if (process.env.NODE_EXTRA_CA_CERTS) {
  console.log('\nNODE_EXTRA_CA_CERTS is set: every run, bare Node included, loads those certificates first, which')
  console.log('lowers the ratios; run with it unset (env -u NODE_EXTRA_CA_CERTS) to compare with other machines.')
}
