/**
 * `cfadmin doctor`: runs the checks in order with the connector's credential (the profile's, routed as siteRoute
 * picks), each adding its lines, and sums them up. Reads only: the connector's credential sends GETs (and the token
 * endpoint, for the OAuth renewals any session does); the admin profile's coverage reader may also send the Admin API's
 * searches (POSTs that read) when it holds an Admin key.
 */
import {createHttpClient} from '../http/client.js'
import {RatePacer} from '../http/pacer.js'
import {siteRoute} from '../session/clients.js'
import type {ProfileStore} from '../session/profile-store.js'
import {DEFAULT_PROFILE} from '../session/profile.js'
import {resolveSession} from '../session/session.js'
import {badInput, ExitCode} from '../errors.js'
import {findPreset, SCOPE_PRESETS} from '../oauth/scope-presets.js'
import {closest} from '../text/suggest.js'
import type {CheckResult, DoctorCheck, DoctorContext} from './check.js'
import {checkConnectorCalls, CONNECTOR_CALLS} from './connector-calls.js'
import {checkCoverage, checkSpaces} from './coverage.js'
import {checkCredential, isUnreachable, messageOf} from './credential.js'
import {checkExpiry} from './expiry.js'
import {checkProductAccess} from './product-access.js'

export interface DoctorSummary {
  ok: number
  warn: number
  fail: number
}

export interface DoctorResult {
  profile: string
  preset: string
  checks: CheckResult[]
  summary: DoctorSummary
}

const CHECKS: readonly DoctorCheck[] = [
  checkCredential,
  checkExpiry,
  checkProductAccess,
  checkSpaces,
  checkConnectorCalls,
  checkCoverage,
]

export function summarize(checks: readonly CheckResult[]): DoctorSummary {
  return {
    fail: checks.filter((c) => c.status === 'fail').length,
    ok: checks.filter((c) => c.status === 'ok').length,
    warn: checks.filter((c) => c.status === 'warn').length,
  }
}

/**
 * The exit code: 0 all ok, 3 some warn or fail; 4 when the credential itself was refused (nothing else could be
 * checked) and 5 when Atlassian could not be reached, as every command does.
 */
export function doctorExit(checks: readonly CheckResult[], unusable?: DoctorContext['unusable']): number {
  if (unusable === 'refused') return ExitCode.notAuthenticated
  if (unusable === 'unreachable') return ExitCode.unreachable
  return checks.every((c) => c.status === 'ok') ? ExitCode.ok : ExitCode.partial
}

/** --for: a preset name; unknown ones are exit 2 with the closest name. */
export function checkPreset(name: string): string {
  if (findPreset(name) && CONNECTOR_CALLS[name]) return name
  const names = SCOPE_PRESETS.map((p) => p.name)
  const near = closest(name, names)
  throw badInput(
    'PRESET_UNKNOWN',
    `--for ${name} is not a scope preset.`,
    `${near ? `Did you mean ${near}? ` : ''}The presets: ${names.join(', ')} (cfadmin auth scopes --presets describes them).`,
  )
}

/** Which profile reads the coverage: --admin-profile, else "default" when it is another profile with a site login. */
async function adminProfile(store: ProfileStore, profileName: string, wanted?: string): Promise<string | undefined> {
  if (wanted) {
    if (!(await store.get(wanted)))
      throw badInput(
        'PROFILE_UNKNOWN',
        `--admin-profile ${wanted}: there is no such profile.`,
        'List them with cfadmin auth status --offline.',
      )
    return wanted
  }

  if (profileName === DEFAULT_PROFILE) return undefined
  const fallback = await store.get(DEFAULT_PROFILE)
  return fallback?.apiToken || fallback?.oauth ? DEFAULT_PROFILE : undefined
}

export async function runDoctor(input: {
  store: ProfileStore
  profileName: string
  env: NodeJS.ProcessEnv
  preset?: string
  adminProfile?: string
  now?: number
}): Promise<{result: DoctorResult; exit: number}> {
  const profile = (await input.store.named(input.profileName)) ?? {}
  const session = resolveSession(input.profileName, profile, input.env)
  const preset = checkPreset(input.preset ?? session.oauth?.preset ?? 'crawler')
  const admin = await adminProfile(input.store, input.profileName, input.adminProfile)
  const route = siteRoute(session, input.store)
  const context: DoctorContext = {
    admin: admin ? {profileName: admin} : undefined,
    env: input.env,
    now: input.now ?? Date.now(),
    preset,
    profile,
    route,
    session,
    site: await createHttpClient({...route, pacer: new RatePacer()}),
    store: input.store,
  }
  const checks: CheckResult[] = []
  for (const check of CHECKS) {
    if (check === checkSpaces && !CONNECTOR_CALLS[preset].includes('list-spaces')) continue
    if (check === checkCoverage && !CONNECTOR_CALLS[preset].includes('list-spaces')) continue
    try {
      checks.push(...(await check(context)))
    } catch (error) {
      if (!isUnreachable(error)) throw error
      context.unusable = 'unreachable'
      checks.push({
        fix: 'Check the network (proxy, VPN) and the site URL, then run again.',
        id: 'network',
        reason: messageOf(error),
        status: 'fail',
        title: 'Atlassian reachable',
      })
      break
    }
  }

  return {
    exit: doctorExit(checks, context.unusable),
    result: {checks, preset, profile: input.profileName, summary: summarize(checks)},
  }
}
