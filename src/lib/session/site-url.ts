import {badInput} from '../errors.js'

export interface SiteAddress {
  /** Origin only: https://acme.atlassian.net, or any http(s)://host[:port] (a local test server). */
  url: string
  /** The first label of <name>.atlassian.net; undefined for other hosts (custom domains, local servers). */
  name?: string
}

/** Accepts "acme", "acme.atlassian.net" or a URL (any path is dropped) and gives the site's origin. */
export function normalizeSite(input: string): SiteAddress {
  const text = input.trim()
  if (text === '') throw badInput('SITE_INVALID', 'The site is empty.', 'Give it as acme, acme.atlassian.net or https://acme.atlassian.net.')
  const withHost = /^[a-z][a-z\d-]*$/i.test(text) ? `${text}.atlassian.net` : text
  const withScheme = /^[a-z]+:\/\//i.test(withHost) ? withHost : `https://${withHost}`
  let url: URL
  try {
    url = new URL(withScheme)
  } catch {
    throw badInput('SITE_INVALID', `"${input}" is not a site name, host or URL.`, 'Give it as acme, acme.atlassian.net or https://acme.atlassian.net.')
  }

  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw badInput('SITE_INVALID', `"${input}" is not an http(s) address.`, 'Give it as acme, acme.atlassian.net or https://acme.atlassian.net.')
  }

  const match = /^([a-z\d-]+)\.atlassian\.net$/i.exec(url.hostname)
  return {name: match?.[1].toLowerCase(), url: url.origin}
}
