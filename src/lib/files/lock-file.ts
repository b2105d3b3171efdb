/**
 * Lock files shared by every cfadmin process on this machine (the OAuth refresh, profiles.json updates,
 * journal runs).
 *
 * - Taking: the owner's record (pid, host, process start, a random token) is written to a temp file of its
 *   own, which is then hard-linked to the lock's name: the lock appears whole or not at all, and only one
 *   process can create the name.
 * - Staleness: a lock whose owner is dead is stale; on Linux a pid reused by another process is told apart
 *   by the process start time recorded in the lock. Where the owner cannot be checked (another host, no
 *   /proc), the owner touches the lock every few seconds and a lock untouched for `staleMs` is stale. An
 *   empty or garbled lock (an older cfadmin, a crash) is stale once a few seconds old.
 * - Takeover: processes removing a stale lock take turns through `<lock>.break`, and each looks again,
 *   under it, that the lock is still the very file (inode and content) it judged stale before removing it,
 *   so a lock another process has just taken is never removed.
 * - Release: when the work ends, and on every exit of the process (process.exit() after Ctrl-C skips
 *   `finally`), only if the lock still holds this owner's token.
 * - Lock files are never followed through symbolic links: a link at the lock's name is refused.
 */
import {randomBytes} from 'node:crypto'
import {closeSync, constants, fstatSync, openSync, readFileSync, readSync, unlinkSync} from 'node:fs'
import {type FileHandle, link, lstat, open, rename, unlink} from 'node:fs/promises'
import {hostname} from 'node:os'
import {basename, dirname, join} from 'node:path'
import {setTimeout as sleep} from 'node:timers/promises'

import {badInput, CfadminError, ExitCode} from '../errors.js'
import {excerpt} from '../text/safe-text.js'
import {pidAlive, removeStaleTempFiles} from './stale-temp.js'

export interface LockOptions {
  /** Give up after this long; default 60 s; 0: give up at once when another process holds it. */
  waitMs?: number
  /** Between tries; default 25 ms (with a little jitter). */
  pollMs?: number
  /** A lock whose owner cannot be checked and that was not touched for this long is stale; default 30 s. */
  staleMs?: number
  /** What the lock guards, for the messages: "refreshing the OAuth login". */
  purpose?: string
  /** Told once when the wait passes 2 s; default: a line on stderr. */
  notify?: (message: string) => void
  /** The error when the lock stays taken; default: exit 2 naming the lock, its owner and how to clear it. */
  busy?: (holder: LockHolder | undefined, path: string) => CfadminError
}

/** What a lock file records about its owner. */
export interface LockHolder {
  pid: number
  host: string
  /** /proc/<pid>/stat start time (Linux), to tell a reused pid apart. */
  procStart?: string
  /** When the lock was taken, ISO 8601. */
  since: string
  token: string
}

export interface HeldLock {
  readonly path: string
  release(): Promise<void>
}

const NOFOLLOW = constants.O_NOFOLLOW ?? 0
const NONBLOCK = constants.O_NONBLOCK ?? 0
/** A lock file that says nothing about its owner is stale once this old (an owner writes it before linking it). */
const GARBLED_GRACE_MS = 5000
/** A `.break` file is held for a few file operations; one this old was left by a crash. */
const BREAK_STALE_MS = 10_000
const WAIT_NOTICE_MS = 2000
const MAX_LOCK_BYTES = 4096

/** Locks this process holds, by path: removed by the exit listener if the process ends while holding them. */
const held = new Map<string, {token: string; handle: FileHandle; heartbeat: NodeJS.Timeout}>()
process.on('exit', () => {
  for (const [path, lock] of held) {
    clearInterval(lock.heartbeat)
    try {
      if (readLockSync(path)?.token === lock.token) unlinkSync(path)
    } catch {
      // Gone already, or the folder is unwritable: the next run finds this pid dead and takes over.
    }
  }
})

/** Runs `work` while holding the lock file `path`. */
export async function withFileLock<T>(path: string, work: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const lock = await acquireFileLock(path, options)
  try {
    return await work()
  } finally {
    await lock.release()
  }
}

