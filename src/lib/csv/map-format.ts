import {extname} from 'node:path'

import {csvField} from '../output.js'

export const MAP_FORMATS = ['csv', 'json', 'jsonl'] as const
export type MapFormat = (typeof MAP_FORMATS)[number]

/** Serialises the account-ID-to-email map piece by piece, so it can be written while it is read. */
export interface MapSerializer {
  begin(): string
  entry(accountId: string, email: string, first: boolean): string
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
    entry: (accountId, email, first) => `${first ? '\n' : ',\n'}  ${JSON.stringify(accountId)}: ${JSON.stringify(email)}`,
    end: (empty) => (empty ? '}\n' : '\n}\n'),
  },
  jsonl: {
    begin: () => '',
    entry: (accountId, email) => JSON.stringify({accountId, email}) + '\n',
    end: () => '',
  },
}

export function mapSerializer(format: MapFormat): MapSerializer {
  return serializers[format]
}

const FORMAT_BY_EXTENSION: Record<string, MapFormat> = {'.csv': 'csv', '.json': 'json', '.jsonl': 'jsonl', '.ndjson': 'jsonl'}

/** The chosen format, else the one the output file's extension names, else CSV. */
export function resolveMapFormat(explicit: MapFormat | undefined, outputPath: string | undefined): MapFormat {
  if (explicit) return explicit
  return (outputPath && FORMAT_BY_EXTENSION[extname(outputPath).toLowerCase()]) || 'csv'
}
