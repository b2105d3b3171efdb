import * as Flags from '@oclif/core/flags'
import type {Interfaces} from '@oclif/core'
import type {Readable} from 'node:stream'

import {BaseCommand, profileFlag} from '../../lib/command.js'
import {badInput} from '../../lib/errors.js'
import {DEFAULT_PRESET, SCOPE_PRESETS} from '../../lib/oauth/scope-presets.js'
import {login, type LoginResult} from '../../lib/auth/login.js'
import type {CredentialExpiry} from '../../lib/session/profile.js'
import type {ApiTokenKind} from '../../lib/session/profile.js'
import {oauthLogin, type OAuthLoginResult} from '../../lib/auth/oauth-login.js'
import {promptSecret, readStdinLines} from '../../lib/secret-input.js'
import {askPastedAddress, askWhichSite, showAuthorizeUrl} from '../../lib/oauth/login-terminal.js'
import {overSsh, whyNoBrowser} from '../../lib/oauth/open-browser.js'
import {expiresSoon, expiryText, parseExpiryDate} from '../../lib/auth/credential-expiry.js'

const TOKEN_HELP = 'Create an API token at https://id.atlassian.com/manage-profile/security/api-tokens'
const ADMIN_KEY_HELP = 'Create an Admin API key at admin.atlassian.com > Settings > API keys'

export default class AuthLogin extends BaseCommand<LoginResult | OAuthLoginResult> {
  static override summary =
    'Log in to a Confluence Cloud site with an API token (classic or scoped), an organization Admin API key, an OAuth 2.0 (3LO) app, or OAuth client credentials.'

  static override description = `Checks every credential with Atlassian before saving it: the site's cloud ID (GET /_edge/tenant_info), \
the API token (GET /wiki/rest/api/user/current: whose it is) and the Admin API key (the organizations it sees, and the directory). \
A refused credential is not saved (exit 4). Logging in again adds to the same profile.

An API token is tried on the site first; after a 401 there it is tried through the API gateway \
(<CFADMIN_API_URL>/ex/confluence/<cloud ID>, same email and token), where scoped API tokens work: one accepted there is saved \
as scoped, and every later site request goes through the gateway. --token-kind classic|scoped skips that probe.

With --client-credentials it logs in with a service account's OAuth 2.0 client credentials (client ID and secret from \
admin.atlassian.com > Directory > Service accounts): no browser, the site from --site. Only the client ID and secret are \
stored; cfadmin asks for a new access token (valid about an hour, no refresh token) when it needs one, and site requests go \
through the gateway.

Secrets are never flag values (they would land in shell history). Each comes from its environment variable \
(CFADMIN_API_TOKEN, CFADMIN_ADMIN_KEY), from standard input (--with-token, --with-admin-key; with both, the token is the first line), \
or from a prompt on a terminal that does not echo.

With --oauth it runs Atlassian's OAuth 2.0 (3LO) login for an app from developer.atlassian.com: it listens on \
http://localhost:<port> (on 127.0.0.1 and ::1, this machine only), opens the browser on Atlassian's consent page (or prints the URL with --no-browser, \
over SSH or without a display), checks the state value that comes back (a request without it is answered with an error \
page and the login goes on waiting), exchanges the code, picks the site the grant \
covers and stores the grant, whose refresh token rotates and is kept current on every use. The app's callback URL must be \
the one printed (http://localhost:13131 by default). --scopes takes a preset (see cfadmin auth scopes) or a list; \
offline_access is always added. The client secret comes from CFADMIN_CLIENT_SECRET, standard input (--with-client-secret) \
or a prompt.

Over SSH, the browser on your own machine reaches the login once the port is forwarded: ssh -L 13131:127.0.0.1:13131 <host> \
(with --port, that port). Or use --paste: open the printed URL in any browser, accept, and paste the address it then \
fails to load (http://localhost:13131/?code=…) back into cfadmin, which checks its state and exchanges the code.

Profiles are kept in <config dir>/profiles.json (mode 0600); CFADMIN_CONFIG_DIR moves it.`

