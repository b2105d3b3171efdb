// Writes an "Export users" CSV in the real shape (header of admin.atlassian.com's export, rows invented):
// Atlassian's three account ID shapes, quoted names with commas and quotes, non-ASCII names, hidden emails,
// suspended and deactivated users, upper-case emails and a few repeated rows.
import {createWriteStream} from 'node:fs'
import {once} from 'node:events'

const HEADER =
  'User id,User name,email,User status,Added to org,Org role,Last seen in Confluence - bench,Last seen in Jira - bench\n'
const FIRST = ['Ada', 'Grace', 'Søren', 'Émilie', 'Alan', 'Katherine', 'Linus', 'Hedy', 'Marie', 'Zoë']
const LAST = [
  'Lovelace',
  'Hopper',
  'Kierkegaard',
  'du Châtelet',
  'Turing',
  'Johnson',
  'Torvalds',
  'Lamarr',
  'Curie',
  'Ng',
]

/** A deterministic pseudo-random sequence, so every run measures the same file. */
function random(seed) {
  let state = seed >>> 0
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0
    return state / 4_294_967_296
  }
}

const hex = (rnd, n) => {
  let s = ''
  for (let i = 0; i < n; i++) s += ((rnd() * 16) | 0).toString(16)
  return s
}

function accountId(rnd, i) {
  const shape = i % 3
  if (shape === 0) return hex(rnd, 24)
  const uuid = `${hex(rnd, 8)}-${hex(rnd, 4)}-4${hex(rnd, 3)}-a${hex(rnd, 3)}-${hex(rnd, 12)}`
  return `${shape === 1 ? '557058' : '712020'}:${uuid}`
}

export async function generateExport(path, rows, seed = 42) {
  const rnd = random(seed)
  const out = createWriteStream(path)
  let chunk = HEADER
  let previous = ''
  for (let i = 0; i < rows; i++) {
    let line
    if (previous && rnd() < 0.005) {
      line = previous // a repeated row, as exports with one row per group have
    } else {
      const first = FIRST[(rnd() * FIRST.length) | 0]
      const last = LAST[(rnd() * LAST.length) | 0]
      const r = rnd()
      const name = r < 0.05 ? `"${last}, ${first}"` : r < 0.06 ? `"${first} ""The ${last}"" ${i}"` : `${first} ${last}`
      const hidden = rnd() < 0.02
      const email = hidden ? '' : `${first.toLowerCase()}.${i}@bench.example`
      const s = rnd()
      const status = s < 0.02 ? 'Suspended' : s < 0.03 ? 'Deactivated' : 'Active'
      line = `${accountId(rnd, i)},${name},${rnd() < 0.01 ? email.toUpperCase() : email},${status},3 Jan 2024,,12 May 2024,Never accessed\n`
      previous = line
    }

    chunk += line
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await once(out, 'drain')
      chunk = ''
    }
  }

  out.end(chunk)
  await once(out, 'finish')
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop())) {
  const [path, rows] = process.argv.slice(2)
  await generateExport(path, Number(rows ?? 1_000_000))
}
