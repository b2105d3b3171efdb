import {format} from 'node:util'

import {Command} from '@oclif/core/command'
import * as Flags from '@oclif/core/flags'
import type {Interfaces} from '@oclif/core'

import type {AccessContext} from './access/access-context.js'
import type {AdminKeyRun} from './access/admin-key.js'
import {expiryWarnings} from './auth/expiry-warning.js'
import {type CommandDeps, commandDeps} from './command-deps.js'

import {CfadminError, ExitCode} from './errors.js'
import {fileSystemError, isBrokenPipe} from './files/system-errors.js'
import {formatCount} from './output.js'
import {type ProgressLine, progressLine} from './progress-line.js'
import {terminalSafeLines} from './text/safe-text.js'
import {runInterruptCleanups} from './terminal-io.js'

/** `--profile`, for every command that uses a login; CFADMIN_PROFILE sets it too. */
export const profileFlag = Flags.string({
  description: 'the login profile to use',
  env: 'CFADMIN_PROFILE',
  helpGroup: 'GLOBAL',
})

/** auth status shows expiry itself; login and logout replace or drop the credential; scopes and help use none. */
const NO_EXPIRY_WARNING = new Set(['auth:login', 'auth:logout', 'auth:scopes', 'auth:status', 'help'])

type DepsReplacement = (deps: CommandDeps) => CommandDeps
const REPLACE_DEPS = Symbol.for('cfadmin.replaceDeps')

/** What every command prints under --json when it fails; stable, so scripts can rely on it. */
export interface ErrorJson {
  error: {code: string; exit: number; hint?: string; message: string}
}

/**
 * The base of every cfadmin command: `--json` (the typed value `run()` returns, and nothing else on
 * stdout), stderr-only progress and warnings, and errors that keep their exit code and hint.
 */
export abstract class BaseCommand<T> extends Command {
  static override enableJsonFlag = true

  private static signalsHandled = false

  /**
   * For tests: rewrites what deps() gives each command run while it is set (a fake terminal, another store).
   * Set it in a test and unset it after; commands never set it. Kept process-wide, not in this class, because
   * oclif loads the commands through its own TypeScript loader: a second copy of this module beside the test's.
   */
  static get replaceDeps(): DepsReplacement | undefined {
    return (globalThis as {[REPLACE_DEPS]?: DepsReplacement})[REPLACE_DEPS]
  }

  static set replaceDeps(replace: DepsReplacement | undefined) {
    ;(globalThis as {[REPLACE_DEPS]?: DepsReplacement})[REPLACE_DEPS] = replace
  }

  private ownDeps?: CommandDeps
  /** Admin keys this run switched on through openAccessContext, switched off in finally(). */
  private adminKeys: AdminKeyRun[] = []
  /** --profile as parsed (it also reads CFADMIN_PROFILE), for deps(). */
  private profileFlag?: string

  public abstract override run(): Promise<T>

  protected override async init(): Promise<void> {
    await super.init()
    // Ending through process.exit() runs 'exit' listeners, which remove half-written temp files.
    if (!BaseCommand.signalsHandled) {
      BaseCommand.signalsHandled = true
      // A first signal waits (briefly) for the run's clean-ups, such as switching the admin key off; a second ends
      // at once. `on`, not `once`: the progress display re-raises a signal nobody else listens to.
      let ending = false
      const end = (code: number) => {
        if (ending) process.exit(code)
        ending = true
        void runInterruptCleanups().finally(() => process.exit(code))
      }

      process.on('SIGINT', () => end(130))
      process.on('SIGTERM', () => end(143))
      // First in line: oclif's own listener swallows EPIPE (claiming success) and throws anything else raw.
      process.stdout.prependListener('error', (error) => stdoutFailed(error))
    }
  }

  protected override async parse<
    F extends Interfaces.OutputFlags<Interfaces.FlagInput>,
    B extends Interfaces.OutputFlags<Interfaces.FlagInput>,
    A extends Interfaces.OutputArgs<Interfaces.ArgInput>,
  >(options?: Interfaces.Input<F, B, A>, argv?: string[]): Promise<Interfaces.ParserOutput<F, B, A>> {
    const parsed = await super.parse(options, argv)
    const profile: unknown = parsed.flags.profile
    this.profileFlag = typeof profile === 'string' ? profile : undefined
    this.ownDeps = undefined
    await this.warnOfExpiry()
    return parsed
  }

  /**
   * On stderr, at most once a day: a credential of the profile in use expires within 14 days (or has expired), as the
   * profile recorded it. Not for the auth commands that show or replace credentials; never stops a command.
   */
  private async warnOfExpiry(): Promise<void> {
    if (this.id && NO_EXPIRY_WARNING.has(this.id)) return
    try {
      const {env, profileName, store} = this.deps()
      const profile = await store.get(profileName)
      for (const line of await expiryWarnings({configDir: store.configDir, env, profile, profileName}))
        this.warning(line)
    } catch {
      // An unreadable profile file is the command's own business to report.
    }
  }

  /**
   * The command's collaborators, made once per run after its flags are parsed: the profile store (in oclif's
   * configDir, which CFADMIN_CONFIG_DIR overrides), the profile name, the environment, the terminal and the
   * session's clients.
   */
  protected deps(): CommandDeps {
    if (!this.ownDeps) {
      const deps = commandDeps({configDir: this.config.configDir, profileFlag: this.profileFlag})
      this.ownDeps = BaseCommand.replaceDeps?.(deps) ?? deps
    }

    return this.ownDeps
  }

