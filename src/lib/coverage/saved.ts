/**
 * The last run's coverage, kept per site and principal in the config folder
 * (`<configDir>/coverage/<cloud ID>/<user|group>-<ID>.json`) for --since-last. Written whole through a temp file and a
 * rename, so a run cut off leaves the previous one intact.
 */
import {createHash} from 'node:crypto'
import {mkdir, readFile} from 'node:fs/promises'
import {dirname, join} from 'node:path'

import {badInput} from '../errors.js'
import {createAtomicFile} from '../files/text-sink.js'
import type {Coverage, CoverageRow, CoverageSelection, CoveragePrincipal} from './read.js'

export const SAVED_COVERAGE_VERSION = 1

/** What a run keeps of its coverage: enough to say next time what appeared, disappeared or lost access. */
export interface SavedCoverage {
  version: typeof SAVED_COVERAGE_VERSION
  site: string
  cloudId: string
  principal: CoveragePrincipal
  at: string
  selection: CoverageSelection
  spaces: Array<Pick<CoverageRow, 'archived' | 'id' | 'key' | 'name' | 'through' | 'type' | 'view'>>
}

/** A file name part from any ID: letters, digits, - and _ kept, the rest replaced, and a short hash against clashes. */
function fileSafe(id: string): string {
  const readable = id.replaceAll(/[^\w-]/g, '_').slice(0, 80)
  return readable === id ? id : `${readable}-${createHash('sha256').update(id).digest('hex').slice(0, 10)}`
}

/** Where the coverage of this principal on this site is kept. */
export function savedCoveragePath(configDir: string, cloudId: string, principal: CoveragePrincipal): string {
  return join(configDir, 'coverage', fileSafe(cloudId), `${principal.type}-${fileSafe(principal.id)}.json`)
}

const invalid = (path: string, why: string) =>
  badInput(
    'COVERAGE_STATE_INVALID',
    `The saved coverage ${path} cannot be read: ${why}.`,
    'Delete that file: the next run saves a new one (and has nothing to compare with once).',
  )

/** The saved coverage, or undefined when this principal has none on this site yet. */
export async function loadSavedCoverage(path: string): Promise<SavedCoverage | undefined> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }

  let saved: Partial<SavedCoverage>
  try {
    saved = JSON.parse(text) as Partial<SavedCoverage>
  } catch {
    throw invalid(path, 'it is not JSON')
  }

  if (saved?.version !== SAVED_COVERAGE_VERSION || !Array.isArray(saved.spaces) || typeof saved.at !== 'string')
    throw invalid(path, `it is not a coverage file of version ${SAVED_COVERAGE_VERSION}`)
  return saved as SavedCoverage
}

/** What is kept of a coverage. */
export function toSaved(coverage: Coverage): SavedCoverage {
  return {
    at: coverage.at,
    cloudId: coverage.cloudId,
    principal: coverage.principal,
    selection: coverage.selection,
    site: coverage.site,
    spaces: coverage.spaces.map(({archived, id, key, name, through, type, view}) => ({
      archived,
      id,
      key,
      name,
      type,
      view,
      ...(through === undefined ? {} : {through}),
    })),
    version: SAVED_COVERAGE_VERSION,
  }
}

/** Saves the coverage in place of the last one (the folder made 0700 when missing). */
export async function saveCoverage(path: string, coverage: Coverage): Promise<void> {
  await mkdir(dirname(path), {mode: 0o700, recursive: true})
  const file = await createAtomicFile(path)
  try {
    await file.write(JSON.stringify(toSaved(coverage), null, 2) + '\n')
    await file.commit()
  } catch (error) {
    await file.abort()
    throw error
  }
}
