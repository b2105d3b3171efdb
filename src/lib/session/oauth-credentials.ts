/**
 * The credential provider of an OAuth grant: Bearer <access token>, refreshed when it has expired or the
 * gateway answers 401. Atlassian rotates refresh tokens (atlassian-api.md §1b), so a refresh must never be
 * lost or sent twice in parallel:
 * - requests in this process that need a refresh at the same time share one;
 * - cfadmin processes on this machine take turns through a lock file beside the profiles, and each first
 *   reads the profile again, adopting tokens another process has just rotated;
 * - the new refresh token is written to the profile (atomically) before the new access token is used.
 */
import type {Got} from 'got'

import {checkpoint} from '../checkpoint.js'
import {CfadminError, ExitCode} from '../errors.js'
import {withFileLock} from '../files/lock-file.js'
import type {CredentialProvider} from '../http/client.js'
import {refreshTokens, tokenClient} from '../oauth/token-endpoint.js'
import type {OAuthGrant} from './profile.js'
import type {ProfileStore} from './profile-store.js'
import {rescueGrant} from './rescue-grant.js'
import {SharedRequest} from './shared-request.js'

/** Refresh this long before the stored expiry, so a token does not die in flight. */
export const EXPIRY_MARGIN_MS = 60_000

export interface OAuthCredentialsOptions {
  store: ProfileStore
  profileName: string
  grant: OAuthGrant
  /** The OAuth host (CFADMIN_AUTH_URL). */
  authUrl: string
  /** For tests: the token endpoint client and the time. */
  auth?: Got
  now?: () => number
}

export class OAuthCredentials implements CredentialProvider {
  private grant: OAuthGrant
  private readonly rotating = new SharedRequest<void>()
  private readonly now: () => number

  constructor(private readonly options: OAuthCredentialsOptions) {
    this.grant = options.grant
    this.now = options.now ?? Date.now
  }

  /** The grant as it stands now (after any refresh). */
  get current(): OAuthGrant {
    return this.grant
  }

  expired(grant: OAuthGrant = this.grant): boolean {
    return Date.parse(grant.expiresAt) - EXPIRY_MARGIN_MS <= this.now() || Number.isNaN(Date.parse(grant.expiresAt))
  }

  async authorization(): Promise<string> {
    if (this.expired()) await this.rotateOnce(false)
    return `Bearer ${this.grant.accessToken}`
  }

  /** After a 401: refresh, unless another request has already replaced the token that was refused. */
  async refresh(rejected?: string): Promise<boolean> {
    if (rejected !== undefined && rejected !== `Bearer ${this.grant.accessToken}`) return true
    await this.rotateOnce(false)
    return true
  }

  /** `auth token --refresh`: a new pair now, also for a grant handed to a connector (the user asked). */
  async refreshNow(): Promise<OAuthGrant> {
    await this.rotateOnce(true)
    return this.grant
  }

  private rotateOnce(asked: boolean): Promise<void> {
    return this.rotating.run(() => this.rotate(asked))
  }

