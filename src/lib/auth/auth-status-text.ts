import {terminalSafe} from '../text/safe-text.js'
import type {ProfileStatus} from './auth-status.js'
import {CREDENTIAL_LABEL, expiryText, fromFields} from './credential-expiry.js'

const LABEL = CREDENTIAL_LABEL

/** `auth status` for people: one block per profile; what Atlassian or the environment said is escaped. */
export function authStatusLines(profiles: ProfileStatus[], now = Date.now()): string[] {
  return rawLines(profiles, now).map((line) => terminalSafe(line))
}

function rawLines(profiles: ProfileStatus[], now: number): string[] {
  if (profiles.length === 0)
    return ['No profiles yet. Log in with: cfadmin auth login --site <site> --email <you@example.com>']
  const lines: string[] = []
  for (const p of profiles) {
    lines.push(`${p.profile}${p.active ? ' (active)' : ''}`)
    lines.push(
      p.site
        ? `  site:      ${p.site.url}${p.site.cloudId ? `  cloud ID ${p.site.cloudId}` : ''}`
        : '  site:      none',
    )
    if (p.siteBaseUrl) lines.push(`  requests:  ${p.siteBaseUrl}`)
    if (p.who)
      lines.push(
        `  who:       ${p.who.displayName ? `${p.who.displayName} <${p.who.email}>` : p.who.email}${p.who.accountId ? `  account ${p.who.accountId}` : ''}`,
      )
    if (p.org?.id) lines.push(`  org:       ${p.org.id}${p.org.directoryId ? `  directory ${p.org.directoryId}` : ''}`)
    if (p.credentials.length === 0) lines.push('  credentials: none')
    for (const c of p.credentials) {
      const detail = c.check === 'valid' || c.check === 'not checked' ? '' : ` (${c.detail})`
      lines.push(`  ${LABEL[c.kind].padEnd(14)} ${c.secret}  from ${c.source}  ${c.check}${detail}`)
      if (c.tokenKind) lines.push(`                 ${c.tokenKind}${c.baseUrl ? `, through ${c.baseUrl}` : ''}`)
      if (c.kind === 'client-credentials')
        lines.push(
          `                 ${c.owner}${c.baseUrl ? `, through ${c.baseUrl}` : ''}; a new access token each hour, no refresh token`,
        )
      if (c.oauth) {
        const what = c.oauth.preset
          ? `preset ${c.oauth.preset}, ${c.oauth.scopes.length} scopes`
          : `${c.oauth.scopes.length} scopes`
        const refresh = c.oauth.handedOverAt
          ? `refresh token handed to a connector ${c.oauth.handedOverAt}`
          : c.oauth.refreshToken
            ? 'renews itself'
            : 'no refresh token'
        lines.push(`                 ${c.owner}; ${what}; access token until ${c.oauth.expiresAt}; ${refresh}`)
      }

      const expiry = fromFields(c)
      if (expiry)
        lines.push(
          `                 ${expiryText(expiry, now)}${c.lastActiveAt ? `; last used ${c.lastActiveAt.slice(0, 10)}` : ''}`,
        )
    }
  }

  return lines
}
