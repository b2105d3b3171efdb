/**
 * The fake's data model. A seed (JSON) has the same shape as the live state, with every list optional;
 * README.md in this folder describes each field. Ids are free-form strings: the bundled seeds use
 * obviously fake ones ("org-fake-0001") so nobody mistakes them for a real tenant.
 */

export type UserStatus = 'active' | 'suspended' | 'deactivated'

/** An Atlassian organization (admin.atlassian.com/o/<id>). */
export interface FakeOrg {
  id: string
  name: string
  /**
   * false: the org has no paid subscription, so Admin v2 POST /users/invite answers 402 (atlassian-api.md §2a: "Only
   * available to orgs with at least one paid subscription"). Default true.
   */
  paidSubscription?: boolean
  /**
   * The org has had Atlassian's "Units" rollout, after which adding a member to `org-admins` through Admin v2 answers
   * 400 (jira.js addUserToGroup note: "applies to all organizations"; atlassian-2026.md §5). Default true (refused).
   * Lenient: false (accepted; membership no longer grants org admin either way).
   */
  unitsRollout?: boolean
}

/** A site's space-role mode (GET /wiki/api/v2/space-role-mode; atlassian-2026.md §1d). */
export type FakeSpaceRoleMode = 'PRE_ROLES' | 'ROLES' | 'ROLES_TRANSITION'

/** Confluence plan of a site; the admin key exists on premium and enterprise only (§1c). */
export type FakeEdition = 'enterprise' | 'free' | 'premium' | 'standard'

/** A user directory of an organization (Admin API v2 `directoryId`). */
export interface FakeDirectory {
  id: string
  name: string
  orgId: string
}

/** An organization Admin API key (Bearer on /admin/...); it sees the listed organizations only. */
export interface FakeAdminKey {
  key: string
  orgIds: string[]
  /** Its id and name in the API-access listing (atlassian-2026.md §4d); filled in when a seed leaves them out. */
  id?: string
  name?: string
  /**
   * ISO 8601 (in a seed also "+30d" / "-1d": days from when the fake starts). From then on the key is refused with 401
   * (§4d: every key expires, a year at most). Default: a year after the fake starts.
   */
  expiresAt?: string
  /** ISO 8601; set each time the key is used. */
  lastActiveAt?: string
  createdAt?: string
  /** The account that created it (listed as `createdBy`, UNCONFIRMED field). */
  createdBy?: string
  /**
   * A key "with scopes" (§4d): only these. The API-access listing needs read:tokens:admin (api-tokens) and
   * read:keys:admin (api-keys), else 403. Absent: a key without scopes, which may read both.
   */
  scopes?: string[]
}

/**
 * What the API-access listing knows of one API token (atlassian-2026.md §4a, §4d): its owner, label and dates. Every
 * token in a user's apiTokens has one (filled in when a seed leaves it out: created 30 days before the fake starts,
 * expiring a year after). An expired token is refused with 401, like an unknown one.
 */
export interface FakeApiTokenRecord {
  /** The token value, one of the owner's `apiTokens`. */
  token: string
  accountId: string
  id: string
  label: string
  /** ISO 8601 (in a seed also "+30d" / "-1d", days from when the fake starts). */
  expiresAt: string
  createdAt?: string
  /** ISO 8601; set each time the token is used. */
  lastActiveAt?: string
}

/**
 * A Confluence site. The FIRST site is the one the fake serves at its own origin (/wiki/..., /_edge/tenant_info);
 * every site is reachable through the gateway /ex/confluence/{cloudId}/... and listed as a workspace of its org.
 */
export interface FakeSite {
  cloudId: string
  /** The site name: "acme" for acme.atlassian.net (the suffix of confluence-users-<name>). */
  name: string
  orgId: string
  /** Workspace hostUrl; default: the fake's own URL for the first site, https://<name>.atlassian.net for others. */
  hostUrl?: string
  /**
   * Confluence seats: how many active accounts may hold a billable role (atlassian/user or atlassian/admin, directly or
   * through a group) on this site. Past it, granting one more answers LicenceExceededException (§3b). Absent: no limit.
   */
  licenceLimit?: number
  /** false: the v2 /user/access/* endpoints answer 503 "API is disabled on site" (§2b). Default true. */
  accessApiEnabled?: boolean
  /**
   * Space-role mode (§1d): PRE_ROLES (individual permissions only), ROLES_TRANSITION (a principal with custom access
   * keeps individual permissions, others get roles), ROLES (roles only; v1 permission writes answer 400). Default ROLES:
   * every site created since November 2025 is roles-only.
   */
  roleMode?: FakeSpaceRoleMode
  /**
   * What GET /space-role-mode answers, when it is not `roleMode`: another mode (a site whose mode changed since, or
   * that reports one mode and enforces another), or `'missing'` (404, as a site without the endpoint). Default: the
   * site's `roleMode`. Writes always follow `roleMode`.
   */
  roleModeAnswer?: FakeSpaceRoleMode | 'missing'
  /** The plan (§1c): the admin key exists on premium and enterprise only. Default standard. */
  edition?: FakeEdition
  /**
   * The directory that holds the site's users (§5: an org on the original user management may have several; the
   * first is not necessarily the right one). Admin invites and Confluence-created groups land here. Default: the org's
   * first directory.
   */
  directoryId?: string
}

