import {readdirSync, readFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {expect} from 'chai'

const HTTP_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../../src/lib/http')

/** Each http module and the sibling modules it imports (static imports and re-exports, types included). */
function siblingImports(): Map<string, string[]> {
  const graph = new Map<string, string[]>()
  for (const file of readdirSync(HTTP_DIR).filter((name) => name.endsWith('.ts') && !name.endsWith('.d.ts'))) {
    const text = readFileSync(join(HTTP_DIR, file), 'utf8')
    const targets = [...text.matchAll(/\bfrom '\.\/([\w-]+)\.js'/g)].map((match) => `${match[1]}.ts`)
    graph.set(file, [...new Set(targets)])
  }
  return graph
}

function cycles(graph: Map<string, string[]>): string[] {
  const found: string[] = []
  const visit = (file: string, path: string[]): void => {
    if (path.includes(file)) {
      found.push([...path.slice(path.indexOf(file)), file].join(' -> '))
      return
    }
    for (const next of graph.get(file) ?? []) visit(next, [...path, file])
  }
  for (const file of graph.keys()) visit(file, [])
  return found
}

describe('http modules', () => {
  it('import one another without a cycle (family names and redaction are leaves)', () => {
    const graph = siblingImports()
    expect(graph.get('client.ts'), 'the graph reads the imports').to.include('got-errors.ts')
    expect(cycles(graph)).to.deep.equal([])
    for (const leaf of ['family.ts', 'redact.ts', 'error-body.ts']) expect(graph.get(leaf), leaf).to.deep.equal([])
  })
})
