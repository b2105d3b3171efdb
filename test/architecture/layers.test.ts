import {readdirSync, readFileSync} from 'node:fs'
import {dirname, join, normalize, relative} from 'node:path'

import {expect} from 'chai'

import {projectRoot} from '../support/paths.js'

/**
 * The layers of src/, top to bottom (docs/architecture.md). A module may import its own layer or any below it,
 * never one above; and two places of one layer may not import each other both ways.
 */
const LAYERS: ReadonlyArray<readonly string[]> = [
  ['commands', 'hooks'],
  ['lib/command', 'lib/access-command', 'lib/command-deps', 'lib/help', 'lib/unknown-command'],
  ['lib/setup', 'lib/doctor'],
  ['lib/access', 'lib/auth', 'lib/export-map', 'lib/coverage'],
  ['lib/session'],
  [
    'lib/oauth',
    'lib/api',
    'lib/engine',
    'lib/csv',
    'lib/terminal-io',
    'lib/checkpoint',
    'lib/account-table',
    'lib/progress-line',
  ],
  ['lib/http', 'lib/files', 'lib/prompt', 'lib/secret-input', 'lib/output'],
  ['lib/errors', 'lib/text', 'lib/domain', 'lib/lazy-modules'],
]

/** A source file's place: its top folder under src/lib (or src/), or its own name for a file directly in src/lib. */
function placeOf(file: string): string {
  const parts = file.split('/')
  if (parts[0] !== 'lib') return parts[0]
  return parts.length === 2 ? `lib/${parts[1].replace(/\.(d\.ts|ts|js)$/, '')}` : `lib/${parts[1]}`
}

function layerOf(place: string): number {
  const layer = LAYERS.findIndex((places) => places.includes(place))
  if (layer === -1) throw new Error(`${place} has no layer: add it to LAYERS and to docs/architecture.md`)
  return layer
}

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, {recursive: true, withFileTypes: true})
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name))
}

/** Every relative import of src/, static or dynamic, as [from place, to place, file]. */
function imports(): Array<{file: string; from: string; to: string}> {
  const src = join(projectRoot, 'src')
  const found: Array<{file: string; from: string; to: string}> = []
  for (const path of sourceFiles(src)) {
    const file = relative(src, path)
    for (const match of readFileSync(path, 'utf8').matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)) {
      const target = relative(src, normalize(join(dirname(path), match[1])))
      if (target.startsWith('..')) continue
      const [from, to] = [placeOf(file), placeOf(target)]
      if (from !== to) found.push({file, from, to})
    }
  }

  return found
}

/** The imports that reach a layer above their own, as "file imports place". */
const upward = (found: ReturnType<typeof imports>) =>
  found.filter(({from, to}) => layerOf(to) < layerOf(from)).map(({file, to}) => `${file} imports ${to}`)

describe('the layers of src/', () => {
  it('no module imports a layer above its own', () => {
    expect(upward(imports())).to.deep.equal([])
  })

  it('no two places of one layer import each other', () => {
    const edges = new Set(imports().map(({from, to}) => `${from} -> ${to}`))
    const both = [...edges].filter((edge) => {
      const [from, to] = edge.split(' -> ')
      return from < to && edges.has(`${to} -> ${from}`)
    })
    expect(both).to.deep.equal([])
  })

  it('sees an upward import when there is one, and reads the imports it judges', () => {
    const plan = {
      file: 'lib/setup/plan/plan.ts',
      from: placeOf('lib/setup/plan/plan.ts'),
      to: placeOf('commands/setup.ts'),
    }
    const domain = {file: 'lib/domain.ts', from: placeOf('lib/domain.ts'), to: placeOf('lib/access/spaces.ts')}
    expect(upward([plan, domain])).to.deep.equal([
      'lib/setup/plan/plan.ts imports commands',
      'lib/domain.ts imports lib/access',
    ])
    expect(imports().length).to.be.greaterThan(100)
  })
})
