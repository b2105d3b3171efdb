/**
 * What the query of a callback request means for a login waiting on `state`: not this login's answer at all
 * (a missing or wrong state: any web page can send one), Atlassian's code, or Atlassian's refusal. Shared by
 * the loopback server and by `--paste`; nothing here prints the code.
 */
import {createHash, timingSafeEqual} from 'node:crypto'

import {CfadminError, ExitCode} from '../errors.js'
import {boundedMessage, excerpt} from '../text/safe-text.js'

export type CallbackAnswer =
  /** Not the answer to this login: the login goes on waiting. */
  | {kind: 'foreign'; state: 'missing' | 'wrong'}
  | {kind: 'code'; code: string}
  /** This login's answer, and it ends the login: `said` is what Atlassian said, escaped, for the browser page. */
  | {kind: 'refused'; error: CfadminError; said: string}

const notLoggedIn = (code: string, message: string, hint: string) =>
  new CfadminError(message, {code, exit: ExitCode.notAuthenticated, hint})

export function readCallbackQuery(query: URLSearchParams, expectedState: string): CallbackAnswer {
  const state = query.get('state')
  if (state === null || state === '') return {kind: 'foreign', state: 'missing'}
  if (!sameSecret(state, expectedState)) return {kind: 'foreign', state: 'wrong'}

  const error = query.get('error')
  if (error) {
    const description = query.get('error_description')
    // Both come from the query string: escaped and cut, since anything may have written them.
    const said = `${excerpt(error)}${description ? ` (${boundedMessage(description)})` : ''}`
    return {
      error:
        error === 'access_denied'
          ? notLoggedIn(
              'OAUTH_DENIED',
              'The consent was declined in the browser (access_denied): nothing was saved.',
              "Run the login again and choose Accept on Atlassian's page.",
            )
          : notLoggedIn(
              'OAUTH_AUTHORIZE_ERROR',
              `Atlassian refused the authorization: ${said}.`,
              error === 'invalid_scope'
                ? 'Add the scopes to the app in the developer console (Permissions), or ask for fewer with --scopes.'
                : 'Check the app in developer.atlassian.com: its client ID, callback URL and permissions.',
            ),
      kind: 'refused',
      said,
    }
  }

  const code = query.get('code')
  if (!code) {
    return {
      error: notLoggedIn(
        'OAUTH_NO_CODE',
        'The browser came back without an authorization code.',
        'Run cfadmin auth login --oauth again.',
      ),
      kind: 'refused',
      said: 'no authorization code',
    }
  }

  return {code, kind: 'code'}
}

/** The error for an answer that is not this login's, where it ends the login (a pasted address). */
export function stateMismatch(state: 'missing' | 'wrong'): CfadminError {
  return notLoggedIn(
    'OAUTH_STATE_MISMATCH',
    state === 'missing'
      ? 'The address carries no state value, so it is not the answer to this login; it was refused.'
      : "The address carries a state value that is not this login's; it was refused.",
    "Paste the address the browser ended on after the URL this run printed (an older login's address cannot complete it), or run cfadmin auth login --oauth again.",
  )
}

/** Compares without leaking through timing how much of the state was right. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest()
  return timingSafeEqual(digest(given), digest(expected))
}
