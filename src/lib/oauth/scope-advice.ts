/**
 * Which OAuth scopes a Confluence endpoint needs (from the official documents, endpoint-scopes.ts) and which preset
 * holds them: what cfadmin says when the gateway refuses a call with "scope does not match".
 */
import type {ScopeAdvice} from '../http/refusals.js'
import {ENDPOINT_SCOPES} from './endpoint-scopes.js'
import {SCOPE_PRESETS} from './scope-presets.js'

export interface EndpointScopes {
  /** The scopes the document's `security` lists (its "Current" ones). */
  scopes: readonly string[]
  /** The granular set it offers beside them, marked "Beta". */
  beta?: readonly string[]
}

const TEMPLATES = Object.keys(ENDPOINT_SCOPES).map((key) => {
  const [method, template] = key.split(' ')
  const pattern = new RegExp(`^${template.replaceAll(/\{[^}]+\}/g, '[^/]+')}/?$`)
  return {key, method, pattern}
})

/** "GET /wiki/rest/api/group/{groupId}/membersByGroupId" for GET /wiki/rest/api/group/abc/membersByGroupId. */
export function endpointOf(method: string, path: string): string | undefined {
  const upper = method.toUpperCase()
  return TEMPLATES.find((t) => t.method === upper && t.pattern.test(path))?.key
}

/** The presets that hold every one of `scopes`. */
export function presetsWith(scopes: readonly string[]): string[] {
  return SCOPE_PRESETS.filter((p) => scopes.every((s) => p.scopes.includes(s))).map((p) => p.name)
}

/**
 * What to tell the user about a scope refusal of `method path`. `fix` says how the credential gets `scopes` (none
 * known: check them), e.g. for an OAuth grant: add them to the app and log in again with --scopes <preset>.
 */
export function scopeAdvice(
  method: string,
  path: string,
  fix: (scopes: readonly string[], preset?: string) => string,
): ScopeAdvice {
  const endpoint = endpointOf(method, path)
  const listed = endpoint ? ENDPOINT_SCOPES[endpoint] : undefined
  if (!endpoint || !listed || listed.scopes.length === 0) {
    return {
      endpoint: endpoint ?? `${method.toUpperCase()} ${path}`,
      hint: `${fix([])} (cfadmin auth scopes --commands lists what each command needs)`,
      needs: 'The official API document lists no OAuth scope for it.',
    }
  }

  const presets = presetsWith(listed.scopes)
  const preset = presets.includes('admin') ? 'admin' : presets[0]
  const beta = listed.beta
    ? ` (or, in beta, ${listed.beta.join(' ')}: a grant of granular scopes only may be refused)`
    : ''
  return {
    endpoint,
    hint: fix(listed.scopes, preset),
    needs: `The official API document lists ${listed.scopes.join(' ')} for it${beta}; ${
      presets.length > 0
        ? `preset${presets.length > 1 ? 's' : ''} with ${listed.scopes.length > 1 ? 'them' : 'it'}: ${presets.join(', ')}`
        : 'no preset has it'
    }.`,
  }
}
