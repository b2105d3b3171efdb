/**
 * Report files a command writes beside its real work (--failed-to): checked and opened before anything is
 * changed, so a path that cannot be written fails first (exit 2, nothing sent), and never the same file as
 * an input or another output, which it would overwrite.
 */

import {realpath, stat} from 'node:fs/promises'
import {basename, dirname, resolve, sep} from 'node:path'

import {badInput, CfadminError} from '../errors.js'
import {createAtomicFile, type TextSink} from './text-sink.js'

/** Another file of the run, by the flag or role that names it ("--file", "the journal folder"). */
export interface OtherPath {
  label: string
  path: string
  /** A folder: the side file may not be anywhere inside it. */
  folder?: boolean
}

/** The absolute path with its folder's symbolic links resolved (the file itself may not exist yet). */
async function canonical(path: string): Promise<string> {
  const absolute = resolve(path)
  try {
    return await realpath(absolute)
  } catch {
    try {
      return resolve(await realpath(dirname(absolute)), basename(absolute))
    } catch {
      return absolute
    }
  }
}

/** Both exist and are one file (a hard link or the same path spelt twice). */
async function sameInode(a: string, b: string): Promise<boolean> {
  try {
    const [x, y] = await Promise.all([stat(a), stat(b)])
    return x.dev === y.dev && x.ino === y.ino
  } catch {
    return false
  }
}

/** Refuses (exit 2) a side file that is `-`, a folder, or one of the other paths of the run. */
export async function checkSideFile(flag: string, path: string, others: readonly OtherPath[]): Promise<void> {
  if (path === '-' || path.trim() === '') {
    throw badInput(
      'SIDE_FILE_INVALID',
      `${flag} needs a file path, not "${path}".`,
      `Give a CSV path, e.g. ${flag} failed.csv.`,
    )
  }

  const target = await canonical(path)
  const existing = await stat(target).catch(() => undefined)
  if (existing && !existing.isFile()) {
    throw badInput(
      'SIDE_FILE_INVALID',
      `${flag} ${path} is ${existing.isDirectory() ? 'a folder' : 'not a regular file'}.`,
      `Give the path of a CSV file, e.g. ${flag} ${path.replace(/\/+$/, '')}/failed.csv.`,
    )
  }

  for (const other of others) {
    const place = await canonical(other.path)
    const clash = other.folder
      ? target === place || target.startsWith(place + sep)
      : target === place || (await sameInode(target, place))
    if (clash) {
      throw badInput(
        'SIDE_FILE_CLASH',
        `${flag} ${path} is ${other.folder ? 'inside ' : ''}${other.label}: writing it would overwrite what cfadmin reads or keeps there.`,
        `Give ${flag} a path of its own, e.g. failed.csv.`,
      )
    }
  }
}

/** Checks a side file and opens it (a temp file beside it, renamed into place on commit): problems surface now. */
export async function openSideFile(flag: string, path: string, others: readonly OtherPath[]): Promise<TextSink> {
  await checkSideFile(flag, path, others)
  try {
    return await createAtomicFile(path)
  } catch (error) {
    if (error instanceof CfadminError) throw error
    const code = (error as NodeJS.ErrnoException).code ?? 'an error'
    throw badInput(
      'OUTPUT_UNWRITABLE',
      `Cannot write ${flag} ${path}: ${code} (${(error as Error).message}).`,
      'Give a path in a folder you can write to.',
    )
  }
}
