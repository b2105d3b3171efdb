import type {Route} from '../router.js'
import {adminGroupRoutes} from './admin-groups.js'
import {adminOrgRoutes} from './admin-orgs.js'
import {adminUserRoutes} from './admin-users.js'
import {apiAccessTokenRoutes} from './api-access-tokens.js'
import {apiAccessServiceAccountRoutes} from './api-access-service-accounts.js'
import {confluenceAccessRoutes} from './confluence-access.js'
import {confluenceGroupRoutes} from './confluence-groups.js'
import {confluenceRoleRoutes} from './confluence-roles.js'
import {confluenceSpaceRoutes} from './confluence-spaces.js'
import {edgeRoutes} from './edge.js'
import {identityRoutes} from './identity.js'
import {oauthRoutes} from './oauth.js'

/** Every route of the fake. A new API family or resource: one module in this folder, listed here. */
export const allRoutes: Route[] = [
  ...edgeRoutes,
  ...identityRoutes,
  ...confluenceGroupRoutes,
  ...confluenceSpaceRoutes,
  ...confluenceRoleRoutes,
  ...confluenceAccessRoutes,
  ...adminOrgRoutes,
  ...adminUserRoutes,
  ...adminGroupRoutes,
  ...apiAccessTokenRoutes,
  ...apiAccessServiceAccountRoutes,
  ...oauthRoutes,
]
