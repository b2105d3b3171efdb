import {defaultSeedCredentials} from './credentials.js'
import type {FakeOAuthGrant, FakeState} from './types.js'

/**
 * Helpers for tests of OAuth 2.0 (3LO) clients against the fake: go through the consent page without a browser, and
 * read what the fake's grants say (which refresh token is current, how many refreshes happened).
 */

type HasState = FakeState | {state: FakeState}
const stateOf = (x: HasState): FakeState => ('state' in x ? x.state : x)

export interface ConsentChoice {
  /** Default accept. */
  decision?: 'accept' | 'deny'
  /** The account's email (or accountId); default the one the page preselects (the first active site admin). */
  account?: string
  /** Cloud ID of the site ("Use app on"); default the first site. */
  site?: string
}

/**
 * Does what a user does in the browser: GETs the consent page at `authorizeUrl` (absolute, or a path on the fake),
 * posts its form with `choice`, and gives back where the fake redirects: `redirect_uri?code=…&state=…`, or
 * `?error=…&state=…`. A request the fake redirects at once (invalid_scope…) gives that Location; an error page throws.
 */
export async function consent(
  fake: {url: string},
  authorizeUrl: string | URL,
  choice: ConsentChoice = {},
): Promise<URL> {
  const pageUrl = new URL(authorizeUrl, fake.url)
  const res = await fetch(pageUrl, {redirect: 'manual'})
  const text = await res.text()
  if (res.status >= 300 && res.status < 400) return new URL(res.headers.get('location') ?? '')
  if (res.status !== 200) throw new Error(`consent: ${pageUrl.pathname} answered ${res.status}: ${textOf(text)}`)

  const form = new URLSearchParams()
  for (const tag of text.match(/<input\b[^>]*>/g) ?? []) {
    const {name, type, value} = attributes(tag)
    if (type === 'hidden' && name) form.append(name, value ?? '')
  }

  form.set('account', choice.account ?? selected(text, 'account'))
  form.set('site', choice.site ?? selected(text, 'site'))
  form.set('decision', choice.decision ?? 'accept')
  const action = attributes(/<form\b[^>]*>/.exec(text)?.[0] ?? '').action ?? pageUrl.pathname
  const posted = await fetch(new URL(action, pageUrl), {
    body: form,
    headers: {'content-type': 'application/x-www-form-urlencoded'},
    method: 'POST',
    redirect: 'manual',
  })
  const answer = await posted.text()
  const location = posted.headers.get('location')
  if (posted.status !== 302 || !location)
    throw new Error(`consent: POST ${action} answered ${posted.status}: ${textOf(answer)}`)
  return new URL(location)
}

/**
 * An authorization URL for the fake with everything §1b asks for (audience, prompt=consent, response_type=code);
 * defaults: the default seed's app and `read:space:confluence offline_access`.
 */
export function authorizeUrl(
  fake: {url: string},
  options: {redirectUri: string; state?: string; scope?: string; clientId?: string},
): URL {
  const url = new URL('/authorize', fake.url)
  url.search = new URLSearchParams({
    audience: 'api.atlassian.com',
    client_id: options.clientId ?? defaultSeedCredentials.oauthApp.clientId,
    prompt: 'consent',
    redirect_uri: options.redirectUri,
    response_type: 'code',
    scope: options.scope ?? 'read:space:confluence offline_access',
    ...(options.state === undefined ? {} : {state: options.state}),
  }).toString()
  return url
}

/** The latest grant of an OAuth app (default: the default seed's), optionally of one account; revoked ones included. */
export function grantFor(
  fake: HasState,
  clientId: string = defaultSeedCredentials.oauthApp.clientId,
  accountId?: string,
): FakeOAuthGrant | undefined {
  return stateOf(fake).oauthGrants.findLast(
    (g) => g.clientId === clientId && (accountId === undefined || g.accountId === accountId),
  )
}

function grantById(fake: HasState, grantId?: string): FakeOAuthGrant | undefined {
  const grants = stateOf(fake).oauthGrants
  return grantId === undefined ? grants.at(-1) : grants.find((g) => g.id === grantId)
}

/** The refresh token the grant (default: the latest grant) accepts without leeway; undefined when it has none or is revoked. */
export function currentRefreshToken(fake: HasState, grantId?: string): string | undefined {
  const grant = grantById(fake, grantId)
  return grant && !grant.revoked ? grant.refreshTokens.find((r) => !r.rotatedAt)?.token : undefined
}

/** How many successful refreshes the grant (default: the latest grant) has seen: each one issued a new refresh token. */
export function refreshCount(fake: HasState, grantId?: string): number {
  return Math.max(0, (grantById(fake, grantId)?.refreshTokens.length ?? 0) - 1)
}

function attributes(tag: string): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {}
  for (const m of tag.matchAll(/([\w-]+)(?:="([^"]*)")?/g))
    out[m[1]] = m[2] === undefined ? undefined : unescapeHtml(m[2])
  return out
}

/** The value of the preselected option of a <select name=…> (else its first option). */
function selected(html: string, name: string): string {
  const select = new RegExp(`<select\\b[^>]*name="${name}"[^>]*>([\\s\\S]*?)</select>`).exec(html)?.[1] ?? ''
  const options = [...select.matchAll(/<option\b[^>]*>/g)].map((m) => attributes(m[0]))
  const option = options.find((o) => 'selected' in o) ?? options[0]
  return option?.value ?? ''
}

const unescapeHtml = (text: string) =>
  text.replace(/&#(\d+);|&(amp|lt|gt|quot);/g, (_, code?: string, named?: string) =>
    code
      ? String.fromCharCode(Number(code))
      : ({amp: '&', gt: '>', lt: '<', quot: '"'} as Record<string, string>)[named ?? ''],
  )

const textOf = (html: string) =>
  unescapeHtml(html.replace(/<[^>]+>/g, ' '))
    .replace(/\s+/g, ' ')
    .trim()
