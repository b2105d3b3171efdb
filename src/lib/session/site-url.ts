import {badInput} from '../errors.js'
import {safeForCredentials} from '../http/loopback.js'
import {excerpt} from '../text/safe-text.js'

export interface SiteAddress {
  /** Origin only: https://acme.atlassian.net, or any http(s)://host[:port] (a local test server). */
  url: string
  /** The first label of <name>.atlassian.net; undefined for other hosts (custom domains, local servers). */
  name?: string
}

/** Accepts "acme", "acme.atlassian.net" or a URL (any path is dropped) and gives the site's origin. */
export function normalizeSite(input: string): SiteAddress {
  const text = input.trim()
  if (text === '')
    throw badInput(
      'SITE_INVALID',
      'The site is empty.',
      'Give it as acme, acme.atlassian.net or https://acme.atlassian.net.',
    )
  const withHost = /^[a-z][a-z\d-]*$/i.test(text) ? `${text}.atlassian.net` : text
  const withScheme = /^[a-z]+:\/\//i.test(withHost) ? withHost : `https://${withHost}`
  let url: URL
  try {
    url = new URL(withScheme)
  } catch {
    throw badInput(
      'SITE_INVALID',
      `"${excerpt(input)}" is not a site name, host or URL.`,
      'Give it as acme, acme.atlassian.net or https://acme.atlassian.net.',
    )
  }

  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw badInput(
      'SITE_INVALID',
      `"${excerpt(input)}" is not an http(s) address.`,
      'Give it as acme, acme.atlassian.net or https://acme.atlassian.net.',
    )
  }

  if (!safeForCredentials(url)) {
    throw badInput(
      'SITE_INSECURE',
      `"${excerpt(input)}" is plain http: the API token would cross the network in clear.`,
      `Give it as https://${url.host} (plain http is only for a server on this machine, e.g. http://127.0.0.1:4567).`,
    )
  }

  const match = /^([a-z\d-]+)\.atlassian\.net$/i.exec(url.hostname)
  return {name: match?.[1].toLowerCase(), url: url.origin}
}
