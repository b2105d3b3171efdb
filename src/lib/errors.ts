/**
 * Exit codes are part of cfadmin's interface: scripts and CI jobs branch on them.
 * They are documented in the README; change them only with a major version.
 */
export const ExitCode = {
  ok: 0,
  unexpected: 1,
  badInput: 2,
  partial: 3,
  notAuthenticated: 4,
  /** Atlassian or the network could not be reached, after the retries. */
  unreachable: 5,
} as const

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode]

export interface CfadminErrorOptions {
  /** A stable machine-readable name, printed under --json (e.g. `FILE_NOT_FOUND`). */
  code: string
  exit: ExitCodeValue
  /** One line telling the user what to do next. */
  hint?: string
  cause?: unknown
}

/** The one error type the library throws for anything a user can act on. */
export class CfadminError extends Error {
  readonly code: string
  readonly exit: ExitCodeValue
  readonly hint?: string

  constructor(message: string, options: CfadminErrorOptions) {
    super(message, {cause: options.cause})
    this.name = 'CfadminError'
    this.code = options.code
    this.exit = options.exit
    this.hint = options.hint
  }
}

/** Atlassian or the network could not be reached after the retries: exit 5. */
export function unreachable(code: string, message: string, hint?: string): CfadminError {
  return new CfadminError(message, {code, exit: ExitCode.unreachable, hint})
}

/** Bad input or usage: exit 2. */
export function badInput(code: string, message: string, hint?: string): CfadminError {
  return new CfadminError(message, {code, exit: ExitCode.badInput, hint})
}
