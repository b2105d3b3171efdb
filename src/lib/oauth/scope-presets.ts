/**
 * Scope presets: one per connector set-up guide in docs/connectors.md, each with that guide's exact
 * scope list and callback URL, plus `admin` for cfadmin's own access commands (atlassian-api.md §1b table).
 * `offline_access` is added to every login's scopes by chooseScopes, so it is not repeated here.
 */
import {badInput} from '../errors.js'

/** A value a connector's configuration form asks for, in the words `auth token` prints it under. */
export type FormField =
  | 'accessToken'
  | 'authorizationUrl'
  | 'callbackUrl'
  | 'clientId'
  | 'clientSecret'
  | 'cloudId'
  | 'refreshToken'
  | 'scopes'
  | 'siteUrl'
  | 'tokenUrl'
  | 'username'

export interface ScopePreset {
  name: string
  /** Who asks for it. */
  connector: string
  scopes: readonly string[]
  /** The callback URL the guide puts in the app's settings; undefined when the connector shows its own. */
  callbackUrl?: string
  /** What the connector's form asks for, in the guide's order, with the guide's labels. */
  form: ReadonlyArray<{field: FormField; label: string}>
}

const CLASSIC_READ = [
  'read:confluence-space.summary',
  'read:confluence-props',
  'read:confluence-content.all',
  'read:confluence-content.summary',
  'read:confluence-content.permission',
  'read:confluence-user',
  'read:confluence-groups',
] as const

const GRANULAR_READ = [
  'read:content:confluence',
  'read:content-details:confluence',
  'read:space-details:confluence',
  'read:audit-log:confluence',
  'read:page:confluence',
  'read:attachment:confluence',
  'read:blogpost:confluence',
  'read:custom-content:confluence',
  'read:comment:confluence',
  'read:template:confluence',
  'read:label:confluence',
  'read:watcher:confluence',
  'read:group:confluence',
  'read:relation:confluence',
  'read:user:confluence',
  'read:configuration:confluence',
  'read:space:confluence',
  'read:space.permission:confluence',
  'read:space.property:confluence',
  'read:user.property:confluence',
  'read:space.setting:confluence',
  'read:analytics.content:confluence',
  'read:content.permission:confluence',
  'read:content.property:confluence',
  'read:content.restriction:confluence',
  'read:content.metadata:confluence',
  'read:inlinetask:confluence',
  'read:task:confluence',
  'read:permission:confluence',
  'read:whiteboard:confluence',
  'read:app-data:confluence',
] as const

const TOKENS = [
  {field: 'clientId', label: 'Client ID'},
  {field: 'clientSecret', label: 'Client secret'},
  {field: 'accessToken', label: 'Access token'},
  {field: 'refreshToken', label: 'Refresh token'},
] as const

