// npm run bench:grant-view
// `cfadmin spaces grant-view --all-spaces --group <g>` on the fake Atlassian with 1,000 spaces, a rate
// limit of 100 requests/s (429 with Retry-After above it) and 20 ms latency. Prints cfadmin's wall time
// against the floor (the requests it needs / the allowed rate) and against a one-at-a-time loop of the
// same requests (what a simple script does), the 429s met, and whether any item failed or any POST was
// accepted twice. Asserts nothing. Needs a build (npm run build).
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {generateSeed, startFakeAtlassian, writes} from '../fake-atlassian/index.js'
import {timeCfadmin} from './run-cfadmin.js'

const SPACES = Number(process.argv[2] ?? 1000)
const RATE = 100
const LATENCY_MS = 20
const GROUP = 'gen-team-0001'
const TOKEN = 'fake-api-token-admin'
const EMAIL = 'admin@acme.example'

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
        headers: {accept: 'application/json', authorization: auth, 'content-type': 'application/json'},
      })
      if (response.status !== 429) return response
      await new Promise((resolve) => setTimeout(resolve, Number(response.headers.get('retry-after') ?? 1) * 1000))
    }
  }

  const started = performance.now()
  const group = (await (await call(`/wiki/rest/api/group/by-name?name=${GROUP}`)).json()) as {id: string}
  let next: string | undefined = '/wiki/api/v2/spaces?limit=250'
  while (next) {
    const page = (await (await call(next)).json()) as {
      results: Array<{id: string; key: string}>
      _links?: {next?: string}
    }
    for (const space of page.results) {
      const permissions = (await (await call(`/wiki/api/v2/spaces/${space.id}/permissions?limit=250`)).json()) as {
        results: Array<{principal: {type: string; id: string}; operation: {key: string}}>
      }
      if (
        permissions.results.some(
          (p) => p.principal.type === 'group' && p.principal.id === group.id && p.operation.key === 'read',
        )
      )
        continue
      await call(`/wiki/rest/api/space/${encodeURIComponent(space.key)}/permission`, {
        body: JSON.stringify({
          operation: {key: 'read', target: 'space'},
          subject: {identifier: group.id, type: 'group'},
        }),
        method: 'POST',
      })
    }

    next = page._links?.next
  }

  return (performance.now() - started) / 1000
}

const seed = generateSeed({groups: 20, spaces: SPACES, users: 50})
const options = {latencyMs: LATENCY_MS, rateLimit: {burst: RATE / 10, perSecond: RATE}, seed, validate: false}

const fake = await startFakeAtlassian(options)
const cfadmin = await runCfadmin(fake.url)
const requests = fake.requests.filter((r) => r.status !== 429 && r.status !== 0)
const throttled = fake.requests.filter((r) => r.status === 429).length
const posts = writes(fake, {method: 'POST'})
const postedTwice = posts.length - new Set(posts.map((r) => r.path)).size
await fake.close()

const simpleFake = await startFakeAtlassian(options)
const simpleSeconds = await oneAtATime(simpleFake.url)
const simpleRequests = simpleFake.requests.filter((r) => r.status !== 429).length
await simpleFake.close()

const floor = requests.length / RATE
console.log(
  `grant-view on ${SPACES.toLocaleString('en-US')} spaces, ${RATE} requests/s allowed, ${LATENCY_MS} ms latency`,
)
console.log(`requests needed (answered, not 429): ${requests.length} (${posts.length} POSTs); 429s met: ${throttled}`)
console.log(`floor (requests / rate):        ${floor.toFixed(2)} s`)
console.log(
  `cfadmin:                        ${cfadmin.seconds.toFixed(2)} s  = ${(cfadmin.seconds / floor).toFixed(2)}x the floor (target <= 1.25x: ${cfadmin.seconds / floor <= 1.25 ? 'met' : 'NOT met'})`,
)
console.log(
  `one request at a time (script): ${simpleSeconds.toFixed(2)} s  = ${(simpleSeconds / floor).toFixed(2)}x the floor, ${simpleRequests} requests; cfadmin is ${(simpleSeconds / cfadmin.seconds).toFixed(1)}x faster`,
)
console.log(
  `items: ${JSON.stringify(cfadmin.report.counts)}; failed: ${cfadmin.report.counts.failed} (target 0); POSTs accepted twice for one space: ${postedTwice} (target 0)`,
)
