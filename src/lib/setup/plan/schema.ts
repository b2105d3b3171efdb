/**
 * The setup plan's JSON Schema (schema/setup-plan.schema.json, shipped in the package for editors) checked with ajv,
 * and ajv's errors said in plain words at their place in the file.
 */
import {readFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

import type {ErrorObject, ValidateFunction} from 'ajv'

import type {PlanIssue, PlanPath} from './source.js'
import {closest} from '../../text/suggest.js'
import {excerpt} from '../../text/safe-text.js'
import {EMAIL} from '../../domain.js'
import {loadAjv} from '../../lazy-modules.js'

/** The schema file: <package>/schema/setup-plan.schema.json, four folders up from src/lib/setup/plan or dist/lib/setup/plan. */
export const PLAN_SCHEMA_PATH = join(
  dirname(fileURLToPath(import.meta.url)),
  '../../../../schema/setup-plan.schema.json',
)

let validator: ValidateFunction | undefined

async function compiled(): Promise<ValidateFunction> {
  if (!validator) {
    const Ajv = await loadAjv()
    const ajv = new Ajv({allErrors: true, strict: true, verbose: true})
    ajv.addFormat('email', EMAIL)
    validator = ajv.compile(JSON.parse(readFileSync(PLAN_SCHEMA_PATH, 'utf8')))
  }

  return validator
}

/** Every way the data breaks the schema, one issue per problem (alternatives of an anyOf said once). */
export async function schemaIssues(data: unknown): Promise<PlanIssue[]> {
  const validate = await compiled()
  if (validate(data)) return []
  const errors = validate.errors ?? []
  // An anyOf failing brings the failures of each alternative: keep only the anyOf's own error.
  const anyOfs = errors.filter((e) => e.keyword === 'anyOf').map((e) => e.schemaPath)
  const issues = errors
    .filter((e) => e.keyword === 'anyOf' || !anyOfs.some((s) => e.schemaPath.startsWith(s + '/')))
    .map(issueOf)
  const seen = new Set<string>()
  return issues.filter((issue) => {
    const id = `${issue.path.join('/')}\n${issue.message}`
    if (seen.has(id)) return false
    seen.add(id)
    return true
  })
}

function pathOf(instancePath: string): PlanPath {
  if (instancePath === '') return []
  return instancePath
    .slice(1)
    .split('/')
    .map((segment) => segment.replaceAll('~1', '/').replaceAll('~0', '~'))
    .map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment))
}

/** `users[0].email` style, for messages. */
export function describePath(path: PlanPath): string {
  if (path.length === 0) return 'the plan'
  return path
    .map((segment, i) => (typeof segment === 'number' ? `[${segment}]` : i === 0 ? segment : `.${segment}`))
    .join('')
}

const kindOf = (value: unknown) =>
  value === null
    ? 'null'
    : Array.isArray(value)
      ? 'a list'
      : typeof value === 'object'
        ? 'a mapping'
        : `${typeof value} ${excerpt(JSON.stringify(value) ?? String(value))}`
const TYPE_WORDS: Record<string, string> = {
  array: 'a list',
  boolean: 'true or false',
  integer: 'a whole number',
  number: 'a number',
  object: 'a mapping (key: value)',
  string: 'a text',
}

function alternative(schema: Record<string, unknown>): string {
  if ('const' in schema) return JSON.stringify(schema.const)
  if (schema.type === 'array') return 'a list'
  if (schema.type === 'object') return `a mapping with ${Object.keys((schema.properties as object) ?? {}).join(', ')}`
  return TYPE_WORDS[String(schema.type)] ?? 'something else'
}

function issueOf(error: ErrorObject): PlanIssue {
  const path = pathOf(error.instancePath)
  const where = describePath(path)
  const params = error.params as Record<string, unknown>
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty)
      const known = Object.keys((error.parentSchema?.properties as object) ?? {}).filter((k) => k !== '$schema')
      const guess = closest(key, known)
      const hint = guess ? ` — did you mean \`${guess}\`?` : ` (known keys: ${known.join(', ')})`
      return {
        atKey: true,
        message: `unknown key \`${excerpt(key)}\`${path.length > 0 ? ` in ${where}` : ''}${hint}`,
        path: [...path, key],
      }
    }

    case 'required':
      return {message: `${where} is missing \`${String(params.missingProperty)}\``, path}
    case 'type':
      return {
        message: `${where} must be ${TYPE_WORDS[String(params.type)] ?? params.type}, not ${kindOf(error.data)}`,
        path,
      }
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map(String)
      const guess = typeof error.data === 'string' ? closest(error.data, allowed) : undefined
      return {
        message: `${where} must be one of ${allowed.join(', ')}, not ${kindOf(error.data)}${guess ? ` — did you mean \`${guess}\`?` : ''}`,
        path,
      }
    }

    case 'anyOf': {
      const alternatives = ((error.schema as Array<Record<string, unknown>>) ?? []).map(alternative)
      return {message: `${where} must be ${alternatives.join(' or ')}, not ${kindOf(error.data)}`, path}
    }

    case 'minItems':
      return {message: `${where} must not be an empty list`, path}
    case 'minLength':
      return {message: `${where} must not be empty`, path}
    case 'format':
      return {message: `${where}: ${excerpt(JSON.stringify(error.data) ?? '')} is not a valid email`, path}
    default:
      return {message: `${where} ${error.message ?? 'is not valid'}`, path}
  }
}
