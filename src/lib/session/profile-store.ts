import {constants} from 'node:fs'
import {access, chmod, type FileHandle, mkdir, open, stat, statfs} from 'node:fs/promises'
import {join} from 'node:path'

import {badInput, CfadminError} from '../errors.js'
import {withFileLock} from '../files/lock-file.js'
import {createAtomicFile} from '../files/text-sink.js'
import {closest} from '../text/suggest.js'
import {excerpt} from '../text/safe-text.js'
import {DEFAULT_PROFILE, type Profile, type ProfileFile} from './profile.js'

const FILE_NAME = 'profiles.json'
const NOFOLLOW = constants.O_NOFOLLOW ?? 0
const NONBLOCK = constants.O_NONBLOCK ?? 0
/** Far more than any real profile file; a bigger one is not ours. */
const MAX_FILE_BYTES = 4 * 1024 * 1024

/** Letters, digits, '.', '_' and '-', starting with a letter or digit: safe in file names and never an object's built-in key. */
const PROFILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/

/** `name` if it can name a profile, else exit 2 saying what a name may hold. */
export function checkProfileName(name: string): string {
  if (PROFILE_NAME.test(name)) return name
  throw badInput(
    'PROFILE_NAME_INVALID',
    `"${excerpt(name)}" cannot name a profile.`,
    'A profile name is 1 to 64 letters, digits, ".", "_" or "-", starting with a letter or digit (e.g. --profile acme-prod).',
  )
}

/**
 * Profiles on disk: `<configDir>/profiles.json`, the file 0600 (and the folder 0700 when cfadmin creates
 * it), replaced whole through a synced temp file and a rename, so after a crash at any point the file is
 * the old one or the new one, never a mix. Every change is a read-modify-write under the lock file
 * `profiles.json.lock`, so two cfadmin processes changing profiles at the same time both keep their change.
 */
export class ProfileStore {
  readonly path: string
  readonly lockPath: string

  constructor(readonly configDir: string) {
    this.path = join(configDir, FILE_NAME)
    this.lockPath = `${this.path}.lock`
  }

  async read(): Promise<ProfileFile> {
    const text = await this.readText()
    if (text === undefined) return {profiles: Object.create(null) as ProfileFile['profiles'], version: 1}
    let parsed: unknown
    try {
      parsed = JSON.parse(text)
    } catch {
      // JSON.parse's message quotes the file, which holds secrets.
      throw this.corrupt('it is not valid JSON')
    }

    if (!isObject(parsed) || parsed.version !== 1) throw this.corrupt('not a cfadmin profile file')
    if (Array.isArray(parsed.profiles)) {
      throw badInput(
        'PROFILE_CORRUPT',
        `${this.path} is not a valid cfadmin profile file ("profiles" is a list; it must map each profile name to its profile).`,
        `Edit it into {"version": 1, "profiles": {"default": {...}}}, or move it aside (mv ${this.path} ${this.path}.bad) and log in again: cfadmin auth login.`,
      )
    }

    if (!isObject(parsed.profiles)) throw this.corrupt('"profiles" is not an object')
    // No prototype: a profile named "constructor" or "__proto__" is an ordinary key, never a built-in.
    const profiles = Object.create(null) as ProfileFile['profiles']
    for (const [name, profile] of Object.entries(parsed.profiles)) {
      if (!isObject(profile)) throw this.corrupt(`profile "${excerpt(name)}" is not an object`)
      profiles[name] = profile as Profile
    }

    return {profiles, version: 1}
  }

  async get(name: string): Promise<Profile | undefined> {
    return (await this.read()).profiles[name]
  }