/** An Atlassian account. */
export interface FakeUser {
  accountId: string
  /** Display name (and public name). */
  name: string
  /**
   * The Admin API's `nickname` (users/search answers and sorts by it; `sortBy` field "nick_name"). Default: `name`.
   * generateSeed gives generated users nicknames that repeat, so sorted listings meet ties.
   */
  nickname?: string
  email: string
  /** false: the user hides their email; Confluence answers omit it. Default true. */
  emailVisible: boolean
  status: UserStatus
  /**
   * API tokens of this account (Basic email:token). A string is a classic token (the site only); `{token, scoped: true,
   * scopes}` a scoped one (atlassian-2026.md §4a): 401 on the site, accepted on the gateway for its scopes. Only active
   * users can use them.
   */
  apiTokens: FakeApiToken[]
  /** Site admin of the Confluence site(s); routes that need it call requireSiteAdmin(). */
  siteAdmin: boolean
  directoryId: string
  /** Default "atlassian"; "app" for bot accounts. A service account's default is `behaviour.serviceAccountType`. */
  accountType?: 'atlassian' | 'app'
  /**
   * An org's service account (atlassian-2026.md §4b): email `<name>@serviceaccount.atlassian.com`, created in
   * admin.atlassian.com (never by an invitation: the invite routes refuse its email), takes no licence seat, listed by
   * the API-access API. Default false.
   */
  serviceAccount?: boolean
  /** A service account's description (API-access listing). */
  description?: string
  timeZone?: string
  /** When the account joined the org (Admin API `addedToOrg`, ISO 8601). */
  addedToOrg?: string
  /** Created by an invite (Admin v2 invite or Confluence invite-by-email) and not signed in since. */
  invited?: boolean
  /**
   * Epoch ms (the fake's clock) from which Confluence knows this account (§3: an account an Admin API invite created
   * is unknown to Confluence for a while). Absent: known.
   */
  confluenceKnownAt?: number
  /**
   * true: the account has no Confluence product access at all; every Confluence route (site and gateway) answers it
   * 403 "Current user not permitted to use Confluence" (atlassian-2026.md §4a, measured), whatever its credential.
   */
  noConfluenceAccess?: boolean
}

/** A classic API token (a string) or a token object; `scoped: true` with the scopes it was created with. */
export type FakeApiToken = string | {token: string; scoped?: boolean; scopes?: string[]}

/**
 * Canonical Atlassian role ids (atlassian-api.md §2a, §3a; jira.js MultiDirectoryUserSearchRequest.roleIds):
 * atlassian/user and atlassian/admin consume a Confluence seat, the others do not.
 */
export type FakeRoleId =
  | 'atlassian/admin'
  | 'atlassian/basic'
  | 'atlassian/contributor'
  | 'atlassian/customer'
  | 'atlassian/guest'
  | 'atlassian/org-admin'
  | 'atlassian/site-admin'
  | 'atlassian/stakeholder'
  | 'atlassian/user'
  | 'atlassian/user-access-admin'
  | 'atlassian/viewer'

/** A role given to one user directly (Admin v1 roles/assign, §3a). `resourceId` is empty for atlassian/org-admin. */
export interface FakeRoleAssignment {
  accountId: string
  /** The resource ARI, ari:cloud:confluence::site/<cloudId>. */
  resourceId: string
  roleId: FakeRoleId
}

/**
 * A role a group gives all its members (§3b). A site's default groups hold these: confluence-users-<site> the
 * atlassian/user role, confluence-admins-<site> atlassian/admin (derived from the names when a seed has no list).
 */
