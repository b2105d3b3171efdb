import {dirname, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

/** The project root, the built CLI and the test fixtures (sample exports...), for tests. */
export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
export const cliPath = resolve(projectRoot, 'bin/run.js')
export const fixtures = resolve(projectRoot, 'test/fixtures')
