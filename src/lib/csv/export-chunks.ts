import {open} from 'node:fs/promises'

/** A byte range of the export holding whole records: it starts after a line break outside quotes. */
export interface ExportChunk {
  start: number
  /** Exclusive. */
  end: number
}

export interface ExportChunkPlan {
  /** The bytes of the header record, line break included. */
  header: Buffer
  /** The line break the header ends with; records end with the same one. */
  recordDelimiter: '\n' | '\r\n'
  chunks: ExportChunk[]
}

const QUOTE = 0x22
const NEWLINE = 0x0a
const CARRIAGE_RETURN = 0x0d
const BLOCK_BYTES = 1 << 20

/**
 * Cuts an export file into ranges of about `chunkBytes` that can be parsed independently. A line break
 * ends a record only outside a quoted field, and in valid CSV every quote character either opens or
 * closes a quoted field or is one of a doubled pair, so a line break after an even number of quotes
 * ends a record. Cuts go on the first such line break past each target. (In a file that is not valid
 * CSV a cut may land inside a field; the chunk's parser then fails at the same malformed line the
 * single-stream parse would.) In a file whose header ends with CRLF, as csv-parse then reads it, only
 * CRLF ends a record. Returns undefined when the file has no line break after its header, or when its header is
 * longer than `maxHeaderBytes` (it is not read into memory then).
 */
export async function planExportChunks(
  path: string,
  chunkBytes: number,
  maxHeaderBytes = Number.POSITIVE_INFINITY,
): Promise<ExportChunkPlan | undefined> {
  const handle = await open(path, 'r')
  try {
    const block = Buffer.allocUnsafe(BLOCK_BYTES)
    const cuts: number[] = []
    let inQuotes = false
    let target = 0 // the header ends at the first record break
    let position = 0
    let crlf = false
    let previousBlockEnd = 0
    for (;;) {
      const {bytesRead} = await handle.read(block, 0, BLOCK_BYTES, position)
      if (bytesRead === 0) break
      const bytes = block.subarray(0, bytesRead)
      let i = 0
      while (i < bytesRead) {
        if (position + i < target) {
          // Far from the next cut: only the quote count matters.
          const limit = Math.min(bytesRead, target - position)
          for (let q = bytes.indexOf(QUOTE, i); q !== -1 && q < limit; q = bytes.indexOf(QUOTE, q + 1))
            inQuotes = !inQuotes
          i = limit
          continue
        }

        const quote = bytes.indexOf(QUOTE, i)
        const newline = bytes.indexOf(NEWLINE, i)
        if (newline !== -1 && (quote === -1 || newline < quote)) {
          const afterCarriageReturn = (newline > 0 ? bytes[newline - 1] : previousBlockEnd) === CARRIAGE_RETURN
          if (cuts.length === 0) crlf = afterCarriageReturn
          if (!inQuotes && (afterCarriageReturn || !crlf)) {
            const cut = position + newline + 1
            cuts.push(cut)
            target = cut + chunkBytes
          }

          i = newline + 1
        } else if (quote === -1) {
          i = bytesRead
        } else {
          inQuotes = !inQuotes
          i = quote + 1
        }
      }

      previousBlockEnd = bytes[bytesRead - 1]
      position += bytesRead
      if (cuts.length === 0 && position > maxHeaderBytes) return undefined
    }

    const [headerEnd] = cuts
    if (headerEnd === undefined || headerEnd >= position || headerEnd > maxHeaderBytes) return undefined
    const header = Buffer.alloc(headerEnd)
    await handle.read(header, 0, headerEnd, 0)
    const bounds = [...cuts, position].filter((cut, index, all) => index === 0 || cut > all[index - 1])
    const chunks = bounds.slice(0, -1).map((start, index) => ({end: bounds[index + 1], start}))
    return {chunks, header, recordDelimiter: crlf ? '\r\n' : '\n'}
  } finally {
    await handle.close()
  }
}