/** Takes the lock file `path`, waiting for its owner (up to `waitMs`) and taking over a stale one. */
export async function acquireFileLock(path: string, options: LockOptions = {}): Promise<HeldLock> {
  const staleMs = options.staleMs ?? 30_000
  const started = Date.now()
  const deadline = started + (options.waitMs ?? 60_000)
  const me: LockHolder = {
    host: hostname(),
    pid: process.pid,
    procStart: procStartOf(process.pid),
    since: new Date().toISOString(),
    token: randomBytes(16).toString('hex'),
  }
  await removeStaleTempFiles(path)
  const temp = tempNameFor(path)
  const handle = await createExclusive(temp, JSON.stringify(me) + '\n', path)
  let notified = false
  try {
    for (;;) {
      try {
        await link(temp, path)
        break
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw lockError(error, path)
      }

      const seen = await inspect(path)
      if (seen === undefined) continue // released in between: try again at once
      if (isStale(seen, staleMs)) {
        await breakStale(path, seen)
        continue
      }

      const now = Date.now()
      if (now >= deadline) throw (options.busy ?? busyError)(seen.holder, path)
      if (!notified && now - started >= WAIT_NOTICE_MS) {
        notified = true
        const notify = options.notify ?? ((message: string) => process.stderr.write(message + '\n'))
        notify(`Waiting for ${describeHolder(seen.holder)} to finish ${options.purpose ?? 'its work'} (lock ${path})…`)
      }

      const poll = options.pollMs ?? 25
      await sleep(Math.min(poll + Math.random() * poll, Math.max(1, deadline - now)))
    }
  } catch (error) {
    await handle.close().catch(() => {})
    await unlink(temp).catch(() => {})
    throw error
  }

  await unlink(temp).catch(() => {})
  const heartbeat = setInterval(
    () => {
      const now = new Date()
      handle.utimes(now, now).catch(() => {})
    },
    Math.max(50, Math.floor(staleMs / 4)),
  )
  heartbeat.unref()
  held.set(path, {handle, heartbeat, token: me.token})
  let released = false
  return {
    path,
    async release() {
      if (released) return
      released = true
      clearInterval(heartbeat)
      held.delete(path)
      await handle.close().catch(() => {})
      const seen = await inspect(path).catch(() => undefined)
      if (seen?.holder?.token === me.token) await unlink(path).catch(() => {})
    },
  }
}

/** The default timeout error: exit 2, with the owner and how to clear the lock if that owner is gone. */
function busyError(holder: LockHolder | undefined, path: string): CfadminError {
  return new CfadminError(`${describeHolder(holder)} holds the lock ${path}, and it was not released in time.`, {
    code: 'LOCKED',
    exit: ExitCode.badInput,
    hint: `Wait for that cfadmin to finish and run again. If no cfadmin is running${holder ? ` (check: ps -p ${holder.pid})` : ''}, remove the lock: rm ${path}`,
  })
}

export function describeHolder(holder: LockHolder | undefined): string {
  if (!holder) return 'Another cfadmin process'
  const host = holder.host === hostname() ? '' : ` on ${excerpt(holder.host, 40)}`
  const since = holder.since ? `, since ${excerpt(holder.since, 30)}` : ''
  return `Another cfadmin process (pid ${holder.pid}${host}${since})`
}

interface Seen {
  holder?: LockHolder
  text: string
  ino: number
  dev: number
  mtimeMs: number
}

/** The lock file as it is now, or undefined when there is none; refuses anything but a regular file. */
async function inspect(path: string): Promise<Seen | undefined> {
  let handle: FileHandle
  try {
    handle = await open(path, constants.O_RDONLY | NOFOLLOW | NONBLOCK)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') return undefined
    throw lockError(error, path)
  }

  try {
    const info = await handle.stat()
    if (!info.isFile()) throw notAFile(path)
    const buffer = Buffer.alloc(MAX_LOCK_BYTES)
    const {bytesRead} = await handle.read(buffer, 0, MAX_LOCK_BYTES, 0)
    const text = buffer.subarray(0, bytesRead).toString('utf8')
    return {dev: info.dev, holder: parseHolder(text), ino: info.ino, mtimeMs: info.mtimeMs, text}
  } finally {
    await handle.close()
  }
}

function readLockSync(path: string): LockHolder | undefined {
  const fd = openSync(path, constants.O_RDONLY | NOFOLLOW | NONBLOCK)
  try {
    if (!fstatSync(fd).isFile()) return undefined
    const buffer = Buffer.alloc(MAX_LOCK_BYTES)
    const bytes = readSync(fd, buffer, 0, MAX_LOCK_BYTES, 0)
    return parseHolder(buffer.subarray(0, bytes).toString('utf8'))
  } finally {
    closeSync(fd)
  }
}

