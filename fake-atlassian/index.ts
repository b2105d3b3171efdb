/**
 * A local, stateful fake of Atlassian Cloud (Confluence site, API gateway, Admin API, OAuth host) for cfadmin's
 * tests. See README.md in this folder.
 */
export {
  liveAccessToken,
  requireDirectories,
  requireOrg,
  requireScope,
  requireScopes,
  requireSite,
  requireSiteAdmin,
  currentUser,
  type Principal,
} from './auth.js'
export type {FakeClock} from './clock.js'
export {basicAuth, bearer, defaultSeedCredentials, defaultSeedIds} from './credentials.js'
export {loadContracts, specsDir, type SpecName} from './contract.js'
export {errorBody, FakeHttpError} from './errors.js'
export type {FaultControls, RandomFaults, RateLimit} from './faults.js'
export {html, json, redirect, type FakeResponse, type Route, type RouteContext, type RouteHandler} from './router.js'
export {startFakeAtlassian, type FakeAtlassian, type FakeAtlassianOptions} from './server.js'
export {createState, defaultBehaviour, defaultGroupRoles, defaultSeedPath, readSeed, seedPath} from './state.js'
export {generateSeed, type GenerateSeedOptions} from './generate.js'
export {hasConfluenceAccess, hasSpacePermission, isMember, userByEmail, writes, type WriteFilter} from './helpers.js'
export {
  authorizeUrl,
  consent,
  currentRefreshToken,
  grantFor,
  refreshCount,
  type ConsentChoice,
} from './oauth-helpers.js'
export {callbackMatches, CODE_TTL_MS} from './routes/oauth.js'
export {processPendingInvites, reindex, siteAri} from './model.js'
export {confluenceMessages} from './routes/common.js'
export type * from './types.js'
