import {Command, Flags} from '@oclif/core'

import {CfadminError, ExitCode} from './errors.js'
import {formatCount} from './output.js'
import {type ProgressLine, progressLine} from './progress-line.js'
import {ProfileStore} from './session/profile-store.js'

/** `--profile`, for every command that uses a login; CFADMIN_PROFILE sets it too. */
export const profileFlag = Flags.string({description: 'the login profile to use', env: 'CFADMIN_PROFILE', helpGroup: 'GLOBAL'})

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

  public abstract override run(): Promise<T>

  protected override async init(): Promise<void> {
    await super.init()
    // Ending through process.exit() runs 'exit' listeners, which remove half-written temp files.
    if (!BaseCommand.signalsHandled) {
      BaseCommand.signalsHandled = true
      process.once('SIGINT', () => process.exit(130))
      process.once('SIGTERM', () => process.exit(143))
    }
  }

  /** Where profiles are kept: oclif's configDir (CFADMIN_CONFIG_DIR overrides it). */
  protected profileStore(): ProfileStore {
    return new ProfileStore(this.config.configDir)
  }

  /** A progress or status line for people, on stderr; silent under --json. */
  protected status(message: string): void {
    if (!this.jsonEnabled()) process.stderr.write(message + '\n')
  }

  /** A live "Read 250,000 rows…" line on a terminal's stderr while long work runs. */
  protected progressLine(describe = (rows: number) => `Read ${formatCount(rows)} rows…`): ProgressLine {
    return progressLine(describe, !this.jsonEnabled())
  }

  /** A warning, on stderr even under --json, so stdout stays machine-readable. */
  protected warning(message: string): void {
    process.stderr.write(`Warning: ${message}\n`)
  }

  protected override async catch(err: Error & {oclif?: {exit?: number}; skipOclifErrorHandling?: boolean}): Promise<never> {
    if (err.oclif?.exit === 0 || (err as {code?: string}).code === 'EEXIT') throw err
    const exit = err instanceof CfadminError ? err.exit : (err.oclif?.exit ?? ExitCode.unexpected)
    const code = err instanceof CfadminError ? err.code : exit === ExitCode.badInput ? 'USAGE' : 'UNEXPECTED'
    const hint = err instanceof CfadminError ? err.hint : undefined
    process.exitCode = exit
    if (this.jsonEnabled()) {
      const json: ErrorJson = {error: {code, exit, message: err.message, ...(hint ? {hint} : {})}}
      process.stdout.write(JSON.stringify(json, null, 2) + '\n')
    } else {
      const lines = [`Error: ${err.message}`]
      if (hint) lines.push(`Hint: ${hint}`)
      if (exit === ExitCode.unexpected && process.env.DEBUG && err.stack) lines.push(err.stack)
      else if (exit === ExitCode.unexpected) lines.push('This is a bug in cfadmin; run again with DEBUG=cfadmin* for details.')
      process.stderr.write(lines.join('\n') + '\n')
    }
    // Printed above; oclif's handler only has to exit with the code.
    err.skipOclifErrorHandling = true
    err.oclif = {...err.oclif, exit}
    throw err
  }
}
