import {execFile} from 'node:child_process'
import {cpSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join, resolve} from 'node:path'
import {promisify} from 'node:util'

import {expect} from 'chai'

import {projectRoot} from '../support/paths.js'
import {useTempDir} from '../support/temp-dir.js'

const script = resolve(projectRoot, 'scripts/contracts-update.js')

async function update(...args: string[]): Promise<{code: number; stderr: string; stdout: string}> {
  try {
    const {stderr, stdout} = await promisify(execFile)(process.execPath, [script, ...args])
    return {code: 0, stderr, stdout}
  } catch (error) {
    const failed = error as {code: number; stderr: string; stdout: string}
    return {code: failed.code, stderr: failed.stderr, stdout: failed.stdout}
  }
}

const read = (path: string) =>
  JSON.parse(readFileSync(path, 'utf8')) as {paths: Record<string, Record<string, unknown>>}

describe('npm run contracts:update', () => {
  let temp: string
  let into: string
  let from: string

  const folder = useTempDir('cfadmin-contracts-')
  beforeEach(() => {
    temp = folder.path
    into = join(temp, 'contracts')
    from = join(temp, 'downloads')
    cpSync(resolve(projectRoot, 'contracts'), into, {recursive: true})
    mkdirSync(from)
  })

  it('replaces the document a newer copy describes, whatever its file name, and lists the operations added and removed', async () => {
    const newer = read(join(into, 'confluence-v2.openapi.json'))
    delete newer.paths['/space-role-mode']
    newer.paths['/brand-new-things'] = {get: {responses: {200: {description: 'ok'}}}}
    writeFileSync(join(from, 'openapi-v2.v3.json'), JSON.stringify(newer))
    const v1Before = readFileSync(join(into, 'confluence-v1.openapi.json'), 'utf8')

    const result = await update(from, '--into', into)
    expect(result.code, result.stderr).to.equal(0)
    expect(result.stdout).to.contain('confluence-v2.openapi.json <- openapi-v2.v3.json')
    expect(result.stdout).to.contain('+ GET /brand-new-things')
    expect(result.stdout).to.contain('- GET /space-role-mode')
    expect(Object.keys(read(join(into, 'confluence-v2.openapi.json')).paths))
      .to.include('/brand-new-things')
      .and.not.include('/space-role-mode')
    expect(readFileSync(join(into, 'confluence-v1.openapi.json'), 'utf8')).to.equal(v1Before)
  })

  it('with --dry-run shows the change and writes nothing', async () => {
    const newer = read(join(into, 'admin-organization.openapi.json'))
    newer.paths['/v1/orgs/{orgId}/extra'] = {get: {responses: {200: {description: 'ok'}}}}
    writeFileSync(join(from, 'swagger.v3.json'), JSON.stringify(newer))
    const before = readFileSync(join(into, 'admin-organization.openapi.json'), 'utf8')

    const result = await update(from, '--into', into, '--dry-run')
    expect(result.code, result.stderr).to.equal(0)
    expect(result.stdout).to.contain('+ GET /v1/orgs/{orgId}/extra')
    expect(readFileSync(join(into, 'admin-organization.openapi.json'), 'utf8')).to.equal(before)
  })

  it('refuses a file that is not an OpenAPI document, or two copies of one document, and changes nothing (exit 2)', async () => {
    const before = readFileSync(join(into, 'confluence-v2.openapi.json'), 'utf8')
    writeFileSync(join(from, 'a.json'), before)
    writeFileSync(join(from, 'b.json'), '{"not": "an API"}')
    const notOpenApi = await update(from, '--into', into)
    expect(notOpenApi.code).to.equal(2)
    expect(notOpenApi.stderr).to.contain('b.json: not an OpenAPI 3 document')

    writeFileSync(join(from, 'b.json'), before)
    const twice = await update(from, '--into', into)
    expect(twice.code).to.equal(2)
    expect(twice.stderr).to.contain('both describe confluence-v2.openapi.json')
    expect(readFileSync(join(into, 'confluence-v2.openapi.json'), 'utf8')).to.equal(before)
  })
})
