import {readFile} from 'node:fs/promises'

import {readExport} from '../csv/export-file.js'
import {resolveMapFormat} from '../csv/map-format.js'
import {createAtomicFile} from '../files/text-sink.js'
import {type AccessOperation, operationId} from '../access/operation-keys.js'
import {mapMayBeReplaced} from './plan/plan-paths.js'
import {exportMap} from '../export-map/export-map.js'
import {type DirectoryApi, directoryRows} from '../export-map/export-map-api.js'

/**
 * The plan's account-ID-to-email map (key `map:<to>`): made from the export (`from`), or from the Admin API's directory
 * (`from: api`: no `from`, the session's `admin`), in memory and compared with the file already there, so a re-run with
 * the same users changes nothing and --verify says when the map is stale.
 */
export function exportMapOperation(
  from: string | undefined,
  to: string,
  labels: {from: string; to: string},
  admin?: DirectoryApi,
): AccessOperation {
  const format = resolveMapFormat(undefined, to)
  let made: Promise<string> | undefined
  const rows = async () => {
    if (from !== undefined) return (await readExport(from, 1)).users
    if (!admin) throw new Error('the map comes from the Admin API, and this login has no Admin API key')
    return directoryRows(admin)
  }

  const map = () => {
    made ??= (async () => {
      let text = ''
      const users = await rows()
      await exportMap({
        format,
        output: {abort: async () => {}, commit: async () => {}, write: (chunk) => void (text += chunk)},
        users,
      })
      return text
    })()
    return made
  }

  return {
    async apply() {
      const text = await map()
      // Checked when the plan was read; checked again in case the file was swapped since.
      if (!mapMayBeReplaced(to))
        throw new Error(
          `${labels.to} is no longer a map cfadmin wrote: it was not replaced; move it away and run again`,
        )
      const sink = await createAtomicFile(to)
      try {
        await sink.write(text)
        await sink.commit()
      } catch (error) {
        await sink.abort()
        throw error
      }

      return `${text.length === 0 ? 0 : text.split('\n').length - 1} lines`
    },
    async check() {
      const existing = await readFile(to, 'utf8').catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return undefined
        throw error
      })
      return existing === (await map()) ? 'done' : 'todo'
    },
    describe: () =>
      `write the account-ID-to-email map ${labels.to} from ${from === undefined ? "the Admin API's directory" : labels.from}`,
    ...operationId.map(labels.to),
  }
}
