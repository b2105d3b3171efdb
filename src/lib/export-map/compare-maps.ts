import {readExport} from '../csv/export-file.js'
import type {ExportUser} from '../csv/export-parser.js'
import {checkOutputPaths} from '../files/output-paths.js'
import type {TextSink} from '../files/text-sink.js'
import {exportMap} from './export-map.js'

/** One account whose entry the two maps do not share. */
export interface MapDifference {
  accountId: string
  difference: 'different-email' | 'only-in-api' | 'only-in-export'
  apiEmail?: string
  exportEmail?: string
}

/** `users export-map --from-api --compare export.csv`: what each map holds and where they part. */
export interface MapComparison {
  apiUsers: number
  exportUsers: number
  same: number
  onlyInApi: number
  onlyInExport: number
  differentEmail: number
  differences: MapDifference[]
}

export interface CompareOptions {
  /** The Admin API's users (directoryRows). */
  apiRows: AsyncIterable<ExportUser[]>
  /** The admin's "Export users" CSV. */
  exportPath: string
  includeInactive?: boolean
  preserveCase?: boolean
  threads?: number
}

/**
 * A sink that receives the JSON Lines map `exportMap` writes (whole lines per write) and hands each entry on: both maps
 * are made by the one map job, with the same rules (active users, emails lower-cased, first row wins).
 */
function entrySink(onEntry: (accountId: string, email: string) => void): TextSink {
  return {
    abort: async () => {},
    commit: async () => {},
    async write(chunk: string) {
      for (const line of chunk.split('\n')) {
        if (line === '') continue
        const {accountId, email} = JSON.parse(line) as {accountId: string; email: string}
        onEntry(accountId, email)
      }
    },
  }
}

/**
 * The differences between the map from the Admin API and the map from an export: the export's map is held (one entry
 * per mapped user), the API's is streamed against it. Differences come in the API's order, then the export's.
 */
export async function compareMaps(options: CompareOptions): Promise<MapComparison> {
  checkOutputPaths({label: 'export', path: options.exportPath}, [])
  const rules = {format: 'jsonl' as const, includeInactive: options.includeInactive, preserveCase: options.preserveCase}
  const fromExport = new Map<string, string>()
  const exported = await readExport(options.exportPath, options.threads)
  try {
    await exportMap({
      ...rules,
      output: entrySink((accountId, email) => fromExport.set(accountId, email)),
      users: exported.users,
    })
  } catch (error) {
    await exported.close()
    throw error
  }

  const comparison: MapComparison = {
    apiUsers: 0,
    differences: [],
    differentEmail: 0,
    exportUsers: fromExport.size,
    onlyInApi: 0,
    onlyInExport: 0,
    same: 0,
  }
  await exportMap({
    ...rules,
    output: entrySink((accountId, apiEmail) => {
      comparison.apiUsers++
      const exportEmail = fromExport.get(accountId)
      if (exportEmail === undefined) {
        comparison.onlyInApi++
        comparison.differences.push({accountId, apiEmail, difference: 'only-in-api'})
        return
      }

      fromExport.delete(accountId)
      if (exportEmail === apiEmail) {
        comparison.same++
      } else {
        comparison.differentEmail++
        comparison.differences.push({accountId, apiEmail, difference: 'different-email', exportEmail})
      }
    }),
    users: options.apiRows,
  })
  for (const [accountId, exportEmail] of fromExport) {
    comparison.onlyInExport++
    comparison.differences.push({accountId, difference: 'only-in-export', exportEmail})
  }

  return comparison
}
