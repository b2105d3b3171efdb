import {readdirSync, readFileSync} from 'node:fs'
import {dirname, join, normalize, relative} from 'node:path'

import {expect} from 'chai'

import {projectRoot} from '../support/paths.js'

/**
 * The one lazy boundary (src/lib/lazy-modules.ts): the packages too slow for an early exit are loaded there, on first
 * use, and only there; everything else is a static import, so what a command loads is what its imports say.
 */
const HEAVY = ['got', 'ajv', 'yaml', 'listr2', 'hpagent', 'proxy-from-env', 'node:http', 'node:https']
const BOUNDARY = 'lib/lazy-modules.ts'
const src = join(projectRoot, 'src')

function sourceFiles(): string[] {
  return readdirSync(src, {recursive: true, withFileTypes: true})
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts'))
    .map((entry) => relative(src, join(entry.parentPath, entry.name)))
}

const text = (file: string) => readFileSync(join(src, file), 'utf8')
const packageOf = (specifier: string) =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/')

/** The modules a file imports for their values (`import type` and `import {type X}`-only lines left out). */
function valueImports(file: string): string[] {
  const found: string[] = []
  for (const match of text(file).matchAll(/^(?:import|export)\s+(type\s+)?([^'";]*?)\s*from\s*'([^']+)'/gm)) {
    const [, typeOnly, names, specifier] = match
    if (typeOnly) continue
    const bindings = names
      .replace(/^\{|\}$/g, '')
      .split(',')
      .map((name) => name.trim())
      .filter(Boolean)
    if (names.startsWith('{') && bindings.every((name) => name.startsWith('type '))) continue
    found.push(specifier)
  }

  for (const match of text(file).matchAll(/^import\s+'([^']+)'/gm)) found.push(match[1])
  return found
}

/** Every package a file loads when it is imported, following cfadmin's own static imports. */
function packagesLoadedBy(file: string, seen = new Set<string>()): Set<string> {
  const packages = new Set<string>()
  if (seen.has(file)) return packages
  seen.add(file)
  for (const specifier of valueImports(file)) {
    if (specifier.startsWith('.')) {
      const target = relative(src, normalize(join(src, dirname(file), specifier))).replace(/\.js$/, '.ts')
      for (const name of packagesLoadedBy(target, seen)) packages.add(name)
    } else {
      packages.add(packageOf(specifier))
    }
  }

  return packages
}

describe('the lazy boundary', () => {
  it('only lib/lazy-modules.ts loads got, ajv, yaml, listr2, hpagent, proxy-from-env, node:http and node:https', () => {
    const offenders = sourceFiles()
      .filter((file) => file !== BOUNDARY)
      .flatMap((file) =>
        valueImports(file)
          .filter((specifier) => HEAVY.includes(packageOf(specifier)))
          .map((specifier) => `${file} imports ${specifier}`),
      )
    expect(offenders).to.deep.equal([])
  })

  it('no other module imports lazily: every other import is static', () => {
    // The export reader's worker bootstrap is code for the worker thread, written as a string, not an import here.
    const allowed = new Set([BOUNDARY, 'lib/csv/parallel-export-reader.ts'])
    const lazy = sourceFiles().filter((file) => !allowed.has(file) && /\bimport\(\s*['`]/.test(text(file)))
    expect(lazy).to.deep.equal([])
  })

  it('loading any command loads none of them: a usage error or a refused input never pays for them', () => {
    const commands = sourceFiles().filter((file) => file.startsWith('commands/'))
    expect(commands.length).to.be.greaterThan(10)
    const heavyLoads = commands.flatMap((file) =>
      [...packagesLoadedBy(file)].filter((name) => HEAVY.includes(name)).map((name) => `${file} loads ${name}`),
    )
    expect(heavyLoads).to.deep.equal([])
  })

  it('the walk sees through cfadmin modules to the packages they load', () => {
    // Guards the test above against a walk that finds nothing: the plan reader reaches the boundary, which loads
    // nothing at import time, while the HTTP client reaches Node's timers through the retry module.
    expect([...packagesLoadedBy('lib/http/client.ts')]).to.include('node:timers')
    expect([...packagesLoadedBy('lib/setup/plan/plan.ts')]).not.to.include('yaml')
  })
})
