/**
 * A plan file read with the position of every value: YAML (and so JSON, which is YAML) parsed by `yaml` with a
 * LineCounter, so schema and semantic errors can name `file:line:col`.
 */
import {open} from 'node:fs/promises'

import type {Node} from 'yaml'

import {badInput} from '../../errors.js'
import {readTextInput} from '../../files/input-file.js'
import {excerpt} from '../../text/safe-text.js'
import {loadYaml} from '../../lazy-modules.js'

/** The largest plan cfadmin reads: a plan lists a few users, groups and spaces, far below this. */
export const PLAN_MAX_BYTES = 1024 * 1024

/** A path into the plan's data: keys and list indexes, e.g. ['users', 0, 'email']. */
export type PlanPath = ReadonlyArray<string | number>

/** One problem with the plan, at a place in the file. */
export interface PlanIssue {
  path: PlanPath
  message: string
  /** Point at the key rather than its value (an unknown key). */
  atKey?: boolean
}

export interface PlanSource {
  /** The path as given, used in messages. */
  file: string
  /** The parsed value (undefined for an empty file). */
  data: unknown
  /** Syntax errors, with their positions already in the message. */
  syntaxErrors: string[]
  /** "file:line:col" of the value at `path` (or of its key), else of the nearest enclosing value that exists. */
  at(path: PlanPath, options?: {key?: boolean}): string
}

export async function readPlanSource(file: string): Promise<PlanSource> {
  let handle
  try {
    handle = await open(file, 'r')
    if ((await handle.stat()).isDirectory()) throw Object.assign(new Error('is a folder'), {code: 'EISDIR'})
  } catch (error) {
    await handle?.close()
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT')
      throw badInput(
        'PLAN_NOT_FOUND',
        `The plan ${file} does not exist.`,
        'Check the path; examples/ has a plan for each connector.',
      )
    if (code === 'EISDIR')
      throw badInput(
        'PLAN_NOT_FOUND',
        `${file} is a folder, not a plan file.`,
        'Give the path of a .yaml or .json plan.',
      )
    if (code === 'EACCES' || code === 'EPERM')
      throw badInput(
        'PLAN_UNREADABLE',
        `The plan ${file} cannot be read: permission denied.`,
        `Check its permissions (ls -l ${file}).`,
      )
    throw error
  }

  const text = await readTextInput(
    {name: `The plan ${file}`, stream: handle.createReadStream()},
    {bytes: PLAN_MAX_BYTES},
  )
  return parsePlanText(text, file)
}

export async function parsePlanText(text: string, file: string): Promise<PlanSource> {
  const {isMap, isPair, isScalar, isSeq, LineCounter, parseDocument} = await loadYaml()
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, {lineCounter, prettyErrors: false, uniqueKeys: true})
  const position = (offset: number) => {
    const {line, col} = lineCounter.linePos(offset)
    return `${file}:${line}:${col}`
  }

  // The yaml parser recurses per level of nesting: a plan nested thousands deep overflows its stack, once per level
  // it unwinds through. That is said once, where it was first noticed.
  const tooDeep = (error: {message: string}) => error.message.startsWith('Maximum call stack size exceeded')
  const reported = [...doc.errors, ...doc.warnings.filter((w) => w.code !== 'TAG_RESOLVE_FAILED')]
  const firstTooDeep = reported.find(tooDeep)
  const syntaxErrors = reported
    .filter((error) => !tooDeep(error) || error === firstTooDeep)
    .map(
      (error) =>
        `${position(error.pos[0])}: ${tooDeep(error) ? 'the plan nests lists and mappings too deeply' : excerpt(error.message.split('\n')[0].replace(/ at line \d+, column \d+.*$/, ''), 200)}`,
    )
  let data: unknown
  if (syntaxErrors.length === 0) {
    try {
      data = doc.toJS({maxAliasCount: 100})
    } catch (error) {
      // An alias to no anchor, or aliases that expand past maxAliasCount (a "billion laughs" plan).
      syntaxErrors.push(`${position(0)}: ${excerpt((error as Error).message, 200)}`)
    }
  }

  const at = (path: PlanPath, options: {key?: boolean} = {}): string => {
    let node: unknown = doc.contents
    let keyNode: Node | undefined
    for (const segment of path) {
      if (isMap(node)) {
        const pair = node.items.find(
          (item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment),
        )
        if (!pair) break
        keyNode = pair.key as Node
        node = pair.value
      } else if (isSeq(node) && typeof segment === 'number' && node.items[segment]) {
        keyNode = undefined
        node = node.items[segment]
      } else {
        break
      }
    }

    const target = (options.key && keyNode) || (node as Node | null | undefined) || keyNode
    const offset = target?.range?.[0] ?? 0
    return position(offset)
  }

  return {at, data: data ?? undefined, file, syntaxErrors}
}