  static override examples = [
    {
      description: 'Log in with an API token (asked for on the terminal)',
      command: '<%= config.bin %> <%= command.id %> --site acme --email admin@acme.example',
    },
    {
      description: 'The same in a script, the token from a file',
      command:
        '<%= config.bin %> <%= command.id %> --site acme.atlassian.net --email admin@acme.example --with-token < token.txt',
    },
    {
      description:
        'Say when the token expires, for the warnings (an Admin key that can read the token listing tells it)',
      command:
        '<%= config.bin %> <%= command.id %> --site acme --email crawler@acme.example --with-token --expires 2027-03-01 < token.txt',
    },
    {
      description: "A service account's scoped API token (saved as scoped without probing the site first)",
      command:
        '<%= config.bin %> <%= command.id %> --site acme --email crawler-bot@serviceaccount.atlassian.com --token-kind scoped --with-token < token.txt',
    },
    {
      description: "A service account's OAuth 2.0 client credentials",
      command:
        'CFADMIN_CLIENT_SECRET=... <%= config.bin %> <%= command.id %> --client-credentials --client-id <client-id> --site acme --profile crawler',
    },
    {
      description: 'Add an organization Admin API key to the profile',
      command: '<%= config.bin %> <%= command.id %> --with-admin-key < admin-key.txt',
    },
    {
      description: 'OAuth login for the crawler connector (scopes and callback of its guide)',
      command: '<%= config.bin %> <%= command.id %> --oauth --client-id <client-id> --scopes crawler',
    },
    {
      description:
        'The same over SSH: first forward the port from your machine (ssh -L 13131:127.0.0.1:13131 <host>), then open the printed URL there',
      command:
        'CFADMIN_CLIENT_SECRET=... <%= config.bin %> <%= command.id %> --oauth --client-id <client-id> --no-browser',
    },
    {
      description: 'Over SSH without forwarding: paste the address the browser ends on',
      command: 'CFADMIN_CLIENT_SECRET=... <%= config.bin %> <%= command.id %> --oauth --client-id <client-id> --paste',
    },
    {
      description: 'Against a local fake Atlassian (npm run fake-atlassian)',
      command:
        'CFADMIN_API_URL=http://127.0.0.1:4567 <%= config.bin %> <%= command.id %> --site http://127.0.0.1:4567 --email admin@acme.example --with-token',
    },
  ]

  static override flags = {
    site: Flags.string({
      description: "the site: acme, acme.atlassian.net or a URL (default: the profile's)",
      env: 'CFADMIN_SITE',
    }),
    'site-name': Flags.string({
      description: 'the site name in group names (confluence-users-<name>) when the host does not say it',
    }),
    email: Flags.string({description: 'the Atlassian account the API token belongs to', env: 'CFADMIN_EMAIL'}),
    'with-token': Flags.boolean({description: 'read the API token from standard input'}),
    'token-kind': Flags.string({
      description:
        "the API token's kind, skipping the probe: classic (on the site) or scoped (through api.atlassian.com) [default: tried on the site, then through the gateway]",
      env: 'CFADMIN_TOKEN_KIND',
      options: ['classic', 'scoped'],
    }),
    admin: Flags.boolean({description: 'also log in with an organization Admin API key (asked for on a terminal)'}),
    'with-admin-key': Flags.boolean({description: 'read the Admin API key from standard input'}),
    expires: Flags.string({
      description:
        "when the API token (or, without one, the Admin API key; with --client-credentials, the client secret) expires, e.g. 2027-03-01, when the Admin API's token listing cannot tell",
    }),
    'org-id': Flags.string({
      description: 'the organization, when the Admin API key sees several',
      env: 'CFADMIN_ORG_ID',
    }),
    oauth: Flags.boolean({description: 'log in with an OAuth 2.0 (3LO) app in the browser', helpGroup: 'OAUTH'}),
    'client-credentials': Flags.boolean({
      description: "log in with a service account's OAuth 2.0 client credentials (--client-id, --site; no browser)",
      exclusive: ['oauth', 'with-token', 'token-kind', 'admin', 'with-admin-key'],
      helpGroup: 'OAUTH',
    }),
    'client-id': Flags.string({
      description: "the OAuth app's client ID (developer.atlassian.com > your app > Settings)",
      env: 'CFADMIN_CLIENT_ID',
      helpGroup: 'OAUTH',
    }),
    'with-client-secret': Flags.boolean({
      description: 'read the client secret from standard input',
      helpGroup: 'OAUTH',
    }),
    scopes: Flags.string({
      description: `a scope preset (${SCOPE_PRESETS.map((p) => p.name).join(', ')}) or scopes separated by spaces [default: ${DEFAULT_PRESET}]`,
      helpGroup: 'OAUTH',
    }),
    port: Flags.integer({
      description: 'the loopback port the browser comes back to; 0 picks a free one [default: 13131]',
      helpGroup: 'OAUTH',
      max: 65_535,
      min: 0,
    }),
    'callback-path': Flags.string({description: 'the path of the callback URL [default: /]', helpGroup: 'OAUTH'}),
    browser: Flags.boolean({
      allowNo: true,
      default: true,
      description: 'open the browser (--no-browser only prints the URL)',
      helpGroup: 'OAUTH',
    }),
    paste: Flags.boolean({
      description: 'paste the address the browser ends on instead of listening for it (over SSH)',
      exclusive: ['with-client-secret'],
      helpGroup: 'OAUTH',
    }),
    timeout: Flags.integer({default: 300, description: 'seconds to wait for the browser', helpGroup: 'OAUTH', min: 1}),
    profile: profileFlag,
  }

