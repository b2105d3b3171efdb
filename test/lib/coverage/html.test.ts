import {createHash} from 'node:crypto'

import {expect} from 'chai'

import {coverageHtml, escapeHtml} from '../../../src/lib/coverage/html.js'
import {coverageOf, row} from './fixtures.js'

const HOSTILE = '<script>alert(1)</script>'

describe('coverage --html: one self-contained page', () => {
  it('shows a space named <script>alert(1)</script> as text: no tag of it reaches the page', () => {
    const page = coverageHtml(
      coverageOf([
        row('EVIL', 'no', {name: HOSTILE, type: '"><img src=x onerror=alert(2)>'}),
        row('ENG', 'yes', {through: `group ${HOSTILE} (role Viewer)`, via: 'group'}),
      ]),
    )
    expect(page).not.to.include(HOSTILE)
    expect(page).not.to.include('<img')
    expect(page).to.include('&lt;script&gt;alert(1)&lt;/script&gt;')
    expect(page).to.include('data-type="&quot;&gt;&lt;img src=x onerror=alert(2)&gt;"')
    // The page's own script is the only one.
    expect(page.match(/<script/g)).to.have.length(1)
  })

  it('escapes the five characters that matter in text and quoted attributes', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).to.equal('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;')
    expect(escapeHtml(undefined)).to.equal('')
  })

  it('loads nothing from the network, and its policy allows only the inline script it carries', () => {
    const page = coverageHtml(coverageOf([row('ENG', 'yes', {through: 'role Viewer', via: 'role'})]))
    // The only addresses are the SVG namespace, which names and never loads, and the site named in the text.
    expect([...page.matchAll(/\b(?:https?:)?\/\/[^\s"'<>,]+/g)].map((m) => m[0]).sort()).to.deep.equal([
      'http://www.w3.org/2000/svg',
      'https://acme.atlassian.net',
    ])
    expect(page).not.to.match(/<(?:link|iframe|img|object|embed)\b|\bsrc=/)
    const script = /<script>([\s\S]*)<\/script>/.exec(page)![1]
    const hash = createHash('sha256').update(script).digest('base64')
    expect(page).to.include(`default-src 'none'`)
    expect(page).to.include(`script-src 'sha256-${hash}'`)
  })

  it('carries the counts per type in the chart and the totals as data attributes', () => {
    const page = coverageHtml(
      coverageOf([
        row('ENG', 'yes', {through: 'role Viewer', via: 'role'}),
        row('HR', 'no'),
        row('TEAM', 'no', {type: 'collaboration'}),
        row('LOCKED', 'unknown', {type: 'collaboration'}),
      ]),
    )
    expect(page).to.include('data-type="global" data-viewable="1" data-not-viewable="1" data-unknown="0"')
    expect(page).to.include('data-type="collaboration" data-viewable="0" data-not-viewable="1" data-unknown="1"')
    expect(page).to.include('data-spaces="4" data-viewable="1" data-not-viewable="2" data-not-administered="1"')
    expect(page).not.to.include('<th>Fix</th>')
    const fixed = coverageHtml(coverageOf([row('HR', 'yes', {fix: 'given now: role Viewer', through: 'role Viewer'})]))
    expect(fixed).to.include('<th>Fix</th>')
    expect(fixed).to.include('<td>given now: role Viewer</td></tr>')
  })

  it('says what changed since the last run, or that there was nothing to compare with', () => {
    const coverage = coverageOf([row('ENG', 'yes')])
    expect(coverageHtml(coverage, undefined, true)).to.include('Nothing to compare with')
    const page = coverageHtml(
      coverage,
      {appeared: [{archived: false, key: 'NEW', name: HOSTILE, type: 'global'}], disappeared: [], gainedAccess: [], lostAccess: [], since: 'then'},
      true,
    )
    expect(page).to.include('<h3>Appeared (1)</h3><ul><li>NEW: &lt;script&gt;')
    expect(coverageHtml(coverage)).not.to.include('Since the last run')
  })
})
