import {execFile} from 'node:child_process'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {promisify} from 'node:util'

import {expect} from 'chai'

import {projectRoot} from '../support/paths.js'

/**
 * A clone has nothing beside it: the team's reference shelf next to the working copy is not there for users or CI
 * (see contracts/README.md and docs/ for the copies the project keeps). Written in two pieces so this file does not
 * match itself.
 */
const shelf = new RegExp(['\\.\\.', 'shared(?=[/\\\\`\'")\\s]|$)'].join('[/\\\\]'), 'm')

describe('a clone stands alone', () => {
  it('no tracked file refers to the reference shelf beside the project', async () => {
    const {stdout} = await promisify(execFile)('git', ['ls-files', '-z'], {
      cwd: projectRoot,
      maxBuffer: 64 * 1024 * 1024,
    })
    const files = stdout.split('\0').filter(Boolean)
    expect(files.length).to.be.greaterThan(100)
    const offenders = files.filter((file) => {
      const text = readFileSync(join(projectRoot, file), 'latin1')
      return shelf.test(text)
    })
    expect(offenders).to.deep.equal([])
  })

  it('recognises the references it is there to catch', () => {
    // '^' stands for the two dots, so that this file does not refer to the shelf itself.
    const up = (text: string) => text.replaceAll('^', '..')
    for (const text of ['resolve(root, "^/shared/specs")', 'see `^/shared`.', "'^\\shared\\docs'", '^/shared\n'])
      expect(shelf.test(up(text)), text).to.equal(true)
    for (const text of ['./shared.js', '^/shared-helpers', 'test/support/shared'])
      expect(shelf.test(up(text)), text).to.equal(false)
  })
})
