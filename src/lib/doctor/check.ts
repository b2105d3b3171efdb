/**
 * What `cfadmin doctor` checks and what each check found: one line each, ok / warn / fail, with the reason and the
 * fix. The checks share what the earlier ones learnt (whose the credential is, the first space it lists).
 */
import type {Got} from 'got'

import type {CurrentUser} from '../api/identity.js'
import type {Space} from '../api/confluence.js'
import type {SiteRoute} from '../session/clients.js'
import type {Profile} from '../session/profile.js'
import type {ProfileStore} from '../session/profile-store.js'
import type {Session} from '../session/session.js'

export type CheckStatus = 'ok' | 'warn' | 'fail'

export interface CheckResult {
  /** Stable: credential, expiry, product-access, call:<name>, spaces, coverage, access-route. */
  id: string
  status: CheckStatus
  /** What was checked, in a few words. */
  title: string
  reason?: string
  fix?: string
}

/** What the checks share: the connector's credential, its client, and what the earlier checks found. */
export interface DoctorContext {
  session: Session
  profile: Profile
  store: ProfileStore
  env: NodeJS.ProcessEnv
  route: SiteRoute
  site: Got
  /** The scope preset whose calls are checked. */
  preset: string
  now: number
  /** Found by the credential check. */
  me?: CurrentUser
  /** The credential was refused outright (or Atlassian could not be reached): later checks are skipped. */
  unusable?: 'refused' | 'unreachable'
  /** The gateway took the credential but refused reading the current user for its scopes. */
  scopesLimited?: boolean
  /** The account has no Confluence product access: every Confluence call would say so again. */
  noConfluenceAccess?: boolean
  noConfluenceAccessFix?: string
  /** The spaces the credential lists (current ones), for the coverage summary and ids of the calls. */
  spaces?: Space[]
  /** The first page the space-pages call read: where the page-restrictions call looks. */
  pageId?: string
  /** The admin login for coverage (another profile), when at hand. */
  admin?: {profileName: string}
}

export type DoctorCheck = (context: DoctorContext) => Promise<CheckResult[]>