export interface FakeGroupRoleAssignment {
  groupId: string
  resourceId: string
  roleId: FakeRoleId
}

/** A Confluence v2 invite-by-email waiting to take effect (it is asynchronous, §2b). */
export interface FakePendingInvite {
  email: string
  cloudId: string
  /** Epoch ms; it takes effect at the first request at or after this time. */
  dueAt: number
}

/** Switches for behaviour the doc leaves open (UNCONFIRMED there); a seed may set any of them. */
export interface FakeBehaviour {
  /**
   * v1 POST /wiki/rest/api/space/{key}/permission with an OAuth (3LO) token (§6a, UNCONFIRMED): 'allow' (scopes
   * read:space.permission:confluence + write:space.permission:confluence still needed), or refuse with 401 or 403 and
   * a message saying an API token is needed. Default 403.
   */
  oauthSpacePermissionWrite: 'allow' | 401 | 403
  /** v2 invite-by-email: invites take effect at the first request this many ms later. Default 0 (the next request). */
  inviteDelayMs: number
  /** OAuth: lifetime of the access tokens /oauth/token mints (`expires_in`). Default 3600 (§1b: 1 hour). */
  accessTokenTtlSeconds: number
  /**
   * OAuth: how long after its rotation a refresh token is still accepted (it then gives a new pair); presented later,
   * it revokes the whole grant. Default 600000 (§1b: Atlassian's 10-minute leeway).
   */
  refreshTokenLeewayMs: number
  /**
   * v1 writes (POST/PUT/DELETE under /wiki/rest/api) without `X-Atlassian-Token: no-check` answer 403 "XSRF check
   * failed" (§2, conflicting sources). Default true. Lenient: false.
   */
  xsrfRequired: boolean
  /**
   * The by-name group routes (GET group/by-name, GET group/{groupName}/member, POST|DELETE group/user?name=), removed
   * from the published v1 API (§2): 'gone' (default) answers 404 on the site URL and 410 {"message": "This deprecated
   * endpoint has been removed"} on the gateway; 'available' (lenient) serves them, with a Warning: 299 header.
   */
  byNameGroups: 'available' | 'gone'
  /**
   * Routes (`METHOD /path/template`, as in routes/*.ts) that answer with `Warning: 299 - "Deprecated API, will be
   * removed …"` (§6). Default: the four by-name group routes.
   */
  deprecatedRoutes: string[]
  /** Admin v2 invite: at most this many emails a request, else 400 (§5, a third-party cap: UNCONFIRMED). Default 25. */
  inviteEmailCap: number
  /**
   * Admin v2 invite: a role outside the invite roles (§5: atlassian/user-access-admin is not one) refuses the whole
   * batch with 400. Default true. Lenient: false (the role is given as roles/assign would).
   */
  inviteRoleValidation: boolean
  /**
   * How long (fake clock, ms) a group or account made through the Admin API stays unknown to Confluence (§3). Default
   * 3000. Lenient: 0.
   */
  propagationDelayMs: number
  /**
   * true (lenient, the old simplification): a site admin sees and administers every space. false (default, §1c): a
   * site admin is a user like any other, seeing the spaces they may view and administering those they hold the
   * administer permission (or the Admin role) on, unless the admin key is on and the request carries
   * `Atl-Confluence-With-Admin-Key: true`.
   */
  siteAdminSeesAllSpaces: boolean
  /** With the admin key on: spaces the admin cannot view are listed by GET /spaces too (§1c UNCONFIRMED). Default true. */
  adminKeyListsHiddenSpaces: boolean
  /**
   * Status of v2 POST /spaces/{id}/role-assignments when the caller may view the space but not manage its roles. The
   * v2 spec documents 404 ("does not have permission to set roles in the space"); default 404. 403 is the other
   * plausible answer.
   */
  roleAssignmentDeniedStatus: 403 | 404
  /**
   * Admin v2 users/search without `emails` (a listing): whether users who hide their email come with it ('shown') or
   * without ('omitted'). UNCONFIRMED (atlassian-2026.md §5: the CSV export stays the fallback). Default 'omitted'; a
   * search naming the email (`emails`) always shows it.
   */
  adminSearchHiddenEmails: 'omitted' | 'shown'
  /**
   * Admin v2 GET …/directories/{directoryId}/users/count (jira.js getDirectoryUsersCount): 'exact' (default) counts
   * what users/search with the same filters lists; 'missing' answers 404 as if the org had no such endpoint;
   * 'off-by-one' counts one user more than the search can list (as a managed account outside every directory, which
   * the jira.js doc says the count includes by default), so a client stopping at the count never gets there.
   */
  userCount: 'exact' | 'missing' | 'off-by-one'
  /**
   * Admin v2 users/search `sortBy: [{field: "nick_name", direction}]` (jira.js multiDirectoryUserSearchRequest.ts):
   * 'honoured' (default) lists by nickname in that direction (ties by account ID ascending either way); 'ignored'
   * accepts it and lists in the default order; 'refused' answers 400 naming sortBy as unsupported.
   */
  userSearchSort: 'honoured' | 'ignored' | 'refused'
  /**
   * The `accountType` the directory and Confluence show for a service account whose seed gives none (§4b leaves it
   * open, UNCONFIRMED): 'app' (default) or 'atlassian' (then only the email's domain tells it apart).
   */
  serviceAccountType: 'app' | 'atlassian'
  /**
   * GET /admin/api-access/v1/orgs/{orgId}/service-accounts (§4b, experimental; scope read:service-accounts:admin):
   * 'allow' (default) or refuse with 401, 403 or 404, as for a key that may not read it.
   */
  serviceAccountListing: 'allow' | 401 | 403 | 404
  /**
   * v1 routes (/wiki/rest/api) for an OAuth grant holding granular scopes only (atlassian-2026.md §4a, measured):
   * 'refused' (default) answers 401 {"code":401,"message":"Unauthorized; scope does not match"} with
   * `X-Failure-Category: FAILURE_CLIENT_SCOPE_CHECK` wherever the route takes a classic scope; 'accepted' (lenient)
   * lets the granular alternative the document lists as Beta through.
   */
  v1GranularOnly: 'accepted' | 'refused'
  /**
   * The token endpoint's answer to a dead refresh token (rotated out past the leeway, unknown, revoked): 403
   * `unauthorized_client` "refresh_token is invalid" (default, what is measured: atlassian-2026.md §4c) or 403
   * `invalid_grant` "Unknown or invalid refresh token." (what Atlassian documents).
   */
  deadRefreshTokenError: 'invalid_grant' | 'unauthorized_client'
  /**
   * The points quota of OAuth (Bearer) gateway traffic (atlassian-2026.md §6): requests per hour of the fake's clock
   * (windows start on the hour). 0 (default): not metered, no quota headers. Metered answers carry `Beta-Ratelimit-Policy`,
   * `Beta-Ratelimit`, `X-Beta-Ratelimit-Reset` (ISO) and `X-Beta-Ratelimit-Nearlimit`; past the quota: 429 with
   * `X-Beta-Ratelimit-Reason: confluence-quota-tenant-based` (name UNCONFIRMED), the reset and `Retry-After`.
   */
  oauthQuotaPerHour: number
  /** Share of `oauthQuotaPerHour` used from which answers say `X-Beta-Ratelimit-Nearlimit: true`. Default 0.8. */
  oauthQuotaNearLimit: number
}

