import {readSeed} from './state.js'
import type {FakeSeed, FakeSpacePermission} from './types.js'

export interface GenerateSeedOptions {
  /** Generated accounts (besides the base seed's). Default 100. */
  users?: number
  /** Generated groups. Default 20. */
  groups?: number
  /** Generated spaces. Default 1000. */
  spaces?: number
  /** The seed to extend (its org, directory, site, credentials...). Default: the bundled default seed. */
  base?: FakeSeed
  /** Seats on the first site; default: none (no limit). */
  licenceLimit?: number
}

const pad = (n: number, width: number) => String(n).padStart(width, '0')

/**
 * The nickname of generated user `i` of `users`: three users share each one, far apart and in another case ("gen-00001",
 * "Gen-00001", "GEN-00001"), so a listing sorted by nickname meets ties it must break by account ID.
 */
function nicknameOf(i: number, users: number): string {
  const cycle = Math.max(1, Math.ceil(users / 3))
  const prefix = ['gen', 'Gen', 'GEN'][Math.floor((i - 1) / cycle) % 3]
  return `${prefix}-${pad(((i - 1) % cycle) + 1, 5)}`
}

/**
 * A big seed for load tests, deterministic: the base seed plus
 * - users `user-00001@gen.acme.example` … (`712020:gen-user-00001`; every 5th hides its email, every 50th is suspended;
 *   all are in the site's confluence-users group, and each in one generated group; nicknames shared by three users
 *   each, in three cases: `gen-00001`, `Gen-00001`, `GEN-00001`),
 * - groups `gen-team-0001` … (`gen-group-0001`),
 * - spaces `GEN00001` … (ids from 200001; every 100th a personal space `~<accountId>` of a generated user), each with
 *   read + administer for the base seed's first site admin, read for generated group (k mod groups), and read for the
 *   confluence-users group on every third space. Permission ids from 300001.
 * Every credential of the base seed still works (defaultSeedCredentials for the default base).
 */
export function generateSeed(options: GenerateSeedOptions = {}): FakeSeed {
  const {groups = 20, spaces = 1000, users = 100} = options
  const seed = structuredClone(options.base ?? readSeed('default'))
  const directoryId = seed.directories?.[0]?.id
  const site = seed.sites?.[0]
  if (!directoryId || !site) throw new Error('generateSeed: the base seed needs a directory and a site')
  if (options.licenceLimit !== undefined) site.licenceLimit = options.licenceLimit
  seed.description =
    `${seed.description ?? ''} Plus ${users} generated users, ${groups} groups and ${spaces} spaces (generateSeed).`.trim()
  seed.users ??= []
  seed.groups ??= []
  seed.memberships ??= []
  seed.spaces ??= []
  seed.spacePermissions ??= []
  const admin = seed.users.find((u) => u.siteAdmin)
  const usersGroup = seed.groups.find((g) => g.name === `confluence-users-${site.name}`)

  const accountIds: string[] = []
  for (let i = 1; i <= users; i++) {
    const accountId = `712020:gen-user-${pad(i, 5)}`
    accountIds.push(accountId)
    seed.users.push({
      accountId,
      directoryId,
      email: `user-${pad(i, 5)}@gen.acme.example`,
      emailVisible: i % 5 !== 0,
      name: `Generated User ${i}`,
      nickname: nicknameOf(i, users),
      status: i % 50 === 0 ? 'suspended' : 'active',
    })
    if (usersGroup) seed.memberships.push({accountId, groupId: usersGroup.id})
  }

  const groupIds: string[] = []
  for (let j = 1; j <= groups; j++) {
    const id = `gen-group-${pad(j, 4)}`
    groupIds.push(id)
    seed.groups.push({description: `Generated team ${j}`, directoryId, id, name: `gen-team-${pad(j, 4)}`})
  }

  if (groupIds.length > 0)
    for (const [i, accountId] of accountIds.entries())
      seed.memberships.push({accountId, groupId: groupIds[i % groupIds.length]})

  const taken = new Set(seed.spaces.map((s) => s.key))
  let permissionId = 300_000
  const permit = (spaceKey: string, principal: FakeSpacePermission['principal'], key: string) =>
    seed.spacePermissions!.push({id: ++permissionId, operation: {key, target: 'space'}, principal, spaceKey})
  for (let k = 1; k <= spaces; k++) {
    const personalOwner =
      k % 100 === 0 && accountIds.length > 0 ? accountIds[(k / 100 - 1) % accountIds.length] : undefined
    const key = personalOwner ? `~${personalOwner}` : `GEN${pad(k, 5)}`
    if (taken.has(key)) continue
    seed.spaces.push({
      id: String(200_000 + k),
      key,
      name: personalOwner ? `Personal space ${k}` : `Generated space ${k}`,
      status: 'current',
      type: personalOwner ? 'personal' : 'global',
    })
    if (admin) {
      permit(key, {id: admin.accountId, type: 'user'}, 'read')
      permit(key, {id: admin.accountId, type: 'user'}, 'administer')
    }

    if (personalOwner) {
      permit(key, {id: personalOwner, type: 'user'}, 'read')
      permit(key, {id: personalOwner, type: 'user'}, 'administer')
    }

    if (groupIds.length > 0) permit(key, {id: groupIds[k % groupIds.length], type: 'group'}, 'read')
    if (usersGroup && k % 3 === 0) permit(key, {id: usersGroup.id, type: 'group'}, 'read')
  }

  return seed
}