  /**
   * The session's clients (deps().accessContext) for this run. With `adminKey` every Confluence request carries the
   * admin-key header and the key is switched on now, before anything is read, and off again when the command ends
   * (`finally`, also after an error; Ctrl-C through the interrupt clean-ups), unless it was on before.
   */
  protected async openAccessContext(
    options: {concurrency?: number; adminKey?: boolean; directoryId?: string; estimatedRequests?: number} = {},
  ): Promise<AccessContext> {
    const context = await this.deps().accessContext({
      adminKey: options.adminKey
        ? {
            estimatedRequests: options.estimatedRequests,
            info: (line) => this.status(line),
            warn: (line) => this.warning(line),
          }
        : undefined,
      concurrency: options.concurrency,
      directoryId: options.directoryId,
    })
    if (context.adminKey) this.adminKeys.push(context.adminKey)
    return context
  }

  protected override async finally(error: Error | undefined): Promise<unknown> {
    const keys = this.adminKeys
    this.adminKeys = []
    for (const key of keys) await key.end()
    return super.finally(error)
  }

  /**
   * Output for people. On a terminal, control characters in names from Atlassian or a file are shown escaped (they
   * could retitle or clear it); piped or redirected, the text goes as it is, for the program that reads it.
   */
  public override log(message = '', ...args: unknown[]): void {
    const text = format(message, ...args)
    super.log(process.stdout.isTTY ? terminalSafeLines(text) : text)
  }

  /** A progress or status line for people, on stderr; silent under --json. */
  protected status(message: string): void {
    if (!this.jsonEnabled()) process.stderr.write(terminalSafeLines(message) + '\n')
  }

  /** A live "Read 250,000 rows…" line on a terminal's stderr while long work runs. */
  protected progressLine(describe = (rows: number) => `Read ${formatCount(rows)} rows…`): ProgressLine {
    return progressLine(describe, !this.jsonEnabled())
  }

  /** A warning, on stderr even under --json, so stdout stays machine-readable. */
  protected warning(message: string): void {
    process.stderr.write(`Warning: ${terminalSafeLines(message)}\n`)
  }

  protected override async catch(
    thrown: Error & {oclif?: {exit?: number}; skipOclifErrorHandling?: boolean},
  ): Promise<never> {
    if (thrown.oclif?.exit === 0 || (thrown as {code?: string}).code === 'EEXIT') throw thrown
    if (isBrokenPipe(thrown)) {
      // The reader of the output went away: nothing to say to it, and no success to claim (see stdoutFailed).
      process.exitCode = ExitCode.badInput
      thrown.skipOclifErrorHandling = true
      thrown.oclif = {...thrown.oclif, exit: ExitCode.badInput}
      throw thrown
    }

    // A full disk, a folder given for a file, a permission: the user's machine, exit 2 with the path and the fix.
    const err: typeof thrown = fileSystemError(thrown) ?? thrown
    const exit = err instanceof CfadminError ? err.exit : (err.oclif?.exit ?? ExitCode.unexpected)
    const code = err instanceof CfadminError ? err.code : exit === ExitCode.badInput ? 'USAGE' : 'UNEXPECTED'
    const hint = err instanceof CfadminError ? err.hint : undefined
    process.exitCode = exit
    if (this.jsonEnabled()) {
      const json: ErrorJson = {error: {code, exit, message: err.message, ...(hint ? {hint} : {})}}
      process.stdout.write(JSON.stringify(json, null, 2) + '\n')
    } else {
      // Messages quote servers, files and arguments: no control character reaches the terminal.
      const lines = [`Error: ${terminalSafeLines(err.message)}`]
      if (hint) lines.push(`Hint: ${terminalSafeLines(hint)}`)
      if (exit === ExitCode.unexpected && process.env.DEBUG && err.stack) lines.push(err.stack)
      else if (exit === ExitCode.unexpected)
        lines.push('This is a bug in cfadmin; run again with DEBUG=cfadmin* for details.')
      process.stderr.write(lines.join('\n') + '\n')
    }
    // Printed above; oclif's handler only has to exit with the code.
    thrown.skipOclifErrorHandling = true
    thrown.oclif = {...thrown.oclif, exit}
    throw thrown
  }
}

/**
 * Standard output failed under a write. A broken pipe (`cfadmin groups list | head -1`) ends quietly, like any Unix
 * tool whose reader left, but with exit 2, not 0: the output was not all delivered, so success is not claimed (and
 * not 141, the shell's code for a SIGPIPE death, which is outside cfadmin's table of exit codes). Any other failure
 * (a full disk behind `> file`) is said on stderr, exit 2. Ending here runs the 'exit' listeners (temp files, locks).
 */
function stdoutFailed(error: Error): void {
  if (!isBrokenPipe(error)) {
    const mapped = fileSystemError(error, 'standard output')
    const message = mapped?.message ?? `Cannot write to standard output: ${error.message}`
    process.stderr.write(`Error: ${terminalSafeLines(message)}\n${mapped?.hint ? `Hint: ${mapped.hint}\n` : ''}`)
  }

  process.exit(ExitCode.badInput)
}