export interface FakeGroup {
  id: string
  name: string
  directoryId: string
  description?: string
  /** Synced from an identity provider (SCIM): memberships cannot be changed through the APIs. */
  managedByIdp?: boolean
  /** Epoch ms from which Confluence knows this group (§3: set on groups the Admin API creates). Absent: known. */
  confluenceKnownAt?: number
}

export interface FakeMembership {
  groupId: string
  accountId: string
}

/** The seven space types of the v2 spec (GET /spaces `type`, §1a). */
export type FakeSpaceType =
  'collaboration' | 'global' | 'knowledge_base' | 'onboarding' | 'personal' | 'system' | 'xflow_sample_space'

export const SPACE_TYPES: readonly FakeSpaceType[] = [
  'global',
  'collaboration',
  'knowledge_base',
  'personal',
  'system',
  'onboarding',
  'xflow_sample_space',
]

/**
 * A space role (§1d): the four system roles (Admin, Manager, Collaborator, Viewer) and custom ones. Role ids differ
 * per site, so clients must find a role by name and type. `spacePermissions` uses the v2 spec's ids ("read/space").
 */
export interface FakeSpaceRole {
  id: string
  type: 'CUSTOM' | 'SYSTEM'
  name: string
  description: string
  spacePermissions: string[]
  /** The site the role belongs to; default the first site. */
  cloudId?: string
}

