/**
 * Reads `source` ahead of its consumer, holding at most `capacity` items: while the consumer works on what it has, the
 * next item (for a paged listing: the next page's request) is already on its way. A page chained by a cursor cannot
 * be asked before the one before it arrives, so this is how a listing keeps the network busy while the rows are written.
 * Errors reach the consumer after the items read before them; a consumer that stops early stops the reading.
 */
export async function* readAhead<T>(source: AsyncIterable<T>, capacity: number): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]()
  const buffer: T[] = []
  let finished = false
  let stopped = false
  let failure: {error: unknown} | undefined
  let itemArrived: (() => void) | undefined
  let roomMade: (() => void) | undefined
  const wakeConsumer = () => {
    itemArrived?.()
    itemArrived = undefined
  }

  const reading = (async () => {
    try {
      while (!stopped) {
        if (buffer.length >= capacity) {
          await new Promise<void>((resolve) => (roomMade = resolve))
          continue
        }

        const next = await iterator.next()
        if (next.done) break
        buffer.push(next.value)
        wakeConsumer()
      }
    } catch (error) {
      failure = {error}
    } finally {
      finished = true
      wakeConsumer()
    }
  })()

  try {
    for (;;) {
      if (buffer.length > 0) {
        const item = buffer.shift() as T
        roomMade?.()
        roomMade = undefined
        yield item
      } else if (failure) {
        throw failure.error
      } else if (finished) {
        return
      } else {
        await new Promise<void>((resolve) => (itemArrived = resolve))
      }
    }
  } finally {
    stopped = true
    roomMade?.()
    await reading
    if (failure === undefined) await iterator.return?.(undefined)
  }
}
