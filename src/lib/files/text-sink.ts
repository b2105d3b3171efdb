import {randomBytes} from 'node:crypto'
import {createWriteStream, unlinkSync} from 'node:fs'
import {open, rename, unlink} from 'node:fs/promises'
import {basename, dirname, join} from 'node:path'
import type {Writable} from 'node:stream'

import {badInput} from '../errors.js'
import {removeStaleTempFiles} from './stale-temp.js'

/** Where streamed text output goes: a file that appears whole or not at all, or stdout. */
export interface TextSink {
  /** Resolves at once unless the stream is full, so a fast producer waits only when it must. */
  write(text: string): Promise<void> | void
  /** Makes the output final (for a file: renames it into place). */
  commit(): Promise<void>
  /** Drops what was written (for a file: removes the temp file; the target is untouched). */
  abort(): Promise<void>
}

function writeWithBackpressure(stream: Writable, text: string): Promise<void> | void {
  if (stream.write(text)) return
  return new Promise((resolve, reject) => {
    const onDrain = () => {
      stream.off('error', onError)
      resolve()
    }

    const onError = (error: Error) => {
      stream.off('drain', onDrain)
      reject(error)
    }

    stream.once('drain', onDrain)
    stream.once('error', onError)
  })
}

/** Temp files not yet committed; removed if the process exits first (Ctrl-C, a crash in a later step). */
const pendingTempFiles = new Set<string>()
process.on('exit', () => {
  for (const path of pendingTempFiles) {
    try {
      unlinkSync(path)
    } catch {
      // Already gone.
    }
  }
})

/**
 * A file written through a temp file beside it and renamed into place on commit, so readers never see
 * a partial file and a failed run leaves the previous version untouched. `mode` defaults to 0600:
 * cfadmin's outputs hold emails.
 */
export async function createAtomicFile(target: string, mode = 0o600): Promise<TextSink> {
  // Temp files of this target left by a killed run (their pid is gone) go first; the pattern is ours alone.
  await removeStaleTempFiles(target)
  const temp = join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`)
  let handle
  try {
    handle = await open(temp, 'wx', mode)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') {
      throw badInput(
        'OUTPUT_DIR_MISSING',
        `Cannot write ${target}: the folder ${dirname(target)} does not exist.`,
        'Create the folder first, or give a path in a folder that exists.',
      )
    }

    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
      throw badInput(
        'OUTPUT_UNWRITABLE',
        `Cannot write ${target}: permission denied in ${dirname(target)}.`,
        'Give a path in a folder you can write to.',
      )
    }

    throw error
  }

  pendingTempFiles.add(temp)
  // A stream over the raw fd: one made by handle.createWriteStream() keeps handle.close() from settling.
  const stream = createWriteStream('', {autoClose: false, fd: handle.fd, highWaterMark: 256 * 1024})
  const finished = new Promise<void>((resolve, reject) => {
    stream.once('finish', resolve)
    stream.once('error', reject)
  })
  finished.catch(() => {}) // Observed by commit(); abort() does not care.

  return {
    write: (text) => writeWithBackpressure(stream, text),
    async commit() {
      stream.end()
      await finished
      // On disk before it takes the target's name, so a crash right after cannot leave an empty file.
      await handle.sync()
      await handle.close()
      await rename(temp, target)
      pendingTempFiles.delete(temp)
      await syncFolder(dirname(target))
    },
    async abort() {
      stream.destroy()
      await handle.close().catch(() => {})
      await unlink(temp).catch(() => {})
      pendingTempFiles.delete(temp)
    },
  }
}

/** Makes a rename in `folder` durable, where the platform lets a folder be opened (not on Windows). */
async function syncFolder(folder: string): Promise<void> {
  let handle
  try {
    handle = await open(folder, 'r')
  } catch {
    return
  }

  try {
    await handle.sync()
  } catch {
    // Some file systems cannot sync a folder; the file itself is already on disk.
  } finally {
    await handle.close()
  }
}

/**
 * Standard output as a sink: written as it goes, so nothing to take back. commit() resolves only once everything
 * written has left the process, and rejects when a write failed (the reader went away, a full disk behind
 * `> file`), so a cut-off output is never reported as written.
 */
export function stdoutSink(stream: Writable = process.stdout): TextSink {
  let failure: Error | undefined
  const remember = (error: Error) => {
    failure ??= error
  }

  stream.on('error', remember)
  return {
    write(text) {
      if (failure) throw failure
      return writeWithBackpressure(stream, text)
    },
    async commit() {
      try {
        if (failure) throw failure
        if (stream.destroyed || stream.writableEnded) {
          // Its error, if any, comes on the next tick: that one says more than "closed".
          await new Promise((resolve) => setImmediate(resolve))
          throw (
            failure ??
            Object.assign(new Error('standard output is closed'), {
              code: 'EBADF',
              path: 'standard output',
              syscall: 'write',
            })
          )
        }

        if (stream.writableLength > 0) {
          // The callback of an empty write comes after every earlier write was handed to the system, or with its error.
          await new Promise<void>((resolve, reject) => {
            stream.write('', (error) => (error ? reject(error) : resolve()))
          })
        }

        // A write that failed at once reports it on the next tick.
        await new Promise((resolve) => setImmediate(resolve))
        if (failure) throw failure
      } finally {
        stream.off('error', remember)
      }
    },
    async abort() {
      stream.off('error', remember)
    },
  }
}
