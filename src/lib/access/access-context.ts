import type {Got} from 'got'

import {Throttle} from '../engine/throttle.js'
import {badInput} from '../errors.js'
import {createHttpClient} from '../http/client.js'
import {RatePacer} from '../http/pacer.js'
import type {ProfileStore} from '../session/profile-store.js'
import {requireSite, resolveSession, type Session} from '../session/session.js'
import {adminClient, siteClient} from '../session/clients.js'
import {getCloudId} from '../api/identity.js'
import {ADMIN_KEY_HEADER, type AdminKeyNotices, adminKeyMinutes, AdminKeyRun} from './admin-key.js'
import {confluenceSiteAri, listConfluenceWorkspaces, listOrgs} from '../api/admin.js'
import {siteDirectory} from '../session/site-directory.js'

/** What a job that changes access needs: the session, its clients and the throttle they share. */
export interface AccessContext {
  session: Session
  site: Got
  /** The Admin API, when the session holds an Admin key with its organization and directory. */
  admin?: {client: Got; orgId: string; directoryId: string}
  cloudId: string
  /** For the recommended group names; undefined when the host does not tell it (custom domain). */
  siteName?: string
  throttle: Throttle
  /** The admin key of an --admin-key run (its site requests carry the header); end() it when the run ends. */
  adminKey?: AdminKeyRun
}

/** Loads the session for a profile and builds its clients, all slowing down together on 429. */
export async function accessContext(input: {
  store: ProfileStore
  profileName: string
  env: NodeJS.ProcessEnv
  concurrency?: number
  /**
   * --admin-key: every Confluence request carries the header, and the key is switched on for a little longer than
   * the requests estimated would take (adminKeyMinutes).
   */
  adminKey?: AdminKeyNotices & {estimatedRequests?: number}
  /** --directory: the Admin API directory to use, remembered in the profile. */
  directoryId?: string
}): Promise<AccessContext> {
  const session = resolveSession(input.profileName, await input.store.named(input.profileName), input.env)
  const site = requireSite(session)
  const throttle = new Throttle({max: input.concurrency ?? 8})
  // Each API family has its own rate limit, so its own pacer.
  const siteApi = await siteClient(session, {
    headers: input.adminKey ? {[ADMIN_KEY_HEADER]: 'true'} : undefined,
    pacer: new RatePacer(),
    store: input.store,
  })
  let cloudId = site.cloudId
  if (!cloudId) {
    cloudId = await getCloudId(await createHttpClient({baseUrl: site.url, family: 'site'}))
  }

  const admin = session.adminKey ? await adminRoute(session, input.directoryId) : undefined
  if (admin && input.directoryId && session.adminKey?.directoryId !== admin.directoryId)
    await rememberDirectory(input.store, input.profileName, admin)
  let siteName = site.name
  if (!siteName && admin) {
    // A custom domain or a local server does not say the site's name; the Workspaces API does.
    siteName = (await listConfluenceWorkspaces(admin.client, admin.orgId)).find(
      (w) => w.id === confluenceSiteAri(cloudId),
    )?.name
  }

  // Last, so nothing above can fail with the key left on; before any space is read.
  const adminKey = input.adminKey
    ? await AdminKeyRun.start(siteApi, adminKeyMinutes(input.adminKey.estimatedRequests), input.adminKey)
    : undefined
  return {admin, adminKey, cloudId, session, site: siteApi, siteName, throttle}
}

/**
 * The Admin API alone, for jobs that read only the organization's directory (no site needed): undefined `admin` when
 * the session has no Admin API key. --directory is checked and remembered, as for accessContext.
 */
export async function adminContext(input: {
  store: ProfileStore
  profileName: string
  env: NodeJS.ProcessEnv
  directoryId?: string
}): Promise<{session: Session; admin?: AccessContext['admin']}> {
  const session = resolveSession(input.profileName, await input.store.named(input.profileName), input.env)
  if (!session.adminKey) return {session}
  const admin = await adminRoute(session, input.directoryId)
  if (admin && input.directoryId && session.adminKey.directoryId !== admin.directoryId)
    await rememberDirectory(input.store, input.profileName, admin)
  return {admin, session}
}

/** The Admin API with the key's organization and directory; looked up when only the key is known (CFADMIN_ADMIN_KEY in CI). */
async function adminRoute(session: Session, wanted?: string): Promise<AccessContext['admin']> {
  const client = await adminClient(session, {pacer: new RatePacer()})
  let orgId = session.adminKey?.orgId
  if (!orgId) {
    const orgs = await listOrgs(client)
    if (orgs.length !== 1) {
      throw badInput(
        'ORG_AMBIGUOUS',
        `The Admin API key sees ${orgs.length} organizations.`,
        'Set CFADMIN_ORG_ID, or log in with --org-id.',
      )
    }

    orgId = orgs[0].id
  }

  // A directory given (--directory) is checked; one remembered is used as it is; else the one with the site's users.
  const directoryId =
    wanted || !session.adminKey?.directoryId
      ? await siteDirectory(client, orgId, {email: session.apiToken?.email, wanted})
      : session.adminKey.directoryId
  return {client, directoryId, orgId}
}

/** --directory is remembered in the profile of the same organization, for the next runs. */
async function rememberDirectory(
  store: ProfileStore,
  profileName: string,
  admin: NonNullable<AccessContext['admin']>,
): Promise<void> {
  await store.update(profileName, (profile) =>
    profile?.adminKey && (!profile.adminKey.orgId || profile.adminKey.orgId === admin.orgId)
      ? {...profile, adminKey: {...profile.adminKey, directoryId: admin.directoryId, orgId: admin.orgId}}
      : profile,
  )
}
