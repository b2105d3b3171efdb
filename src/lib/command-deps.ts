import {accessContext, type AccessContext} from './access/access-context.js'

/** What a command asks of its access context: the throttle's size, and the admin key for the run. */
export type AccessContextOptions = Pick<Parameters<typeof accessContext>[0], 'adminKey' | 'concurrency' | 'directoryId'>
import {profileName} from './session/profile.js'
import {ProfileStore} from './session/profile-store.js'
import {processIo, type TerminalIo} from './terminal-io.js'

/**
 * What a command works with besides its flags: where profiles are kept, which one it uses, the environment, the
 * terminal, and the session's clients. Commands take these from `deps()` instead of building them, so a test can
 * replace any of them (BaseCommand.replaceDeps).
 */
export interface CommandDeps {
  /** `<configDir>/profiles.json`. */
  store: ProfileStore
  /** --profile, else CFADMIN_PROFILE, else "default". */
  profileName: string
  env: NodeJS.ProcessEnv
  io: TerminalIo
  /**
   * The profile's session and clients, built from the fields above (a test that replaces one replaces it here
   * too). Loads the HTTP stack on first call, not before.
   */
  accessContext(options?: AccessContextOptions): Promise<AccessContext>
}

/** The real collaborators: the process's environment and streams, and the profiles under `configDir`. */
export function commandDeps(input: {configDir: string; profileFlag?: string}): CommandDeps {
  const env = process.env
  return {
    async accessContext(options = {}) {
      return accessContext({
        adminKey: options.adminKey,
        concurrency: options.concurrency,
        directoryId: options.directoryId,
        env: this.env,
        profileName: this.profileName,
        store: this.store,
      })
    },
    env,
    io: processIo(),
    profileName: profileName(env, input.profileFlag),
    store: new ProfileStore(input.configDir),
  }
}
