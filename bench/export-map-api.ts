// npm run bench:export-map-api [-- USERS]
// `cfadmin users export-map --from-api -o map.csv` on the fake Atlassian with 100,000 generated directory users (one in
// five hides its email, one in fifty is suspended), a rate limit of 100 requests/s (429 with Retry-After above it) and
// the request budget on every answer (X-RateLimit-Remaining; BENCH_BUDGET_HEADERS=only-429s keeps it to the 429s), at
// the fake's own latency (none) and at the 20 ms the other benchmarks use (BENCH_LATENCY_MS=N runs one latency only).
// Prints the requests cfadmin sent against the minimum (the organization, its directories and the directory's user
// count, then one users/search page per 100 users), its wall time against the floor (that minimum / the allowed rate),
// and the peak RSS of the cfadmin process, also for a directory a tenth the size. Each listing's pages are chained by
// their cursor (a page is asked once the one before is back); cfadmin reads the directory from both ends at once, so
// above 2000 / RATE ms of round trip the latency, not the rate, sets the pace: the wall time is also put against that
// floor. Asserts nothing. Needs a build (npm run build).
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {defaultSeedCredentials, generateSeed, startFakeAtlassian} from '../fake-atlassian/index.js'
import {root, timeCfadmin} from './run-cfadmin.js'

const USERS = Number(process.argv[2] ?? 100_000)
const RATE = 100
const LATENCIES = process.env.BENCH_LATENCY_MS === undefined ? [0, 20] : [Number(process.env.BENCH_LATENCY_MS)]
const BUDGET_HEADERS = process.env.BENCH_BUDGET_HEADERS === 'only-429s' ? 'only-429s' : 'every-answer'
/** The page size cfadmin asks for (src/lib/api/directory-listing.ts USER_LIST_PAGE). */
const PAGE = 100

interface Run {
  /** Mean ms the fake took to answer a page (its latency included), and mean ms from one page's request to the next's. */
  servedMs: number
  pageEveryMs: number
  users: number
  pages: number
  minimum: number
  requests: number
  throttled: number
  seconds: number
  peakRssMb: number
  mapped: number
  withoutEmail: number
}

async function measure(generated: number, latencyMs: number): Promise<Run> {
  const seed = generateSeed({groups: 20, spaces: 0, users: generated})
  const users = seed.users!.length
  const fake = await startFakeAtlassian({
    latencyMs,
    rateLimit: {budgetHeaders: BUDGET_HEADERS, burst: RATE / 10, perSecond: RATE},
    seed,
    validate: false,
  })
  const dir = mkdtempSync(join(tmpdir(), 'cfadmin-bench-map-api-'))
  try {
    const run = await timeCfadmin<{usersMapped: number; skippedWithoutEmail: number}>(
      ['users', 'export-map', '--from-api', '-o', join(dir, 'map.csv'), '--json'],
      {
        CFADMIN_ADMIN_KEY: defaultSeedCredentials.adminKey,
        CFADMIN_API_URL: fake.url,
        CFADMIN_AUTH_URL: fake.url,
        CFADMIN_CONFIG_DIR: join(dir, 'config'),
        NODE_OPTIONS: `--import=${join(root, 'bench/peak-rss.js')}`,
      },
    )
    const peak = /BENCH_PEAK_RSS_KB=(\d+)/.exec(run.stderr)
    const pages = Math.ceil(users / PAGE)
    const answered = fake.requests.filter((r) => r.status !== 429 && r.status !== 0)
    // GET /admin/v1/orgs (the key's organization), GET .../directories (the one holding the users) and GET
    // .../users/count, then the pages.
    const minimum = 3 + pages
    const searches = answered.filter((r) => r.method === 'POST')
    const served = searches.reduce((sum, r) => sum + r.durationMs, 0) / Math.max(1, searches.length)
    const span = searches.length > 1 ? Date.parse(searches.at(-1)!.time) - Date.parse(searches[0].time) : 0
    if (readFileSync(join(dir, 'map.csv'), 'utf8').split('\n').length - 2 !== run.report.usersMapped)
      throw new Error('the map file does not hold the users the summary counts')
    return {
      mapped: run.report.usersMapped,
      pageEveryMs: span / Math.max(1, searches.length - 1),
      servedMs: served,
      minimum,
      pages,
      peakRssMb: peak ? Number(peak[1]) / 1024 : Number.NaN,
      requests: answered.length,
      seconds: run.seconds,
      throttled: fake.requests.filter((r) => r.status === 429).length,
      users,
      withoutEmail: run.report.skippedWithoutEmail,
    }
  } finally {
    await fake.close()
    rmSync(dir, {force: true, recursive: true})
  }
}

const verdict = (value: number) => (value <= 1.25 ? 'met' : 'NOT met')
for (const latencyMs of LATENCIES) {
  const small = await measure(Math.round(USERS / 10), latencyMs)
  const large = await measure(USERS, latencyMs)
  console.log(
    `users export-map --from-api, ${RATE} requests/s allowed (burst ${RATE / 10}, budget headers: ${BUDGET_HEADERS}), ${latencyMs} ms latency, ${PAGE} users a page`,
  )
  for (const run of [large, small]) {
    const floor = run.minimum / RATE
    console.log(`${run.users.toLocaleString('en-US')} directory users (${run.pages} pages):`)
    console.log(
      `  requests: ${run.requests} (answered, not 429) vs minimum ${run.minimum} = ${(run.requests / run.minimum).toFixed(2)}x; 429s met: ${run.throttled}`,
    )
    // A cursor chains each end's pages: the next can only be asked once this one is back, so with two ends at a latency
    // above 2000 / RATE ms the latency, not the rate, sets the pace.
    const chained = Math.max(floor, (3 + run.pages / 2) * (latencyMs / 1000))
    console.log(
      `  wall: ${run.seconds.toFixed(2)} s vs floor ${floor.toFixed(2)} s = ${(run.seconds / floor).toFixed(2)}x (target <= 1.25x: ${verdict(run.seconds / floor)}); vs ${chained.toFixed(2)} s, the floor with two ends' pages chained at ${latencyMs} ms latency = ${(run.seconds / chained).toFixed(2)}x`,
    )
    console.log(
      `  a page every ${run.pageEveryMs.toFixed(1)} ms; the fake took ${run.servedMs.toFixed(1)} ms a page (latency included)`,
    )
    console.log(
      `  peak RSS of cfadmin: ${run.peakRssMb.toFixed(0)} MB; mapped ${run.mapped.toLocaleString('en-US')}, without an email ${run.withoutEmail.toLocaleString('en-US')}`,
    )
  }

  console.log(
    `memory: peak RSS ${large.peakRssMb.toFixed(0)} MB at ${large.users.toLocaleString('en-US')} users vs ${small.peakRssMb.toFixed(0)} MB at ${small.users.toLocaleString('en-US')} (${(large.peakRssMb / small.peakRssMb).toFixed(2)}x for ${(large.users / small.users).toFixed(0)}x the users: the account IDs seen, a few dozen bytes each)`,
  )
}
