/** Authorization header values, for tests that call the fake directly. */
export const basicAuth = (email: string, token: string): string =>
  `Basic ${Buffer.from(`${email}:${token}`).toString('base64')}`
export const bearer = (token: string): string => `Bearer ${token}`

/** The default seed's credentials (seeds/default.json). */
export const defaultSeedCredentials = {
  adminKey: 'fake-admin-key-0001',
  adminToken: {email: 'admin@acme.example', token: 'fake-api-token-admin'},
  cloudId: 'cloud-fake-0001',
  directoryId: 'dir-fake-0001',
  hiddenEmailToken: {email: 'hidden@acme.example', token: 'fake-api-token-hidden'},
  oauthAccessToken: 'fake-oauth-access-admin',
  orgId: 'org-fake-0001',
  marketerToken: {email: 'Mia.Marketer@Acme.example', token: 'fake-api-token-marketer'},
  /** The OAuth 2.0 (3LO) app: callbacks http://localhost:13131 and (fake-only wildcards) http://localhost:*, http://127.0.0.1:*. */
  oauthApp: {clientId: 'fake-oauth-client-0001', clientSecret: 'fake-oauth-secret-0001', name: 'Acme crawler (fake)'},
  readerOAuthAccessToken: 'fake-oauth-access-reader',
  readerToken: {email: 'reader@acme.example', token: 'fake-api-token-reader'},
  /** The admin's scoped API token (§4a): 401 on the site, Basic on the gateway, with the admin OAuth token's scopes. */
  scopedToken: {email: 'admin@acme.example', token: 'fake-scoped-token-admin'},
  /** The service account's OAuth client credentials (§4b), acting as crawler-bot@serviceaccount.atlassian.com. */
  serviceAccount: {
    clientId: 'fake-sa-client-0001',
    clientSecret: 'fake-sa-secret-0001',
    email: 'crawler-bot@serviceaccount.atlassian.com',
  },
  siteName: 'acme',
  spaceAdminToken: {email: 'spaceadmin@acme.example', token: 'fake-api-token-spaceadmin'},
  suspendedToken: {email: 'suspended@acme.example', token: 'fake-api-token-suspended'},
} as const

/** Ids of the default seed, for assertions. */
export const defaultSeedIds = {
  accounts: {
    admin: '712020:fake-0001-admin',
    contractor: '712020:fake-0008-contractor',
    crawler: '712020:fake-0006-crawler',
    crawlerBot: '712020:fake-0012-crawler-bot',
    deactivated: '712020:fake-0005-deactivated',
    hidden: '712020:fake-0003-hidden',
    marketer: '712020:fake-0010-marketer',
    quiet: '712020:fake-0009-quiet',
    reader: '712020:fake-0002-reader',
    searchCrawler: '712020:fake-0011-search-crawler',
    spaceAdmin: '712020:fake-0007-spaceadmin',
    suspended: '712020:fake-0004-suspended',
  },
  groups: {
    confluenceAdmins: 'group-fake-0002',
    confluenceUserAccessAdmins: 'group-fake-0003',
    confluenceUsers: 'group-fake-0001',
    engineering: 'group-fake-0005',
    finance: 'group-fake-0007',
    marketing: 'group-fake-0006',
    orgAdmins: 'group-fake-0004',
  },
  siteAri: 'ari:cloud:confluence::site/cloud-fake-0001',
  spaces: {DOCS: '10005', ENG: '10001', HR: '10002', MKT: '10003', OPS: '10004', personalReader: '10006'},
  personalSpaceKey: '~712020:fake-0002-reader',
} as const
