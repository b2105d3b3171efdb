/**
 * The one lazy boundary. What only a request, a plan or a progress display needs is loaded here, on first use, and
 * nowhere else: an early exit (a usage error, a refused input) never pays for it. Every other module, cfadmin's
 * own included, is a normal static import, so what a command loads is what its imports say.
 *
 * Load cost measured after oclif's own start (Node 20, 2 cores): got 105–155 ms, ajv 40–70 ms, yaml 30–50 ms,
 * listr2 20–25 ms, node:https 14 ms, proxy-from-env 13 ms, hpagent 13 ms, node:http 10 ms.
 * `test/architecture/lazy-boundary.test.ts` and ESLint keep them from being imported anywhere else.
 */
import {createRequire} from 'node:module'

function once<T>(load: () => T): () => T {
  let loaded: {value: T} | undefined
  return () => (loaded ??= {value: load()}).value
}

// ESM-only or large packages: loaded asynchronously where the work starts.

/** got: every HTTP client (http/client.ts). */
export const loadGot = once(async () => (await import('got')).default)

/** ajv: the plan's JSON-schema check (setup/plan/schema.ts). */
export const loadAjv = once(async () => (await import('ajv')).Ajv)

/** yaml: the plan reader (setup/plan/source.ts). */
export const loadYaml = once(() => import('yaml'))

/** listr2: the terminal progress display (engine/progress.ts). */
export const loadListr = once(() => import('listr2'))

// What a request needs while got sends it, from code that cannot wait (got's request hooks): loaded synchronously,
// and only ever after got, which has loaded Node's own network modules already (or, for node:http, by the OAuth
// login's callback server).
const require = createRequire(import.meta.url)

export const nodeHttp = once(() => require('node:http') as typeof import('node:http'))
export const nodeHttps = once(() => require('node:https') as typeof import('node:https'))
/** The proxy variables' rules (http/proxy.ts). */
export const proxyFromEnv = once(() => require('proxy-from-env') as typeof import('proxy-from-env'))
/** The CONNECT tunnel through an HTTPS proxy (http/proxy.ts). */
export const hpagent = once(() => require('hpagent') as typeof import('hpagent'))
