/**
 * The credential provider of OAuth client credentials (a service account): Bearer <access token> on the gateway. The
 * token lasts about an hour and comes without a refresh token, so a new one is asked for with the client ID and secret
 * when the current one is about to expire (EXPIRY_MARGIN_MS) or after a 401. Tokens stay in memory: nothing is written
 * to the profile, which holds only the client ID and secret, so there is no refresh token to lose or hand over.
 * Requests that need a new token at the same time share one token request.
 */
import type {Got} from 'got'

import {CfadminError, ExitCode} from '../errors.js'
import type {CredentialProvider} from '../http/client.js'
import {CLIENT_SECRET_SOURCES, type ClientToken, clientCredentialsToken} from '../oauth/client-credentials-grant.js'
import {tokenClient} from '../oauth/token-endpoint.js'
import {EXPIRY_MARGIN_MS} from './oauth-credentials.js'
import type {ClientCredentialsLogin} from './profile.js'
import {SharedRequest} from './shared-request.js'

export interface ClientCredentialsOptions {
  login: Pick<ClientCredentialsLogin, 'clientId' | 'clientSecret'>
  profileName: string
  /** The OAuth host (CFADMIN_AUTH_URL). */
  authUrl: string
  /** For tests: the token endpoint client and the time. */
  auth?: Got
  now?: () => number
}

export class ClientCredentials implements CredentialProvider {
  private token: ClientToken | undefined
  /** The token asked for because its predecessor got a 401: if it gets one too, a new token will not help. */
  private afterRefusal: string | undefined
  private readonly asking = new SharedRequest<ClientToken>()
  private readonly now: () => number

  constructor(private readonly options: ClientCredentialsOptions) {
    this.now = options.now ?? Date.now
  }

  /** The access token in use, a new one when there is none yet or it expires within the margin. */
  async current(): Promise<ClientToken> {
    const {token} = this
    if (token && Date.parse(token.expiresAt) - EXPIRY_MARGIN_MS > this.now()) return token
    return this.renew()
  }

  async authorization(): Promise<string> {
    return `Bearer ${(await this.current()).accessToken}`
  }

  /**
   * After a 401: a new token, unless another request has already replaced the one refused. A token that was itself
   * the answer to a 401 and is refused too means the credentials, not the token, are the problem: exit 4.
   */
  async refresh(rejected?: string): Promise<boolean> {
    const refused = rejected?.replace(/^Bearer\s+/i, '')
    if (this.token && refused !== undefined && refused !== this.token.accessToken) return true
    if (this.token && refused === this.afterRefusal) throw this.refusedAgain()
    const token = await this.renew()
    this.afterRefusal = token.accessToken
    return true
  }

  /** The new token was refused as well: the credentials (or the account), not the token, are the problem. */
  refusedAfterRefresh(): Error {
    return this.refusedAgain()
  }

  private renew(): Promise<ClientToken> {
    return this.asking.run(async () => {
      const auth = this.options.auth ?? (await tokenClient(this.options.authUrl))
      this.token = await clientCredentialsToken(auth, this.options.login, this.now())
      return this.token
    })
  }

  private refusedAgain(): CfadminError {
    const {clientId} = this.options.login
    const profile = this.options.profileName === 'default' ? '' : ` --profile ${this.options.profileName}`
    return new CfadminError(
      `Atlassian refused a new access token of the client credentials ${clientId} (profile "${this.options.profileName}") as well.`,
      {
        code: 'CLIENT_CREDENTIALS_REFUSED',
        exit: ExitCode.notAuthenticated,
        hint: `Check that the service account is active and has Confluence access, and that the secret is current; then log in again (secret in ${CLIENT_SECRET_SOURCES}): cfadmin auth login --client-credentials --client-id ${clientId}${profile}.`,
      },
    )
  }
}
