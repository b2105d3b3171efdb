/**
 * `auth login --oauth`: Atlassian's 3LO from a terminal. A loopback server waits for the browser, the code
 * becomes a token pair, accessible-resources names the site, and the grant is stored in the profile only once
 * all of that worked (atlassian-api.md §1b).
 */
import {getCurrentUser} from '../api/identity.js'
import {badInput, CfadminError} from '../errors.js'
import {createHttpClient} from '../http/client.js'
import {type AccessibleSite, listAccessibleSites} from '../oauth/accessible-resources.js'
import {authorizeUrl, callbackPath, loopbackRedirectUri, newState} from '../oauth/authorize-url.js'
import {startCallbackServer} from '../oauth/callback-server.js'
import {codeFromPastedAddress} from '../oauth/pasted-callback.js'
import {chooseScopes, DEFAULT_PORT, defaultCallback} from '../oauth/scope-presets.js'
import {exchangeCode, tokenClient} from '../oauth/token-endpoint.js'
import type {OAuthGrant, Profile} from '../session/profile.js'
import type {ProfileStore} from '../session/profile-store.js'
import {resolveSession} from '../session/session.js'
import {normalizeSite} from '../session/site-url.js'
import {gatewayUrl} from '../session/clients.js'

export interface OAuthLoginInput {
  store: ProfileStore
  profileName: string
  env: NodeJS.ProcessEnv
  clientId: string
  clientSecret: string
  /** A preset name or a list of scopes (see scope-presets.ts). */
  scopes?: string
  /** Default: the preset's loopback callback, else 13131. */
  port?: number
  /** Default: the preset's callback path, else "/". */
  callbackPath?: string
  timeoutMs: number
  /** --site: which of the grant's sites, by URL, name or cloud ID. */
  site?: string
  /** Shows the user the URL; opens the browser when it can. Called once the loopback server listens. */
  showAuthorizeUrl(url: string, redirectUri: string): Promise<void>
  /**
   * --paste: reads the address the browser ended on (the callback URL with Atlassian's answer), instead of
   * listening for it on the loopback port.
   */
  readPastedAddress?: () => Promise<string>
  /** Asks which site when the grant covers several and nothing chose one. */
  chooseSite(sites: AccessibleSite[]): Promise<AccessibleSite>
  signal?: AbortSignal
}

export interface OAuthLoginResult {
  profile: string
  path: string
  site: {url: string; cloudId: string; name?: string}
  oauth: {
    clientId: string
    preset?: string
    scopes: string[]
    /** Asked for but not granted. */
    missingScopes: string[]
    expiresAt: string
    refreshToken: boolean
    callbackUrl: string
    accountId?: string
    displayName?: string
  }
}

export async function oauthLogin(input: OAuthLoginInput): Promise<OAuthLoginResult> {
  const {preset, scopes} = chooseScopes(input.scopes)
  const {apiUrl, authUrl} = resolveSession(input.profileName, undefined, input.env)
  const state = newState()
  const chosen =
    input.port === undefined && input.callbackPath === undefined
      ? defaultCallback(preset)
      : {path: input.callbackPath ?? '/', port: input.port ?? DEFAULT_PORT}
  const callback = {path: callbackPath(chosen.path), port: chosen.port}
  const {code, redirectUri} = input.readPastedAddress
    ? await pastedCode(input, {authUrl, callback, scopes, state})
    : await loopbackCode(input, {authUrl, callback, scopes, state})

  const app = {clientId: input.clientId, clientSecret: input.clientSecret}
  const tokens = await exchangeCode(await tokenClient(authUrl), app, code, redirectUri)
  const stored = await input.store.get(input.profileName)
  const sites = await listAccessibleSites(apiUrl, tokens.accessToken)
  const site = await pickSite(sites, input, stored)
  const name = normalizeSite(site.url).name ?? (/^[a-z\d-]+$/i.test(site.name) ? site.name.toLowerCase() : undefined)
  const gateway = await createHttpClient({
    baseUrl: gatewayUrl(apiUrl, site.id),
    credentials: {authorization: async () => `Bearer ${tokens.accessToken}`},
    family: 'gateway',
    refusals: {account: 'the account that consented'},
  })
  // Who consented, when the scopes let us ask (read:confluence-user); the login does not depend on it.
  // An account without Confluence access is the exception: nothing would work, so the login says so now.
  const who = await getCurrentUser(gateway).catch((error: unknown) => {
    if (error instanceof CfadminError && error.code === 'NO_CONFLUENCE_ACCESS') throw error
    return undefined
  })
  const granted = tokens.scopes.length > 0 ? tokens.scopes : scopes
  const grant: OAuthGrant = {
    accessToken: tokens.accessToken,
    accountId: who?.accountId,
    callbackUrl: redirectUri,
    clientId: input.clientId,
    clientSecret: input.clientSecret,
    displayName: who?.displayName,
    email: who?.email,
    expiresAt: tokens.expiresAt,
    preset: preset?.name,
    refreshToken: tokens.refreshToken,
    scopes: granted,
  }
  const result: OAuthLoginResult = {
    oauth: {
      accountId: who?.accountId,
      callbackUrl: redirectUri,
      clientId: input.clientId,
      displayName: who?.displayName,
      expiresAt: tokens.expiresAt,
      missingScopes: scopes.filter((s) => !granted.includes(s)),
      preset: preset?.name,
      refreshToken: tokens.refreshToken !== undefined,
      scopes: granted,
    },
    path: input.store.path,
    profile: input.profileName,
    site: {cloudId: site.id, name, url: site.url},
  }
  await input.store.update(input.profileName, (profile) => withGrant(profile, result.site, grant))
  return result
}

