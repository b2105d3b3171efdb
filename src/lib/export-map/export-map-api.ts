import type {Got} from 'got'

import {directoryUserPages} from '../api/directory-listing.js'
import type {ExportUser} from '../csv/export-parser.js'
import {CfadminError, ExitCode} from '../errors.js'
import {checkOutputPaths} from '../files/output-paths.js'
import {exportMapToFiles, type ExportMapSummary, type ExportMapToFilesOptions} from './export-map.js'

/** The organization's Admin API and the directory whose users make the map. */
export interface DirectoryApi {
  client: Got
  orgId: string
  directoryId: string
}

/** Where the map comes from when no Admin API key is at hand: the admin's CSV export. */
export const CSV_ROUTE =
  'admin.atlassian.com > Directory > Users > Export users, then: cfadmin users export-map export-users.csv'

/** --from-api without an Admin API key: exit 4, saying how to add one and pointing to the CSV route. */
export function adminKeyNeeded(profileName: string): CfadminError {
  return new CfadminError(
    `--from-api reads the organization's directory through the Admin API, and profile "${profileName}" has no Admin API key.`,
    {
      code: 'ADMIN_KEY_NEEDED',
      exit: ExitCode.notAuthenticated,
      hint: `Add one (an organization Admin API key, without scopes): cfadmin auth login --with-admin-key < key.txt (or set CFADMIN_ADMIN_KEY). Or use the CSV route: ${CSV_ROUTE}`,
    },
  )
}

/**
 * The directory's users as rows of the map job, a batch per page of the listing: active means the Admin API's
 * composite status `active` (suspended, deactivated, not_invited and for_deletion are not), a missing email is an
 * empty one (skipped and counted), and `line` is the user's position in the listing.
 */
export async function* directoryRows(
  api: DirectoryApi,
  options: {groups?: boolean} = {},
): AsyncGenerator<ExportUser[]> {
  let position = 0
  for await (const page of directoryUserPages(api.client, api.orgId, api.directoryId, {groups: options.groups})) {
    yield page.map((user) => ({
      accountId: user.accountId,
      active: user.status === undefined || user.status === 'active',
      email: user.email ?? '',
      groups: user.groups,
      line: ++position,
    }))
  }
}

export interface ExportMapFromApiOptions extends Omit<ExportMapToFilesOptions, 'users'> {
  api: DirectoryApi
}

/**
 * `users export-map --from-api`: the map from the Admin API's directory listing, written as the CSV route writes it
 * (same formats, atomic --output, --report-skipped), page by page: memory holds one page and the account table.
 */
export async function exportMapFromApi(options: ExportMapFromApiOptions): Promise<ExportMapSummary> {
  const {api, ...rest} = options
  checkOutputPaths(undefined, [
    ...(rest.outputPath ? [{label: '--output', path: rest.outputPath}] : []),
    ...(rest.reportSkippedPath ? [{label: '--report-skipped', path: rest.reportSkippedPath}] : []),
  ])
  return exportMapToFiles({...rest, users: directoryRows(api, {groups: rest.withGroups})})
}
