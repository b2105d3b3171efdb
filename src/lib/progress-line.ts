import type {WriteStream} from 'node:tty'

export interface ProgressLine {
  update(count: number): void
  done(): void
}

/**
 * One self-overwriting status line on a terminal's stderr, redrawn at most five times a second.
 * Off when stderr is not a terminal (logs stay clean) and under --json.
 */
export function progressLine(
  describe: (count: number) => string,
  enabled: boolean,
  stream: Pick<WriteStream, 'isTTY' | 'write'> = process.stderr,
): ProgressLine {
  const live = enabled && stream.isTTY === true
  let lastDrawn = 0
  return {
    update(count) {
      const now = Date.now()
      if (!live || now - lastDrawn < 200) return
      lastDrawn = now
      stream.write(`\r${describe(count)}\u001B[K`)
    },
    done() {
      if (live && lastDrawn > 0) stream.write('\r\u001B[K')
    },
  }
}
