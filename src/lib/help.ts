import {Help, normalizeArgv} from '@oclif/core/help'
import {unknownCommandError, wantsJson} from './unknown-command.js'

/**
 * oclif's help (`helpClass` in package.json), except that help for something that is not a command or
 * a topic (`cfadmin help user invite`, `cfadmin user invite -h`) answers like a mistyped command: the
 * closest command, exit 2, instead of oclif's "Command user:invite not found."
 */
export default class CfadminHelp extends Help {
  public override async showHelp(argv: string[]): Promise<void> {
    const helpFlags = new Set(['--help', ...(this.config.pjson.oclif.additionalHelpFlags ?? [])])
    const words = argv.filter((arg) => !helpFlags.has(arg) && arg !== 'help')
    const end = words.findIndex((arg) => arg.startsWith('-'))
    const [id] = normalizeArgv(this.config, end === -1 ? words : words.slice(0, end))
    if (id && !this.config.findCommand(id) && !this.config.findTopic(id)) {
      throw unknownCommandError(id.split(':'), wantsJson(argv, this.config.scopedEnvVar('CONTENT_TYPE')), this.config)
    }

    return super.showHelp(argv)
  }
}
