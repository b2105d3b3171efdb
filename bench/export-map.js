// npm run bench:export-map [-- ROWS]
// Measures `cfadmin users export-map` on a generated export in the real shape (1,000,000 rows by
// default) against the floor for its parser (csv-parse alone on the same file) and against the
// Python script an admin would otherwise write, and cfadmin's start-up time against bare Node.
// Prints its figures; asserts nothing. Needs a build (npm ci or npm run build) and python3.
import {spawnSync} from 'node:child_process'
import {existsSync, mkdirSync, readFileSync, rmSync, statSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {generateExport} from './generate-export.js'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const rows = Number(process.argv[2] ?? 1_000_000)
const repeats = 3
const dataDir = join(root, 'bench/.data')
const exportFile = join(dataDir, `export-${rows}.csv`)
const cli = join(root, 'bin/run.js')
const peakRss = join(root, 'bench/peak-rss.js')

if (!existsSync(join(root, 'dist/commands/users/export-map.js'))) {
  console.error('Build first: npm run build')
  process.exit(2)
}

mkdirSync(dataDir, {recursive: true})
if (!existsSync(exportFile)) {
  process.stderr.write(`Generating ${rows.toLocaleString('en-US')} rows in ${exportFile}…\n`)
  await generateExport(exportFile, rows)
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]

/** Runs a command `repeats` times; returns the median wall time (s) and the largest peak RSS (MB) it reported. */
function measure(label, command, args) {
  const times = []
  let rssKb = 0
  for (let i = 0; i < repeats; i++) {
    const started = performance.now()
    const run = spawnSync(command, args, {
      cwd: root,
      encoding: 'utf8',
      env: {...process.env, NODE_ENV: 'production'},
      maxBuffer: 1 << 26,
    })
    times.push((performance.now() - started) / 1000)
    if (run.status !== 0) throw new Error(`${label} failed (exit ${run.status}): ${run.stderr}`)
    const reported = /BENCH_PEAK_RSS_KB=(\d+)/.exec(run.stderr)
    if (reported) rssKb = Math.max(rssKb, Number(reported[1]))
  }

  return {label, rssMb: rssKb / 1024, seconds: median(times)}
}

const outputs = {
  cfadmin: join(dataDir, 'map-cfadmin.csv'),
  oneThread: join(dataDir, 'map-one-thread.csv'),
  python: join(dataDir, 'map-python.csv'),
}
const mb = (bytes) => (bytes / 1024 / 1024).toFixed(0)
process.stderr.write(
  `Export: ${rows.toLocaleString('en-US')} rows, ${mb(statSync(exportFile).size)} MB; median of ${repeats} runs each.\n`,
)

const results = [
  measure('cfadmin users export-map (default threads)', process.execPath, [
    '--import',
    peakRss,
    cli,
    'users',
    'export-map',
    exportFile,
    '-o',
    outputs.cfadmin,
  ]),
  measure('cfadmin users export-map --threads 1', process.execPath, [
    '--import',
    peakRss,
    cli,
    'users',
    'export-map',
    exportFile,
    '-o',
    outputs.oneThread,
    '--threads',
    '1',
  ]),
  measure('csv-parse alone (parse-only floor)', process.execPath, [
    '--import',
    peakRss,
    join(root, 'bench/parse-only.js'),
    exportFile,
  ]),
  measure('Python csv.DictReader script (peer)', 'python3', [
    join(root, 'bench/peer-export-map.py'),
    exportFile,
    outputs.python,
  ]),
]

const [cfadmin, oneThread, floor, python] = results
console.log('\nexport-map, %s rows', rows.toLocaleString('en-US'))
console.log('%s  %s  %s  %s', 'what'.padEnd(44), 'seconds'.padStart(7), 'rows/s'.padStart(9), 'peak RSS'.padStart(9))
for (const r of results) {
  console.log(
    '%s  %s  %s  %s',
    r.label.padEnd(44),
    r.seconds.toFixed(2).padStart(7),
    Math.round(rows / r.seconds)
      .toLocaleString('en-US')
      .padStart(9),
    `${r.rssMb.toFixed(0)} MB`.padStart(9),
  )
}

const same = (a, b) => readFileSync(a).equals(readFileSync(b))
console.log(
  '\nmaps identical: cfadmin = --threads 1: %s; cfadmin = Python: %s',
  same(outputs.cfadmin, outputs.oneThread) ? 'yes' : 'NO',
  same(outputs.cfadmin, outputs.python) ? 'yes' : 'NO',
)
const verdict = (ok) => (ok ? 'met' : 'NOT met')
const ratio = cfadmin.seconds / floor.seconds
console.log(
  'time vs parse-only floor: %sx (target <= 1.2x: %s); --threads 1: %sx',
  ratio.toFixed(2),
  verdict(ratio <= 1.2),
  (oneThread.seconds / floor.seconds).toFixed(2),
)
console.log(
  'peak RSS: %s MB (target < 256 MB: %s); --threads 1: %s MB',
  cfadmin.rssMb.toFixed(0),
  verdict(cfadmin.rssMb < 256),
  oneThread.rssMb.toFixed(0),
)
console.log(
  'time vs Python script: %sx (below 1 = cfadmin faster); --threads 1: %sx',
  (cfadmin.seconds / python.seconds).toFixed(2),
  (oneThread.seconds / python.seconds).toFixed(2),
)

// Start-up: what every command pays before doing anything.
const startupRuns = 15
const time = (args) => {
  const times = []
  for (let i = 0; i < startupRuns; i++) {
    const started = performance.now()
    spawnSync(process.execPath, args, {cwd: root, env: {...process.env, NODE_ENV: 'production'}})
    times.push(performance.now() - started)
  }

  return median(times)
}

const nodeAlone = time(['-e', ''])
const version = time([cli, '--version'])
console.log(
  '\nstart-up (median of %d): cfadmin --version %s ms, node -e "" %s ms: %sx (target < 2.5x: %s)',
  startupRuns,
  version.toFixed(0),
  nodeAlone.toFixed(0),
  (version / nodeAlone).toFixed(2),
  verdict(version / nodeAlone < 2.5),
)

for (const file of Object.values(outputs)) rmSync(file, {force: true})
