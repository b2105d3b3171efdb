/**
 * Node's raw file-system errors (`{code, syscall, path}`) turned into cfadmin's exit 2 with the path and a fix:
 * a full disk, a folder where a file was expected, a permission, a read-only mount are the user's machine, not a
 * bug in cfadmin. BaseCommand.catch applies it to whatever escapes a command, so no code path has to remember to.
 */
import {CfadminError, ExitCode} from '../errors.js'
import {terminalSafe} from '../text/safe-text.js'

interface SystemError {
  code: string
  syscall: string
  path?: string
  dest?: string
}

/** What each error code means for the path, and what to do about it. */
const FILE_SYSTEM: Readonly<Record<string, {what: (path: string) => string; fix: string}>> = {
  EACCES: {
    fix: 'Give a path you may read or write, or change its permissions.',
    what: (p) => `permission denied for ${p}`,
  },
  EBADF: {fix: 'Give cfadmin an open standard output (or an output file with -o).', what: (p) => `${p} is closed`},
  EDQUOT: {
    fix: 'Free some space or raise your quota, or write somewhere else.',
    what: (p) => `the disk quota is used up, writing ${p}`,
  },
  EEXIST: {fix: 'Remove it or give another path.', what: (p) => `${p} already exists`},
  EFBIG: {fix: 'Write to a file system that takes larger files.', what: (p) => `${p} is too large for its file system`},
  EIO: {fix: 'Check the disk or the device, then try again.', what: (p) => `an input/output error on ${p}`},
  EISDIR: {fix: 'Give the path of a file, not of a folder.', what: (p) => `${p} is a folder, not a file`},
  ELOOP: {fix: 'Give a path without a symbolic link loop.', what: (p) => `${p} has too many symbolic links in a loop`},
  EMFILE: {
    fix: 'Raise the limit of open files (ulimit -n) or run fewer things at once.',
    what: (p) => `too many files are open (opening ${p})`,
  },
  ENAMETOOLONG: {fix: 'Give a shorter path.', what: (p) => `${p} is too long a path`},
  ENFILE: {
    fix: 'Close other programs or raise the system limit of open files, then try again.',
    what: (p) => `the system has too many files open (opening ${p})`,
  },
  ENOENT: {fix: 'Check the path; for an output, create its folder first.', what: (p) => `${p} does not exist`},
  ENOSPC: {fix: 'Free some space, or write somewhere else.', what: (p) => `no space left on the device, writing ${p}`},
  ENOTDIR: {fix: 'Check the path: one of the folders in it is a file.', what: (p) => `a part of ${p} is not a folder`},
  ENOTEMPTY: {
    fix: 'Empty or remove the folder, or give another path.',
    what: (p) => `${p} is a folder that is not empty`,
  },
  ENXIO: {fix: 'Give a regular file.', what: (p) => `${p} is a device or socket with nothing behind it`},
  EPERM: {
    fix: 'Give a path you may write, or change its permissions.',
    what: (p) => `the operation is not permitted on ${p}`,
  },
  EROFS: {fix: 'Write to a folder on a writable file system.', what: (p) => `${p} is on a read-only file system`},
  ETXTBSY: {fix: 'Stop the program using it, or give another path.', what: (p) => `${p} is busy`},
}

function asSystemError(error: unknown): SystemError | undefined {
  if (!(error instanceof Error) || error instanceof CfadminError) return undefined
  const {code, dest, path, syscall} = error as NodeJS.ErrnoException & {dest?: unknown}
  if (typeof code !== 'string' || typeof syscall !== 'string') return undefined
  return {
    code,
    dest: typeof dest === 'string' ? dest : undefined,
    path: typeof path === 'string' ? path : undefined,
    syscall,
  }
}

/** A broken pipe: the reader of cfadmin's output went away (`cfadmin groups list | head -1`). */
export function isBrokenPipe(error: unknown): boolean {
  const code = (error as {code?: unknown} | undefined)?.code
  return code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED'
}

/**
 * The exit 2 error for a raw file-system error, or undefined when `error` is not one (a bug, or already a
 * CfadminError). `where` names the path when Node did not (e.g. "standard output").
 */
export function fileSystemError(error: unknown, where?: string): CfadminError | undefined {
  const system = asSystemError(error)
  if (!system) return undefined
  const known = FILE_SYSTEM[system.code]
  if (!known) return undefined
  const path = system.path ?? where ?? `a file (${system.syscall})`
  // A rename's or link's destination is the path the user gave; its source is often cfadmin's temp file.
  const shown = terminalSafe(system.dest ?? path)
  const message = known.what(shown)
  return new CfadminError(`Cannot ${verb(system.syscall)}: ${message} (${system.code}).`, {
    cause: error,
    code: `FS_${system.code}`,
    exit: ExitCode.badInput,
    hint: known.fix,
  })
}

function verb(syscall: string): string {
  if (/^(open|read|stat|lstat|fstat|scandir|readlink|realpath|access)/.test(syscall))
    return syscall === 'open' ? 'open a file' : 'read a file'
  if (/^(write|fsync|fdatasync|ftruncate|truncate|close)/.test(syscall)) return 'write a file'
  if (/^(mkdir|rmdir|rename|unlink|link|symlink|copyfile|chmod|fchmod|chown|utime|futime)/.test(syscall))
    return `change the file system (${syscall})`
  return `use the file system (${syscall})`
}
