/**
 * The files a plan names (`exportMap.from` and `exportMap.to`) are confined to the plan's folder: a plan someone
 * shared must not read `~/.netrc` or `/proc/self/environ` into an error, nor write over `~/.bashrc`. Paths are
 * compared after symlinks are resolved; `from` (unless it is `api`: the Admin API's directory) must be a regular file (never a device, a FIFO or a folder, so it is
 * refused before a byte is read), `to` a path whose folder exists, and an existing `to` is replaced only when it is a
 * map cfadmin wrote.
 */
import {closeSync, openSync, readSync, realpathSync, statSync} from 'node:fs'
import {basename, dirname, join, resolve, sep} from 'node:path'

import {looksLikeCfadminMap} from '../../csv/map-format.js'
import {excerpt} from '../../text/safe-text.js'
import type {PlanIssue} from './source.js'

/** Where the map's files really are, once checked; no `from` when the map comes from the Admin API (`from: api`). */
export interface ExportMapPaths {
  from?: string
  to: string
}

/** `exportMap.from` that means the Admin API's directory instead of an export file (a file named so: `./api`). */
export const FROM_API = 'api'

/** The bytes read from an existing `to` to recognise a map. */
const MAP_HEAD_BYTES = 64 * 1024

const errnoOf = (error: unknown) => (error as NodeJS.ErrnoException).code ?? 'an error'

/** The real path of `path`, or undefined when nothing is there. */
function realOrMissing(path: string): string | undefined {
  try {
    return realpathSync(path)
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') return undefined
    throw error
  }
}

/** The same file, also through a hard link: same device and inode. */
function sameFile(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return false
  if (a === b) return true
  try {
    const [statsA, statsB] = [statSync(a), statSync(b)]
    return statsA.dev === statsB.dev && statsA.ino === statsB.ino
  } catch {
    return false
  }
}

const isInside = (path: string, dir: string) => path.startsWith(dir.endsWith(sep) ? dir : dir + sep)

function kindOf(path: string): string | undefined {
  const stats = statSync(path)
  if (stats.isFile()) return undefined
  if (stats.isDirectory()) return 'a folder'
  if (stats.isFIFO()) return 'a named pipe (FIFO)'
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device'
  if (stats.isSocket()) return 'a socket'
  return 'not a regular file'
}

function headOf(path: string): string {
  const buffer = Buffer.alloc(MAP_HEAD_BYTES)
  const fd = openSync(path, 'r')
  try {
    return buffer.toString('utf8', 0, readSync(fd, buffer, 0, MAP_HEAD_BYTES, 0))
  } finally {
    closeSync(fd)
  }
}

/** Whether the map may be written at `path` now: nothing there, or a regular file holding a map cfadmin wrote. */
export function mapMayBeReplaced(path: string): boolean {
  try {
    if (kindOf(path) !== undefined) return false
  } catch (error) {
    return errnoOf(error) === 'ENOENT'
  }

  return looksLikeCfadminMap(headOf(path))
}

/**
 * The problems of a plan's `exportMap` (paths relative to `dir`, the plan's real folder; `planFile` the plan's real
 * path), and the real paths to use when there are none. Never reads more of `from` than its type, nor of `to` than
 * its first bytes.
 */
export function exportMapPathIssues(
  exportMap: {from: string; to: string},
  dir: string,
  planFile?: string,
): {issues: PlanIssue[]; paths?: ExportMapPaths} {
  const issues: PlanIssue[] = []
  const shown = (value: string) => JSON.stringify(excerpt(value, 120))
  const outside = (field: 'from' | 'to', value: string) =>
    issues.push({
      message: `exportMap.${field} ${shown(value)} is outside the plan's folder ${dir}: a plan reads and writes only files beside it or below; give a path inside that folder`,
      path: ['exportMap', field],
    })

  const fromApi = exportMap.from === FROM_API
  let from: string | undefined
  if (!fromApi)
    try {
      const real = realOrMissing(resolve(dir, exportMap.from))
      if (real === undefined) {
        issues.push({
          message: `the export ${excerpt(exportMap.from, 120)} does not exist (paths are relative to the plan file)`,
          path: ['exportMap', 'from'],
        })
      } else if (!isInside(real, dir)) {
        outside('from', exportMap.from)
      } else if (sameFile(real, planFile)) {
        issues.push({
          message: `exportMap.from ${shown(exportMap.from)} is the plan file itself: give the user export (CSV)`,
          path: ['exportMap', 'from'],
        })
      } else {
        const kind = kindOf(real)
        if (kind)
          issues.push({
            message: `exportMap.from ${shown(exportMap.from)} is ${kind}, not a regular file: give the user export (CSV)`,
            path: ['exportMap', 'from'],
          })
        else from = real
      }
    } catch (error) {
      issues.push({
        message: `exportMap.from ${shown(exportMap.from)} cannot be read (${errnoOf(error)}): check the path and its permissions`,
        path: ['exportMap', 'from'],
      })
    }

  let to: string | undefined
  try {
    const wanted = resolve(dir, exportMap.to)
    const folder = realOrMissing(dirname(wanted))
    const target = folder === undefined ? undefined : join(folder, basename(wanted))
    const real = target === undefined ? undefined : (realOrMissing(target) ?? target)
    if (folder === undefined) {
      issues.push({
        message: `exportMap.to ${shown(exportMap.to)}: the folder ${excerpt(dirname(wanted), 120)} does not exist; create it or give a path in the plan's folder`,
        path: ['exportMap', 'to'],
      })
    } else if (!isInside(real!, dir)) {
      outside('to', exportMap.to)
    } else if (sameFile(real, planFile)) {
      issues.push({
        message: `exportMap.to ${shown(exportMap.to)} is the plan file itself: give another file name for the map`,
        path: ['exportMap', 'to'],
      })
    } else if (!fromApi && sameFile(real, from ?? realOrMissing(resolve(dir, exportMap.from)))) {
      issues.push({
        message: `exportMap.to ${shown(exportMap.to)} is the export it is made from: give another file name for the map`,
        path: ['exportMap', 'to'],
      })
    } else if (realOrMissing(real!) !== undefined) {
      const kind = kindOf(real!)
      if (kind)
        issues.push({
          message: `exportMap.to ${shown(exportMap.to)} is ${kind}, not a file cfadmin can replace: give another file name for the map`,
          path: ['exportMap', 'to'],
        })
      else if (!looksLikeCfadminMap(headOf(real!))) {
        issues.push({
          message: `exportMap.to ${shown(exportMap.to)} exists and is not a map cfadmin wrote, so it is not replaced: move it away or give another file name for the map`,
          path: ['exportMap', 'to'],
        })
      } else to = real
    } else {
      to = real
    }
  } catch (error) {
    issues.push({
      message: `exportMap.to ${shown(exportMap.to)} cannot be checked (${errnoOf(error)}): check the path and its permissions`,
      path: ['exportMap', 'to'],
    })
  }

  return {
    issues,
    paths: issues.length === 0 && (fromApi || from !== undefined) && to !== undefined ? {from, to} : undefined,
  }
}
