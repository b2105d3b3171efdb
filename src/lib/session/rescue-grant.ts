/**
 * When a renewed OAuth login cannot be saved to profiles.json (disk full, permissions), its new refresh token
 * is the only one Atlassian still accepts: losing it ends the grant. It goes to a rescue file instead, a copy
 * of profiles.json with the renewed login, readable only by the user (0600, created exclusively, never through
 * a link), so putting it back is one `mv`.
 *
 * Where: beside the config folder first (`<configDir>/..`), not in it, since the config folder is what just
 * failed; the user's own config root is where they look for cfadmin's files. Then the home folder, then the
 * temp folder (the file is 0600 and its name unguessable), for when the parent is on the same full disk.
 */
import {randomBytes} from 'node:crypto'
import {constants} from 'node:fs'
import {open, unlink} from 'node:fs/promises'
import {homedir, tmpdir} from 'node:os'
import {dirname, join} from 'node:path'

import type {OAuthGrant, ProfileFile} from './profile.js'
import type {ProfileStore} from './profile-store.js'

/** Writes the rescue file and returns its path, or undefined when no place could take it. */
export async function rescueGrant(
  store: ProfileStore,
  profileName: string,
  grant: OAuthGrant,
  now = new Date(),
): Promise<string | undefined> {
  let file: ProfileFile
  try {
    file = await store.read()
  } catch {
    file = {profiles: Object.create(null) as ProfileFile['profiles'], version: 1}
  }

  file.profiles[profileName] = {...file.profiles[profileName], oauth: grant}
  const text = store.render(file)
  const stamp = now
    .toISOString()
    .replaceAll(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')
  const safeName = profileName.replaceAll(/[^\w.-]/g, '_').slice(0, 64)
  const name = `cfadmin-rescued-profiles-${safeName}-${stamp}-${randomBytes(3).toString('hex')}.json`
  for (const folder of [dirname(store.configDir), homedir(), tmpdir()]) {
    const path = join(folder, name)
    try {
      const handle = await open(
        path,
        constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0),
        0o600,
      )
      try {
        await handle.writeFile(text)
        await handle.sync()
      } catch (error) {
        await handle.close().catch(() => {})
        await unlink(path).catch(() => {})
        throw error
      }

      await handle.close()
      return path
    } catch {
      // This place cannot take it: try the next.
    }
  }

  return undefined
}
