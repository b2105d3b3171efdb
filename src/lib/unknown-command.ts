import type {Interfaces} from '@oclif/core'

import type {ErrorJson} from './command.js'
import {ExitCode} from './errors.js'
import {closest} from './text/suggest.js'

/** The visible command ids and topic names, words joined by spaces ("users invite", "users"). */
export interface CommandIndex {
  commands: readonly string[]
  topics: readonly string[]
  /** Former names that still work, each with the name to suggest ("space grant-view" -> "spaces grant-view"). */
  aliases?: Readonly<Record<string, string>>
}

/** What to tell someone who typed a command that does not exist. */
export interface UnknownCommand {
  /** The words that are not a command, as typed ("user invite"). */
  typed: string
  message: string
  hint: string
  /** The command or topic meant, when one is close enough ("users invite"). */
  suggestion?: string
}

const depth = (id: string) => id.split(' ').length
const list = (items: readonly string[]) => [...items].sort().join(', ')

/**
 * Explains `words` (what was typed where a command goes, arguments included: "user invite
 * ada@example.com"): the longest run of leading words close to a whole command id wins ("user invite"
 * -> "users invite"), else the leading words close to a topic, whose commands the hint lists ("user"
 * -> "users"), else the hint lists the topics and top-level commands.
 */
export function explainUnknownCommand(words: readonly string[], index: CommandIndex, bin = 'cfadmin'): UnknownCommand {
  const notACommand = (typed: string) => `"${typed}" is not a ${bin} command.`
  const commands = [...index.commands].sort()
  const topics = [...index.topics].sort()
  const aliases = index.aliases ?? {}
  // A former name is matched like a name, and the current name is what is suggested.
  const current = (name: string) => aliases[name] ?? name
  const formerCommands = Object.keys(aliases).filter((name) => !topics.includes(name))
  const formerTopics = [...new Set(formerCommands.map((name) => name.split(' ')[0]))].filter((t) => !topics.includes(t))
  const longest = Math.max(0, ...commands.map(depth), ...topics.map(depth))

  for (let n = Math.min(words.length, longest); n > 0; n--) {
    const typed = words.slice(0, n).join(' ')
    const match = closest(
      typed,
      [...commands, ...formerCommands].filter((c) => depth(c) === n),
    )
    const command = match && current(match)
    if (command)
      return {hint: `Did you mean "${bin} ${command}"?`, message: notACommand(typed), suggestion: command, typed}
  }

  for (let n = Math.min(words.length, longest); n > 0; n--) {
    const match = closest(
      words.slice(0, n).join(' '),
      [...topics, ...formerTopics].filter((t) => depth(t) === n),
    )
    if (!match) continue
    const topic = formerTopics.includes(match) ? topicOf(match, aliases) : match
    // The topic's words and the one after them: "user" or "user frob" is what is not a command.
    const typed = words.slice(0, n + 1).join(' ')
    const verbs = list(commands.filter((c) => c.startsWith(topic + ' ')).map((c) => c.slice(topic.length + 1)))
    const hint =
      match === words.slice(0, n).join(' ')
        ? `The ${topic} commands: ${verbs} (see "${bin} help ${topic}").`
        : `Did you mean "${bin} ${topic}"? Its commands: ${verbs}.`
    return {hint, message: notACommand(typed), suggestion: topic, typed}
  }

  const typed = words[0] ?? ''
  const topLevel = commands.filter((c) => depth(c) === 1)
  const topTopics = topics.filter((t) => depth(t) === 1)
  return {
    hint: `Topics: ${list(topTopics)}; commands: ${list(topLevel)} (see "${bin} help").`,
    message: notACommand(typed),
    typed,
  }
}

/**
 * The visible commands of a loaded oclif config in the space-separated form users type, and the topics
 * they make ("users" for "users invite"; a topic whose commands are all hidden is left out).
 */
export function commandIndex(config: Interfaces.Config): CommandIndex {
  const visible = config.commands.filter((c) => !c.hidden)
  const commands = visible.map((c) => c.id.split(':'))
  const topics = new Set(commands.flatMap((words) => words.slice(1).map((_, i) => words.slice(0, i + 1).join(' '))))
  const aliases: Record<string, string> = {}
  for (const command of visible)
    for (const alias of [...(command.aliases ?? []), ...(command.hiddenAliases ?? [])])
      aliases[alias.replaceAll(':', ' ')] = command.id.replaceAll(':', ' ')
  return {aliases, commands: commands.map((words) => words.join(' ')), topics: [...topics]}
}

/** The current topic of a former one: the topic of the commands its former names lead to ("space" -> "spaces"). */
function topicOf(former: string, aliases: Readonly<Record<string, string>>): string {
  const [name] = Object.keys(aliases).filter((alias) => alias.startsWith(former + ' '))
  return aliases[name].split(' ').slice(0, -1).join(' ')
}

/** Whether to answer in JSON, as oclif decides it for a command: `--json` before any `--`, or CFADMIN_CONTENT_TYPE=json. */
export function wantsJson(argv: readonly string[], contentType?: string): boolean {
  if (contentType?.toLowerCase() === 'json') return true
  const end = argv.indexOf('--')
  return (end === -1 ? argv : argv.slice(0, end)).includes('--json')
}

/**
 * Prints that `words` are not a command, the way BaseCommand prints an error (`Error:` and `Hint:` on
 * stderr, or `{"error": …}` on stdout under --json), and returns the error to throw: oclif exits 2
 * without printing it again. Never asks anything.
 */
export function unknownCommandError(words: readonly string[], json: boolean, config: Interfaces.Config): Error {
  const explained = explainUnknownCommand(words, commandIndex(config), config.bin)
  const exit = ExitCode.badInput
  if (json) {
    const body: ErrorJson = {error: {code: 'COMMAND_NOT_FOUND', exit, hint: explained.hint, message: explained.message}}
    process.stdout.write(JSON.stringify(body, null, 2) + '\n')
  } else {
    process.stderr.write(`Error: ${explained.message}\nHint: ${explained.hint}\n`)
  }

  return Object.assign(new Error(explained.message), {oclif: {exit}, skipOclifErrorHandling: true})
}
