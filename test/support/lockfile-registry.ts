/**
 * A registry on 127.0.0.1 that knows only the packages of a lockfile (npm-shrinkwrap.json), so a test can run a real
 * `npm install` with no network. npm needs a package document ("packument") for each dependency range it resolves,
 * and `npm ci` caches only the tarballs, not those documents. This server builds them from the lockfile's entries;
 * the tarballs themselves come from npm's cache, which npm looks up by integrity before asking any server. A tarball
 * request reaching this server therefore means the cache lacks it: it answers 404, and the install fails saying so.
 */
import {readFileSync} from 'node:fs'
import {createServer, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'

interface LockEntry {
  version?: string
  integrity?: string
  dev?: boolean
  link?: boolean
  [field: string]: unknown
}

/** The fields of a lockfile entry that npm reads from a version's manifest. */
const MANIFEST_FIELDS = [
  'bin',
  'cpu',
  'dependencies',
  'engines',
  'libc',
  'optionalDependencies',
  'os',
  'peerDependencies',
  'peerDependenciesMeta',
]

export interface LockfileRegistry {
  /** e.g. http://127.0.0.1:40123/ */
  url: string
  /** Paths asked for, in order. */
  requests: string[]
  close(): Promise<void>
}

export async function startLockfileRegistry(lockfile: string): Promise<LockfileRegistry> {
  const {packages} = JSON.parse(readFileSync(lockfile, 'utf8')) as {packages: Record<string, LockEntry>}
  const documents = new Map<string, {name: string; 'dist-tags': {latest: string}; versions: Record<string, object>}>()
  const requests: string[] = []
  let base = ''
  for (const [path, entry] of Object.entries(packages)) {
    const name = path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length)
    if (!path || entry.link || !entry.version || !entry.integrity) continue
    const document = documents.get(name) ?? {'dist-tags': {latest: entry.version}, name, versions: {}}
    const manifest: Record<string, unknown> = {name, version: entry.version}
    for (const field of MANIFEST_FIELDS) if (entry[field] !== undefined) manifest[field] = entry[field]
    const file = `${name.split('/').pop()}-${entry.version}.tgz`
    manifest.dist = {
      integrity: entry.integrity,
      get tarball() {
        return `${base}${name}/-/${file}`
      },
    }
    document.versions[entry.version] = manifest
    documents.set(name, document)
  }

  const server: Server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://registry').pathname).slice(1)
    requests.push(path)
    const document = documents.get(path)
    if (!document) {
      response
        .writeHead(404, {'content-type': 'application/json'})
        .end(JSON.stringify({error: `not in the lockfile: ${path}`}))
      return
    }

    response.writeHead(200, {'content-type': 'application/json'}).end(JSON.stringify(document))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
  return {
    close: () => new Promise((resolve) => server.close(() => resolve())),
    requests,
    url: base,
  }
}
