import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

import nock from 'nock'

import {contractChecksPending, endTestExemption, takeContractProblems, watchInterceptedRequests} from './nock.js'
import {PROXY_VARIABLES} from './recording-proxy.js'

/** Mocha root hooks shared by every test file. */
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
process.env.OCLIF_TEST_ROOT = root
// No test may read or write the real user's profile.
const configDir = mkdtempSync(join(tmpdir(), 'cfadmin-test-config-'))
process.env.CFADMIN_CONFIG_DIR = configDir
delete process.env.DEBUG
// A proxy set on the machine running the tests would carry their requests to 127.0.0.1 off to that proxy (and
// the CLI children inherit it): the proxy variables are cleared for the run and put back after it. The proxy
// tests set their own, per test (recording-proxy.ts setProxyEnv).
const machineProxyVariables = PROXY_VARIABLES.filter((name) => process.env[name] !== undefined).map(
  (name) => [name, process.env[name]!] as const,
)
for (const name of PROXY_VARIABLES) delete process.env[name]
watchInterceptedRequests()

const offContract = (problems: string[]) =>
  new Error(
    `off-contract request(s) answered by nock (see test/support/nock.ts to exempt one on purpose):\n  ${problems.join('\n  ')}`,
  )

export const mochaHooks = {
  beforeAll() {
    nock.disableNetConnect()
    nock.enableNetConnect(/^(127\.0\.0\.1|localhost|\[?::1]?)(:\d+)?$/) // loopback only, IPv6 (::1) included
  },
  async afterEach(this: Mocha.Context) {
    nock.cleanAll()
    endTestExemption()
    if (!contractChecksPending()) return
    this.timeout(60_000) // the first check of a process loads the contracts
    const problems = await takeContractProblems()
    // Hook#error hands the error to the test that just ran: that test fails, and the next ones still run (a hook
    // that throws would stop the rest of the file).
    if (problems.length > 0) (this.test as Mocha.Hook).error(offContract(problems))
  },
  async afterAll(this: Mocha.Context) {
    rmSync(configDir, {force: true, recursive: true})
    for (const [name, value] of machineProxyVariables) process.env[name] = value
    // Requests sent from after() hooks, which no afterEach saw.
    if (!contractChecksPending()) return
    this.timeout(60_000)
    const problems = await takeContractProblems()
    if (problems.length > 0) throw offContract(problems)
  },
}
