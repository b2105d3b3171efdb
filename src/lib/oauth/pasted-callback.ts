/**
 * `auth login --oauth --paste`: the address the browser ended on (the redirect URI with Atlassian's query,
 * which it failed to load because cfadmin does not listen there), pasted by the user instead of the loopback
 * server receiving it. Checked like the loopback's answer; no message quotes the query, since it holds the code.
 */
import {badInput} from '../errors.js'
import {excerpt} from '../text/safe-text.js'
import {readCallbackQuery, stateMismatch} from './callback-answer.js'

/** The longest pasted address read: a callback address with Atlassian's code is well under 4 KB. */
export const PASTE_LIMIT = 16_384

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]'])

/** The authorization code in a pasted callback address for the login with this redirect URI and state. */
export function codeFromPastedAddress(pasted: string, login: {redirectUri: string; state: string}): string {
  const text = pasted.trim()
  const expected = new URL(login.redirectUri)
  const hint = `Paste the whole address from the browser's address bar once it fails to load ${login.redirectUri}?code=…`
  if (text === '') throw badInput('PASTE_EMPTY', 'Nothing was pasted.', hint)
  if (text.length > PASTE_LIMIT)
    throw badInput(
      'PASTE_TOO_LONG',
      `What was pasted is longer than ${PASTE_LIMIT} characters: not a callback address.`,
      hint,
    )
  const url = URL.canParse(text) ? new URL(text) : undefined
  // Only the address up to its path is ever quoted: the query holds the code.
  if (!url)
    throw badInput(
      'PASTE_NOT_CALLBACK',
      `What was pasted is not an address (it should start with ${login.redirectUri}).`,
      hint,
    )
  const sameTarget =
    url.protocol === expected.protocol &&
    LOOPBACK_HOSTS.has(url.hostname) &&
    url.port === expected.port &&
    url.pathname === expected.pathname
  if (!sameTarget)
    throw badInput(
      'PASTE_NOT_CALLBACK',
      `The pasted address goes to ${excerpt(`${url.origin}${url.pathname}`, 120)}, not to ${login.redirectUri}.`,
      hint,
    )

  const answer = readCallbackQuery(url.searchParams, login.state)
  if (answer.kind === 'foreign') throw stateMismatch(answer.state)
  if (answer.kind === 'refused') throw answer.error
  return answer.code
}
