import type {Got} from 'got'

import {listDirectories} from '../api/admin.js'
import {searchUsersByEmail} from '../api/directory.js'
import {badInput} from '../errors.js'

/**
 * The directory of the organization that holds the site's users (atlassian-2026.md §5: orgs on the original user
 * management can have several; picking the first is a guess). `wanted` (--directory) must be one of the org's; with
 * one directory it is that one; with several, the one where the logged-in account (`email`) is found. When that does
 * not settle it, an error (exit 2) lists them and asks for --directory: never the first by chance.
 */
export async function siteDirectory(
  admin: Got,
  orgId: string,
  options: {wanted?: string; email?: string},
): Promise<string> {
  const directories = await listDirectories(admin, orgId)
  const listed = () => directories.map((d) => `${d.id}${d.name ? ` (${d.name})` : ''}`).join(', ')
  if (options.wanted) {
    if (directories.some((d) => d.id === options.wanted)) return options.wanted
    throw badInput(
      'DIRECTORY_UNKNOWN',
      `Organization ${orgId} has no directory ${options.wanted} the Admin API key can see. It has: ${listed() || 'none'}.`,
      'Give one of those to --directory.',
    )
  }

  if (directories.length === 0)
    throw badInput(
      'DIRECTORY_NONE',
      `Organization ${orgId} has no user directory the Admin API key can see.`,
      'Check the key in admin.atlassian.com > Settings > API keys.',
    )
  if (directories.length === 1) return directories[0].id
  const holding: string[] = []
  if (options.email) {
    for (const directory of directories) {
      if ((await searchUsersByEmail(admin, orgId, directory.id, [options.email])).length > 0) holding.push(directory.id)
    }
  }

  if (holding.length === 1) return holding[0]
  throw badInput(
    'DIRECTORY_AMBIGUOUS',
    `Organization ${orgId} has ${directories.length} user directories (${listed()}), and cfadmin cannot tell which holds the site's users${options.email ? ` (${options.email} is in ${holding.length === 0 ? 'none' : 'several'} of them)` : ''}.`,
    'Name it with --directory ID (remembered in the profile).',
  )
}
