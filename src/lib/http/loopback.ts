/**
 * Plain http is for a server on this machine only (the fake Atlassian, a test double): anywhere else a token, a key
 * or a client secret would cross the network in clear.
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase()
  return host === 'localhost' || host === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(host)
}

/** Whether credentials may be sent to `url`: over https, or over http to this machine. */
export function safeForCredentials(url: URL): boolean {
  return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname))
}
