import {chmod, mkdir, readFile, stat} from 'node:fs/promises'
import {join} from 'node:path'

import {badInput} from '../errors.js'
import {createAtomicFile} from '../files/text-sink.js'
import type {Profile, ProfileFile} from './profile.js'

const FILE_NAME = 'profiles.json'

/**
 * Profiles on disk: `<configDir>/profiles.json`, the folder 0700 and the file 0600, replaced whole
 * through a synced temp file and a rename, so after a crash at any point the file is the old one or
 * the new one, never a mix.
 */
export class ProfileStore {
  readonly path: string

  constructor(readonly configDir: string) {
    this.path = join(configDir, FILE_NAME)
  }

  async read(): Promise<ProfileFile> {
    let text: string
    try {
      const info = await stat(this.path)
      if (process.platform !== 'win32' && (info.mode & 0o077) !== 0) {
        throw badInput(
          'PROFILE_PERMISSIONS',
          `${this.path} can be read by other users (mode ${(info.mode & 0o777).toString(8)}), and it holds secrets.`,
          `Run: chmod 600 ${this.path}, then check that nobody copied it.`,
        )
      }

      text = await readFile(this.path, 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {profiles: {}, version: 1}
      throw error
    }

    try {
      const parsed = JSON.parse(text) as ProfileFile
      if (parsed?.version !== 1 || typeof parsed.profiles !== 'object' || parsed.profiles === null) throw new Error('not a cfadmin profile file')
      return parsed
    } catch (error) {
      throw badInput(
        'PROFILE_CORRUPT',
        `${this.path} is not a valid cfadmin profile file (${(error as Error).message}).`,
        `Move it aside (mv ${this.path} ${this.path}.bad) and log in again: cfadmin auth login.`,
      )
    }
  }

  async get(name: string): Promise<Profile | undefined> {
    return (await this.read()).profiles[name]
  }

  /** Reads, changes one profile (or removes it when `change` returns undefined) and writes back. */
  async update(name: string, change: (profile: Profile | undefined) => Profile | undefined): Promise<Profile | undefined> {
    const file = await this.read()
    const next = change(file.profiles[name])
    if (next === undefined) delete file.profiles[name]
    else file.profiles[name] = next
    await this.write(file)
    return next
  }

  private async write(file: ProfileFile): Promise<void> {
    await mkdir(this.configDir, {mode: 0o700, recursive: true})
    await chmod(this.configDir, 0o700)
    const sink = await createAtomicFile(this.path, 0o600)
    try {
      await sink.write(JSON.stringify(file, null, 2) + '\n')
      await sink.commit()
    } catch (error) {
      await sink.abort()
      throw error
    }
  }
}
