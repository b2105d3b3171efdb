import {existsSync, readFileSync} from 'node:fs'
import {dirname, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

import type {OpenAPIBackend, Operation, ValidationResult} from 'openapi-backend'

import {adminV2Extras} from '../contracts/admin-v2-extras.js'
import {queryObject, redactQuery} from './redact.js'

/**
 * Contract checks against the official OpenAPI copies in contracts/ (see its README: openapi-backend with
 * `quick: true`; v1 paths include /wiki/rest/api, v2 paths are relative to /wiki/api/v2, Organizations paths to
 * /admin) plus the fake's own Admin v2 document (contracts/admin-v2-extras.ts). Each document is read and patched once per
 * process, when a request first needs it; every fake shares them, and each operation's validators compile on first use.
 */

export type SpecName = 'admin-organization' | 'admin-v2-extras' | 'confluence-v1' | 'confluence-v2'

export const specsDir = resolve(dirname(fileURLToPath(import.meta.url)), '../contracts')

export interface ContractMatch {
  spec: SpecName
  operation: Operation
  /** "confluence-v1 getCurrentUser" */
  label: string
}

export interface ContractRequest {
  method: string
  /** The API path (gateway prefix removed), without query string. */
  path: string
  query: Record<string, string | string[]>
  headers: Record<string, string | string[]>
  body: unknown
}

export type RequestCheck =
  | {kind: 'unspecified'}
  | {kind: 'ok'; match: ContractMatch; problem?: string}
  | {kind: 'violation'; message: string; match?: ContractMatch}

const SPEC_FILES: {name: SpecName; file: string; apiRoot: string}[] = [
  {apiRoot: '/', file: 'confluence-v1.openapi.json', name: 'confluence-v1'},
  {apiRoot: '/wiki/api/v2', file: 'confluence-v2.openapi.json', name: 'confluence-v2'},
  {apiRoot: '/admin', file: 'admin-organization.openapi.json', name: 'admin-organization'},
]

/** Which documents describe a path; empty: not a spec'd API (tenant_info, OAuth host...). */
export function specsForPath(path: string): SpecName[] {
  const under = (root: string) => path === root || path.startsWith(`${root}/`)
  if (under('/wiki/rest/api')) return ['confluence-v1']
  if (under('/wiki/api/v2')) return ['confluence-v2']
  if (under('/admin')) return ['admin-organization', 'admin-v2-extras']
  return []
}

type Backend = typeof import('openapi-backend').OpenAPIBackend

export class Contracts {
  private readonly apis = new Map<SpecName, OpenAPIBackend>()

  constructor(private readonly Backend: Backend) {
    for (const {file} of SPEC_FILES)
      if (!existsSync(resolve(specsDir, file)))
        throw new Error(`fake-atlassian: spec ${resolve(specsDir, file)} is missing`)
  }

  /**
   * A document's backend, built on first use: a fake that only meets the Admin API never pays for the Confluence
   * specs. openapi-backend's init() in quick mode with an object definition does its work synchronously.
   */
  private api(spec: SpecName): OpenAPIBackend {
    let api = this.apis.get(spec)
    if (api) return api
    const file = SPEC_FILES.find((s) => s.name === spec)
    const document = file
      ? (JSON.parse(readFileSync(resolve(specsDir, file.file), 'utf8')) as Record<string, unknown>)
      : structuredClone(adminV2Extras)
    patchDocument(document)
    // ajv's logger off: the specs use formats (date-time, int64...) it does not know and says so per schema.
    api = new this.Backend({
      ajvOpts: {logger: false},
      apiRoot: file?.apiRoot ?? '/admin',
      definition: document as never,
      quick: true,
    })
    void api.init()
    if (!api.initialized) throw new Error(`fake-atlassian: openapi-backend did not initialise ${spec} synchronously`)
    // The router lists (and lodash-clones) every operation on each match; the definition never changes, so keep one list.
    const operations = api.router.getOperations()
    api.router.getOperations = () => operations
    this.apis.set(spec, api)
    return api
  }

  /** Every operation of a document (for tests of the fake). */
  operations(spec: SpecName): Operation[] {
    return this.api(spec).router.getOperations()
  }

  /** Compiles every request and response validator of a document; the operations that fail, with why. Slow for the Confluence specs. */
  compileProblems(spec: SpecName, operationIds?: string[]): string[] {
    const api = this.api(spec)
    const problems: string[] = []
    for (const op of this.operations(spec)) {
      const id = op.operationId!
      if (operationIds && !operationIds.includes(id)) continue
      try {
        api.validator.getRequestValidatorsForOperation(id)
        api.validator.getStatusBasedResponseValidatorForOperation(id)
      } catch (error) {
        problems.push(`${spec} ${id}: ${(error as Error).message}`)
      }
    }

    return problems
  }

  checkRequest(req: ContractRequest): RequestCheck {
    const specs = specsForPath(req.path)
    if (specs.length === 0) return {kind: 'unspecified'}
    // Confluence v1 puts next=true into its own _links.next; a client following that link is not off-contract.
    const query = specs[0] === 'confluence-v1' && 'next' in req.query ? withoutNext(req.query) : req.query
    const request = {body: req.body, headers: req.headers, method: req.method, path: req.path, query}
    for (const spec of specs) {
      const api = this.api(spec)
      const operation = api.router.matchOperation(request)
      if (!operation) continue
      const match: ContractMatch = {label: `${spec} ${operation.operationId}`, operation, spec}
      try {
        const result = api.validator.validateRequest(request, operation)
        if (result.valid) return {kind: 'ok', match}
        return {kind: 'violation', match, message: `${describe(req)} (${match.label}): ${formatErrors(result.errors)}`}
      } catch (error) {
        return {
          kind: 'ok',
          match,
          problem: `the fake could not compile the request schema of ${match.label}: ${(error as Error).message}`,
        }
      }
    }

    return {kind: 'violation', message: `${describe(req)} matches no operation of ${specs.join(' or ')}`}
  }

  /** undefined when the answer fits the operation's documented response for that status. */
  checkResponse(match: ContractMatch, status: number, body: unknown): string | undefined {
    const api = this.api(match.spec)
    try {
      const result = api.validator.validateResponse(body, match.operation, status)
      return result.valid ? undefined : `${status} (${match.label}): ${formatErrors(result.errors)}`
    } catch (error) {
      return `the fake could not compile the response schema of ${match.label}: ${(error as Error).message}`
    }
  }
}

function withoutNext(query: Record<string, string | string[]>): Record<string, string | string[]> {
  const {next: _next, ...rest} = query
  return rest
}

/** A request body as the checks see it: JSON, form fields as an object, other text as is; or why it cannot be read. */
export interface ParsedBody {
  value?: unknown
  error?: string
  status?: number
}

/** Reads a request body by its Content-Type; JSON is assumed when none is given. Empty: no value. */
export function parseBody(text: string, contentType: string | undefined): ParsedBody {
  if (text.length === 0) return {}
  // HTML forms (the OAuth consent page) and OAuth clients that post form fields: an object, so the log can redact it.
  if (contentType && /^application\/x-www-form-urlencoded\b/i.test(contentType))
    return {value: queryObject(new URLSearchParams(text))}
  if (contentType && !/json/i.test(contentType)) return {value: text}
  try {
    return {value: JSON.parse(text)}
  } catch {
    return {error: 'the request body is not valid JSON'}
  }
}

let loading: Promise<Contracts> | undefined

/** The contracts, loaded once per process. */
export function loadContracts(): Promise<Contracts> {
  loading ??= build().catch((error: unknown) => {
    loading = undefined
    throw error
  })
  return loading
}

async function build(): Promise<Contracts> {
  // Imported here, not at the top, so a fake started with validate: false never pays for openapi-backend.
  const {OpenAPIBackend} = await import('openapi-backend')
  return new Contracts(OpenAPIBackend)
}

/**
 * Works around mistakes in the official documents that stop ajv from compiling a schema, without changing what they
 * accept: "nullable" without "type" (ajv refuses it) becomes an explicit null alternative; "$ref" with redundant
 * "type"/"description" siblings loses the siblings (they hid a second-level $ref from the dereferencer); operations
 * without an operationId (8 in the Organizations spec) get "<method> <path>", since openapi-backend validates by id.
 */
export function patchDocument(document: Record<string, unknown>): void {
  const schemas = ((document.components as {schemas?: Record<string, {$ref?: string}>} | undefined)?.schemas ??
    {}) as Record<string, {$ref?: string}>
  // A schema that is only {$ref} (Error.NoPerms.Model -> NoPermsError) is a chain the dereferencer leaves half
  // resolved; every reference is pointed at the end of the chain instead.
  const final = (ref: string): string => {
    for (let hops = 0; hops < 10; hops++) {
      const target = ref.startsWith('#/components/schemas/')
        ? schemas[ref.slice('#/components/schemas/'.length)]
        : undefined
      if (
        !target ||
        typeof target.$ref !== 'string' ||
        Object.keys(target).some((k) => k !== '$ref' && k !== 'type' && k !== 'description')
      )
        return ref
      ref = target.$ref
    }

    return ref
  }

  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) if (item && typeof item === 'object') walk(item)
      return
    }

    const o = node as Record<string, unknown>
    if (typeof o.$ref === 'string') {
      delete o.type
      delete o.description
      o.$ref = final(o.$ref)
      return
    }

    if (o.nullable === true && o.type === undefined) {
      delete o.nullable
      const alternatives = (o.anyOf ?? o.oneOf) as unknown[] | undefined
      if (alternatives) alternatives.push({enum: [null]})
      else if (o.allOf) {
        o.anyOf = [{allOf: o.allOf}, {enum: [null]}]
        delete o.allOf
      }
    }

    for (const key in o) {
      const value = o[key]
      if (value && typeof value === 'object') walk(value)
    }
  }

  walk(document)
  const paths = (document.paths ?? {}) as Record<string, Record<string, {operationId?: string}>>
  for (const [path, item] of Object.entries(paths)) {
    for (const method of ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace']) {
      const op = item[method]
      if (op && !op.operationId) op.operationId = `${method} ${path}`
    }
  }
}

function describe(req: ContractRequest): string {
  const query = new URLSearchParams()
  for (const [k, v] of Object.entries(redactQuery(req.query)))
    for (const item of Array.isArray(v) ? v : [v]) query.append(k, item)
  const qs = query.toString()
  return `${req.method} ${req.path}${qs ? `?${qs}` : ''}`
}

function formatErrors(errors: ValidationResult['errors']): string {
  if (!errors || errors.length === 0) return 'invalid'
  return errors
    .slice(0, 5)
    .map((e) => {
      const where = e.instancePath.replace(/^\//, '').replaceAll('/', '.') || '(root)'
      const extra = e.params as {additionalProperty?: string; allowedValues?: unknown[]; missingProperty?: string}
      const detail = extra.additionalProperty
        ? ` "${extra.additionalProperty}"`
        : extra.allowedValues
          ? ` ${JSON.stringify(extra.allowedValues)}`
          : ''
      return `${where} ${e.message ?? 'is invalid'}${detail}`
    })
    .join('; ')
}
