import {extname} from 'node:path'

import {csvField} from '../output.js'

export const MAP_FORMATS = ['csv', 'json', 'jsonl'] as const
export type MapFormat = (typeof MAP_FORMATS)[number]

/** Serialises the account-ID-to-email map piece by piece, so it can be written while it is read. */
export interface MapSerializer {
  begin(): string
  entry(accountId: string, email: string, first: boolean, groups?: readonly string[]): string
  end(empty: boolean): string
}

const serializers: Record<MapFormat, MapSerializer> = {
  csv: {
    begin: () => 'accountId,email\n',
    entry: (accountId, email) => `${csvField(accountId)},${csvField(email)}\n`,
    end: () => '',
  },
  // One object, {"<accountId>": "<email>"}: what connectors that take a lookup table load.
  json: {
    begin: () => '{',
    entry: (accountId, email, first) =>
      `${first ? '\n' : ',\n'}  ${JSON.stringify(accountId)}: ${JSON.stringify(email)}`,
    end: (empty) => (empty ? '}\n' : '\n}\n'),
  },
  jsonl: {
    begin: () => '',
    entry: (accountId, email) => JSON.stringify({accountId, email}) + '\n',
    end: () => '',
  },
}

/**
 * The same three formats with each user's group names (`users export-map --from-api --with-groups`): a third CSV column
 * `groups` (names joined by `;`), `{"<accountId>": {"email", "groups"}}` in JSON, and a `groups` array in JSON Lines.
 */
const withGroups: Record<MapFormat, MapSerializer> = {
  csv: {
    begin: () => 'accountId,email,groups\n',
    entry: (accountId, email, _first, groups = []) =>
      `${csvField(accountId)},${csvField(email)},${csvField(groups.join(GROUP_SEPARATOR))}\n`,
    end: () => '',
  },
  json: {
    begin: () => '{',
    entry: (accountId, email, first, groups = []) =>
      `${first ? '\n' : ',\n'}  ${JSON.stringify(accountId)}: ${JSON.stringify({email, groups})}`,
    end: (empty) => (empty ? '}\n' : '\n}\n'),
  },
  jsonl: {
    begin: () => '',
    entry: (accountId, email, _first, groups = []) => JSON.stringify({accountId, email, groups}) + '\n',
    end: () => '',
  },
}

/** Between group names in the CSV map's `groups` column. */
export const GROUP_SEPARATOR = ';'

export function mapSerializer(format: MapFormat, options: {groups?: boolean} = {}): MapSerializer {
  return (options.groups ? withGroups : serializers)[format]
}

const FORMAT_BY_EXTENSION: Record<string, MapFormat> = {
  '.csv': 'csv',
  '.json': 'json',
  '.jsonl': 'jsonl',
  '.ndjson': 'jsonl',
}

/** The chosen format, else the one the output file's extension names, else CSV. */
export function resolveMapFormat(explicit: MapFormat | undefined, outputPath: string | undefined): MapFormat {
  if (explicit) return explicit
  return (outputPath && FORMAT_BY_EXTENSION[extname(outputPath).toLowerCase()]) || 'csv'
}

/**
 * Whether `head` (the first bytes of a file) is the start of a map cfadmin wrote, in any of its formats: a file
 * someone else wrote (a script, a shell profile) is never replaced by a plan's map. An empty file holds nothing to lose.
 */
export function looksLikeCfadminMap(head: string): boolean {
  if (head === '') return true
  const [first = '', second] = head.split('\n')
  if (first === 'accountId,email') return true
  if (first === '{}' && (second === undefined || second === '')) return true
  if (first === '{')
    return second !== undefined && /^ {2}"(?:[^"\\]|\\.)*": "(?:[^"\\]|\\.)*@(?:[^"\\]|\\.)*",?$/.test(second)
  try {
    const entry = JSON.parse(first) as unknown
    return typeof entry === 'object' && entry !== null && Object.keys(entry).join(',') === 'accountId,email'
  } catch {
    return false
  }
}
