// The space role mode the benchmarks' generated site uses: ROLES by default (what new sites have), or the one
// BENCH_ROLE_MODE names (PRE_ROLES, or "classic" for it; ROLES_TRANSITION). Shared by the benchmarks.
import type {FakeSeed} from '../fake-atlassian/types.js'

export type BenchRoleMode = 'PRE_ROLES' | 'ROLES' | 'ROLES_TRANSITION'

const MODES: Record<string, BenchRoleMode> = {
  classic: 'PRE_ROLES',
  pre_roles: 'PRE_ROLES',
  roles: 'ROLES',
  roles_transition: 'ROLES_TRANSITION',
  transition: 'ROLES_TRANSITION',
}

/** The mode BENCH_ROLE_MODE asks for (default ROLES); anything else stops the benchmark with the values it takes. */
export function benchRoleMode(): BenchRoleMode {
  const asked = (process.env.BENCH_ROLE_MODE ?? 'ROLES').trim().toLowerCase()
  const mode = MODES[asked]
  if (!mode) throw new Error(`BENCH_ROLE_MODE takes ROLES (default), PRE_ROLES (or classic) or ROLES_TRANSITION`)
  return mode
}

/** Sets the mode on every site of the seed (the generated seed copies default.json, whose sites are PRE_ROLES). */
export function withRoleMode(seed: FakeSeed, mode: BenchRoleMode): FakeSeed {
  for (const site of seed.sites ?? []) site.roleMode = mode
  return seed
}
