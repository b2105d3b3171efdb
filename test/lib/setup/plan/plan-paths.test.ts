import {execFileSync} from 'node:child_process'
import {linkSync, mkdirSync, readFileSync, symlinkSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {expect} from 'chai'

import {looksLikeCfadminMap, MAP_FORMATS, mapSerializer} from '../../../../src/lib/csv/map-format.js'
import type {CfadminError} from '../../../../src/lib/errors.js'
import {loadPlan} from '../../../../src/lib/setup/plan/plan.js'
import {mapMayBeReplaced} from '../../../../src/lib/setup/plan/plan-paths.js'
import {PLAN_MAX_BYTES} from '../../../../src/lib/setup/plan/source.js'
import {rejectionOf} from '../../../support/rejection.js'
import {useTempDir} from '../../../support/temp-dir.js'

const EXPORT = 'User id,email,User status\nu1,ada@acme.example,Active\n'

describe('setup plan: the files exportMap may touch', () => {
  let root: string
  let dir: string
  let plan: string
  const temp = useTempDir('cfadmin-plan-paths-', {realpath: true})
  beforeEach(() => {
    root = temp.path
    dir = join(root, 'plans')
    mkdirSync(dir)
    plan = join(dir, 'plan.yaml')
    writeFileSync(join(dir, 'export.csv'), EXPORT)
  })

  /** Writes a plan with only an exportMap and returns loadPlan's exit-2 error. */
  const refusal = async (from: string, to: string) => {
    writeFileSync(plan, `exportMap: {from: ${JSON.stringify(from)}, to: ${JSON.stringify(to)}}\n`)
    const error = await rejectionOf<CfadminError>(loadPlan(plan))
    expect(error).to.include({code: 'PLAN_INVALID', exit: 2})
    return error.message
  }

  const accepted = async (from: string, to: string) => {
    writeFileSync(plan, `exportMap: {from: ${JSON.stringify(from)}, to: ${JSON.stringify(to)}}\n`)
    return loadPlan(plan)
  }

  it('"from: api" names the Admin API, not a file: no export is looked for, and exportMap.to is still confined', async () => {
    const loaded = await accepted('api', 'map.csv')
    expect(loaded.exportMapPaths).to.deep.equal({from: undefined, to: join(dir, 'map.csv')})
    expect(await refusal('api', '../map.csv')).to.include("is outside the plan's folder")
    writeFileSync(join(dir, 'api'), EXPORT)
    expect((await accepted('./api', 'map.csv')).exportMapPaths).to.deep.equal({
      from: join(dir, 'api'),
      to: join(dir, 'map.csv'),
    })
  })

  it('a plan cannot write outside its folder: an absolute path or ../ escape in exportMap.to is refused before anything is written', async () => {
    const victim = join(root, '.bashrc')
    writeFileSync(victim, 'export PATH=/usr/bin\n')
    for (const to of [victim, '../.bashrc', 'sub/../../.bashrc', '/tmp/cfadmin-plan-escape.csv']) {
      expect(await refusal('export.csv', to))
        .to.include(`${plan}:1:`)
        .and.to.include("is outside the plan's folder")
    }

    expect(readFileSync(victim, 'utf8')).to.equal('export PATH=/usr/bin\n')
  })

  it('a plan cannot read outside its folder: absolute paths, ../ and symlinks out of it are refused for exportMap.from', async () => {
    writeFileSync(join(root, 'secrets.csv'), 'User id,email\nu9,root@acme.example\n')
    symlinkSync(join(root, 'secrets.csv'), join(dir, 'innocent.csv'))
    symlinkSync('/proc/self/environ', join(dir, 'environ.csv'))
    for (const from of [
      join(root, 'secrets.csv'),
      '../secrets.csv',
      'innocent.csv',
      'environ.csv',
      '/proc/self/environ',
      '/etc/passwd',
    ]) {
      expect(await refusal(from, 'map.csv'), from)
        .to.include('exportMap.from')
        .and.to.include("is outside the plan's folder")
    }
  })

  it('a plan cannot write through a symlink that leads out of its folder', async () => {
    writeFileSync(join(root, 'profile'), 'keep me\n')
    symlinkSync(join(root, 'profile'), join(dir, 'map.csv'))
    mkdirSync(join(root, 'elsewhere'))
    symlinkSync(join(root, 'elsewhere'), join(dir, 'out'))
    expect(await refusal('export.csv', 'map.csv')).to.include('exportMap.to "map.csv" is outside the plan\'s folder')
    expect(await refusal('export.csv', 'out/map.csv')).to.include(
      'exportMap.to "out/map.csv" is outside the plan\'s folder',
    )
    expect(readFileSync(join(root, 'profile'), 'utf8')).to.equal('keep me\n')
  })

  it('refuses a map written over its own export or over the plan, however the path is spelled', async () => {
    expect(await refusal('export.csv', 'export.csv')).to.include('is the export it is made from')
    expect(await refusal('export.csv', './sub/../export.csv')).to.include('is the export it is made from')
    linkSync(join(dir, 'export.csv'), join(dir, 'hard-link.csv'))
    expect(await refusal('export.csv', 'hard-link.csv')).to.include('is the export it is made from')
    expect(await refusal('export.csv', 'plan.yaml')).to.include('is the plan file itself')
    expect(await refusal('plan.yaml', 'map.csv')).to.include('exportMap.from "plan.yaml" is the plan file itself')
  })

  it('replaces an existing exportMap.to only when it is a map cfadmin wrote', async () => {
    writeFileSync(join(dir, 'notes.csv'), 'name,phone\nAda,555\n')
    expect(await refusal('export.csv', 'notes.csv')).to.include(
      'exportMap.to "notes.csv" exists and is not a map cfadmin wrote, so it is not replaced: move it away or give another file name',
    )
    for (const format of MAP_FORMATS) {
      const serializer = mapSerializer(format)
      const text =
        serializer.begin() +
        serializer.entry('u1', 'ada@acme.example', true) +
        serializer.entry('u2', 'bob@acme.example', false) +
        serializer.end(false)
      writeFileSync(join(dir, `old-map.${format}`), text)
      const {exportMapPaths} = await accepted('export.csv', `old-map.${format}`)
      expect(exportMapPaths).to.deep.equal({from: join(dir, 'export.csv'), to: join(dir, `old-map.${format}`)})
    }
  })

  it('refuses /dev/zero, a FIFO and a folder as exportMap.from before reading a byte', async () => {
    mkdirSync(join(dir, 'folder'))
    execFileSync('mkfifo', [join(dir, 'pipe.csv')])
    symlinkSync('/dev/zero', join(dir, 'zero.csv'))
    // A FIFO nobody writes to would block a reader forever: the check must not open it.
    expect(await refusal('pipe.csv', 'map.csv')).to.include(
      'exportMap.from "pipe.csv" is a named pipe (FIFO), not a regular file',
    )
    expect(await refusal('folder', 'map.csv')).to.include('exportMap.from "folder" is a folder, not a regular file')
    // /dev/zero through a link inside the folder: outside once resolved.
    expect(await refusal('zero.csv', 'map.csv')).to.include("is outside the plan's folder")
    expect(await refusal('/dev/zero', 'map.csv')).to.include("is outside the plan's folder")
  })

  it('refuses an exportMap.to that is a folder, a FIFO, or in a folder that does not exist', async () => {
    mkdirSync(join(dir, 'folder'))
    execFileSync('mkfifo', [join(dir, 'pipe.csv')])
    expect(await refusal('export.csv', 'folder')).to.include('exportMap.to "folder" is a folder')
    expect(await refusal('export.csv', 'pipe.csv')).to.include('exportMap.to "pipe.csv" is a named pipe (FIFO)')
    expect(await refusal('export.csv', 'missing/map.csv'))
      .to.include('the folder')
      .and.to.include('does not exist')
  })

  it('accepts paths inside the folder, through subfolders and symlinks that stay inside, and gives their real paths', async () => {
    mkdirSync(join(dir, 'maps'))
    symlinkSync(join(dir, 'export.csv'), join(dir, 'latest.csv'))
    const {exportMapPaths} = await accepted('latest.csv', 'maps/../maps/map.json')
    expect(exportMapPaths).to.deep.equal({from: join(dir, 'export.csv'), to: join(dir, 'maps/map.json')})
    const absolute = await accepted(join(dir, 'export.csv'), join(dir, 'map.csv'))
    expect(absolute.exportMapPaths).to.deep.equal({from: join(dir, 'export.csv'), to: join(dir, 'map.csv')})
  })

  it('quotes a hostile path only as a short escaped excerpt', async () => {
    const hostile = `../${'x'.repeat(5000)}\u001b]0;pwned\u0007.csv`
    const message = await refusal('export.csv', hostile)
    expect(message).to.not.include('\u001b').and.to.not.include('x'.repeat(200))
    expect(message.length).to.be.below(1000)
  })

  it('reads at most 1 MB of a plan, and refuses one that is not UTF-8', async () => {
    writeFileSync(plan, `users:\n${'  - email: a@acme.example\n'.repeat(PLAN_MAX_BYTES / 20)}`)
    const big = await rejectionOf<CfadminError>(loadPlan(plan))
    expect(big).to.include({code: 'INPUT_TOO_LARGE', exit: 2})
    expect(big.message).to.equal(`The plan ${plan} is larger than 1 MB, the most cfadmin reads from it.`)
    // /dev/zero as the plan ends at the limit rather than never.
    expect(await rejectionOf<CfadminError>(loadPlan('/dev/zero'))).to.include({code: 'INPUT_TOO_LARGE', exit: 2})
    writeFileSync(
      plan,
      Buffer.concat([Buffer.from('users:\n  - email: caf'), Buffer.from([0xe9]), Buffer.from('@acme.example\n')]),
    )
    const latin1 = await rejectionOf<CfadminError>(loadPlan(plan))
    expect(latin1).to.include({code: 'INPUT_NOT_UTF8', exit: 2})
    expect(latin1.message).to.equal(`The plan ${plan} is not UTF-8 text: line 2 has bytes that are not UTF-8.`)
  })

  it('checks again, right before writing, that the map may replace what is there now', () => {
    writeFileSync(join(dir, 'map.csv'), 'accountId,email\nu1,a@b.example\n')
    writeFileSync(join(dir, 'swapped.csv'), 'export PATH=/tmp:$PATH\n')
    execFileSync('mkfifo', [join(dir, 'pipe.csv')])
    expect([join(dir, 'new.csv'), join(dir, 'map.csv')].map(mapMayBeReplaced)).to.deep.equal([true, true])
    expect([join(dir, 'swapped.csv'), join(dir, 'pipe.csv'), dir].map(mapMayBeReplaced)).to.deep.equal([
      false,
      false,
      false,
    ])
  })

  it('recognises each map format cfadmin writes, and nothing else', () => {
    for (const format of MAP_FORMATS) {
      const serializer = mapSerializer(format)
      expect(looksLikeCfadminMap(serializer.begin() + serializer.end(true)), `${format} empty`).to.equal(true)
      expect(
        looksLikeCfadminMap(
          serializer.begin() + serializer.entry('557058:f5', 'a@b.example', true) + serializer.end(false),
        ),
        format,
      ).to.equal(true)
    }

    for (const other of [
      '#!/bin/sh\n',
      '{\n  "name": "pkg",\n  "version": 1\n}\n',
      '{"accountId":"u1","email":"a@b","extra":1}\n',
      'accountId,email,password\n',
      '[]\n',
      '{',
    ]) {
      expect(looksLikeCfadminMap(other), other).to.equal(false)
    }
  })
})
