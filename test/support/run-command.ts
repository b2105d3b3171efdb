import {Plugin} from '@oclif/core'
import {runCommand as oclifRunCommand} from '@oclif/test'

import {projectRoot} from './paths.js'

let plugins: Map<string, Plugin> | undefined

/**
 * @oclif/test's runCommand on the TypeScript sources. oclif finds commands through
 * oclif.manifest.json when there is one, and that points into dist/: a root plugin loaded without the
 * manifest, while NODE_ENV=test maps dist/commands to src/commands, makes tests run src/, built or not.
 */
export async function runCommand<T = unknown>(argv: string[]) {
  if (!plugins) {
    const nodeEnv = process.env.NODE_ENV
    process.env.NODE_ENV = 'test'
    try {
      const plugin = new Plugin({ignoreManifest: true, isRoot: true, root: projectRoot})
      await plugin.load()
      plugins = new Map([[plugin.name, plugin]])
    } finally {
      process.env.NODE_ENV = nodeEnv
    }
  }

  return oclifRunCommand<T>(argv, {plugins, root: projectRoot})
}
