import {Config} from '@oclif/core'
import {captureOutput} from '@oclif/test'

import {projectRoot} from './paths.js'

let config: Config | undefined

/**
 * Runs `cfadmin <topic> <verb> ...args` in-process from the TypeScript sources and captures its output,
 * like @oclif/test's runCommand. The command class is imported directly rather than found by oclif,
 * which with a manifest present would run the build in dist/ instead of the sources.
 */
export async function runCommand<T = unknown>(argv: string[]) {
  config ??= await Config.load({root: projectRoot})
  const [topic, verb, ...args] = argv
  const {default: command} = await import(`../../src/commands/${topic}/${verb}.js`)
  return captureOutput<T>(() => command.run(args, config))
}
