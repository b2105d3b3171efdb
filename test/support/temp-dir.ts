import {mkdtempSync, realpathSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

export interface TempDir {
  /** The folder of the running test (or describe, with `{each: false}`); throws outside one. */
  readonly path: string
}

/**
 * Mocha hooks giving a fresh, empty temporary folder to each test (or, with `{each: false}`, one to the
 * whole describe), removed with everything in it afterwards. Call it inside a describe, before the hooks
 * that use the folder, since mocha runs hooks in the order they are declared.
 */
export function useTempDir(prefix = 'cfadmin-test-', options: {each?: boolean; realpath?: boolean} = {}): TempDir {
  let current: string | undefined
  const make = () => {
    const made = mkdtempSync(join(tmpdir(), prefix))
    current = options.realpath ? realpathSync(made) : made
  }

  const remove = () => {
    if (current) rmSync(current, {force: true, recursive: true})
    current = undefined
  }

  if (options.each === false) {
    before(make)
    after(remove)
  } else {
    beforeEach(make)
    afterEach(remove)
  }

  return {
    get path() {
      if (!current) throw new Error('the temporary folder is used outside a test (it is made in a before hook)')
      return current
    },
  }
}