  /**
   * The profile a command was pointed at (--profile or CFADMIN_PROFILE). Only `auth login` creates profiles:
   * any other name that is not stored is a mistake (exit 2, with the closest stored name), except "default",
   * which may stay empty when the credentials come from CFADMIN_* variables.
   */
  async named(name: string): Promise<Profile | undefined> {
    const {profiles} = await this.read()
    const found = profiles[name]
    if (found !== undefined || name === DEFAULT_PROFILE) return found
    checkProfileName(name)
    const names = Object.keys(profiles)
    const guess = closest(name, names)
    throw badInput(
      'PROFILE_UNKNOWN',
      `There is no profile "${name}" (${names.length > 0 ? `saved: ${names.map((n) => excerpt(n, 40)).join(', ')}` : 'none is saved yet'}).`,
      guess
        ? `Did you mean --profile ${excerpt(guess, 64)}?`
        : `Only cfadmin auth login creates a profile: cfadmin auth login --profile ${name} …`,
    )
  }

  /**
   * Reads, changes one profile (or removes it when `change` returns undefined) and writes back, all under the
   * lock. When `change` returns the profile it was given (the same object), nothing is written. A new profile
   * needs a valid name (checkProfileName); one already in the file keeps the name it has.
   */
  async update(
    name: string,
    change: (profile: Profile | undefined) => Profile | undefined,
  ): Promise<Profile | undefined> {
    if (!PROFILE_NAME.test(name) && (await this.get(name)) === undefined) checkProfileName(name)
    await this.prepareFolder()
    return withFileLock(
      this.lockPath,
      async () => {
        const file = await this.read()
        const current = file.profiles[name]
        const next = change(current)
        if (next === current) return next
        if (next === undefined) delete file.profiles[name]
        else file.profiles[name] = next
        await this.write(file)
        return next
      },
      {purpose: `saving ${this.path}`, waitMs: 30_000},
    )
  }

  /** The file's text as it would be saved. */
  render(file: ProfileFile): string {
    return JSON.stringify(file, null, 2) + '\n'
  }

  /** Bytes free for this user where the profiles are kept (undefined where the platform cannot tell). */
  async freeBytes(): Promise<number | undefined> {
    try {
      const info = await statfs(this.configDir)
      return Number(info.bavail) * Number(info.bsize)
    } catch {
      return undefined
    }
  }

  /**
   * Exit 2 unless the profiles can be saved now (free space, a writable folder): called before a refresh token
   * is spent, so a renewal that could not be saved never happens.
   */
  async checkRoom(): Promise<void> {
    const size = await stat(this.path).then(
      (info) => info.size,
      () => 0,
    )
    const needed = 2 * size + 64 * 1024
    const free = await this.freeBytes()
    if (free !== undefined && free < needed) {
      throw badInput(
        'CONFIG_DIR_FULL',
        `Only ${free} bytes are free in ${this.configDir}; saving a renewed login there needs about ${needed}.`,
        `Free some space there and run again (nothing was renewed, so the login still works).`,
      )
    }

    try {
      await access(this.configDir, constants.W_OK)
    } catch (error) {
      throw badInput(
        'CONFIG_DIR_UNWRITABLE',
        `Cannot write to ${this.configDir} (${(error as NodeJS.ErrnoException).code}), where the renewed login must be saved.`,
        `Make it writable (or set CFADMIN_CONFIG_DIR to a folder you can write) and run again; nothing was renewed.`,
      )
    }
  }

  protected async write(file: ProfileFile): Promise<void> {
    try {
      const sink = await createAtomicFile(this.path, 0o600)
      try {
        await sink.write(this.render(file))
        await sink.commit()
      } catch (error) {
        await sink.abort()
        throw error
      }
    } catch (error) {
      if (error instanceof CfadminError) throw error
      const code = (error as NodeJS.ErrnoException).code ?? 'error'
      throw badInput(
        'PROFILE_UNWRITABLE',
        `Could not save ${this.path} (${code}).`,
        `Check that ${this.configDir} is writable and its disk has free space, then run again.`,
      )
    }
  }

