import {Flags} from '@oclif/core'

import {BaseCommand, profileFlag} from '../../lib/command.js'
import {badInput} from '../../lib/errors.js'
import type {LoginResult} from '../../lib/services/login.js'

const TOKEN_HELP = 'Create an API token at https://id.atlassian.com/manage-profile/security/api-tokens'
const ADMIN_KEY_HELP = 'Create an Admin API key at admin.atlassian.com > Settings > API keys'

export default class AuthLogin extends BaseCommand<LoginResult> {
  static override summary = 'Log in to a Confluence Cloud site with an API token and/or an organization Admin API key.'

  static override description = `Checks every credential with Atlassian before saving it: the site's cloud ID (GET /_edge/tenant_info), \
the API token (GET /wiki/rest/api/user/current: whose it is) and the Admin API key (the organizations it sees, and the directory). \
A refused credential is not saved (exit 4). Logging in again adds to the same profile.

Secrets are never flag values (they would land in shell history). Each comes from its environment variable \
(CFADMIN_API_TOKEN, CFADMIN_ADMIN_KEY), from standard input (--with-token, --with-admin-key; with both, the token is the first line), \
or from a prompt on a terminal that does not echo.

Profiles are kept in <config dir>/profiles.json (mode 0600); CFADMIN_CONFIG_DIR moves it.`

  static override examples = [
    {description: 'Log in with an API token (asked for on the terminal)', command: '<%= config.bin %> <%= command.id %> --site acme --email admin@acme.example'},
    {description: 'The same in a script, the token from a file', command: '<%= config.bin %> <%= command.id %> --site acme.atlassian.net --email admin@acme.example --with-token < token.txt'},
    {description: 'Add an organization Admin API key to the profile', command: '<%= config.bin %> <%= command.id %> --with-admin-key < admin-key.txt'},
    {description: 'Against a local fake Atlassian (npm run fake-atlassian)', command: 'CFADMIN_API_URL=http://127.0.0.1:4567 <%= config.bin %> <%= command.id %> --site http://127.0.0.1:4567 --email admin@acme.example --with-token'},
  ]

  static override flags = {
    site: Flags.string({description: 'the site: acme, acme.atlassian.net or a URL (default: the profile\'s)', env: 'CFADMIN_SITE'}),
    'site-name': Flags.string({description: 'the site name in group names (confluence-users-<name>) when the host does not say it'}),
    email: Flags.string({description: 'the Atlassian account the API token belongs to', env: 'CFADMIN_EMAIL'}),
    'with-token': Flags.boolean({description: 'read the API token from standard input'}),
    admin: Flags.boolean({description: 'also log in with an organization Admin API key (asked for on a terminal)'}),
    'with-admin-key': Flags.boolean({description: 'read the Admin API key from standard input'}),
    'org-id': Flags.string({description: 'the organization, when the Admin API key sees several', env: 'CFADMIN_ORG_ID'}),
    profile: profileFlag,
  }

  public async run(): Promise<LoginResult> {
    const {flags} = await this.parse(AuthLogin)
    const [{login}, {promptSecret, readStdinLines}, {profileName}] = await Promise.all([
      import('../../lib/services/login.js'),
      import('../../lib/session/secret-input.js'),
      import('../../lib/session/session.js'),
    ])
    const piped = flags['with-token'] || flags['with-admin-key'] ? await readStdinLines() : []
    const wanted = Number(flags['with-token']) + Number(flags['with-admin-key'])
    if (piped.length < wanted) {
      throw badInput('SECRET_MISSING', `Standard input had ${piped.length} line(s); --with-token and --with-admin-key need one each.`, 'Pipe the secret in: cfadmin auth login --with-token < token.txt')
    }

    const fromStdin = (wanted: boolean) => (wanted ? piped.shift() : undefined)
    let apiToken = fromStdin(flags['with-token']) ?? process.env.CFADMIN_API_TOKEN
    let adminKey = fromStdin(flags['with-admin-key']) ?? process.env.CFADMIN_ADMIN_KEY
    if (!apiToken && flags.email && !flags['with-token']) apiToken = await promptSecret(`API token for ${flags.email}: `, `${TOKEN_HELP}, then pass it with --with-token or CFADMIN_API_TOKEN.`)
    if (!adminKey && flags.admin) adminKey = await promptSecret('Organization Admin API key: ', `${ADMIN_KEY_HELP}, then pass it with --with-admin-key or CFADMIN_ADMIN_KEY.`)

    const result = await login({
      adminKey,
      apiToken,
      email: flags.email,
      env: process.env,
      orgId: flags['org-id'],
      profileName: profileName(process.env, flags.profile),
      site: flags.site,
      siteName: flags['site-name'],
      store: this.profileStore(),
    })
    this.log(`Site ${result.site.url} (cloud ID ${result.site.cloudId}) saved in profile "${result.profile}".`)
    if (result.apiToken) this.log(`API token checked: ${result.apiToken.displayName} (${result.apiToken.email}, account ${result.apiToken.accountId}).`)
    if (result.adminKey) this.log(`Admin API key checked: organization ${result.adminKey.orgName} (${result.adminKey.orgId}), directory ${result.adminKey.directoryId ?? 'none found'}.`)
    if (!result.apiToken && !result.adminKey) this.warning(`no credential given, only the site was saved. ${TOKEN_HELP}.`)
    return result
  }
}
