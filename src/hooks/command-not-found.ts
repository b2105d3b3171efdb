import type {Hook} from '@oclif/core'

import {unknownCommandError, wantsJson} from '../lib/unknown-command.js'

/**
 * oclif runs this when what was typed is neither a command nor a topic: say so on stderr (or as
 * `{"error": …}` under --json or CFADMIN_CONTENT_TYPE=json) with the closest command or topic, and
 * exit 2. Never prompts, unlike @oclif/plugin-not-found. oclif hands over the command words joined by
 * ':' (arguments that follow them included) and the rest of argv from the first flag on.
 */
const hook: Hook.CommandNotFound = async function ({argv = [], config, id}) {
  throw unknownCommandError(id.split(':'), wantsJson([id, ...argv], config.scopedEnvVar('CONTENT_TYPE')), config)
}

export default hook
