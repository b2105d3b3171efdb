/**
 * Check 1: the credential's kind, the base URL that kind needs (the site for a classic API token, the gateway for a
 * scoped token, a 3LO grant or client credentials) and that it works there. An API token refused where the profile
 * sends it is tried as the other kind, to tell "the profile has the kind wrong" from "the token is no good".
 */
import {getCurrentUser} from '../api/identity.js'
import {isScopeMismatch, probeApiToken} from '../auth/token-kind.js'
import {CfadminError, ExitCode} from '../errors.js'
import {isAtlassianError} from '../http/errors.js'
import type {CheckResult, DoctorContext} from './check.js'

/** "a classic API token", "a scoped API token", "an OAuth (3LO) grant", "OAuth client credentials". */
export function credentialKind(context: Pick<DoctorContext, 'session'>): string {
  const {session} = context
  if (session.apiToken) return session.apiToken.kind === 'scoped' ? 'a scoped API token' : 'a classic API token'
  if (session.oauth) return 'an OAuth (3LO) grant'
  if (session.clientCredentials) return 'OAuth client credentials'
  return 'no credential'
}

const profileFlag = (name: string) => (name === 'default' ? '' : ` --profile ${name}`)

/** An error that means Atlassian could not be reached (after the retries). */
export const isUnreachable = (error: unknown): boolean =>
  error instanceof CfadminError && error.exit === ExitCode.unreachable

export async function checkCredential(context: DoctorContext): Promise<CheckResult[]> {
  const kind = credentialKind(context)
  const where = context.route.family === 'site' ? 'the site' : 'the gateway'
  const title = `Credential: ${kind}, on ${where} (${context.route.baseUrl})`
  try {
    context.me = await getCurrentUser(context.site)
    return [{id: 'credential', reason: `It works there, as ${context.me.displayName}.`, status: 'ok', title}]
  } catch (error) {
    if (isScopeMismatch(error)) {
      context.scopesLimited = true
      return [
        {
          id: 'credential',
          reason:
            'It works there, with limited scopes: reading the current user needs a scope it lacks, so whose it is stays unknown.',
          status: 'ok',
          title,
        },
      ]
    }

    if (error instanceof CfadminError && error.code === 'NO_CONFLUENCE_ACCESS') {
      context.noConfluenceAccess = true
      context.noConfluenceAccessFix = error.hint
      return [
        {
          id: 'credential',
          reason: 'Atlassian accepts it there (its account has no Confluence access: see below).',
          status: 'ok',
          title,
        },
      ]
    }

    if (isUnreachable(error)) {
      context.unusable = 'unreachable'
      return [
        {
          fix: 'Check the network (proxy, VPN) and the site URL, then run again.',
          id: 'credential',
          reason: messageOf(error),
          status: 'fail',
          title,
        },
      ]
    }

    context.unusable = 'refused'
    const otherKind = await tryOtherKind(context, error)
    if (otherKind) return [{...otherKind, id: 'credential', status: 'fail', title}]
    return [
      {
        fix: error instanceof CfadminError ? error.hint : undefined,
        id: 'credential',
        reason: messageOf(error),
        status: 'fail',
        title,
      },
    ]
  }
}

/** An API token refused with 401 where the profile sends it: does the other base URL take it? */
async function tryOtherKind(
  context: DoctorContext,
  error: unknown,
): Promise<{reason: string; fix: string} | undefined> {
  const {session} = context
  const token = session.apiToken
  const cloudId = session.site?.cloudId
  if (!token || !cloudId || !isAtlassianError(error, 401)) return undefined
  const said = token.kind === 'scoped' ? 'scoped' : 'classic'
  const other = said === 'scoped' ? 'classic' : 'scoped'
  try {
    await probeApiToken(session, cloudId, other)
  } catch {
    return undefined
  }

  const login = `cfadmin auth login --email ${token.email} --with-token${profileFlag(session.profileName)}`
  return {
    fix: `Log in again with the same token, which finds its kind: ${login}. A connector needs ${other === 'scoped' ? 'the gateway URL (https://api.atlassian.com/ex/confluence/<cloud ID>)' : 'the site URL'} for it.`,
    reason: `This is a ${other} token but the profile says ${said}: ${other === 'scoped' ? 'the site refuses it, the gateway takes it' : 'the gateway refuses it, the site takes it'}.`,
  }
}

export const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error))