/** The owner recorded in a lock; a bare pid is what cfadmin 0.1 wrote. */
function parseHolder(text: string): LockHolder | undefined {
  const trimmed = text.trim()
  if (/^\d{1,10}$/.test(trimmed)) return {host: hostname(), pid: Number(trimmed), since: '', token: ''}
  try {
    const value = JSON.parse(trimmed) as Partial<LockHolder>
    if (
      !Number.isSafeInteger(value.pid) ||
      (value.pid as number) <= 0 ||
      typeof value.host !== 'string' ||
      typeof value.token !== 'string' ||
      typeof value.since !== 'string'
    )
      return undefined
    if (value.procStart !== undefined && typeof value.procStart !== 'string') return undefined
    return value as LockHolder
  } catch {
    return undefined
  }
}

function isStale(seen: Seen, staleMs: number): boolean {
  const age = Date.now() - seen.mtimeMs
  const {holder} = seen
  if (!holder) return age > GARBLED_GRACE_MS
  if (holder.host !== hostname()) return age > staleMs
  if (!pidAlive(holder.pid)) return true
  const now = procStartOf(holder.pid)
  // A live process that started at another time than the owner did has reused its pid.
  if (now !== undefined && holder.procStart !== undefined) return now !== holder.procStart
  return age > staleMs
}

/** Field 22 of /proc/<pid>/stat (start time in clock ticks since boot), or undefined where there is no /proc. */
function procStartOf(pid: number): string | undefined {
  if (process.platform !== 'linux') return undefined
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // The command name (field 2) is in parentheses and may hold spaces: count fields after its last ')'.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ')
    return fields[19]
  } catch {
    return undefined
  }
}

/**
 * Removes the stale lock `seen`, taking turns with other processes doing the same through `<path>.break`,
 * and only if, under it, the lock is still that same file.
 */
async function breakStale(path: string, seen: Seen): Promise<void> {
  const breakPath = `${path}.break`
  let handle: FileHandle
  try {
    handle = await open(breakPath, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | NOFOLLOW, 0o600)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw lockError(error, breakPath)
    await clearAbandonedBreak(breakPath)
    await sleep(5 + Math.random() * 20)
    return
  }

  try {
    await handle.writeFile(String(process.pid))
    const now = await inspect(path)
    if (now && now.ino === seen.ino && now.dev === seen.dev && now.text === seen.text)
      await unlink(path).catch(() => {})
  } finally {
    await handle.close().catch(() => {})
    await unlink(breakPath).catch(() => {})
  }
}

/** A `.break` left by a process that crashed while removing a stale lock: set aside, checked, removed. */
async function clearAbandonedBreak(breakPath: string): Promise<void> {
  let info
  try {
    info = await lstat(breakPath)
  } catch {
    return
  }

  if (Date.now() - info.mtimeMs <= BREAK_STALE_MS) return
  const aside = `${breakPath}.${process.pid}.${randomBytes(4).toString('hex')}`
  try {
    await rename(breakPath, aside)
  } catch {
    return // another process did it
  }

  const moved = await lstat(aside).catch(() => undefined)
  // Not the file judged abandoned (a new one took its name in between): put it back.
  if (moved && (moved.ino !== info.ino || moved.dev !== info.dev)) await link(aside, breakPath).catch(() => {})
  await unlink(aside).catch(() => {})
}

/** `.<lock name>.<pid>.<8 hex>.tmp` beside the lock: the pattern removeStaleTempFiles recognises. */
function tempNameFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`)
}

async function createExclusive(path: string, text: string, lockPath: string): Promise<FileHandle> {
  let handle: FileHandle
  try {
    handle = await open(path, constants.O_RDWR | constants.O_CREAT | constants.O_EXCL | NOFOLLOW, 0o600)
  } catch (error) {
    throw lockError(error, lockPath)
  }

  try {
    await handle.writeFile(text)
  } catch (error) {
    await handle.close().catch(() => {})
    await unlink(path).catch(() => {})
    throw lockError(error, lockPath)
  }

  return handle
}

function notAFile(path: string): CfadminError {
  return badInput(
    'LOCK_NOT_A_FILE',
    `The lock ${path} is not a regular file (a symbolic link, a folder or a device).`,
    `cfadmin never follows links for its locks. Remove it: rm ${path}`,
  )
}

/** A file-system error on a lock: exit 2 naming the lock, never "a bug in cfadmin". */
function lockError(error: unknown, path: string): unknown {
  if (error instanceof CfadminError) return error
  const code = (error as NodeJS.ErrnoException).code
  if (code === 'ELOOP' || code === 'EMLINK' || code === 'EFTYPE') return notAFile(path)
  if (code === undefined) return error
  return badInput(
    'LOCK_UNWRITABLE',
    `Cannot use the lock file ${path} (${code}).`,
    `Check that ${dirname(path)} exists, is a folder you can write to and has free space.`,
  )
}
