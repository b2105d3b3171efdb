/**
 * The coverage as one self-contained HTML page for an admin to send on: no network asset (inline CSS, an inline SVG
 * chart, a small inline script whose hash the page's Content-Security-Policy names, and nothing else allowed), the
 * counts as bars per space type, and the table filterable by text, type and access. Space and group names are
 * hostile input: every value is HTML-escaped, in text and attributes alike.
 */
import {createHash} from 'node:crypto'

import type {SinceLast, SinceLastSpace} from './compare.js'
import type {Coverage} from './read.js'

const ESCAPES: Record<string, string> = {'"': '&quot;', '&': '&amp;', "'": '&#39;', '<': '&lt;', '>': '&gt;'}

/** Text safe in an HTML element or a quoted attribute. */
export function escapeHtml(value: unknown): string {
  return (value === undefined || value === null ? '' : String(value)).replaceAll(/["&'<>]/g, (c) => ESCAPES[c])
}

const STYLE = `
body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#172b4d}
h1{font-size:1.4em}
table{border-collapse:collapse;margin-top:1em}
th,td{border-bottom:1px solid #dfe1e6;padding:4px 10px;text-align:left;vertical-align:top}
tr.no td.view{color:#ae2a19;font-weight:bold}
tr.unknown td.view{color:#a54800}
.filters label{margin-right:1em}
.chart text{font-size:12px}
.legend span{display:inline-block;width:10px;height:10px;margin:0 4px 0 12px}
`

// Reads the rows the page holds and hides those the filters leave out; never builds HTML from data.
const SCRIPT = `(() => {
  const text = document.getElementById('filter')
  const type = document.getElementById('type-filter')
  const access = document.getElementById('access-filter')
  const rows = Array.from(document.querySelectorAll('#spaces tbody tr'))
  const shown = document.getElementById('shown')
  const apply = () => {
    const words = text.value.trim().toLowerCase()
    let count = 0
    for (const row of rows) {
      const visible =
        (!words || row.textContent.toLowerCase().includes(words)) &&
        (!type.value || row.dataset.type === type.value) &&
        (!access.value || row.dataset.view === access.value)
      row.hidden = !visible
      if (visible) count++
    }
    shown.textContent = String(count)
  }
  for (const input of [text, type, access]) input.addEventListener('input', apply)
  apply()
})()`

const SCRIPT_HASH = createHash('sha256').update(SCRIPT).digest('base64')

const BAR_WIDTH = 360
const LABEL_WIDTH = 170
const ROW_HEIGHT = 26

/** Bars per space type: viewable (green) then not viewable (red), with data attributes a reader or a test can use. */
function chart(coverage: Coverage): string {
  const types = Object.entries(coverage.counts.byType).sort(([a], [b]) => a.localeCompare(b))
  const most = Math.max(1, ...types.map(([, c]) => c.viewable + c.notViewable + c.unknown))
  const scale = (n: number) => Math.round((n / most) * BAR_WIDTH)
  const bars = types.map(([type, c], i) => {
    const y = i * ROW_HEIGHT
    const green = scale(c.viewable)
    const red = scale(c.notViewable)
    const grey = scale(c.unknown)
    return (
      `<g class="bar" data-type="${escapeHtml(type)}" data-viewable="${c.viewable}" data-not-viewable="${c.notViewable}" data-unknown="${c.unknown}">` +
      `<text x="0" y="${y + 16}">${escapeHtml(type)}</text>` +
      `<rect x="${LABEL_WIDTH}" y="${y + 4}" width="${green}" height="18" fill="#1f845a"><title>${c.viewable} viewable</title></rect>` +
      `<rect x="${LABEL_WIDTH + green}" y="${y + 4}" width="${red}" height="18" fill="#c9372c"><title>${c.notViewable} not viewable</title></rect>` +
      `<rect x="${LABEL_WIDTH + green + red}" y="${y + 4}" width="${grey}" height="18" fill="#8590a2"><title>${c.unknown} unknown</title></rect>` +
      `<text class="counts" x="${LABEL_WIDTH + green + red + grey + 6}" y="${y + 16}">${c.viewable} / ${c.notViewable}${c.unknown ? ` / ${c.unknown}` : ''}</text>` +
      `</g>`
    )
  })
  const height = Math.max(ROW_HEIGHT, types.length * ROW_HEIGHT)
  return (
    `<svg class="chart" role="img" aria-label="Spaces viewable and not viewable per type" width="${LABEL_WIDTH + BAR_WIDTH + 90}" height="${height}" xmlns="http://www.w3.org/2000/svg">` +
    bars.join('') +
    '</svg>' +
    '<p class="legend"><span style="background:#1f845a"></span>viewable<span style="background:#c9372c"></span>not viewable<span style="background:#8590a2"></span>unknown (the login cannot administer)</p>'
  )
}

function sinceLastSection(since: SinceLast | undefined, compared: boolean): string {
  if (!compared) return ''
  if (!since) return '<h2>Since the last run</h2><p>Nothing to compare with: this is the first run.</p>'
  const part = (title: string, spaces: SinceLastSpace[]) =>
    spaces.length === 0
      ? ''
      : `<h3>${escapeHtml(title)} (${spaces.length})</h3><ul>${spaces
          .map((s) => `<li>${escapeHtml(s.key)}: ${escapeHtml(s.name)}${s.through ? ` (${escapeHtml(s.through)})` : ''}</li>`)
          .join('')}</ul>`
  const body =
    part('Appeared', since.appeared) +
    part('Disappeared', since.disappeared) +
    part('Lost access', since.lostAccess) +
    part('Gained access', since.gainedAccess)
  return `<h2 id="since-last">Since the last run (${escapeHtml(since.since)})</h2>${since.note ? `<p>${escapeHtml(since.note)}</p>` : ''}${body || '<p>No space appeared, disappeared or changed access.</p>'}`
}

/** The page. `since`: the since-last comparison when --since-last was given (undefined there: the first run). */
export function coverageHtml(coverage: Coverage, since?: SinceLast, compared = false): string {
  const {counts, principal} = coverage
  const who = principal.type === 'group' ? `group ${principal.label}` : principal.label
  const types = Object.keys(counts.byType).sort()
  const fixed = coverage.spaces.some((r) => r.fix !== undefined)
  const rows = coverage.spaces
    .map(
      (r) =>
        `<tr class="${escapeHtml(r.view)}" data-type="${escapeHtml(r.type)}" data-view="${escapeHtml(r.view)}">` +
        `<td>${escapeHtml(r.key)}</td><td>${escapeHtml(r.name)}</td><td>${escapeHtml(r.type)}</td>` +
        `<td>${r.archived ? 'yes' : ''}</td><td class="view">${escapeHtml(r.view)}</td>` +
        `<td>${escapeHtml(r.through ?? r.reason ?? '')}</td>${fixed ? `<td>${escapeHtml(r.fix ?? '')}</td>` : ''}</tr>`,
    )
    .join('\n')
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-${SCRIPT_HASH}'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Space coverage: ${escapeHtml(who)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>Space coverage: ${escapeHtml(who)}</h1>
<p>Site ${escapeHtml(coverage.site)}, read ${escapeHtml(coverage.at)} by cfadmin spaces coverage.</p>
<p id="counts" data-spaces="${counts.spaces}" data-viewable="${counts.viewable}" data-not-viewable="${counts.notViewable}" data-not-administered="${counts.notAdministered}">
${counts.viewable} of ${counts.spaces} spaces viewable, ${counts.notViewable} not, ${counts.notAdministered} the login cannot administer (access unknown).
Left out: ${counts.leftOut.archived} archived, ${Object.values(counts.leftOut.byType).reduce((a, b) => a + b, 0)} of other types.</p>
${chart(coverage)}
${sinceLastSection(since, compared)}
<h2>Spaces</h2>
<p class="filters">
<label>Filter <input id="filter" type="search" placeholder="key, name, group…"></label>
<label>Type <select id="type-filter"><option value="">all</option>${types.map((t) => `<option value="${escapeHtml(t)}">${escapeHtml(t)}</option>`).join('')}</select></label>
<label>Can view <select id="access-filter"><option value="">all</option><option value="yes">yes</option><option value="no">no</option><option value="unknown">unknown</option></select></label>
<span><span id="shown">${coverage.spaces.length}</span> of ${coverage.spaces.length} shown</span>
</p>
<table id="spaces">
<thead><tr><th>Space</th><th>Name</th><th>Type</th><th>Archived</th><th>Can view</th><th>Through</th>${fixed ? '<th>Fix</th>' : ''}</tr></thead>
<tbody>
${rows}
</tbody>
</table>
<p>${coverage.notes.map((n) => escapeHtml(n)).join('<br>')}</p>
<script>${SCRIPT}</script>
</body>
</html>
`
}
