import {readFile, rename, writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import type {Profile} from '../session/profile.js'
import {resolveSession} from '../session/session.js'
import {expiresSoon, expiryText, oauthExpiry, RENEW_HINT} from './credential-expiry.js'

/** Where the day of the last warning is kept, per profile: `<configDir>/expiry-warnings.json`. */
export const WARNING_STATE_FILE = 'expiry-warnings.json'

interface WarningState {
  version: 1
  /** Profile name -> the day (YYYY-MM-DD, UTC) it was last warned about. */
  warned: Record<string, string>
}

/**
 * The lines to warn with when a credential the profile in use holds expires within 14 days (or has expired), from
 * what the profile recorded: no request is made. At most once a day per profile: the day of the last warning is kept
 * in a small state file in the config folder. A state file that cannot be read counts as "not warned today"; one
 * that cannot be written only means the warning may come again.
 */
export async function expiryWarnings(input: {
  configDir: string
  profileName: string
  profile: Profile | undefined
  env: NodeJS.ProcessEnv
  now?: number
}): Promise<string[]> {
  const now = input.now ?? Date.now()
  const lines = warningLines(input.profileName, input.profile, input.env, now)
  if (lines.length === 0) return []
  const path = join(input.configDir, WARNING_STATE_FILE)
  const state = await readState(path)
  const today = new Date(now).toISOString().slice(0, 10)
  if (state.warned[input.profileName] === today) return []
  state.warned[input.profileName] = today
  await writeState(path, state)
  return lines
}

function warningLines(name: string, profile: Profile | undefined, env: NodeJS.ProcessEnv, now: number): string[] {
  if (!profile) return []
  // Only what the command will use from the profile: a token or key from the environment has no recorded expiry.
  const session = resolveSession(name, profile, env)
  const lines: string[] = []
  const add = (kind: keyof typeof RENEW_HINT, what: string, expiry: ReturnType<typeof oauthExpiry>) => {
    if (expiry && expiresSoon(expiry, now))
      lines.push(`the ${what} (profile "${name}") ${expiryText(expiry, now)}. ${RENEW_HINT[kind]}.`)
  }

  if (session.apiToken?.source === 'profile' && session.apiToken.token === profile.apiToken?.token)
    add('api-token', `API token of ${profile.apiToken.email}`, profile.apiToken.expiry)
  if (session.adminKey?.source === 'profile' && session.adminKey.key === profile.adminKey?.key)
    add('admin-key', 'Admin API key', profile.adminKey.expiry)
  if (session.oauth) add('oauth', 'OAuth login', oauthExpiry(session.oauth))
  if (session.clientCredentials)
    add(
      'client-credentials',
      `client secret of ${session.clientCredentials.clientId}`,
      session.clientCredentials.expiry,
    )
  return lines
}

async function readState(path: string): Promise<WarningState> {
  try {
    const parsed = JSON.parse(await readFile(path, 'utf8')) as Partial<WarningState>
    if (parsed?.version === 1 && parsed.warned && typeof parsed.warned === 'object' && !Array.isArray(parsed.warned))
      return {version: 1, warned: Object.assign(Object.create(null), parsed.warned) as Record<string, string>}
  } catch {
    // Missing, unreadable or not ours: as if never warned.
  }

  return {version: 1, warned: Object.create(null) as Record<string, string>}
}

async function writeState(path: string, state: WarningState): Promise<void> {
  const temp = `${path}.${process.pid}.tmp`
  try {
    await writeFile(temp, JSON.stringify(state) + '\n', {mode: 0o600})
    await rename(temp, path)
  } catch {
    // A read-only or full config folder: the warning may come again, the command goes on.
  }
}
