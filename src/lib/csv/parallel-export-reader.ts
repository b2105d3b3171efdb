import {createReadStream} from 'node:fs'
import {availableParallelism} from 'node:os'
import {extname} from 'node:path'
import {fileURLToPath} from 'node:url'
import {Worker} from 'node:worker_threads'

// CsvError from the module that throws it: under CommonJS, csv-parse and csv-parse/sync are separate bundles.
import {CsvError, parse} from 'csv-parse/sync'

import {notUtf8} from '../files/input-file.js'
import {firstNonUtf8Line} from '../text/utf8.js'

import {findExportColumns} from './export-columns.js'
import {type ChunkContext, type ChunkOutcome, parseChunk} from './chunk-parser.js'
import {type ExportChunk, planExportChunks} from './export-chunks.js'
import {csvErrorDetail, type ExportUser, malformedCsv, MAX_RECORD_BYTES} from './export-parser.js'
import {readExportUsers} from './export-reader.js'

export interface ChunkRequest extends ExportChunk {
  index: number
}

export type ChunkReply =
  {index: number; type: 'users'; users: ExportUser[]} | {index: number; outcome: ChunkOutcome; type: 'end'}

export interface ParallelReadOptions {
  /** Threads that parse, the main thread included; default: the cores available, at most 4. */
  threads?: number
  chunkBytes?: number
}

/** Below this size a file is read on the main thread: starting workers would cost more than it saves. */
export const PARALLEL_MIN_BYTES = 16 * 1024 * 1024

export function parsingThreadsAvailable(): number {
  return Math.min(4, availableParallelism())
}

interface ChunkState {
  batches: ExportUser[][]
  outcome?: ChunkOutcome
}

// The worker is a sibling module: .js when built, .ts when the tests run the sources.
const workerUrl = new URL(`./export-chunk-worker${extname(fileURLToPath(import.meta.url))}`, import.meta.url)

function startWorker(workerData: ChunkContext): Worker {
  if (!workerUrl.pathname.endsWith('.ts')) return new Worker(workerUrl, {workerData})
  // Running from the TypeScript sources (tests, bin/dev.js): a worker does not inherit the tsx loader
  // for its entry module, so register it there first.
  const bootstrap = `import('tsx/esm/api').then((api) => { api.register(); return import(${JSON.stringify(workerUrl.href)}) })`
  return new Worker(bootstrap, {eval: true, workerData})
}

/**
 * Reads an export file with several threads parsing chunks of it at once, and yields the users in
 * file order, exactly as the single-stream reader would, with the same errors and line numbers.
 * The main thread, which also applies the caller's work to every user, parses a chunk itself
 * whenever the next one it needs is not ready, so N threads keep N cores busy. Memory stays bounded:
 * no chunk is parsed more than a few chunks ahead of the consumer.
 */
export async function* readExportFileInParallel(
  path: string,
  source: string,
  options: ParallelReadOptions = {},
): AsyncGenerator<ExportUser[]> {
  const chunkBytes = options.chunkBytes ?? 1024 * 1024
  const plan = await planExportChunks(path, chunkBytes, MAX_RECORD_BYTES)
  if (!plan) {
    // A header alone, or one huge record: nothing to share out (and one stream says what is wrong with a huge one).
    yield* readExportUsers(createReadStream(path), source)
    return
  }

  const badLine = firstNonUtf8Line(plan.header)
  if (badLine !== undefined) throw notUtf8(source, badLine)
  let header: string[] | undefined
  try {
    header = (
      parse(plan.header, {
        bom: true,
        max_record_size: MAX_RECORD_BYTES,
        relax_column_count: true,
        skip_empty_lines: true,
      }) as string[][]
    )[0]
  } catch (error) {
    if (error instanceof CsvError) throw malformedCsv(source, Number(error.lines ?? 1), csvErrorDetail(error.message))
    throw error
  }

  const context: ChunkContext = {columns: findExportColumns(header ?? []), path, recordDelimiter: plan.recordDelimiter}
  const headerLines = plan.header.filter((byte) => byte === 0x0a).length

  const chunks: ChunkState[] = plan.chunks.map(() => ({batches: []}))
  const workerCount = Math.max(0, Math.min((options.threads ?? parsingThreadsAvailable()) - 1, chunks.length - 1))
  const maxAhead = workerCount + 2
  let nextToAssign = 0
  let nextToConsume = 0
  let wake: (() => void) | undefined
  let crash: Error | undefined
  const notify = () => {
    wake?.()
    wake = undefined
  }

  const idle: Worker[] = []
  const canAssign = () => nextToAssign < chunks.length && nextToAssign - nextToConsume < maxAhead
  const assignWork = () => {
    while (idle.length > 0 && canAssign()) {
      const index = nextToAssign++
      idle.pop()!.postMessage({...plan.chunks[index], index} satisfies ChunkRequest)
    }
  }

  const workers = Array.from({length: workerCount}, () => {
    const worker = startWorker(context)
    worker.on('message', (reply: ChunkReply) => {
      const chunk = chunks[reply.index]
      if (reply.type === 'users') {
        chunk.batches.push(reply.users)
      } else {
        chunk.outcome = reply.outcome
        idle.push(worker)
        assignWork()
      }

      notify()
    })
    worker.on('error', (error) => {
      crash = error
      notify()
    })
    idle.push(worker)
    return worker
  })

  try {
    assignWork()
    let linesBefore = headerLines
    while (nextToConsume < chunks.length) {
      if (crash) throw crash
      const chunk = chunks[nextToConsume]
      const users = chunk.batches.shift()
      if (users) {
        for (const user of users) user.line += linesBefore
        yield users
      } else if (chunk.outcome && 'lines' in chunk.outcome) {
        linesBefore += chunk.outcome.lines
        chunks[nextToConsume++] = {batches: []}
        assignWork()
      } else if (chunk.outcome) {
        const {csvLine, message} = chunk.outcome
        if (csvLine === undefined) throw new Error(message)
        const line = linesBefore + csvLine
        if (chunk.outcome.notUtf8) throw notUtf8(source, line)
        throw malformedCsv(source, line, message.replaceAll(/\bline \d+/g, `line ${line}`))
      } else if (canAssign()) {
        // Rather than wait, parse the next unassigned chunk here; its users wait their turn.
        const index = nextToAssign++
        const local = chunks[index]
        local.outcome = await parseChunk(context, plan.chunks[index], (batch) => local.batches.push(batch))
      } else {
        await new Promise<void>((resolve) => {
          wake = resolve
        })
      }
    }
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()))
  }
}
