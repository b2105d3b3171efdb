import * as Flags from '@oclif/core/flags'

import {BaseCommand} from '../../lib/command.js'
import {ExitCode} from '../../lib/errors.js'
import {authStatus, statusVerdict, type ProfileStatus} from '../../lib/auth/auth-status.js'
import {authStatusLines} from '../../lib/auth/auth-status-text.js'

export interface AuthStatusResult {
  profiles: ProfileStatus[]
}

export default class AuthStatus extends BaseCommand<AuthStatusResult> {
  static override summary = 'Show each profile: site, cloud ID, who, and which credentials it holds, checked live.'

  static override description = `Secrets are shown masked to their last 4 characters. Each credential is checked with one read-only call \
(the API token: whose it is; the Admin API key: the organizations it sees; the OAuth login: whose it is, through the gateway, \
renewing an expired access token; OAuth client credentials: a new access token and whose it is) unless --offline. An API token \
shows its kind (classic, on the site; scoped, through the gateway), and each profile the base URL its site requests use. \
Environment variables (CFADMIN_SITE, CFADMIN_EMAIL, CFADMIN_API_TOKEN, CFADMIN_ADMIN_KEY, CFADMIN_ORG_ID) apply to the active profile and are marked "env".

Exits 4 when the active profile (--profile, CFADMIN_PROFILE, or "default") has no credential Atlassian accepts, and 5 when
Atlassian could not be reached to check them.`

  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    {
      description: 'One profile, without calling Atlassian',
      command: '<%= config.bin %> <%= command.id %> --profile crawler --offline',
    },
    {description: 'For a script: is the login still good?', command: '<%= config.bin %> <%= command.id %> --json'},
  ]

  static override flags = {
    profile: Flags.string({
      description: 'show only this profile (and treat it as the active one)',
      env: 'CFADMIN_PROFILE',
      helpGroup: 'GLOBAL',
    }),
    offline: Flags.boolean({description: 'do not check the credentials with Atlassian'}),
  }

  public async run(): Promise<AuthStatusResult> {
    const {flags} = await this.parse(AuthStatus)
    const {env, profileName: active, store} = this.deps()
    const profiles = await authStatus({active, env, offline: flags.offline, only: flags.profile, store})
    for (const line of authStatusLines(profiles)) this.log(line)
    const verdict = statusVerdict(profiles.find((p) => p.active))
    if (verdict.exit === ExitCode.notAuthenticated) {
      this.status(
        `Profile "${active}" ${verdict.why}. Log in with: cfadmin auth login --site <site> --email <you@example.com>`,
      )
    } else if (verdict.exit !== ExitCode.ok) {
      // Under --json too: a script must not read "not usable" without knowing the check never happened.
      process.stderr.write(`Profile "${active}" ${verdict.why}\n`)
    }

    if (verdict.exit !== ExitCode.ok) process.exitCode = verdict.exit

    return {profiles}
  }
}
