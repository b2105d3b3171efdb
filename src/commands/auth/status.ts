import * as Flags from '@oclif/core/flags'

import {BaseCommand} from '../../lib/command.js'
import {ExitCode} from '../../lib/errors.js'
import {authStatus, statusVerdict, type ProfileStatus} from '../../lib/auth/auth-status.js'
import {authStatusLines} from '../../lib/auth/auth-status-text.js'
import {type AllTokensResult, expiringCredentials, parseWithin} from '../../lib/auth/all-tokens.js'
import {allTokensLines} from '../../lib/auth/all-tokens-text.js'
import {expiryVerdict} from '../../lib/auth/status-expiry.js'

export interface AuthStatusResult {
  profiles: ProfileStatus[]
}

export default class AuthStatus extends BaseCommand<AllTokensResult | AuthStatusResult> {
  static override summary = 'Show each profile: site, cloud ID, who, and which credentials it holds, checked live.'

  static override description = `Secrets are shown masked to their last 4 characters. Each credential is checked with one read-only call \
(the API token: whose it is; the Admin API key: the organizations it sees; the OAuth login: whose it is, through the gateway, \
renewing an expired access token; OAuth client credentials: a new access token and whose it is) unless --offline. An API token \
shows its kind (classic, on the site; scoped, through the gateway), and each profile the base URL its site requests use. \
Environment variables (CFADMIN_SITE, CFADMIN_EMAIL, CFADMIN_API_TOKEN, CFADMIN_ADMIN_KEY, CFADMIN_ORG_ID) apply to the active profile and are marked "env".

Each credential's expiry and last use are shown where known: from the Admin API's token listing when the profile's \
Admin key may read it (refreshed here), the date given with auth login --expires, or an OAuth grant's tokens. \
A credential that expires within 14 days is warned about on stderr (every other command does so too, once a day).

--all-tokens lists the organization's API tokens and Admin keys that expire within --within (30d by default), with \
their owner and last use, soonest first; it needs an Admin key without scopes or with read:tokens:admin and read:keys:admin.

Exits 4 when the active profile (--profile, CFADMIN_PROFILE, or "default") has no credential Atlassian accepts or one \
that has expired, and 5 when Atlassian could not be reached to check them.`

  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    {
      description: 'One profile, without calling Atlassian',
      command: '<%= config.bin %> <%= command.id %> --profile crawler --offline',
    },
    {description: 'For a script: is the login still good?', command: '<%= config.bin %> <%= command.id %> --json'},
    {
      description: "The organization's tokens and keys that die within six weeks",
      command: '<%= config.bin %> <%= command.id %> --all-tokens --within 6w',
    },
  ]

  static override flags = {
    profile: Flags.string({
      description: 'show only this profile (and treat it as the active one)',
      env: 'CFADMIN_PROFILE',
      helpGroup: 'GLOBAL',
    }),
    offline: Flags.boolean({description: 'do not check the credentials with Atlassian', exclusive: ['all-tokens']}),
    'all-tokens': Flags.boolean({
      description:
        "list the organization's API tokens and Admin keys that expire soon (needs an Admin key that can read them)",
    }),
    within: Flags.string({
      dependsOn: ['all-tokens'],
      description: 'with --all-tokens: the window, in days or weeks (30d, 6w) [default: 30d]',
    }),
  }

  public async run(): Promise<AllTokensResult | AuthStatusResult> {
    const {flags} = await this.parse(AuthStatus)
    const {env, profileName: active, store} = this.deps()
    if (flags['all-tokens']) {
      const withinDays = parseWithin(flags.within ?? '30d')
      const result = await expiringCredentials({env, profileName: active, store, withinDays})
      if (!this.jsonEnabled()) for (const line of allTokensLines(result)) this.log(line)
      return result
    }

    const profiles = await authStatus({active, env, offline: flags.offline, only: flags.profile, store})
    for (const line of authStatusLines(profiles)) this.log(line)
    const expiry = expiryVerdict(profiles)
    for (const line of expiry.warnings) this.warning(line)
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
    else if (expiry.activeExpired) {
      this.status(`Profile "${active}" holds an expired credential.`)
      process.exitCode = ExitCode.notAuthenticated
    }

    return {profiles}
  }
}
