import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

import nock from 'nock'

/** Mocha root hooks shared by every test file. */
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
process.env.OCLIF_TEST_ROOT = root
// No test may read or write the real user's profile.
const configDir = mkdtempSync(join(tmpdir(), 'cfadmin-test-config-'))
process.env.CFADMIN_CONFIG_DIR = configDir
delete process.env.DEBUG

export const mochaHooks = {
  beforeAll() {
    nock.disableNetConnect()
    nock.enableNetConnect(/^(127\.0\.0\.1|localhost)(:\d+)?$/)
  },
  afterEach() {
    nock.cleanAll()
  },
  afterAll() {
    rmSync(configDir, {force: true, recursive: true})
  },
}
