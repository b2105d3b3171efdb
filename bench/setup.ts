// npm run bench:setup
// `cfadmin setup PLAN --yes` on the fake Atlassian with a plan of 500 users (to invite, role user), 10 groups (to
// create, 50 of the users in each) and View on the 990 global spaces of 1,000 for one of the groups; rate limit
// 100 requests/s (burst 10, 429 with Retry-After above it), 20 ms latency. Prints the requests cfadmin needed
// against the minimum a perfect client needs, and its wall time against the floor (that minimum / the rate), the
// 429s met, failed items and changes accepted twice. Asserts nothing. Needs a build (npm run build).
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {generateSeed, type RecordedRequest, startFakeAtlassian, writes} from '../fake-atlassian/index.js'
import {timeCfadmin} from './run-cfadmin.js'

const USERS = 500
const GROUPS = 10
const SPACES = 1000
const RATE = 100
const LATENCY_MS = 20
const pad = (n: number, width: number) => String(n).padStart(width, '0')

const emails = Array.from({length: USERS}, (_, i) => `bench-user-${pad(i + 1, 4)}@bench.acme.example`)
const teams = Array.from({length: GROUPS}, (_, g) => `bench-team-${pad(g + 1, 2)}`)
const plan = [
  'users:',
  ...emails.map((email) => `  - {email: ${email}, role: user}`),
  'groups:',
  ...teams.map(
    (name, g) =>
      `  - name: ${name}\n    create: true\n    members: [${emails.filter((_, i) => i % GROUPS === g).join(', ')}]`,
  ),
  'spaces:',
  '  - include: all',
  '    types: [global]',
  `    grantView: {groups: [${teams[0]}]}`,
].join('\n')

// Seats for everyone; a few generated users and groups so the site is not empty.
const seed = generateSeed({groups: 5, licenceLimit: 100_000, spaces: SPACES, users: 20})
const globalSpaces = seed.spaces!.filter((s) => s.type === 'global' && s.status !== 'archived').length

/**
 * What a perfect client must send for this plan on a fresh site, checking before it changes anything and using
 * every batch the APIs offer: the cloud ID and the directory (2); the 500 emails looked up 100 a request (5); the 10
 * group names in one search (1); 10 group creations; the invitations, 100 emails a request per role and group set,
 * each carrying the role and the group (10 sets of 50: 10); no membership request (the invitations carry them);
 * the global spaces listed 250 a page; no permission read (the only grantee is a group created by this run, which
 * can hold no permission yet); one View grant per space (the v1 endpoint takes one permission a request).
 */
const minimum =
  2 +
  Math.ceil(USERS / 100) +
  1 +
  GROUPS +
  GROUPS * Math.ceil(USERS / GROUPS / 100) +
  Math.ceil(globalSpaces / 250) +
  globalSpaces

const fake = await startFakeAtlassian({
  latencyMs: LATENCY_MS,
  rateLimit: {burst: RATE / 10, perSecond: RATE},
  seed,
  validate: false,
})
const dir = mkdtempSync(join(tmpdir(), 'cfadmin-bench-setup-'))
const planPath = join(dir, 'plan.yaml')
writeFileSync(planPath, plan + '\n')
const env = {
  CFADMIN_ADMIN_KEY: 'fake-admin-key-0001',
  CFADMIN_API_TOKEN: 'fake-api-token-admin',
  CFADMIN_API_URL: fake.url,
  CFADMIN_CONFIG_DIR: join(dir, 'config'),
  CFADMIN_EMAIL: 'admin@acme.example',
  CFADMIN_ORG_ID: 'org-fake-0001',
  CFADMIN_SITE: fake.url,
}

const startedAt = Date.now()
const {report, seconds} = await timeCfadmin<{counts: Record<string, number>}>(
  ['setup', planPath, '--yes', '--json'],
  env,
)

const answered = fake.requests.filter((r) => r.status !== 429 && r.status !== 0)
const throttled = fake.requests.filter((r) => r.status === 429).length
const changeOf = (r: RecordedRequest) => `${r.path} ${JSON.stringify(r.body)}`
const changes = writes(fake, (r) => !/\/(search|workspaces)$/.test(r.path)).map(changeOf)
const repeated = changes.length - new Set(changes).size
const byKind = new Map<string, number>()
for (const r of answered) {
  const kind = `${r.method} ${r.path
    .replace(/\/spaces\/\d+\//, '/spaces/{id}/')
    .replace(/\/space\/[^/]+\//, '/space/{key}/')
    .replace(/\/groups\/[^/]+\/memberships/, '/groups/{id}/memberships')}`
  byKind.set(kind, (byKind.get(kind) ?? 0) + 1)
}

await fake.close()
rmSync(dir, {force: true, recursive: true})

const floor = minimum / RATE
const ratio = (a: number, b: number) => (a / b).toFixed(2)
const verdict = (value: number) => (value <= 1.25 ? 'met' : 'NOT met')
console.log(
  `setup: ${USERS} users, ${GROUPS} groups, View on ${globalSpaces} global spaces of ${SPACES}; ${RATE} requests/s allowed, ${LATENCY_MS} ms latency`,
)
console.log(
  `requests: cfadmin ${answered.length} (answered, not 429) vs minimum ${minimum} = ${ratio(answered.length, minimum)}x (target <= 1.25x: ${verdict(answered.length / minimum)}); 429s met: ${throttled}`,
)
console.log(
  `wall time: cfadmin ${seconds.toFixed(2)} s vs floor ${floor.toFixed(2)} s (minimum / rate) = ${ratio(seconds, floor)}x (target <= 1.25x: ${verdict(seconds / floor)}); ${ratio(seconds, answered.length / RATE)}x its own requests / rate`,
)
console.log(`items: ${JSON.stringify(report.counts)}; changes accepted twice: ${repeated} (target 0)`)
console.log('requests by kind:')
for (const [kind, n] of [...byKind].sort((a, b) => b[1] - a[1])) console.log(`  ${String(n).padStart(5)}  ${kind}`)
if (process.env.BENCH_TIMELINE) {
  const times = fake.requests.map((r) => Date.parse(r.time))
  console.log(
    `first request ${((Math.min(...times) - startedAt) / 1000).toFixed(2)} s after start, last ${((Math.max(...times) - startedAt) / 1000).toFixed(2)} s`,
  )
  const t0 = Date.parse(fake.requests[0].time)
  const perSecond = new Map<number, string[]>()
  for (const r of fake.requests) {
    const s = Math.floor((Date.parse(r.time) - t0) / 1000)
    perSecond.set(s, [
      ...(perSecond.get(s) ?? []),
      r.status === 429 ? '429' : r.path.includes('/permission') ? 'P' : r.path.slice(-12),
    ])
  }
  for (const [s, list] of perSecond) console.log(s, list.length, [...new Set(list)].join(' '))
}
