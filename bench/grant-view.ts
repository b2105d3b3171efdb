// npm run bench:grant-view [-- SPACES]
// `cfadmin spaces grant-view --all-spaces --group <g>` on the fake Atlassian with 1,000 spaces, a rate limit of 100
// requests/s (429 with Retry-After above it) and 20 ms latency, on a site in space role mode ROLES (BENCH_ROLE_MODE=
// PRE_ROLES for a classic site). Prints the requests cfadmin sent against the minimum a perfect client needs, its
// wall time against the floor (that minimum / the allowed rate) and against a one-at-a-time loop of the same
// requests (what a simple script does), the 429s met, and whether any item failed or any POST was accepted twice.
// Asserts nothing. Needs a build (npm run build).
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {generateSeed, startFakeAtlassian, writes} from '../fake-atlassian/index.js'
import {timeCfadmin} from './run-cfadmin.js'
import {benchRoleMode, withRoleMode} from './site-mode.js'

const SPACES = Number(process.argv[2] ?? 1000)
const RATE = 100
const LATENCY_MS = 20
const GROUP = 'gen-team-0001'
const TOKEN = 'fake-api-token-admin'
const EMAIL = 'admin@acme.example'
/** The space types `--all-spaces` chooses by default. */
const TYPES = new Set(['collaboration', 'global', 'knowledge_base'])

async function runCfadmin(url: string): Promise<{seconds: number; report: {counts: Record<string, number>}}> {
  const configDir = mkdtempSync(join(tmpdir(), 'cfadmin-bench-'))
  const env = {
    CFADMIN_API_TOKEN: TOKEN,
    CFADMIN_API_URL: url,
    CFADMIN_CONFIG_DIR: configDir,
    CFADMIN_EMAIL: EMAIL,
    CFADMIN_SITE: url,
  }
  try {
    return await timeCfadmin(['spaces', 'grant-view', '--all-spaces', '--group', GROUP, '--json'], env)
  } finally {
    rmSync(configDir, {force: true, recursive: true})
  }
}

/** What a simple script does: the same requests, one at a time, waiting as Atlassian asks on 429. */
async function oneAtATime(url: string): Promise<number> {
  const auth = `Basic ${Buffer.from(`${EMAIL}:${TOKEN}`).toString('base64')}`
  const call = async (path: string, init: RequestInit = {}): Promise<Response> => {
    for (;;) {
      const response = await fetch(url + path, {
        ...init,
        headers: {
          accept: 'application/json',
          authorization: auth,
          'content-type': 'application/json',
          'x-atlassian-token': 'no-check',
        },
      })
      if (response.status !== 429) return response
      await new Promise((resolve) => setTimeout(resolve, Number(response.headers.get('retry-after') ?? 1) * 1000))
    }
  }

  const get = async <T>(path: string): Promise<T> => (await call(path)).json() as Promise<T>
  const started = performance.now()
  const {mode} = await get<{mode: string}>('/wiki/api/v2/space-role-mode')
  const roles =
    mode === 'PRE_ROLES'
      ? []
      : (await get<{results: Array<{id: string; name: string}>}>('/wiki/api/v2/space-roles?role-type=SYSTEM')).results
  const viewer = roles.find((r) => r.name === 'Viewer')
  const picked = await get<{results: Array<{id: string; name: string}>}>(
    `/wiki/rest/api/group/picker?query=${encodeURIComponent(GROUP)}`,
  )
  const group = picked.results.find((g) => g.name.toLowerCase() === GROUP)!
  let next: string | undefined = '/wiki/api/v2/spaces?limit=250'
  while (next) {
    const page: {results: Array<{id: string; key: string; type: string}>; _links?: {next?: string}} = await get(next)
    for (const space of page.results.filter((s) => TYPES.has(s.type))) {
      const permissions = await get<{
        results: Array<{principal: {type: string; id: string}; operation: {key: string}}>
      }>(`/wiki/api/v2/spaces/${space.id}/permissions?limit=250`)
      const own = permissions.results.filter((p) => p.principal.type === 'group' && p.principal.id === group.id)
      if (own.some((p) => p.operation.key === 'read')) continue
      if (mode !== 'PRE_ROLES') {
        const assignments = await get<{results: Array<{principal: {principalType: string; principalId: string}}>}>(
          `/wiki/api/v2/spaces/${space.id}/role-assignments?limit=250`,
        )
        if (
          assignments.results.some((a) => a.principal.principalType === 'GROUP' && a.principal.principalId === group.id)
        )
          continue
      }

      await (mode === 'ROLES' || (mode === 'ROLES_TRANSITION' && own.length === 0)
        ? call(`/wiki/api/v2/spaces/${space.id}/role-assignments`, {
            body: JSON.stringify([{principal: {principalId: group.id, principalType: 'GROUP'}, roleId: viewer!.id}]),
            method: 'POST',
          })
        : call(`/wiki/rest/api/space/${encodeURIComponent(space.key)}/permission`, {
            body: JSON.stringify({
              operation: {key: 'read', target: 'space'},
              subject: {identifier: group.id, type: 'group'},
            }),
            method: 'POST',
          }))
    }

    next = page._links?.next
  }

  return (performance.now() - started) / 1000
}

