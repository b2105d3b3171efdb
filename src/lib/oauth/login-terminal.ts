/** The terminal side of `auth login --oauth`: telling the user where to go, and asking which site. */
import {badInput} from '../errors.js'
import {askLine, promptLine} from '../prompt.js'
import {promptSecret} from '../secret-input.js'
import {excerpt, terminalSafe} from '../text/safe-text.js'
import type {AccessibleSite} from './accessible-resources.js'
import {openBrowser} from './open-browser.js'
import {PASTE_LIMIT} from './pasted-callback.js'

export interface AuthorizeUrlOptions {
  timeoutSeconds: number
  /** Why no browser is opened (see whyNoBrowser), else undefined. */
  noBrowser?: string
  /** Running over SSH: the browser is on another machine. */
  overSsh?: boolean
  /** --paste: the user pastes the address the browser ends on; nothing listens. */
  paste?: boolean
}

/**
 * Prints the callback URL the app needs and the consent URL (always: the browser may not open), then opens it
 * unless `noBrowser` says why not. When the browser may be elsewhere (SSH, or none opened), says how to
 * forward the loopback port, or to use --paste.
 */
export async function showAuthorizeUrl(url: string, redirectUri: string, options: AuthorizeUrlOptions): Promise<void> {
  process.stderr.write(
    `The app's callback URL must be ${redirectUri} (developer console > your app > Authorization).\n`,
  )
  if (options.paste) {
    process.stderr.write(`Open this URL in a browser, log in and accept:\n  ${url}\n`)
    process.stderr.write(
      `The browser then goes to ${redirectUri}?code=… and cannot load it: copy that whole address from its address bar.\n`,
    )
  } else {
    process.stderr.write(
      `Log in and accept in the browser; waiting up to ${options.timeoutSeconds} s. If no browser opens, open:\n  ${url}\n`,
    )
  }

  let opened = false
  if (options.noBrowser) process.stderr.write(`(No browser opened: ${options.noBrowser}.)\n`)
  else if (await openBrowser(url)) opened = true
  else process.stderr.write('(Could not start a browser: open the URL above.)\n')
  if (!options.paste && (options.overSsh || !opened))
    process.stderr.write(`${sshHint(Number(new URL(redirectUri).port || 80))}\n`)
}

/** How a browser on the user's own machine reaches a login running on another one. */
export function sshHint(port: number): string {
  return `If your browser runs on another machine (cfadmin over SSH), forward the port from there first: ssh -L ${port}:127.0.0.1:${port} <host>, then open the URL in that browser; or run again with --paste and paste the address the browser ends on.`
}

/**
 * Reads the address the browser ended on (--paste). On a terminal it is not echoed: its query holds the
 * authorization code. From a pipe, one line of at most PASTE_LIMIT characters.
 */
export async function askPastedAddress(): Promise<string> {
  const question = 'Paste that address here (it is not shown) and press Enter: '
  if (process.stdin.isTTY) return promptSecret(question, 'Run without --paste, or give the address on standard input.')
  return askLine(question, undefined, {maxLength: PASTE_LIMIT})
}

/** Asks on the terminal which of the grant's sites to use; without a terminal, says to use --site. */
export async function askWhichSite(sites: AccessibleSite[]): Promise<AccessibleSite> {
  // Names and addresses come from Atlassian: escaped, so a site name cannot rewrite the terminal.
  const list = sites.map((s, i) => terminalSafe(`  ${i + 1}. ${s.url} (${s.name}, cloud ID ${s.id})`)).join('\n')
  const answer = await promptLine(
    `The login covers ${sites.length} sites:\n${list}\nWhich one (1-${sites.length})? `,
    'Choose one with --site <url or cloud ID>.',
  )
  const site = sites[Number(answer) - 1]
  if (!site)
    throw badInput(
      'SITE_CHOICE',
      `"${excerpt(answer)}" is not one of 1-${sites.length}.`,
      'Run again and choose by number, or give --site.',
    )
  return site
}
