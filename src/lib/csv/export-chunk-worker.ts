/**
 * A worker thread of the parallel export reader: parses the chunks it is sent and posts back their
 * users, then each chunk's outcome.
 */
import {parentPort, workerData} from 'node:worker_threads'

import {type ChunkContext, parseChunk} from './chunk-parser.js'
import type {ChunkReply, ChunkRequest} from './parallel-export-reader.js'

const context = workerData as ChunkContext
const port = parentPort!

port.on('message', async (request: ChunkRequest) => {
  const outcome = await parseChunk(context, request, (users) =>
    port.postMessage({index: request.index, type: 'users', users} satisfies ChunkReply),
  )
  port.postMessage({index: request.index, outcome, type: 'end'} satisfies ChunkReply)
})
