/**
 * `auth token` for a profile logged in with OAuth client credentials: a new access token from the client ID and
 * secret (cfadmin keeps none on disk), with where a connector sends it. The client secret is never part of it.
 */
import {badInput} from '../errors.js'
import {ClientCredentials} from '../session/client-credentials.js'
import {clientCredentialsRoute} from '../session/clients.js'
import type {ProfileStore} from '../session/profile-store.js'
import {requireSite, resolveSession} from '../session/session.js'

export interface ClientTokenValues {
  kind: 'client-credentials'
  profile: string
  clientId: string
  cloudId: string
  siteUrl: string
  /** Where the token is sent: the gateway, <apiUrl>/ex/confluence/<cloudId>. */
  baseUrl: string
  accessToken: string
  /** ISO 8601. */
  expiresAt: string
  /** Seconds left. */
  expiresIn: number
  tokenUrl: string
}

/**
 * The values for a client-credentials profile, or undefined when the profile has none or an OAuth (3LO) login, which
 * `auth token` then shows as before. A connector form (--for) belongs to 3LO logins only.
 */
export async function clientToken(input: {
  store: ProfileStore
  profileName: string
  env: NodeJS.ProcessEnv
  form?: string
  now?: () => number
}): Promise<ClientTokenValues | undefined> {
  const session = resolveSession(input.profileName, await input.store.named(input.profileName), input.env)
  const login = session.clientCredentials
  if (!login || session.oauth) return undefined
  if (input.form)
    throw badInput(
      'FORM_NEEDS_OAUTH',
      `--for ${input.form} fills a connector form from an OAuth (3LO) login; profile "${input.profileName}" has client credentials.`,
      'Leave out --for: the client ID, cloud ID, base URL and a fresh access token are printed.',
    )
  const now = input.now ?? Date.now
  const route = clientCredentialsRoute(session, login)
  const token = await (route.credentials as ClientCredentials).current()
  const site = requireSite(session)
  return {
    accessToken: token.accessToken,
    baseUrl: route.baseUrl,
    clientId: login.clientId,
    cloudId: site.cloudId ?? '',
    expiresAt: token.expiresAt,
    expiresIn: Math.floor((Date.parse(token.expiresAt) - now()) / 1000),
    kind: 'client-credentials',
    profile: input.profileName,
    siteUrl: site.url,
    tokenUrl: `${session.authUrl}/oauth/token`,
  }
}
