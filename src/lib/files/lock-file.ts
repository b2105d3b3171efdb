import {open, readFile, rm} from 'node:fs/promises'
import {setTimeout as sleep} from 'node:timers/promises'

import {CfadminError, ExitCode} from '../errors.js'

export interface LockOptions {
  /** Give up after this long; default 60 s. */
  waitMs?: number
  /** Between tries; default 25 ms. */
  pollMs?: number
}

/**
 * Runs `work` while holding `<path>` as a lock file shared by every cfadmin process on this machine (created
 * exclusively, holding the owner's pid). A lock whose owner is gone (killed mid-way) is taken over at once.
 */
export async function withFileLock<T>(path: string, work: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const deadline = Date.now() + (options.waitMs ?? 60_000)
  for (;;) {
    try {
      const handle = await open(path, 'wx', 0o600)
      await handle.writeFile(String(process.pid))
      await handle.close()
      break
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      if (!(await ownerAlive(path))) {
        await rm(path, {force: true})
        continue
      }

      if (Date.now() > deadline) {
        throw new CfadminError(`Another cfadmin process has held ${path} for too long.`, {
          code: 'LOCKED',
          exit: ExitCode.unexpected,
          hint: `If no other cfadmin is running, remove ${path} and try again.`,
        })
      }

      await sleep(options.pollMs ?? 25)
    }
  }

  try {
    return await work()
  } finally {
    await rm(path, {force: true})
  }
}

async function ownerAlive(path: string): Promise<boolean> {
  let pid: number
  try {
    pid = Number.parseInt(await readFile(path, 'utf8'), 10)
  } catch {
    return true // just created and not written yet, or just removed: try again
  }

  if (!Number.isInteger(pid) || pid <= 0) return true
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
