import * as Flags from '@oclif/core/flags'

import {BaseCommand, profileFlag} from '../../lib/command.js'
import {SCOPE_PRESETS} from '../../lib/oauth/scope-presets.js'
import {authToken, type TokenValues} from '../../lib/auth/auth-token.js'
import {clientToken, type ClientTokenValues} from '../../lib/auth/client-token.js'

export default class AuthToken extends BaseCommand<TokenValues | ClientTokenValues> {
  static override summary =
    "Print the OAuth values a connector's configuration form asks for: client ID, cloud ID, site, access and refresh token."

  static override description = `The only command that prints tokens, and only when asked. It refreshes first with --refresh, or when the \
access token has expired. With a scope preset (the login's, or --for) the values come in that connector's form order and words.

Atlassian rotates refresh tokens: once the connector uses the one printed here, the copy in the profile is dead, and if cfadmin \
later used its old copy Atlassian would end the grant for both. So after printing it, cfadmin stops renewing this login on its own \
(only --refresh does, printing the next refresh token). Keep a separate profile for cfadmin's own work: --profile.

For a profile logged in with OAuth client credentials (a service account) it asks Atlassian for a new access token each time \
(they last about an hour, with no refresh token, and cfadmin stores none) and prints it with the client ID, cloud ID and the \
gateway base URL to send it to; never the client secret.`

  static override examples = [
    {
      description: 'Values for the connector the login was made for',
      command: '<%= config.bin %> <%= command.id %> --profile crawler',
    },
    {
      description: 'A fresh pair, as JSON for a script',
      command: '<%= config.bin %> <%= command.id %> --profile crawler --refresh --json',
    },
    {
      description: "In Snow Atlas's form order",
      command: '<%= config.bin %> <%= command.id %> --profile snow --for snow-atlas',
    },
  ]

  static override flags = {
    refresh: Flags.boolean({description: 'get a new access and refresh token first'}),
    for: Flags.string({
      description: "fill this preset's form (default: the login's preset)",
      options: SCOPE_PRESETS.map((p) => p.name),
    }),
    profile: profileFlag,
  }

  public async run(): Promise<TokenValues | ClientTokenValues> {
    const {flags} = await this.parse(AuthToken)
    const {env, profileName, store} = this.deps()
    const client = await clientToken({env, form: flags.for, profileName, store})
    if (client) {
      const rows = [
        {label: 'Client ID', value: client.clientId},
        {label: 'Cloud ID', value: client.cloudId},
        {label: 'Site URL', value: client.siteUrl},
        {label: 'Base URL', value: client.baseUrl},
        {label: 'Access token', value: client.accessToken},
        {label: 'Access token expires', value: `${client.expiresAt} (in ${Math.round(client.expiresIn / 60)} min)`},
      ]
      for (const row of rows) this.log(`${`${row.label}:`.padEnd(22)}${row.value}`)
      this.status('Client credentials have no refresh token: run cfadmin auth token again for a new access token.')
      return client
    }

    const values = await authToken({env, form: flags.for, profileName, refresh: flags.refresh, store})
    const expiry =
      values.expiresIn > 0
        ? `${values.expiresAt} (in ${Math.round(values.expiresIn / 60)} min)`
        : `${values.expiresAt} (expired: run with --refresh for a new one)`
    const rows = values.form ?? [
      {label: 'Client ID', value: values.clientId},
      {label: 'Cloud ID', value: values.cloudId},
      {label: 'Site URL', value: values.siteUrl},
      {label: 'Access token', value: values.accessToken},
      {label: 'Refresh token', value: values.refreshToken ?? '(none: the login had no offline_access)'},
    ]
    const width = Math.max(...rows.map((r) => r.label.length), 'Access token expires'.length)
    for (const row of rows) this.log(`${`${row.label}:`.padEnd(width + 2)}${row.value}`)
    this.log(`${'Access token expires:'.padEnd(width + 2)}${expiry}`)
    if (values.refreshToken)
      this.status(
        'Give this refresh token to one connector only; cfadmin no longer renews this login by itself (see --help).',
      )
    return values
  }
}
