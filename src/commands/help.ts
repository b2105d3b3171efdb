import * as Args from '@oclif/core/args'
import {Command} from '@oclif/core/command'
import * as Flags from '@oclif/core/flags'
import {loadHelpClass} from '@oclif/core/help'

/** `cfadmin help [COMMAND]`: what `--help` prints, as gh and sf users expect to ask for it. */
export default class HelpCommand extends Command {
  static override summary = 'Show help for cfadmin, a topic or a command.'

  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> users',
    '<%= config.bin %> <%= command.id %> users invite',
  ]

  static override args = {
    command: Args.string({
      description: 'the command or topic, words separated by spaces (users invite)',
      required: false,
    }),
  }

  static override flags = {
    'nested-commands': Flags.boolean({
      char: 'n',
      description: 'list every command, nested and hidden ones included, not only the topics',
    }),
  }

  // Takes any number of words: `help users invite`.
  static override strict = false

  public async run(): Promise<void> {
    const {argv, flags} = await this.parse(HelpCommand)
    const Help = await loadHelpClass(this.config)
    const help = new Help(this.config, {...this.config.pjson.oclif.helpOptions, all: flags['nested-commands']})
    await help.showHelp(argv as string[])
  }
}
