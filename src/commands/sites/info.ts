import * as Args from '@oclif/core/args'

import {BaseCommand, profileFlag} from '../../lib/command.js'
import {siteInfo, type SiteInfo} from '../../lib/auth/site-info.js'

export default class SiteInfoCommand extends BaseCommand<SiteInfo> {
  /** The topic's singular form, from before topics were made plural: what users typed keeps working. */
  static override hiddenAliases = ['site:info']
  static override summary = "Show a site's cloud ID, and with a login its organization, directory and resource ARI."

  static override description = `The cloud ID needs no login (GET <site>/_edge/tenant_info). With a profile that holds an Admin API key, \
the organization and directory are shown and the site's resource ARI (ari:cloud:confluence::site/<cloudId>) is confirmed through the Workspaces API.`

  static override examples = ['<%= config.bin %> <%= command.id %> acme', '<%= config.bin %> <%= command.id %> --json']

  static override args = {
    site: Args.string({description: "acme, acme.atlassian.net or a URL (default: the profile's site)"}),
  }

  static override flags = {profile: profileFlag}

  public async run(): Promise<SiteInfo> {
    const {args} = await this.parse(SiteInfoCommand)
    const {env, profileName, store} = this.deps()
    const info = await siteInfo({env, profileName, site: args.site, store})
    this.log(`site:       ${info.url}`)
    this.log(`cloud ID:   ${info.cloudId}`)
    if (info.orgId) this.log(`org ID:     ${info.orgId}`)
    if (info.directoryId) this.log(`directory:  ${info.directoryId}`)
    const confirmation =
      info.ariConfirmed === undefined
        ? '(not confirmed: no Admin API key)'
        : info.ariConfirmed
          ? '(confirmed by the Workspaces API)'
          : "(NOT in the organization's workspaces)"
    this.log(`ARI:        ${info.ari} ${confirmation}`)
    return info
  }
}
