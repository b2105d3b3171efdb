/**
 * Output files checked before a command reads or writes anything: each must be a file path (not a folder, and in a
 * folder that exists), and no two of them, nor one of them and the input, may be the same file, compared by device
 * and inode when the file exists (so a symlink or a hard link is seen through) and by real folder and name when it
 * does not yet. Otherwise `-o X --report-skipped X` wrote the report over the map, and `-o export.csv` over its input.
 */
import {fstatSync, realpathSync, statSync} from 'node:fs'
import {basename, dirname, resolve} from 'node:path'

import {badInput} from '../errors.js'

/** A path the command was given, and how it was given (a flag name or "the export"), for messages. */
export interface NamedPath {
  label: string
  /** A path, or - for standard input (the input only). */
  path: string
}

const codeOf = (error: unknown) => (error as NodeJS.ErrnoException).code

/** What makes a file the same file: device and inode when it exists, else its real folder and name. */
function identityOf(path: string): string | undefined {
  try {
    const stats = path === '-' ? fstatSync(0) : statSync(path)
    return stats.isFile() ? `${stats.dev}:${stats.ino}` : undefined
  } catch (error) {
    if (path === '-' || codeOf(error) !== 'ENOENT') return undefined
  }

  try {
    return `new:${realpathSync(dirname(resolve(path)))}/${basename(path)}`
  } catch {
    return undefined
  }
}

/** Refuses an output that cannot be a file: a folder, or a path whose folder is a file. */
function checkWritablePath({label, path}: NamedPath): void {
  let folder = false
  try {
    folder = statSync(path).isDirectory()
  } catch (error) {
    if (codeOf(error) === 'ENOTDIR') {
      throw badInput(
        'OUTPUT_NOT_A_FOLDER',
        `Cannot write ${label} ${path}: ${dirname(path)} is a file, not a folder.`,
        'Give a path in a folder that exists.',
      )
    }
  }

  if (folder)
    throw badInput(
      'OUTPUT_IS_FOLDER',
      `Cannot write ${label} ${path}: it is a folder.`,
      `Give a file path, such as ${path.replace(/\/+$/, '')}/out.csv.`,
    )
}

/** Throws (exit 2) unless every output is a writable-looking file path distinct from the others and from `input`. */
export function checkOutputPaths(input: NamedPath | undefined, outputs: NamedPath[]): void {
  for (const output of outputs) checkWritablePath(output)
  const seen: Array<NamedPath & {identity: string}> = []
  const inputIdentity = input && identityOf(input.path)
  const inputEntry = input && inputIdentity ? {...input, identity: inputIdentity} : undefined
  if (inputEntry) seen.push(inputEntry)
  for (const output of outputs) {
    const identity = identityOf(output.path)
    const same = identity === undefined ? undefined : seen.find((other) => other.identity === identity)
    if (same) {
      const what =
        same === inputEntry
          ? `the ${same.label} it reads (${same.path === '-' ? 'standard input' : same.path})`
          : `${same.label} ${same.path}`
      throw badInput(
        'OUTPUT_SAME_FILE',
        `${output.label} ${output.path} is the same file as ${what}: writing it would destroy the other.`,
        'Give each output its own file, apart from the input.',
      )
    }

    if (identity) seen.push({...output, identity})
  }
}
