import {type Coverage, coverageCounts, type CoverageRow} from '../../../src/lib/coverage/read.js'

/** A coverage as readCoverage gives it, for the renderers and the saved file. */
export function coverageOf(spaces: CoverageRow[], more: Partial<Coverage> = {}): Coverage {
  return {
    at: '2026-12-01T06:00:00.000Z',
    cloudId: 'cloud-fake-2026',
    counts: coverageCounts(spaces, {archived: 1, byType: {personal: 2}}),
    notes: [],
    principal: {id: 'group-1', label: 'crawlers', type: 'group'},
    selection: {includeArchived: false, types: ['global', 'collaboration', 'knowledge_base']},
    site: 'https://acme.atlassian.net',
    spaces,
    ...more,
  }
}

export const row = (key: string, view: CoverageRow['view'], more: Partial<CoverageRow> = {}): CoverageRow => ({
  archived: false,
  id: `id-${key}`,
  key,
  name: `${key} space`,
  type: 'global',
  view,
  ...more,
})