  public async run(): Promise<LoginResult | OAuthLoginResult> {
    const {flags} = await this.parse(AuthLogin)
    if (flags.paste && !flags.oauth)
      throw badInput('PASTE_WITHOUT_OAUTH', '--paste is for the OAuth login.', 'Add --oauth --client-id <id>.')
    if (flags.oauth) return this.oauth(flags)
    if (flags['client-credentials']) return this.clientCredentials(flags)
    const expires = flags.expires === undefined ? undefined : parseExpiryDate(flags.expires)
    const {env, io, profileName, store} = this.deps()
    const piped = flags['with-token'] || flags['with-admin-key'] ? await readStdinLines(io.stdin) : []
    const wanted = Number(flags['with-token']) + Number(flags['with-admin-key'])
    if (piped.length < wanted) {
      throw badInput(
        'SECRET_MISSING',
        `Standard input had ${piped.length} line(s); --with-token and --with-admin-key need one each.`,
        'Pipe the secret in: cfadmin auth login --with-token < token.txt',
      )
    }

    const fromStdin = (wanted: boolean) => (wanted ? piped.shift() : undefined)
    let apiToken = fromStdin(flags['with-token']) ?? env.CFADMIN_API_TOKEN
    let adminKey = fromStdin(flags['with-admin-key']) ?? env.CFADMIN_ADMIN_KEY
    if (!apiToken && flags.email && !flags['with-token'])
      apiToken = await promptSecret(
        `API token for ${flags.email}: `,
        `${TOKEN_HELP}, then pass it with --with-token or CFADMIN_API_TOKEN.`,
      )
    if (!adminKey && flags.admin)
      adminKey = await promptSecret(
        'Organization Admin API key: ',
        `${ADMIN_KEY_HELP}, then pass it with --with-admin-key or CFADMIN_ADMIN_KEY.`,
      )

    const result = await login({
      adminKey,
      apiToken,
      email: flags.email,
      env,
      expires,
      orgId: flags['org-id'],
      profileName,
      site: flags.site,
      siteName: flags['site-name'],
      store,
      tokenKind: flags['token-kind'] as ApiTokenKind | undefined,
    })
    this.log(`Site ${result.site.url} (cloud ID ${result.site.cloudId}) saved in profile "${result.profile}".`)
    if (result.apiToken) {
      const {accountId, displayName, email, kind} = result.apiToken
      const who = accountId ? `${displayName} (${email}, account ${accountId})` : email
      this.log(`API token checked: ${who}; ${kind}, site requests go to ${result.apiToken.baseUrl}.`)
    }

    if (result.adminKey)
      this.log(
        `Admin API key checked: organization ${result.adminKey.orgName} (${result.adminKey.orgId}), directory ${result.adminKey.directoryId ?? 'not chosen (several; the first command that uses it asks for --directory)'}.`,
      )
    this.showExpiry('API token', result.apiToken?.expiry)
    this.showExpiry('Admin API key', result.adminKey?.expiry)
    if (!result.apiToken && !result.adminKey)
      this.warning(`no credential given, only the site was saved. ${TOKEN_HELP}.`)
    for (const warning of result.warnings) this.warning(warning)
    return result
  }

  /** The expiry the login learnt, and a warning when it is near. */
  private showExpiry(what: string, expiry: CredentialExpiry | undefined): void {
    if (!expiry) return
    const now = Date.now()
    if (expiresSoon(expiry, now)) this.warning(`the ${what} ${expiryText(expiry, now)}.`)
    else this.log(`The ${what} ${expiryText(expiry, now)}.`)
  }

