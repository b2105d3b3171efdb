/**
 * The fake Atlassian as a standalone server, to try cfadmin by hand:
 *   npm run fake-atlassian -- [--seed FILE|NAME] [--port N] [--rate N] [--burst N] [--latency MS] [--no-validate]
 *                              [--spaces N [--users N] [--groups N]]   (adds generated data: generateSeed)
 * Prints the base URL and the environment that points cfadmin at it; logs each request on stderr; Ctrl-C stops it.
 */
import {parseArgs} from 'node:util'

import {generateSeed} from './generate.js'
import {startFakeAtlassian} from './server.js'
import {defaultSeedPath, readSeed} from './state.js'
import type {FakeUser, RecordedRequest} from './types.js'

const usage = `Usage: npm run fake-atlassian -- [--seed FILE|default|two-orgs|site-2026|classic-legacy|transition] [--port N] [--rate N] [--burst N] [--latency MS] [--no-validate] [--spaces N [--users N] [--groups N]]`

function main(): Promise<void> {
  const {values} = parseArgs({
    options: {
      burst: {type: 'string'},
      groups: {type: 'string'},
      help: {short: 'h', type: 'boolean'},
      latency: {type: 'string'},
      'no-validate': {type: 'boolean'},
      port: {type: 'string'},
      rate: {type: 'string'},
      seed: {type: 'string'},
      spaces: {type: 'string'},
      users: {type: 'string'},
    },
    strict: true,
  })
  if (values.help) {
    console.log(usage)
    return Promise.resolve()
  }

  const number = (name: string, text: string | undefined, fallback: number) => {
    if (text === undefined) return fallback
    const n = Number(text)
    if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a number, got "${text}"`)
    return n
  }

  const seedFile = values.seed ?? defaultSeedPath
  const generate = values.spaces !== undefined || values.users !== undefined || values.groups !== undefined
  const seed = generate
    ? generateSeed({
        base: readSeed(seedFile),
        groups: number('groups', values.groups, 20),
        spaces: number('spaces', values.spaces, 1000),
        users: number('users', values.users, 100),
      })
    : readSeed(seedFile)
  const rate = number('rate', values.rate, 0)
  return startFakeAtlassian({
    latencyMs: number('latency', values.latency, 0),
    onRequest: logRequest,
    port: number('port', values.port, 4567),
    rateLimit:
      rate > 0 ? {burst: number('burst', values.burst, Math.max(1, Math.ceil(rate))), perSecond: rate} : undefined,
    seed,
    validate: !values['no-validate'],
  }).then((fake) => {
    const site = fake.state.sites[0]
    const classic = (u: FakeUser) => u.apiTokens.find((t): t is string => typeof t === 'string')
    const admin = fake.state.users.find((u) => u.siteAdmin && u.status === 'active' && classic(u) !== undefined)
    const key = fake.state.adminKeys[0]
    const lines = [
      `Fake Atlassian listening on ${fake.url} (seed: ${seedFile})`,
      `Site URL: ${fake.url}${site ? `  (site name ${site.name}, cloud ID ${site.cloudId})` : ''}`,
      '',
      'Point cfadmin at it (the site, the API gateway / Admin API and the OAuth host are all this URL):',
      `export CFADMIN_API_URL=${fake.url}`,
      `export CFADMIN_AUTH_URL=${fake.url}`,
      `export CFADMIN_SITE=${fake.url}`,
    ]
    if (admin)
      lines.push(`export CFADMIN_EMAIL=${admin.email} CFADMIN_API_TOKEN=${classic(admin)}   # a site admin of the seed`)
    for (const c of fake.state.clientCredentials) {
      const account = fake.state.users.find((u) => u.accountId === c.accountId)
      lines.push(
        `OAuth client credentials of ${account?.email ?? c.accountId}: CFADMIN_CLIENT_SECRET=${c.clientSecret} cfadmin auth login --client-credentials --client-id ${c.clientId} --site ${fake.url}`,
      )
    }
    if (key) lines.push(`export CFADMIN_ADMIN_KEY=${key.key} CFADMIN_ORG_ID=${key.orgIds[0]}`)
    for (const [i, app] of fake.state.oauthApps.entries()) {
      // The seed's values are obviously fake, so printing the secret is fine.
      lines.push(
        '',
        `OAuth 2.0 (3LO) app "${app.name}": authorize at ${fake.url}/authorize, tokens at ${fake.url}/oauth/token`,
        `  client ID ${app.clientId}; client secret ${app.clientSecret} (seed: oauthApps[${i}].clientSecret)`,
        `  callback URLs: ${app.callbackUrls.join(', ')}${app.callbackUrls.some((u) => u.endsWith(':*')) ? '  (host:* = any port and path, a fake-only convenience)' : ''}`,
      )
    }

    lines.push('', `Then e.g.: cfadmin auth login --site ${fake.url}  ·  Ctrl-C stops the server.`)
    console.log(lines.join('\n'))

    let reported = 0
    const reportViolations = () => {
      for (; reported < fake.contractViolations.length; reported++)
        console.error(`  ! ${fake.contractViolations[reported]}`)
    }

    const timer = setInterval(reportViolations, 200)
    const stop = () => {
      clearInterval(timer)
      reportViolations()
      console.error('\nStopping.')
      fake.close().then(
        () => process.exit(0),
        () => process.exit(1),
      )
    }

    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
  })
}

function logRequest(r: RecordedRequest): void {
  const qs = new URLSearchParams()
  for (const [k, v] of Object.entries(r.query)) for (const item of Array.isArray(v) ? v : [v]) qs.append(k, item)
  const query = qs.size > 0 ? `?${qs}` : ''
  const status = r.status === 0 ? 'dropped' : String(r.status)
  console.error(
    `${r.time.slice(11, 23)} ${r.method} ${r.path}${query} -> ${status} [${r.family}${r.fault ? `, ${r.fault}` : ''}] ${r.durationMs} ms`,
  )
}

main().catch((error: unknown) => {
  console.error(`fake-atlassian: ${(error as Error).message}\n${usage}`)
  process.exit(2)
})