/** A principal's role on a space (v2 role assignments, §1d): at most one per principal and space. */
export interface FakeSpaceRoleAssignment {
  spaceKey: string
  /**
   * A user (account ID), a group (ID) or an access class (atlassian-api.md §6d: anonymous-users, jsm-project-admins,
   * authenticated-users, all-licensed-users, all-product-admins). A space's default access may name a class (§1d
   * "groups and user classes"): all-licensed-users holds the role for every account with Confluence access to the
   * site, authenticated-users for every active account, anonymous-users for everyone; the other two name nobody the
   * fake models.
   */
  principal: {type: 'access-class' | 'group' | 'user'; id: string}
  roleId: string
}

/** An admin key switched on for a user on a site (v2 POST /admin-key, §1c). */
export interface FakeAdminKeySession {
  accountId: string
  cloudId: string
  /** Epoch ms (the fake's clock). */
  expiresAt: number
}

/** An invitation email the Admin API sent (only with sendNotification and notificationText, §5). */
export interface FakeSentInviteEmail {
  email: string
  text: string
  orgId: string
}

export interface FakeSpace {
  /** Numeric string (Confluence v2 ids are strings, v1 ids int64). */
  id: string
  key: string
  name: string
  type: FakeSpaceType
  status?: 'current' | 'archived'
  /** The site the space lives on; default: the first site. */
  cloudId?: string
}

/** One space permission: a principal may do operation.key on operation.target (v1 terms, e.g. read/space). */
export interface FakeSpacePermission {
  id: number
  spaceKey: string
  principal: {type: 'user' | 'group'; id: string}
  operation: {key: string; target: string}
}

/**
 * An OAuth 2.0 (3LO) access token: Bearer on the gateway and on /oauth/token/accessible-resources. /oauth/token mints
 * them (with `grantId`); a seed may list ready-made ones (no grant).
 */
export interface FakeOAuthToken {
  accessToken: string
  accountId: string
  /** Sites (cloud IDs) the grant covers. */
  cloudIds: string[]
  scopes: string[]
  /** ISO 8601; absent = never expires. */
  expiresAt?: string
  /** The grant that minted it; the token dies with the grant (revoked grant: 401 everywhere). */
  grantId?: string
}

/**
 * An OAuth 2.0 (3LO) app of the developer console (§1b): what /authorize and /oauth/token accept from it.
 */
export interface FakeOAuthApp {
  clientId: string
  clientSecret: string
  /** Shown on the consent page. */
  name: string
  /**
   * Registered callback URLs; a redirect_uri must equal one exactly. Fake-only convenience: `http://localhost:*` and
   * `http://127.0.0.1:*` (scheme://host:*) match that scheme and host with any port (or none) and any path and query.
   */
  callbackUrls: string[]
  /** The scopes the app may ask for (those added to it in the console); offline_access included when wanted. */
  scopes: string[]
}

/**
 * OAuth 2.0 client credentials of a service account (atlassian-2026.md §4b): POST /oauth/token with
 * grant_type=client_credentials gives access tokens acting as `accountId`, for `accessTokenTtlSeconds`, with no
 * refresh token.
 */
export interface FakeClientCredentials {
  clientId: string
  clientSecret: string
  /** The account the tokens act as (a service account, `…@serviceaccount.atlassian.com`). */
  accountId: string
  scopes: string[]
  /** Sites the tokens are for; default every site of the fake. */
  cloudIds?: string[]
}

/** One refresh token of a grant. Exactly one (the last issued) is current; the others have `rotatedAt`. */
export interface FakeOAuthRefreshToken {
  token: string
  /** ISO 8601. */
  issuedAt: string
  /** ISO 8601: when a newer token replaced it. Within `behaviour.refreshTokenLeewayMs` of this it is still accepted. */
  rotatedAt?: string
}

/**
 * What a user's consent created (one per authorization-code exchange): the account, sites and scopes its tokens carry,
 * and its refresh tokens in the order issued (`refreshTokens.length - 1` = refreshes so far).
 */
export interface FakeOAuthGrant {
  id: string
  clientId: string
  accountId: string
  cloudIds: string[]
  scopes: string[]
  /** ISO 8601. */
  createdAt: string
  /** true: every refresh and access token of the grant is refused; the user must consent again. */
  revoked: boolean
  /** ISO 8601, with `revokedReason`, set when `revoked` became true. */
  revokedAt?: string
  revokedReason?: string
  /** Empty when the scopes lack offline_access (no refresh token, §1b). */
  refreshTokens: FakeOAuthRefreshToken[]
}

