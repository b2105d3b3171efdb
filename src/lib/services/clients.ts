import type {Got} from 'got'

import {createHttpClient} from '../http/client.js'
import {adminKeyCredentials, apiTokenCredentials, requireSite, type Session} from '../session/session.js'

/** The site's REST APIs with the session's email + API token; `anonymous` for tenant_info. */
export function siteClient(session: Session, options: {anonymous?: boolean} = {}): Got {
  return createHttpClient({baseUrl: requireSite(session).url, credentials: options.anonymous ? undefined : apiTokenCredentials(session), family: 'site'})
}

/** The organization Admin API with the session's Admin API key. */
export function adminClient(session: Session): Got {
  return createHttpClient({baseUrl: `${session.apiUrl}/admin`, credentials: adminKeyCredentials(session), family: 'admin'})
}