  private async clientCredentials(flags: Interfaces.InferredFlags<typeof AuthLogin.flags>): Promise<LoginResult> {
    const clientId = flags['client-id']
    if (!clientId)
      throw badInput(
        'CLIENT_ID_MISSING',
        "A client-credentials login needs the service account's OAuth client ID.",
        'Add --client-id <id> (or set CFADMIN_CLIENT_ID); create the credential in admin.atlassian.com > Directory > Service accounts.',
      )
    const {env, io, profileName, store} = this.deps()
    const clientSecret = await this.clientSecret(
      flags,
      env,
      io.stdin,
      `cfadmin auth login --client-credentials --client-id ${clientId} --site <site> --with-client-secret < secret.txt`,
    )
    const result = await login({
      clientCredentials: {clientId, clientSecret},
      env,
      expires: flags.expires === undefined ? undefined : parseExpiryDate(flags.expires),
      profileName,
      site: flags.site,
      siteName: flags['site-name'],
      store,
    })
    const cc = result.clientCredentials!
    const who = cc.accountId ? ` as ${cc.displayName} (account ${cc.accountId})` : ''
    this.log(
      `Logged in with OAuth client credentials ${cc.clientId}${who} on ${result.site.url} (cloud ID ${result.site.cloudId}); saved in profile "${result.profile}".`,
    )
    this.log(
      `Site requests go to ${cc.baseUrl}. Only the client ID and secret are stored: cfadmin asks for a new access token each hour (there is no refresh token); cfadmin auth token prints one for a connector.`,
    )
    this.showExpiry('client secret', cc.expiry)
    for (const warning of result.warnings) this.warning(warning)
    return result
  }

  /** The client secret: standard input with --with-client-secret, else CFADMIN_CLIENT_SECRET, else a hidden prompt. */
  private async clientSecret(
    flags: Interfaces.InferredFlags<typeof AuthLogin.flags>,
    env: NodeJS.ProcessEnv,
    stdin: Readable,
    pipeExample: string,
  ): Promise<string> {
    const clientSecret = flags['with-client-secret']
      ? (await readStdinLines(stdin))[0]
      : env.CFADMIN_CLIENT_SECRET ||
        (await promptSecret('Client secret: ', 'Pass it with --with-client-secret (stdin) or CFADMIN_CLIENT_SECRET.'))
    if (!clientSecret)
      throw badInput('SECRET_MISSING', 'Standard input had no client secret.', `Pipe it in: ${pipeExample}`)
    return clientSecret
  }

  private async oauth(flags: Interfaces.InferredFlags<typeof AuthLogin.flags>): Promise<OAuthLoginResult> {
    const clientId = flags['client-id']
    if (!clientId)
      throw badInput(
        'CLIENT_ID_MISSING',
        "An OAuth login needs the app's client ID.",
        'Add --client-id <id> (or set CFADMIN_CLIENT_ID); create the app at developer.atlassian.com > Developer console.',
      )
    const {env, io, profileName, store} = this.deps()
    const clientSecret = await this.clientSecret(
      flags,
      env,
      io.stdin,
      'cfadmin auth login --oauth --client-id <id> --with-client-secret < secret.txt',
    )
    const noBrowser = whyNoBrowser(env, !flags.browser)
    const result = await oauthLogin({
      callbackPath: flags['callback-path'],
      chooseSite: askWhichSite,
      clientId,
      clientSecret,
      env,
      port: flags.port,
      profileName,
      scopes: flags.scopes,
      readPastedAddress: flags.paste ? askPastedAddress : undefined,
      showAuthorizeUrl: (url, redirectUri) =>
        showAuthorizeUrl(url, redirectUri, {
          noBrowser,
          overSsh: overSsh(env),
          paste: flags.paste,
          timeoutSeconds: flags.timeout,
        }),
      site: flags.site,
      store,
      timeoutMs: flags.timeout * 1000,
    })
    const who = result.oauth.displayName ? ` as ${result.oauth.displayName}` : ''
    this.log(
      `Logged in with OAuth${who} on ${result.site.url} (cloud ID ${result.site.cloudId}); saved in profile "${result.profile}".`,
    )
    this.log(
      `Scopes: ${result.oauth.preset ? `preset ${result.oauth.preset}, ` : ''}${result.oauth.scopes.length} granted. Access token valid until ${result.oauth.expiresAt}.`,
    )
    if (result.oauth.refreshToken)
      this.log(
        'Refresh token stored: cfadmin renews the access token itself. cfadmin auth token prints the values a connector asks for.',
      )
    else this.warning('Atlassian gave no refresh token (offline_access not granted): log in again within the hour.')
    if (result.oauth.missingScopes.length > 0)
      this.warning(
        `not granted: ${result.oauth.missingScopes.join(' ')}. Add them to the app's permissions in the developer console and log in again.`,
      )
    return result
  }
}