interface LoginRequest {
  authUrl: string
  callback: {path: string; port: number}
  scopes: string[]
  state: string
}

/** The browser comes back to the loopback server. */
async function loopbackCode(
  input: OAuthLoginInput,
  request: LoginRequest,
): Promise<{code: string; redirectUri: string}> {
  const server = await startCallbackServer({
    ...request.callback,
    signal: input.signal,
    state: request.state,
    timeoutMs: input.timeoutMs,
  })
  try {
    await input.showAuthorizeUrl(
      authorizeUrl({...request, clientId: input.clientId, redirectUri: server.redirectUri}),
      server.redirectUri,
    )
    return {code: await server.code, redirectUri: server.redirectUri}
  } finally {
    await server.close()
  }
}

/** The user pastes the address the browser ended on; nothing listens. */
async function pastedCode(input: OAuthLoginInput, request: LoginRequest): Promise<{code: string; redirectUri: string}> {
  if (request.callback.port === 0) {
    throw badInput(
      'PASTE_NEEDS_PORT',
      '--paste needs the port of the callback URL registered in the app; --port 0 picks one at random.',
      "Leave out --port (13131), or give the port of the app's callback URL.",
    )
  }

  const redirectUri = loopbackRedirectUri(request.callback.port, request.callback.path)
  await input.showAuthorizeUrl(authorizeUrl({...request, clientId: input.clientId, redirectUri}), redirectUri)
  return {
    code: codeFromPastedAddress(await input.readPastedAddress!(), {redirectUri, state: request.state}),
    redirectUri,
  }
}

/** --site, else the profile's own site when the grant covers it, else the only one, else ask. */
async function pickSite(
  sites: AccessibleSite[],
  input: OAuthLoginInput,
  stored: Profile | undefined,
): Promise<AccessibleSite> {
  if (sites.length === 0) {
    throw badInput(
      'OAUTH_NO_SITE',
      'The login worked, but it covers no Confluence site.',
      'Log in again and choose the site on Atlassian\'s consent page ("Use app on").',
    )
  }

  if (input.site) {
    const wanted = input.site.trim()
    const origin = tryOrigin(wanted)
    const match = sites.find(
      (s) =>
        s.id === wanted || s.name.toLowerCase() === wanted.toLowerCase() || (origin !== undefined && s.url === origin),
    )
    if (!match)
      throw badInput(
        'SITE_NOT_GRANTED',
        `The login does not cover ${wanted}; it covers: ${sites.map((s) => s.url).join(', ')}.`,
        'Give one of those with --site, or log in again and choose that site on the consent page.',
      )
    return match
  }

  const own = sites.find((s) => s.url === stored?.site?.url)
  if (own) return own
  return sites.length === 1 ? sites[0] : input.chooseSite(sites)
}

function tryOrigin(text: string): string | undefined {
  try {
    return normalizeSite(text).url
  } catch {
    return undefined
  }
}

/** The profile with this grant: other credentials stay when the site is the same; only the Admin key otherwise. */
function withGrant(profile: Profile | undefined, site: OAuthLoginResult['site'], grant: OAuthGrant): Profile {
  const sameSite = profile?.site?.url === site.url
  const next: Profile = {
    ...(sameSite ? profile : {}),
    oauth: grant,
    site: {cloudId: site.cloudId, name: site.name ?? (sameSite ? profile?.site?.name : undefined), url: site.url},
  }
  if (!sameSite && profile?.adminKey) next.adminKey = profile.adminKey
  return next
}
