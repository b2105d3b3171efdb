// Refreshes the official API documents in contracts/ from newer copies in a folder:
//
//   npm run contracts:update -- <folder> [--into <contracts folder>] [--dry-run]
//
// Each JSON file of <folder> is matched to one of ours by the API it describes (its paths), not by its name, since
// Atlassian's downloads are all called swagger.v3.json or similar. A match must be an OpenAPI 3 document with
// operations; if any file that matches is unfit, nothing is replaced. Replacements are atomic (temp file, rename).
// Prints, per document, the operations added and removed, so a reviewer sees what changed for cfadmin and the fake.
import {readdirSync, readFileSync, renameSync, statSync, writeFileSync} from 'node:fs'
import {basename, dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import {parseArgs} from 'node:util'

const METHODS = new Set(['delete', 'get', 'head', 'options', 'patch', 'post', 'put', 'trace'])
/** A larger file is not an API document we want to read whole. */
const MAX_BYTES = 50 * 1024 * 1024

/** Our documents, each recognised by the paths only it has. */
const DOCUMENTS = [
  {file: 'confluence-v1.openapi.json', is: (paths) => paths.some((p) => p.startsWith('/wiki/rest/api/'))},
  {file: 'confluence-v2.openapi.json', is: (paths) => paths.includes('/spaces') && paths.includes('/pages')},
  {file: 'admin-organization.openapi.json', is: (paths) => paths.some((p) => /^\/v[12]\/orgs(\/|$)/.test(p))},
]

class BadInput extends Error {}

/** "GET /spaces/{id}" for every operation of a document. */
export function operationsOf(document) {
  const operations = []
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const method of Object.keys(item ?? {}))
      if (METHODS.has(method)) operations.push(`${method.toUpperCase()} ${path}`)
  }

  return operations.sort()
}

function readDocument(path) {
  const {size} = statSync(path)
  if (size > MAX_BYTES)
    throw new BadInput(`${path}: ${size} bytes is more than an API document should be (at most ${MAX_BYTES})`)
  let document
  try {
    document = JSON.parse(readFileSync(path, 'utf8'))
  } catch (error) {
    throw new BadInput(`${path}: not JSON (${error.message.slice(0, 200)})`)
  }

  if (typeof document !== 'object' || document === null || !/^3\./.test(String(document.openapi ?? ''))) {
    throw new BadInput(`${path}: not an OpenAPI 3 document (no "openapi": "3.x" field)`)
  }

  if (operationsOf(document).length === 0) throw new BadInput(`${path}: an OpenAPI document with no operations`)
  return document
}

/** Plans the replacements: which new file becomes which of ours, with the operations it adds and removes. */
export function planUpdate(from, into) {
  const candidates = readdirSync(from)
    .filter((name) => name.endsWith('.json'))
    .sort()
  const plan = new Map()
  const ignored = []
  for (const name of candidates) {
    const path = join(from, name)
    const next = readDocument(path)
    const target = DOCUMENTS.find((d) => d.is(Object.keys(next.paths)))
    if (!target) {
      ignored.push(name)
      continue
    }

    if (plan.has(target.file))
      throw new BadInput(`${plan.get(target.file).source} and ${path} both describe ${target.file}: keep one`)
    const current = JSON.parse(readFileSync(join(into, target.file), 'utf8'))
    const before = new Set(operationsOf(current))
    const after = new Set(operationsOf(next))
    plan.set(target.file, {
      added: [...after].filter((o) => !before.has(o)),
      count: after.size,
      removed: [...before].filter((o) => !after.has(o)),
      source: path,
      text: JSON.stringify(next, null, 2) + '\n',
    })
  }

  return {ignored, plan}
}

function main() {
  const {positionals, values} = parseArgs({
    allowPositionals: true,
    options: {'dry-run': {type: 'boolean'}, into: {type: 'string'}},
  })
  if (positionals.length !== 1)
    throw new BadInput(
      'usage: npm run contracts:update -- <folder with the newer documents> [--into <folder>] [--dry-run]',
    )
  const from = resolve(positionals[0])
  const into = resolve(values.into ?? join(dirname(fileURLToPath(import.meta.url)), '..', 'contracts'))
  if (!statSync(from, {throwIfNoEntry: false})?.isDirectory()) throw new BadInput(`${from} is not a folder`)

  const {ignored, plan} = planUpdate(from, into)
  for (const name of ignored)
    console.log(`ignored ${name}: it describes none of Confluence v1, Confluence v2 or the Organizations API`)
  if (plan.size === 0)
    throw new BadInput(`no file in ${from} describes one of ${DOCUMENTS.map((d) => d.file).join(', ')}`)
  for (const [file, change] of plan) {
    console.log(
      `${file} <- ${basename(change.source)}: ${change.count} operations, ${change.added.length} added, ${change.removed.length} removed`,
    )
    for (const o of change.added) console.log(`  + ${o}`)
    for (const o of change.removed) console.log(`  - ${o}`)
  }

  if (values['dry-run']) return
  for (const [file, change] of plan) {
    const target = join(into, file)
    const temporary = `${target}.${process.pid}.tmp`
    writeFileSync(temporary, change.text, {flush: true})
    renameSync(temporary, target)
  }

  console.log(
    `Updated ${plan.size} document(s) in ${into}. Now update the "as of" column of its README.md and run npm test.`,
  )
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    main()
  } catch (error) {
    if (!(error instanceof BadInput) && error.code !== 'ENOENT') throw error
    console.error(`Error: ${error.message}`)
    process.exitCode = 2
  }
}
