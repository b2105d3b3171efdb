import {readFileSync, writeFileSync} from 'node:fs'
import {dirname, join} from 'node:path'

import {expect} from 'chai'

import {CfadminError} from '../../../src/lib/errors.js'
import {loadSavedCoverage, saveCoverage, savedCoveragePath} from '../../../src/lib/coverage/saved.js'
import {useTempDir} from '../../support/temp-dir.js'
import {coverageOf, row} from './fixtures.js'

describe('coverage: the last run kept in the config folder', () => {
  const temp = useTempDir('cfadmin-coverage-')

  it('keeps one file per site and principal, named so an account ID cannot leave the folder', () => {
    const user = savedCoveragePath(temp.path, 'cloud-1', {id: '712020:../../x', label: 'a', type: 'user'})
    const group = savedCoveragePath(temp.path, 'cloud-1', {id: '712020:../../x', label: 'a', type: 'group'})
    const other = savedCoveragePath(temp.path, 'cloud-2', {id: '712020:../../x', label: 'a', type: 'user'})
    expect(new Set([user, group, other]).size).to.equal(3)
    expect(dirname(user)).to.equal(join(temp.path, 'coverage', 'cloud-1'))
    expect(user).to.match(/\/user-712020_+x-[0-9a-f]{10}\.json$/)
  })

  it('has nothing for a principal never run, and gives back what was saved', async () => {
    const path = savedCoveragePath(temp.path, 'cloud-1', {id: 'g1', label: 'crawlers', type: 'group'})
    expect(await loadSavedCoverage(path)).to.equal(undefined)
    const coverage = coverageOf([row('ENG', 'yes', {through: 'role Viewer', via: 'role'}), row('HR', 'no')])
    await saveCoverage(path, coverage)
    const saved = await loadSavedCoverage(path)
    expect(saved?.at).to.equal(coverage.at)
    expect(saved?.spaces).to.deep.equal([
      {archived: false, id: 'id-ENG', key: 'ENG', name: 'ENG space', through: 'role Viewer', type: 'global', view: 'yes'},
      {archived: false, id: 'id-HR', key: 'HR', name: 'HR space', type: 'global', view: 'no'},
    ])
    await saveCoverage(path, coverageOf([]))
    expect((await loadSavedCoverage(path))?.spaces).to.deep.equal([])
  })

  it('refuses a saved file it cannot read with exit 2, naming the file and the fix', async () => {
    const path = join(temp.path, 'broken.json')
    writeFileSync(path, '{"version": 1, "spaces": ')
    const error = await loadSavedCoverage(path).catch((error_: unknown) => error_)
    expect(error).to.be.instanceOf(CfadminError)
    expect((error as CfadminError).exit).to.equal(2)
    expect((error as CfadminError).message).to.include(path)
    expect((error as CfadminError).hint).to.match(/Delete that file/)
    writeFileSync(path, JSON.stringify({version: 99}))
    expect(((await loadSavedCoverage(path).catch((e: unknown) => e)) as Error).message).to.match(/version 1/)
    expect(readFileSync(path, 'utf8')).to.include('99')
  })
})
