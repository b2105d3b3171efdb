/**
 * The resume journal: one JSON line per event, so an interrupted run can tell which not-naturally-idempotent
 * changes (invitations, group creations) it already sent. It never overrides a live check: the runner checks
 * every operation again and asks the journal only when the server does not show the change yet.
 *
 * File: <dir>/<runId>.jsonl, folder 0700, file 0600, created on the first entry, never through a symbolic link.
 * A run holds the lock <runId>.jsonl.lock from open to finish (or close), so a second run of the same command
 * on the same input stops at once (exit 2) instead of sending the same changes alongside the first. A "sending" entry is fsynced
 * before the change goes out and a "done" entry once Atlassian acknowledged it; a finished run deletes the file.
 * On resume an acknowledged change is held back; one cut off in flight is held back only when Atlassian
 * shows such changes late (Operation.eventual), since otherwise the live check already tells whether it landed,
 * and skipping it could leave an invitation never sent while the report says it was.
 */

import {createHash} from 'node:crypto'
import {constants} from 'node:fs'
import {lstat, mkdir, open, unlink} from 'node:fs/promises'
import type {FileHandle} from 'node:fs/promises'
import {join} from 'node:path'

import {badInput} from '../errors.js'
import {acquireFileLock, describeHolder, type HeldLock} from '../files/lock-file.js'

const NOFOLLOW = constants.O_NOFOLLOW ?? 0
const NONBLOCK = constants.O_NONBLOCK ?? 0

type Entry = {k: string; s: 'sending' | 'done'; t: string}

const RUN_ID = /^[\w.-]{1,128}$/

/** A stable id for a run: sha256 hex (first 16 characters) of the JSON of the parts, e.g. command and inputs. */
export function runIdOf(...parts: unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 16)
}

/** Keys whose change was started, and those Atlassian acknowledged; a torn last line (the process died mid-write) is ignored. */
function parseJournal(text: string): {started: Set<string>; sent: Set<string>} {
  const started = new Set<string>()
  const sent = new Set<string>()
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue
    try {
      const entry = JSON.parse(line) as Partial<Entry>
      if (typeof entry.k !== 'string') continue
      started.add(entry.k)
      if (entry.s === 'done') sent.add(entry.k)
    } catch {
      // A line cut short by a crash: its apply had not started (the fsync had not returned).
    }
  }

  return {sent, started}
}

export class Journal {
  readonly path: string
  private readonly dir: string
  private readonly sent: Set<string>
  private readonly started: Set<string>
  private handle?: FileHandle
  /** Entries waiting for the next write; writes run one at a time, in order, so lines never interleave. */
  private pending: Array<{line: string; sync: boolean; resolve(): void; reject(error: unknown): void}> = []
  private writing = false
  /** The write under way, for finish() to wait for. */
  private queue: Promise<void> = Promise.resolve()
  private finished = false
  private readonly lock?: HeldLock

  private constructor(dir: string, path: string, entries: {sent: Set<string>; started: Set<string>}, lock?: HeldLock) {
    this.dir = dir
    this.path = path
    this.sent = entries.sent
    this.started = entries.started
    this.lock = lock
  }

  /**
   * Opens the journal of run `runId` in `dir` (created 0700 if missing), reading what an earlier run left, and
   * takes its lock; `lock: false` only looks (tests reading what a run in progress wrote).
   */
  static async open(dir: string, runId: string, options: {lock?: boolean} = {}): Promise<Journal> {
    if (!RUN_ID.test(runId))
      throw new Error(
        `Journal run id must be letters, digits, '.', '_' or '-' (see runIdOf), not ${JSON.stringify(runId)}.`,
      )
    await prepareFolder(dir)
    const path = join(dir, `${runId}.jsonl`)
    const lockPath = `${path}.lock`
    const lock =
      options.lock === false
        ? undefined
        : await acquireFileLock(lockPath, {
            busy: (holder) =>
              badInput(
                'JOURNAL_BUSY',
                `${describeHolder(holder)} is running the same command on the same input (journal ${path}).`,
                `Wait for it to finish, then run again (it resumes what is left). If no cfadmin is running${holder ? ` (check: ps -p ${holder.pid})` : ''}, remove the lock: rm ${lockPath}`,
              ),
            waitMs: 0,
          })
    try {
      return new Journal(dir, path, parseJournal(await readJournal(path)), lock)
    } catch (error) {
      await lock?.release()
      throw error
    }
  }

  /** A oneShot change of this key was sent and acknowledged by an earlier (interrupted) run. */
  wasSent(key: string): boolean {
    return this.sent.has(key)
  }

  /** A oneShot change of this key was started by an earlier run, acknowledged or cut off in flight. */
  wasStarted(key: string): boolean {
    return this.started.has(key)
  }

  /** Recorded and fsynced before a oneShot apply starts: resolves only once the entry is on disk. */
  markSending(key: string): Promise<void> {
    return this.append({k: key, s: 'sending', t: new Date().toISOString()}, true)
  }

