import {FakeHttpError} from '../errors.js'
import {json, type Route} from '../router.js'
import {primarySite} from '../state.js'

/** The site's edge: GET /_edge/tenant_info, no authentication -> {"cloudId"} (atlassian-api.md §1d). */
export const edgeRoutes: Route[] = [
  {
    anonymous: true,
    handler({state}) {
      const site = primarySite(state)
      if (!site) throw new FakeHttpError(404, 'This fake has no site (the seed lists none).')
      return json(200, {cloudId: site.cloudId})
    },
    method: 'GET',
    path: '/_edge/tenant_info',
  },
]
