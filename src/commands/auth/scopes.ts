import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'

import {BaseCommand} from '../../lib/command.js'
import {badInput} from '../../lib/errors.js'
import {type CommandScopes, commandScopes} from '../../lib/oauth/command-scopes.js'
import {OFFLINE_ACCESS, SCOPE_PRESETS} from '../../lib/oauth/scope-presets.js'
import {renderTable} from '../../lib/output.js'

export interface ScopesResult {
  presets?: Array<{name: string; connector: string; callbackUrl?: string; scopes: string[]}>
  /** With --commands: the scopes each cfadmin command needs over OAuth. */
  commands?: CommandScopes[]
}

export default class AuthScopes extends BaseCommand<ScopesResult> {
  static override summary = 'List the OAuth scope presets: the scopes and callback URL each connector guide asks for.'

  static override description = `Each preset carries one connector guide's exact scope list and callback URL, to copy into the app's \
settings in developer.atlassian.com (Permissions, Authorization) and to use with cfadmin auth login --oauth --scopes <preset>. \
offline_access is added to every login, for the refresh token.`

  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    {
      description: "One preset's scopes, one per line, to paste into the developer console",
      command: '<%= config.bin %> <%= command.id %> crawler',
    },
    {
      description:
        'The scopes each cfadmin command needs over OAuth (from the official API documents), and the presets holding them',
      command: '<%= config.bin %> <%= command.id %> --commands',
    },
  ]

  static override flags = {
    commands: Flags.boolean({
      description: 'list the scopes each cfadmin command needs over OAuth instead of the presets',
    }),
  }

  static override args = {
    preset: Args.string({description: 'show only this preset', options: SCOPE_PRESETS.map((p) => p.name)}),
  }

  public async run(): Promise<ScopesResult> {
    const {args, flags} = await this.parse(AuthScopes)
    if (flags.commands && args.preset) {
      throw badInput(
        'SCOPES_ARGS_CONFLICT',
        `--commands lists every command's scopes; it takes no preset ("${args.preset}").`,
        'Run cfadmin auth scopes --commands, or cfadmin auth scopes <preset>.',
      )
    }

    if (flags.commands) {
      const commands = commandScopes()
      this.log(
        renderTable(commands, [
          {get: (c) => c.command, header: 'command'},
          {get: (c) => c.scopes.join(' '), header: 'scopes'},
          {get: (c) => c.presets.join(', ') || '-', header: 'presets'},
        ]),
      )
      return {commands}
    }

    const chosen = args.preset ? SCOPE_PRESETS.filter((p) => p.name === args.preset) : SCOPE_PRESETS
    const presets = chosen.map((p) => ({
      callbackUrl: p.callbackUrl,
      connector: p.connector,
      name: p.name,
      scopes: [...p.scopes, OFFLINE_ACCESS],
    }))
    for (const preset of presets) {
      if (!args.preset) this.log(`${preset.name}: ${preset.connector}`)
      this.log(
        `${args.preset ? '' : '  '}callback URL: ${preset.callbackUrl ?? "the connector's own (add http://localhost:13131 for cfadmin's login)"}`,
      )
      for (const scope of preset.scopes) this.log(`${args.preset ? '' : '  '}${scope}`)
    }

    return {presets}
  }
}