/** An authorization code from POST /authorize: single use, expires, bound to what the consent said. */
export interface FakeOAuthCode {
  code: string
  clientId: string
  redirectUri: string
  accountId: string
  cloudIds: string[]
  scopes: string[]
  /** ISO 8601 (10 minutes after issue). */
  expiresAt: string
  used: boolean
}

/** The live, mutable state of one fake. Tests may read and change it directly. */
export interface FakeState {
  orgs: FakeOrg[]
  directories: FakeDirectory[]
  adminKeys: FakeAdminKey[]
  sites: FakeSite[]
  users: FakeUser[]
  groups: FakeGroup[]
  memberships: FakeMembership[]
  spaces: FakeSpace[]
  spacePermissions: FakeSpacePermission[]
  oauthTokens: FakeOAuthToken[]
  /** OAuth 2.0 (3LO) apps (client ID, secret, callback URLs, allowed scopes). */
  oauthApps: FakeOAuthApp[]
  /** Consents turned into tokens, with their refresh-token history. */
  oauthGrants: FakeOAuthGrant[]
  /** Authorization codes issued by POST /authorize. */
  oauthCodes: FakeOAuthCode[]
  /** OAuth client credentials of service accounts (grant_type=client_credentials). */
  clientCredentials: FakeClientCredentials[]
  /** Direct user role assignments (Admin v1 roles/assign; an invite with permissionRules). */
  roleAssignments: FakeRoleAssignment[]
  /** Roles groups give their members (default groups of each site). */
  groupRoleAssignments: FakeGroupRoleAssignment[]
  /** Confluence v2 invite-by-email requests not applied yet. */
  pendingInvites: FakePendingInvite[]
  /** Space roles of every site (system and custom); derived per site when a seed has none (§1d). */
  spaceRoles: FakeSpaceRole[]
  /** Who holds which role on which space (§1d). */
  spaceRoleAssignments: FakeSpaceRoleAssignment[]
  /** Admin keys switched on (v2 /admin-key, §1c). */
  adminKeySessions: FakeAdminKeySession[]
  /** Invitation emails the Admin API sent (for tests). */
  sentInviteEmails: FakeSentInviteEmail[]
  /** Expiry and use of every API token (the API-access listing, §4d). */
  apiTokenRecords: FakeApiTokenRecord[]
  behaviour: FakeBehaviour
}

/** A user as written in a seed: emailVisible, status, apiTokens and siteAdmin may be left out. */
export type FakeSeedUser = Omit<FakeUser, 'apiTokens' | 'emailVisible' | 'siteAdmin' | 'status'> &
  Partial<Pick<FakeUser, 'apiTokens' | 'emailVisible' | 'siteAdmin' | 'status'>>

/** A seed: the state as JSON, every list optional, plus a free-text description. */
export interface FakeSeed extends Partial<Omit<FakeState, 'behaviour' | 'users'>> {
  description?: string
  users?: FakeSeedUser[]
  behaviour?: Partial<FakeBehaviour>
}

/**
 * API family of a request, decided by its path; it fixes which credential is accepted and the error shape.
 * edge: /_edge/... (no auth) · site: /wiki/... (Basic email:API token) · gateway: /ex/confluence/{cloudId}/...
 * (Bearer OAuth access token) · admin: /admin/... (Bearer Admin API key) · auth: /authorize, /oauth/... (the OAuth
 * host; routes check their own credentials) · other: anything else (404).
 */
export type ApiFamily = 'edge' | 'site' | 'gateway' | 'admin' | 'auth' | 'other'

/** One request as the fake saw it. Never holds Authorization values; secret-looking query/body fields are redacted. */
export interface RecordedRequest {
  method: string
  /** The path as requested (gateway prefix included), without the query string. */
  path: string
  query: Record<string, string | string[]>
  /** The answer's status; 0 when the fake dropped the connection without answering. */
  status: number
  family: ApiFamily
  /** When the request arrived, ISO 8601. */
  time: string
  durationMs: number
  /** Matched OpenAPI operation ("confluence-v1 getCurrentUser"), when the path belongs to a spec'd API. */
  operation?: string
  /** Set when a fault answered instead of the route. */
  fault?: 'dropped' | 'failed' | 'quota' | 'rate-limited' | 'random-5xx' | 'random-drop'
  /** The JSON body sent, secret-looking fields redacted. */
  body?: unknown
  /** The request headers of `RECORDED_HEADERS` (server.ts) it carried, by lower-case name; absent when none. */
  headers?: Record<string, string>
}
