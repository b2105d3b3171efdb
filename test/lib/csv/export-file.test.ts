import {writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {expect} from 'chai'

import {readExport} from '../../../src/lib/csv/export-file.js'
import type {ExportUser} from '../../../src/lib/csv/export-parser.js'
import {PARALLEL_MIN_BYTES} from '../../../src/lib/csv/parallel-export-reader.js'
import {useTempDir} from '../../support/temp-dir.js'

async function readAll(path: string, threads: number): Promise<ExportUser[]> {
  const {users} = await readExport(path, threads)
  const all: ExportUser[] = []
  for await (const batch of users) all.push(...batch)
  return all
}

describe('opening an export', () => {
  let dir: string
  const temp = useTempDir('cfadmin-export-file-')
  beforeEach(() => {
    dir = temp.path
  })

  it('reads a file above the parallel threshold with two threads exactly as with one', async function () {
    this.timeout(60_000)
    const file = join(dir, 'large.csv')
    const row = (i: number) =>
      `557058:${i.toString(16).padStart(32, '0')},"Name, ${i}",user.${i}@x.example,${i % 50 === 0 ? 'Suspended' : 'Active'},3 Jan 2024,,Never accessed\n`
    const rows: string[] = ['User id,User name,email,User status,Added to org,Org role,Last seen in Confluence - x\n']
    let bytes = 0
    for (let i = 0; bytes <= PARALLEL_MIN_BYTES; i++) {
      rows.push(row(i))
      bytes += rows.at(-1)!.length
    }

    writeFileSync(file, rows.join(''))
    const parallel = await readAll(file, 2)
    expect(parallel).to.have.length(rows.length - 1)
    expect(parallel).to.deep.equal(await readAll(file, 1))
  })

  it('names standard input "standard input" in messages', async () => {
    const {close, source} = await readExport('-', 2)
    expect(source).to.equal('standard input')
    await close()
  })
})
