/**
 * Temp files cfadmin writes beside a target are named `.<target name>.<pid>.<8 hex>.tmp`; a process killed
 * with SIGKILL leaves its own behind, and the next run that writes the same target removes them.
 */
import {lstat, readdir, unlink} from 'node:fs/promises'
import {basename, dirname, join} from 'node:path'

/** The process exists (EPERM: it does, under another user). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Temp files `.<name>.<pid>.<8 hex>.tmp` beside `target` left by a process that was killed (SIGKILL skips
 * every cleanup): removed when their pid is dead and they were not written for a minute. Only names of this
 * exact pattern for this exact target are touched.
 */
export async function removeStaleTempFiles(target: string): Promise<void> {
  const folder = dirname(target)
  const prefix = `.${basename(target)}.`
  let names: string[]
  try {
    names = await readdir(folder)
  } catch {
    return
  }

  for (const name of names) {
    if (!name.startsWith(prefix)) continue
    const match = /^(\d{1,10})\.[0-9a-f]{8}\.tmp$/.exec(name.slice(prefix.length))
    if (!match || pidAlive(Number(match[1]))) continue
    const path = join(folder, name)
    try {
      const info = await lstat(path)
      if (info.isFile() && Date.now() - info.mtimeMs > 60_000) await unlink(path)
    } catch {
      // Gone, or not ours to remove.
    }
  }
}