  private async rotate(asked: boolean): Promise<void> {
    const {profileName, store} = this.options
    const before = this.grant
    await withFileLock(
      `${store.path}.oauth-lock`,
      async () => {
        // Another cfadmin may have rotated while this one was working: its tokens are the live ones. A login
        // that is gone (auth logout) or belongs to another app now (a new login) is not renewed here.
        const stored = (await store.get(profileName))?.oauth
        if (!stored) throw this.changedMeanwhile('was logged out')
        if (stored.clientId !== before.clientId) throw this.changedMeanwhile('was replaced by another login')
        if (stored.refreshToken !== before.refreshToken || stored.accessToken !== before.accessToken) {
          this.grant = stored
          if (!asked && !this.expired(stored)) return
        }

        const used = this.grant
        const {refreshToken} = used
        if (!refreshToken) throw this.loginAgain('holds no refresh token (the login did not get offline_access)')
        if (used.handedOverAt && !asked) {
          throw this.loginAgain(
            `gave its refresh token to a connector (cfadmin auth token, ${used.handedOverAt}); refreshing it here would end the connector's copy`,
          )
        }

        // The old refresh token dies with the call: make sure the new one can be saved first.
        await store.checkRoom()
        const auth = this.options.auth ?? (await tokenClient(this.options.authUrl))
        const tokens = await refreshTokens(auth, used, refreshToken, this.now())
        await checkpoint('oauth-tokens-received')
        const next: OAuthGrant = {
          ...used,
          accessToken: tokens.accessToken,
          expiresAt: tokens.expiresAt,
          refreshToken: tokens.refreshToken ?? refreshToken,
          scopes: tokens.scopes.length > 0 ? tokens.scopes : used.scopes,
        }
        await this.save(used, next)
        await checkpoint('oauth-tokens-saved')
        this.grant = next
      },
      {purpose: 'renewing the OAuth login', waitMs: 60_000},
    )
  }

  /**
   * Writes the renewed grant, unless the profile's grant changed during the call (logged out, or logged in
   * again): that change wins and nothing is written. If the write fails, the grant goes to a rescue file.
   */
  private async save(used: OAuthGrant, next: OAuthGrant): Promise<void> {
    const {profileName, store} = this.options
    let outcome = 'saved' as 'gone' | 'replaced' | 'saved'
    try {
      await store.update(profileName, (profile) => {
        const now = profile?.oauth
        if (!now) outcome = 'gone'
        else if (now.clientId !== used.clientId || now.refreshToken !== used.refreshToken) outcome = 'replaced'
        return outcome === 'saved' ? {...profile, oauth: next} : profile
      })
    } catch (error) {
      const rescue = await rescueGrant(store, profileName, next)
      const reason =
        error instanceof CfadminError ? error.message : `${(error as NodeJS.ErrnoException).code ?? 'an error'}`
      if (rescue === undefined) {
        throw new CfadminError(
          `The OAuth login of profile "${profileName}" was renewed, but neither ${store.path} nor a rescue file could be written (${reason}), so it is lost.`,
          {
            cause: error,
            code: 'OAUTH_SAVE_FAILED',
            exit: ExitCode.notAuthenticated,
            hint: this.loginAgain('').hint,
          },
        )
      }

      throw new CfadminError(
        `The OAuth login of profile "${profileName}" was renewed but could not be saved (${reason}). The new refresh token is in ${rescue} (readable only by you); the old one no longer works.`,
        {
          cause: error,
          code: 'OAUTH_SAVE_FAILED',
          exit: ExitCode.notAuthenticated,
          hint: `Once ${store.configDir} can be written again, put it back: mv ${rescue} ${store.path}`,
        },
      )
    }

    if (outcome === 'gone') throw this.changedMeanwhile('was logged out')
    if (outcome === 'replaced') throw this.changedMeanwhile('was replaced by another login')
  }

  /** The profile's grant changed under this command: exit 4, nothing saved. */
  private changedMeanwhile(what: string): CfadminError {
    return new CfadminError(
      `The OAuth login of profile "${this.options.profileName}" ${what} while this command was using it; it was not renewed or saved here.`,
      {
        code: 'OAUTH_LOGIN_CHANGED',
        exit: ExitCode.notAuthenticated,
        hint: 'Run the command again (after cfadmin auth login --oauth, if you logged out).',
      },
    )
  }

  private loginAgain(why: string): CfadminError {
    return new CfadminError(`The OAuth login of profile "${this.options.profileName}" ${why}.`, {
      code: 'OAUTH_LOGIN_NEEDED',
      exit: ExitCode.notAuthenticated,
      hint: `Log in again: cfadmin auth login --oauth --client-id ${this.grant.clientId}${this.options.profileName === 'default' ? '' : ` --profile ${this.options.profileName}`}.`,
    })
  }
}
