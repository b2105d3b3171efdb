/** The terminal side of `auth login --oauth`: telling the user where to go, and asking which site. */
import {badInput} from '../errors.js'
import {promptLine} from '../prompt.js'
import type {AccessibleSite} from './accessible-resources.js'
import {openBrowser} from './open-browser.js'

/** Prints the callback URL the app needs and the consent URL (always: the browser may not open), then opens it unless `noBrowser` says why not. */
export async function showAuthorizeUrl(url: string, redirectUri: string, options: {timeoutSeconds: number; noBrowser?: string}): Promise<void> {
  process.stderr.write(`The app's callback URL must be ${redirectUri} (developer console > your app > Authorization).\n`)
  process.stderr.write(`Log in and accept in the browser; waiting up to ${options.timeoutSeconds} s. If no browser opens, open:\n  ${url}\n`)
  if (options.noBrowser) process.stderr.write(`(No browser opened: ${options.noBrowser}.)\n`)
  else if (!(await openBrowser(url))) process.stderr.write('(Could not start a browser: open the URL above.)\n')
}

/** Asks on the terminal which of the grant's sites to use; without a terminal, says to use --site. */
export async function askWhichSite(sites: AccessibleSite[]): Promise<AccessibleSite> {
  const list = sites.map((s, i) => `  ${i + 1}. ${s.url} (${s.name}, cloud ID ${s.id})`).join('\n')
  const answer = await promptLine(`The login covers ${sites.length} sites:\n${list}\nWhich one (1-${sites.length})? `, 'Choose one with --site <url or cloud ID>.')
  const site = sites[Number(answer) - 1]
  if (!site) throw badInput('SITE_CHOICE', `"${answer}" is not one of 1-${sites.length}.`, 'Run again and choose by number, or give --site.')
  return site
}