const mode = benchRoleMode()
const seed = withRoleMode(generateSeed({groups: 20, spaces: SPACES, users: 50}), mode)
const options = {latencyMs: LATENCY_MS, rateLimit: {burst: RATE / 10, perSecond: RATE}, seed, validate: false}

/**
 * What a perfect client must send on this site, checking before it changes anything: the role mode (1; every run
 * reads it), the site's roles to find Viewer (1, not on a classic site), the group found with the picker (1), the
 * chosen spaces listed 250 a page, each chosen space's permissions (1 each: the group may hold View itself, custom
 * access on a roles site), and where that permission is missing, the space's role assignments (roles sites: the group
 * may hold a role) and one grant (the APIs take one space a request).
 */
const groupId = seed.groups!.find((g) => g.name === GROUP)!.id
const chosen = seed.spaces!.filter((s) => TYPES.has(s.type ?? 'global') && s.status !== 'archived')
const missing = chosen.filter(
  (s) =>
    !seed.spacePermissions!.some(
      (p) =>
        p.spaceKey === s.key &&
        p.principal.type === 'group' &&
        p.principal.id === groupId &&
        p.operation.key === 'read',
    ),
).length
const roles = mode !== 'PRE_ROLES'
const minimum = 1 + (roles ? 1 : 0) + 1 + Math.ceil(chosen.length / 250) + chosen.length + missing * (roles ? 2 : 1)

const fake = await startFakeAtlassian(options)
const cfadmin = await runCfadmin(fake.url)
const requests = fake.requests.filter((r) => r.status !== 429 && r.status !== 0)
const throttled = fake.requests.filter((r) => r.status === 429).length
const posts = writes(fake, {method: 'POST'})
const postedTwice = posts.length - new Set(posts.map((r) => r.path)).size
const byKind = new Map<string, number>()
for (const r of requests) {
  const kind = `${r.method} ${r.path.replace(/\/spaces\/\d+\//, '/spaces/{id}/').replace(/\/space\/[^/]+\//, '/space/{key}/')}`
  byKind.set(kind, (byKind.get(kind) ?? 0) + 1)
}

await fake.close()

const simpleFake = await startFakeAtlassian(options)
const simpleSeconds = await oneAtATime(simpleFake.url)
const simpleRequests = simpleFake.requests.filter((r) => r.status !== 429).length
await simpleFake.close()

const floor = minimum / RATE
const verdict = (value: number) => (value <= 1.25 ? 'met' : 'NOT met')
console.log(
  `grant-view on ${SPACES.toLocaleString('en-US')} spaces (${chosen.length} chosen, ${missing} without View for the group), role mode ${mode} (BENCH_ROLE_MODE), ${RATE} requests/s allowed, ${LATENCY_MS} ms latency`,
)
console.log(
  `requests: cfadmin ${requests.length} (answered, not 429; ${posts.length} POSTs) vs minimum ${minimum} = ${(requests.length / minimum).toFixed(2)}x (target <= 1.25x: ${verdict(requests.length / minimum)}); 429s met: ${throttled}`,
)
console.log(`floor (minimum / rate):         ${floor.toFixed(2)} s`)
console.log(
  `cfadmin:                        ${cfadmin.seconds.toFixed(2)} s  = ${(cfadmin.seconds / floor).toFixed(2)}x the floor (target <= 1.25x: ${verdict(cfadmin.seconds / floor)}); ${(cfadmin.seconds / (requests.length / RATE)).toFixed(2)}x its own requests / rate`,
)
console.log(
  `one request at a time (script): ${simpleSeconds.toFixed(2)} s  = ${(simpleSeconds / floor).toFixed(2)}x the floor, ${simpleRequests} requests; cfadmin is ${(simpleSeconds / cfadmin.seconds).toFixed(1)}x faster`,
)
console.log(
  `items: ${JSON.stringify(cfadmin.report.counts)}; failed: ${cfadmin.report.counts.failed} (target 0); POSTs accepted twice for one space: ${postedTwice} (target 0)`,
)
console.log('requests by kind:')
for (const [kind, n] of [...byKind].sort((a, b) => b[1] - a[1])) console.log(`  ${String(n).padStart(5)}  ${kind}`)
