import type {Route} from '../router.js'
import {adminOrgRoutes} from './admin-orgs.js'
import {edgeRoutes} from './edge.js'
import {identityRoutes} from './identity.js'

/** Every route of the fake. A new API family or resource: one module in this folder, listed here. */
export const allRoutes: Route[] = [...edgeRoutes, ...identityRoutes, ...adminOrgRoutes]
