// npm run bench:setup
// `cfadmin setup PLAN --yes` on the fake Atlassian with a plan of 500 users (to invite, role user), 10 groups (to
// create, 50 of the users in each) and View on every current global space (994) for one of the groups; rate limit
// 100 requests/s (burst 10, 429 with Retry-After above it), 20 ms latency, on a site in space role mode ROLES
// (BENCH_ROLE_MODE=PRE_ROLES for a classic site) where Confluence learns of a new group 3 s after the Admin API made
// it (BENCH_PROPAGATION_MS). Prints the requests cfadmin needed against the minimum a perfect client needs, and its
// wall time against the floor (that minimum / the rate) without the wait for propagation, which is reported apart;
// the 429s met, failed items and changes accepted twice. Asserts nothing. Needs a build (npm run build).
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {generateSeed, type RecordedRequest, startFakeAtlassian, writes} from '../fake-atlassian/index.js'
import {timeCfadmin} from './run-cfadmin.js'
import {benchRoleMode, withRoleMode} from './site-mode.js'

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
const mode = benchRoleMode()
const seed = withRoleMode(generateSeed({groups: 5, licenceLimit: 100_000, spaces: SPACES, users: 20}), mode)
// How long Confluence takes to learn of a group the Admin API made: the fake's strict default unless told.
const PROPAGATION_MS = Number(process.env.BENCH_PROPAGATION_MS ?? 3000)
seed.behaviour = {...seed.behaviour, propagationDelayMs: PROPAGATION_MS}
const roles = mode !== 'PRE_ROLES'
const globalSpaces = seed.spaces!.filter((s) => s.type === 'global' && s.status !== 'archived').length

/**
 * What a perfect client must send for this plan on a fresh site, checking before it changes anything and using
 * every batch the APIs offer: the cloud ID and the directory (2); the 500 emails looked up 100 a request (5); the 10
 * group names in one search (1); 10 group creations; the invitations, 25 emails a request (the Admin API's cap) per
 * role and group set, each carrying the role and the group (10 sets of 50: 20); no membership request (the
 * invitations carry them); the site's space role mode (1; every run reads it) and, on a roles site, its roles to find
 * Viewer (1); the global spaces listed 250 a page; no permission or role-assignment read (the only grantee is a group
 * created by this run, which can hold nothing yet); one View grant per space (a permission or a role assignment: both
 * endpoints take one space a request). The answers "not known yet" while Confluence learns of the new group are
 * counted apart, as is the time they take.
 */
const minimum =
  2 +
  Math.ceil(USERS / 100) +
  1 +
  GROUPS +
  GROUPS * Math.ceil(USERS / GROUPS / 25) +
  1 +
  (roles ? 1 : 0) +
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

const isGrant = (r: RecordedRequest) =>
  r.method === 'POST' && (/\/role-assignments$/.test(r.path) || /\/space\/[^/]+\/permission$/.test(r.path))
// Grants Confluence answered 400 while it did not know the new group yet (the only 400s a grant meets here), and the
// time from the first of them to the first grant accepted after it: the wait for propagation, reported apart.
const notKnownYet = fake.requests.filter((r) => isGrant(r) && r.status === 400)
const firstRefused = notKnownYet.length > 0 ? Math.min(...notKnownYet.map((r) => Date.parse(r.time))) : undefined
const firstAccepted =
  firstRefused === undefined
    ? undefined
    : Math.min(
        ...fake.requests
          .filter((r) => isGrant(r) && r.status < 300 && Date.parse(r.time) >= firstRefused)
          .map((r) => Date.parse(r.time)),
      )
const waitedSeconds = firstRefused === undefined ? 0 : (firstAccepted! - firstRefused) / 1000
const answered = fake.requests.filter((r) => r.status !== 429 && r.status !== 0 && !notKnownYet.includes(r))
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
const working = seconds - waitedSeconds
const ratio = (a: number, b: number) => (a / b).toFixed(2)
const verdict = (value: number) => (value <= 1.25 ? 'met' : 'NOT met')
console.log(
  `setup: ${USERS} users, ${GROUPS} groups, View on ${globalSpaces} global spaces of ${SPACES}; role mode ${mode} (BENCH_ROLE_MODE); ${RATE} requests/s allowed, ${LATENCY_MS} ms latency; propagation delay ${PROPAGATION_MS} ms (BENCH_PROPAGATION_MS)`,
)
console.log(
  `requests: cfadmin ${answered.length} (answered, not 429, not "not known yet") vs minimum ${minimum} = ${ratio(answered.length, minimum)}x (target <= 1.25x: ${verdict(answered.length / minimum)}); 429s met: ${throttled}`,
)
console.log(
  `propagation: ${notKnownYet.length} grants answered "not known yet", ${waitedSeconds.toFixed(2)} s from the first of them to the first grant accepted (excluded below)`,
)
console.log(
  `wall time: cfadmin ${seconds.toFixed(2)} s, ${working.toFixed(2)} s without the propagation wait, vs floor ${floor.toFixed(2)} s (minimum / rate) = ${ratio(working, floor)}x (target <= 1.25x: ${verdict(working / floor)}); with the wait ${ratio(seconds, floor)}x; ${ratio(working, answered.length / RATE)}x its own requests / rate`,
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
  for (const [s, list] of perSecond)
    console.log(s, list.length, `(${list.filter((x) => x === '429').length} x 429)`, [...new Set(list)].join(' '))
}
