import {confluenceSiteAri, listConfluenceWorkspaces} from '../api/admin.js'
import {getCloudId} from '../api/identity.js'
import {CfadminError, ExitCode} from '../errors.js'
import type {ProfileStore} from '../session/profile-store.js'
import {resolveSession} from '../session/session.js'
import {normalizeSite} from '../session/site-url.js'
import {adminClient, siteClient} from '../session/clients.js'

export interface SiteInfo {
  url: string
  name?: string
  cloudId: string
  /** The resource ARI role APIs take: ari:cloud:confluence::site/<cloudId>. */
  ari: string
  /** true: the organization's Workspaces list has it; false: it does not; absent: no Admin key to ask. */
  ariConfirmed?: boolean
  orgId?: string
  directoryId?: string
}

/** The cloud ID of any site (no login needed) and, with a session, its organization and resource ARI. */
export async function siteInfo(input: {
  store: ProfileStore
  env: NodeJS.ProcessEnv
  profileName: string
  site?: string
}): Promise<SiteInfo> {
  const session = resolveSession(input.profileName, await input.store.named(input.profileName), input.env)
  if (input.site) {
    const address = normalizeSite(input.site)
    session.site = session.site?.url === address.url ? session.site : {...address, source: 'profile'}
  }

  if (!session.site) {
    throw new CfadminError('Which site?', {
      code: 'SITE_MISSING',
      exit: ExitCode.badInput,
      hint: 'Give it: cfadmin sites info acme.atlassian.net, or log in first.',
    })
  }

  const cloudId = await getCloudId(await siteClient(session, {anonymous: true}))
  const info: SiteInfo = {ari: confluenceSiteAri(cloudId), cloudId, name: session.site.name, url: session.site.url}
  if (session.adminKey?.orgId) {
    info.orgId = session.adminKey.orgId
    info.directoryId = session.adminKey.directoryId
    const workspaces = await listConfluenceWorkspaces(await adminClient(session), session.adminKey.orgId)
    const host = new URL(session.site.url).host
    const match = workspaces.find(
      (w) => w.id === info.ari || (w.hostUrl && w.hostUrl.replace(/^https?:\/\//, '').replace(/\/.*$/, '') === host),
    )
    info.ariConfirmed = match?.id === info.ari
    if (match?.name && !info.name) info.name = match.name
  }

  return info
}
