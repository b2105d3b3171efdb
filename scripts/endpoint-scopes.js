// Writes src/lib/oauth/endpoint-scopes.ts: for each Confluence endpoint cfadmin calls, the OAuth scopes the official
// API documents in contracts/ list for it. cfadmin names them when the gateway refuses a call for its scopes
// ("scope does not match"), without shipping the 3 MB documents:
//
//   node scripts/endpoint-scopes.js            (then: npx prettier --write src/lib/oauth/endpoint-scopes.ts)
//   node scripts/endpoint-scopes.js --print    (the table as JSON on stdout, nothing written)
//
// test/lib/oauth/endpoint-scopes.test.ts checks the written table against the documents and against the calls of
// src/lib/api, so a new call or a refreshed document that changes a scope fails the tests until this is run again.
import {readFileSync, writeFileSync} from 'node:fs'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')

/** The Confluence endpoints cfadmin calls (src/lib/api), as "METHOD /path/template" on the site. */
export const ENDPOINTS = [
  'GET /wiki/rest/api/user/current',
  'GET /wiki/rest/api/user',
  'GET /wiki/rest/api/user/memberof',
  'GET /wiki/rest/api/group',
  'POST /wiki/rest/api/group',
  'GET /wiki/rest/api/group/picker',
  'POST /wiki/rest/api/group/userByGroupId',
  'GET /wiki/rest/api/group/{groupId}/membersByGroupId',
  'POST /wiki/rest/api/space/{spaceKey}/permission',
  'POST /wiki/api/v2/user/access/invite-by-email',
  'POST /wiki/api/v2/user/access/check-access-by-email',
  'GET /wiki/api/v2/spaces',
  'GET /wiki/api/v2/spaces/{id}/permissions',
  // Not called by src/lib/api: cfadmin doctor sends it as a crawler would (src/lib/doctor/connector-calls.ts).
  'GET /wiki/api/v2/spaces/{id}/pages',
  'GET /wiki/rest/api/content/{id}/restriction/byOperation',
  'GET /wiki/api/v2/admin-key',
  'POST /wiki/api/v2/admin-key',
  'DELETE /wiki/api/v2/admin-key',
  'GET /wiki/api/v2/space-role-mode',
  'GET /wiki/api/v2/space-roles',
  'GET /wiki/api/v2/spaces/{id}/role-assignments',
  'POST /wiki/api/v2/spaces/{id}/role-assignments',
]

const V2 = '/wiki/api/v2'

/**
 * endpoint -> {scopes, beta?}: `scopes` are the operation's OAuth scopes in `security` (the "Current" ones), `beta` the
 * granular set `x-atlassian-oauth2-scopes` offers beside them (state "Beta"), when there is one. An endpoint the
 * documents give no OAuth scope has `scopes: []`.
 */
export function endpointScopes(contractsDir = join(root, 'contracts'), endpoints = ENDPOINTS) {
  const v1 = JSON.parse(readFileSync(join(contractsDir, 'confluence-v1.openapi.json'), 'utf8'))
  const v2 = JSON.parse(readFileSync(join(contractsDir, 'confluence-v2.openapi.json'), 'utf8'))
  const table = {}
  for (const endpoint of endpoints) {
    const [method, path] = endpoint.split(' ')
    const [document, specPath] = path.startsWith(V2) ? [v2, path.slice(V2.length)] : [v1, path]
    const operation = document.paths?.[specPath]?.[method.toLowerCase()]
    if (!operation) throw new Error(`${endpoint} is in no document of ${contractsDir}`)
    const scopes = (operation.security ?? []).flatMap((entry) => entry.oAuthDefinitions ?? [])
    const beta = (operation['x-atlassian-oauth2-scopes'] ?? []).find((entry) => entry.state === 'Beta')?.scopes
    table[endpoint] = beta ? {beta: [...beta], scopes: [...scopes]} : {scopes: [...scopes]}
  }

  return table
}

function render(table) {
  const entries = Object.entries(table).map(
    ([endpoint, scopes]) => `  ${JSON.stringify(endpoint)}: ${JSON.stringify(scopes)},`,
  )
  return `// Written by scripts/endpoint-scopes.js from contracts/ (the official API documents): do not edit by hand.
import type {EndpointScopes} from './scope-advice.js'

/** The OAuth scopes the official documents list for each Confluence endpoint cfadmin calls. */
export const ENDPOINT_SCOPES: Readonly<Record<string, EndpointScopes>> = {
${entries.join('\n')}
}
`
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--print')) {
    // For the test: the table as JSON, without writing it.
    console.log(JSON.stringify(endpointScopes()))
    process.exit(0)
  }

  const target = join(root, 'src/lib/oauth/endpoint-scopes.ts')
  writeFileSync(target, render(endpointScopes()))
  console.log(`wrote ${target}`)
}