  /** The apply returned: Atlassian acknowledged the change. Fsynced, since it is what holds a resend back. */
  markDone(key: string): Promise<void> {
    return this.append({k: key, s: 'done', t: new Date().toISOString()}, true)
  }

  /** The run finished (even with failures): deletes the journal. Calling it again does nothing. */
  async finish(): Promise<void> {
    if (this.finished) return
    this.finished = true
    await this.queue.catch(() => {})
    await this.handle?.close().catch(() => {})
    this.handle = undefined
    try {
      await unlink(this.path).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error
      })
    } finally {
      await this.lock?.release()
    }
  }

  /** The run stopped before finishing (an error): keeps the journal for the resume and lets the next run in. */
  async close(): Promise<void> {
    if (this.finished) return
    this.finished = true
    await this.queue.catch(() => {})
    await this.handle?.close().catch(() => {})
    this.handle = undefined
    await this.lock?.release()
  }

  /**
   * Group commit: entries that arrive while a write and its fsync are under way go out together in the next one,
   * so a batch of a hundred invitations costs one fsync, not a hundred. Each caller resolves once its entry is
   * on disk, or sees the error of its write.
   */
  private append(entry: Entry, sync: boolean): Promise<void> {
    if (this.finished)
      return Promise.reject(new Error(`Journal ${this.path} is finished; nothing more can be recorded.`))
    return new Promise((resolve, reject) => {
      this.pending.push({line: JSON.stringify(entry) + '\n', reject, resolve, sync})
      if (!this.writing) this.queue = this.drain()
    })
  }

  private async drain(): Promise<void> {
    this.writing = true
    try {
      while (this.pending.length > 0) {
        const batch = this.pending.splice(0)
        try {
          const handle = this.handle ?? (await this.create())
          await handle.appendFile(batch.map((b) => b.line).join(''), 'utf8')
          if (batch.some((b) => b.sync)) await handle.datasync()
          for (const b of batch) b.resolve()
        } catch (error) {
          for (const b of batch) b.reject(error)
        }
      }
    } finally {
      this.writing = false
    }
  }

  private async create(): Promise<FileHandle> {
    const handle = await open(
      this.path,
      constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | NOFOLLOW | NONBLOCK,
      0o600,
    ).catch((error: unknown) => {
      throw journalFileError(error, this.path)
    })
    if (!(await handle.stat()).isFile()) {
      await handle.close()
      throw notAFile(this.path)
    }

    // A file left by an earlier run keeps its mode; make sure it is ours only.
    await handle.chmod(0o600)
    // Make the new directory entry durable too, where the platform allows opening a folder.
    try {
      const folder = await open(this.dir, 'r')
      await folder.sync().finally(() => folder.close())
    } catch {
      // Not supported here (e.g. Windows): the file's own fsync is the best we can do.
    }

    this.handle = handle
    return handle
  }
}

/** The journals folder: created 0700; an existing one must be a real folder, not a link to somewhere else. */
async function prepareFolder(dir: string): Promise<void> {
  try {
    await mkdir(dir, {mode: 0o700, recursive: true})
  } catch (error) {
    throw badInput(
      'JOURNAL_DIR_UNUSABLE',
      `Cannot create the journal folder ${dir} (${(error as NodeJS.ErrnoException).code}).`,
      'Check that the config folder (CFADMIN_CONFIG_DIR) is writable.',
    )
  }

  const info = await lstat(dir)
  if (!info.isDirectory()) {
    throw badInput(
      'JOURNAL_DIR_UNUSABLE',
      `The journal folder ${dir} is not a folder (a symbolic link?); cfadmin does not follow links for its journals.`,
      `Remove it (rm ${dir}); cfadmin creates it again.`,
    )
  }
}

/** What an earlier run left ('' if nothing), read without following a link and without waiting on a FIFO. */
async function readJournal(path: string): Promise<string> {
  let handle: FileHandle
  try {
    handle = await open(path, constants.O_RDONLY | NOFOLLOW | NONBLOCK)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return ''
    throw journalFileError(error, path)
  }

  try {
    if (!(await handle.stat()).isFile()) throw notAFile(path)
    return await handle.readFile('utf8')
  } finally {
    await handle.close()
  }
}

function notAFile(path: string) {
  return badInput(
    'JOURNAL_NOT_A_FILE',
    `The journal ${path} is not a regular file (a symbolic link, a folder or a device).`,
    `cfadmin never follows links for its journals. Remove it: rm ${path}`,
  )
}

function journalFileError(error: unknown, path: string): unknown {
  const code = (error as NodeJS.ErrnoException).code
  if (code === 'ELOOP' || code === 'EMLINK' || code === 'EFTYPE') return notAFile(path)
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS' || code === 'ENOSPC' || code === 'EISDIR') {
    return badInput(
      'JOURNAL_UNWRITABLE',
      `Cannot use the journal ${path} (${code}).`,
      'Check that the config folder (CFADMIN_CONFIG_DIR) is writable and its disk has free space.',
    )
  }

  return error
}
