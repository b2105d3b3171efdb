/** Authorization header values, for tests that call the fake directly. */
export const basicAuth = (email: string, token: string): string => `Basic ${Buffer.from(`${email}:${token}`).toString('base64')}`
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
  readerToken: {email: 'reader@acme.example', token: 'fake-api-token-reader'},
  siteName: 'acme',
  suspendedToken: {email: 'suspended@acme.example', token: 'fake-api-token-suspended'},
} as const