  /**
   * Creates the folder 0700; an existing folder keeps its mode (it may be shared on purpose), but one other
   * users can write to without the sticky bit is refused: they could swap profiles.json for their own.
   */
  private async prepareFolder(): Promise<void> {
    let created: string | undefined
    try {
      created = await mkdir(this.configDir, {mode: 0o700, recursive: true})
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      throw badInput(
        'CONFIG_DIR_UNUSABLE',
        `Cannot create the folder ${this.configDir} for profiles (${code}).`,
        'Set CFADMIN_CONFIG_DIR to a folder you can write to.',
      )
    }

    if (created !== undefined) {
      await chmod(this.configDir, 0o700)
      return
    }

    const info = await stat(this.configDir)
    if (!info.isDirectory())
      throw badInput(
        'CONFIG_DIR_UNUSABLE',
        `${this.configDir} is not a folder.`,
        'Set CFADMIN_CONFIG_DIR to a folder of your own.',
      )
    if (process.platform !== 'win32' && (info.mode & 0o022) !== 0 && (info.mode & 0o1000) === 0) {
      throw badInput(
        'CONFIG_DIR_SHARED',
        `Other users can write to ${this.configDir} (mode ${(info.mode & 0o7777).toString(8)}), so they could replace the profiles kept there.`,
        `Run: chmod go-w ${this.configDir}, or set CFADMIN_CONFIG_DIR to a folder of your own.`,
      )
    }
  }

  /** The file's text, or undefined when there is none; anything but a regular file of ours is refused at once. */
  private async readText(): Promise<string | undefined> {
    let handle: FileHandle
    try {
      // O_NONBLOCK: a FIFO put there opens at once (and is refused below) instead of waiting for a writer.
      handle = await open(this.path, constants.O_RDONLY | NOFOLLOW | NONBLOCK)
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (code === 'ENOENT') return undefined
      if (code === 'ELOOP' || code === 'EMLINK' || code === 'EFTYPE') {
        throw badInput(
          'PROFILE_NOT_A_FILE',
          `${this.path} is a symbolic link; cfadmin replaces this file whole on every save, which would turn the link into a file.`,
          `Replace the link with the file it points to, or point CFADMIN_CONFIG_DIR at the folder holding it.`,
        )
      }

      throw badInput(
        'PROFILE_UNREADABLE',
        `Cannot read ${this.path} (${code}).`,
        `Check its permissions: it must belong to you, mode 600.`,
      )
    }

    try {
      const info = await handle.stat()
      if (!info.isFile()) {
        throw badInput(
          'PROFILE_NOT_A_FILE',
          `${this.path} is not a regular file (a folder, a FIFO or a device).`,
          `Move it aside (mv ${this.path} ${this.path}.bad) and log in again: cfadmin auth login.`,
        )
      }

      if (process.platform !== 'win32' && (info.mode & 0o077) !== 0) {
        throw badInput(
          'PROFILE_PERMISSIONS',
          `${this.path} can be read by other users (mode ${(info.mode & 0o777).toString(8)}), and it holds secrets.`,
          `Run: chmod 600 ${this.path}, then check that nobody copied it.`,
        )
      }

      const uid = process.getuid?.()
      if (uid !== undefined && info.uid !== uid) {
        throw badInput(
          'PROFILE_OWNER',
          `${this.path} belongs to another user (uid ${info.uid}).`,
          `Move it aside (mv ${this.path} ${this.path}.bad) and log in again: cfadmin auth login.`,
        )
      }

      if (info.size > MAX_FILE_BYTES) throw this.corrupt(`it is ${info.size} bytes, far more than profiles take`)
      return await handle.readFile('utf8')
    } finally {
      await handle.close()
    }
  }

  private corrupt(why: string): CfadminError {
    return badInput(
      'PROFILE_CORRUPT',
      `${this.path} is not a valid cfadmin profile file (${why}).`,
      `Move it aside (mv ${this.path} ${this.path}.bad) and log in again: cfadmin auth login.`,
    )
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
