import * as Flags from '@oclif/core/flags'

import {BaseCommand, profileFlag} from '../lib/command.js'
import {doctorLines} from '../lib/doctor/render.js'
import {type DoctorResult, runDoctor} from '../lib/doctor/runner.js'
import {SCOPE_PRESETS} from '../lib/oauth/scope-presets.js'

export default class Doctor extends BaseCommand<DoctorResult> {
  static override summary =
    "Check a connector's credential as the connector uses it: kind, expiry, access, its API calls, coverage."

  static override description = `Runs with the credential of the profile (--profile: the crawler's API token, scoped token, OAuth \
grant or client credentials, routed to the site or the gateway as every command does) and prints one line per check, ok / warn / \
fail, with the reason and the fix:
- the credential's kind, the base URL it needs (the site for a classic API token, the gateway for the others) and that it works \
there; an API token refused there is tried as the other kind;
- its expiry as the profile recorded it (warn within 14 days, fail once expired) and, for an OAuth grant, whether cfadmin or the \
connector owns the refresh token;
- the Confluence product access of its account;
- the spaces it lists, by type, and each read-only API call the connector of --for makes (default: the preset the OAuth login \
used, else crawler), with the scopes each needs; a refusal names the missing scope or permission;
- with an admin login at hand (--admin-profile, or the "default" profile when it is another one), the account's space coverage \
and whether its access comes through a group (new spaces' default access can include a group, never a user).

Doctor changes nothing: it only reads, with GETs (plus the token requests an OAuth login makes anyway, and, when the admin \
profile holds an Admin API key, the Admin API's user and group searches, which are POSTs that read). Exits 0 when every check is ok, \
3 when some warn or fail, 4 when the credential is refused outright, 5 when Atlassian cannot be reached.`

  static override examples = [
    {
      description: "The crawler's profile, as the crawler connector uses it",
      command: '<%= config.bin %> <%= command.id %> --profile crawler',
    },
    {
      description: 'A Snow Atlas grant, with the coverage read by the admin profile',
      command: '<%= config.bin %> <%= command.id %> --profile snow --for snow-atlas --admin-profile default',
    },
    {
      description: 'For a scheduled job: fails (exit 3) on any warning',
      command: '<%= config.bin %> <%= command.id %> --profile crawler --json',
    },
  ]

  static override flags = {
    for: Flags.option({
      description:
        "the connector whose API calls to check, by scope preset (default: the OAuth login's preset, else crawler)",
      options: SCOPE_PRESETS.map((p) => p.name),
    })(),
    'admin-profile': Flags.string({
      description:
        'the profile of an admin, to read the coverage of the connector\'s account (default: "default", when it is another profile)',
    }),
    profile: profileFlag,
  }

  public async run(): Promise<DoctorResult> {
    const {flags} = await this.parse(Doctor)
    const {env, io, profileName, store} = this.deps()
    const {exit, result} = await runDoctor({
      adminProfile: flags['admin-profile'],
      env,
      preset: flags.for,
      profileName,
      store,
    })
    if (!this.jsonEnabled()) for (const line of doctorLines(result, {unicode: io.stdoutIsTTY})) this.log(line)
    if (exit !== 0) process.exitCode = exit
    return result
  }
}