export const SCOPE_PRESETS: readonly ScopePreset[] = [
  {
    callbackUrl: 'http://localhost:13131',
    connector: 'enterprise-search crawler connector (its token-fetcher tool)',
    form: [...TOKENS, {field: 'siteUrl', label: 'Confluence URL'}],
    name: 'crawler',
    scopes: [
      'read:space:confluence',
      'read:attachment:confluence',
      'read:blogpost:confluence',
      'read:page:confluence',
      'read:folder:confluence',
      'read:content-details:confluence',
      'read:content.metadata:confluence',
      'read:group:confluence',
      'read:user:confluence',
    ],
  },
  {
    callbackUrl: undefined,
    connector: 'Amazon Q Business, Confluence Cloud data source (callback: the Confluence site URL)',
    form: [
      {field: 'siteUrl', label: 'Confluence URL'},
      {field: 'username', label: 'Username'},
      {field: 'clientId', label: 'App key (client ID)'},
      {field: 'clientSecret', label: 'App secret (client secret)'},
      {field: 'accessToken', label: 'Access token'},
      {field: 'refreshToken', label: 'Refresh token'},
    ],
    name: 'amazon-q',
    scopes: ['read:me', 'read:account', ...CLASSIC_READ, ...GRANULAR_READ],
  },
  {
    callbackUrl: 'http://localhost',
    connector: 'Flexera Snow Atlas SaaS-management connector',
    form: [
      {field: 'cloudId', label: 'Cloud ID'},
      {field: 'refreshToken', label: 'Refresh token'},
      {field: 'clientId', label: 'Client ID'},
      {field: 'clientSecret', label: 'Client secret'},
    ],
    name: 'snow-atlas',
    scopes: [
      'manage:confluence-configuration',
      'search:confluence',
      'read:content-details:confluence',
      'read:audit-log:confluence',
      'read:configuration:confluence',
    ],
  },
  {
    callbackUrl: undefined,
    connector: 'Kore.ai XO action (callback: the one Kore.ai shows)',
    form: [
      {field: 'clientId', label: 'Client ID'},
      {field: 'clientSecret', label: 'Client secret'},
      {field: 'authorizationUrl', label: 'Authorization URL'},
      {field: 'tokenUrl', label: 'Token URL'},
      {field: 'tokenUrl', label: 'Refresh URL'},
      {field: 'callbackUrl', label: 'Callback URL'},
      {field: 'scopes', label: 'Scope'},
    ],
    name: 'kore',
    scopes: ['write:confluence-content'],
  },
  {
    callbackUrl: 'https://us-west-2.console.aws.amazon.com/appflow/oauth',
    connector: 'NiCE Knowledge Hub knowledge-base connector: all read permissions, classic and granular',
    form: [...TOKENS, {field: 'siteUrl', label: 'Confluence URL'}],
    name: 'read-all',
    scopes: [...CLASSIC_READ, 'search:confluence', ...GRANULAR_READ, 'read:folder:confluence'],
  },
  {
    callbackUrl: 'http://localhost:13131',
    connector: "cfadmin's own access commands over OAuth (groups, members, space View)",
    form: [...TOKENS, {field: 'cloudId', label: 'Cloud ID'}, {field: 'siteUrl', label: 'Site URL'}],
    name: 'admin',
    scopes: [
      'read:confluence-user',
      'read:confluence-groups',
      'write:confluence-groups',
      'read:group:confluence',
      'write:group:confluence',
      'read:space:confluence',
      'read:space.permission:confluence',
      'write:space.permission:confluence',
      'read:configuration:confluence',
      'read:content-details:confluence',
    ],
  },
]

export const DEFAULT_PRESET = 'crawler'

export const OFFLINE_ACCESS = 'offline_access'

export function findPreset(name: string): ScopePreset | undefined {
  return SCOPE_PRESETS.find((p) => p.name === name.toLowerCase())
}

export interface ScopeChoice {
  scopes: string[]
  /** The preset's name, when the scopes came from one. */
  preset?: ScopePreset
}

/**
 * `--scopes` as given: a preset name, or scopes separated by spaces or commas. `offline_access` is always
 * added: without it Atlassian gives no refresh token.
 */
export function chooseScopes(input: string | undefined): ScopeChoice {
  const text = (input ?? DEFAULT_PRESET).trim()
  const preset = findPreset(text)
  const listed = preset ? [...preset.scopes] : text.split(/[\s,]+/).filter(Boolean)
  const unknownWord = listed.find((s) => !s.includes(':') && s !== OFFLINE_ACCESS)
  if (listed.length === 0 || unknownWord) {
    throw badInput(
      'SCOPES_INVALID',
      `"${unknownWord ?? text}" is neither a scope preset nor an Atlassian scope (scopes look like read:space:confluence).`,
      `Give a preset (${SCOPE_PRESETS.map((p) => p.name).join(', ')}; see cfadmin auth scopes) or a list: --scopes "read:space:confluence read:page:confluence".`,
    )
  }

  return {preset, scopes: [...new Set([...listed, OFFLINE_ACCESS])]}
}

/** Where cfadmin's login listens when nothing else says: http://localhost:13131, as the crawler guide's token fetcher. */
export const DEFAULT_PORT = 13_131

/**
 * The loopback port and path for a login: the preset's callback when it is a loopback URL with a port
 * (crawler: http://localhost:13131), else http://localhost:13131.
 */
export function defaultCallback(preset: ScopePreset | undefined): {port: number; path: string} {
  const url = preset?.callbackUrl ? new URL(preset.callbackUrl) : undefined
  if (
    url &&
    url.protocol === 'http:' &&
    (url.hostname === 'localhost' || url.hostname === '127.0.0.1') &&
    url.port !== ''
  ) {
    return {path: url.pathname, port: Number(url.port)}
  }

  return {path: '/', port: DEFAULT_PORT}
}
