/**
 * The resume journal: one JSON line per event, so an interrupted run can tell which not-naturally-idempotent
 * changes (invitations, group creations) it already sent. It never overrides a live check: the runner checks
 * every operation again and asks the journal only when the server does not show the change yet.
 *
 * File: <dir>/<runId>.jsonl, folder 0700, file 0600, created on the first entry. A "sending" entry is fsynced
 * before the change goes out and a "done" entry once Atlassian acknowledged it; a finished run deletes the file.
 * On resume an acknowledged change is held back; one cut off in flight is held back only when Atlassian
 * shows such changes late (Operation.eventual), since otherwise the live check already tells whether it landed,
 * and skipping it could leave an invitation never sent while the report says it was.
 */

import {createHash} from 'node:crypto'
import {mkdir, open, readFile, unlink} from 'node:fs/promises'
import type {FileHandle} from 'node:fs/promises'
import {join} from 'node:path'

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

  private constructor(dir: string, path: string, entries: {sent: Set<string>; started: Set<string>}) {
    this.dir = dir
    this.path = path
    this.sent = entries.sent
    this.started = entries.started
  }

  /** Opens the journal of run `runId` in `dir` (created 0700 if missing), reading what an earlier run left. */
  static async open(dir: string, runId: string): Promise<Journal> {
    if (!RUN_ID.test(runId)) throw new Error(`Journal run id must be letters, digits, '.', '_' or '-' (see runIdOf), not ${JSON.stringify(runId)}.`)
    await mkdir(dir, {mode: 0o700, recursive: true})
    const path = join(dir, `${runId}.jsonl`)
    let text = ''
    try {
      text = await readFile(path, 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
    }

    return new Journal(dir, path, parseJournal(text))
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
    await unlink(this.path).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error
    })
  }

  /**
   * Group commit: entries that arrive while a write and its fsync are under way go out together in the next one,
   * so a batch of a hundred invitations costs one fsync, not a hundred. Each caller resolves once its entry is
   * on disk, or sees the error of its write.
   */
  private append(entry: Entry, sync: boolean): Promise<void> {
    if (this.finished) return Promise.reject(new Error(`Journal ${this.path} is finished; nothing more can be recorded.`))
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
    const handle = await open(this.path, 'a', 0o600)
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
