import {readFileSync} from 'node:fs'
import {resolve} from 'node:path'

import {expect} from 'chai'

import {CfadminError, ExitCode} from '../../../src/lib/errors.js'
import {chooseScopes, defaultCallback, findPreset, SCOPE_PRESETS} from '../../../src/lib/oauth/scope-presets.js'
import {projectRoot} from '../../support/paths.js'

/** The connector guides' facts, as the team wrote them down: docs/connectors.md, one section per connector. */
const readGuide = () => readFileSync(resolve(projectRoot, 'docs/connectors.md'), 'utf8')
const section = (heading: RegExp) => {
  const parts = readGuide().split(/^## /m)
  const found = parts.find((p) => heading.test(p.split('\n')[0]))
  if (!found) throw new Error(`no section ${heading} in connectors.md`)
  return found
}

/** Every `scope:like:this` in backticks of a section (its URLs and group names are not scopes). */
const scopesIn = (text: string) =>
  [...text.matchAll(/`([a-z]+:[a-z.:-]+)`/g)].map((m) => m[1]).filter((s) => !s.startsWith('http'))

describe('scope presets', () => {
  const cases: Array<{preset: string; heading: RegExp; callback?: string}> = [
    {callback: 'http://localhost:13131', heading: /Enterprise-search crawler/, preset: 'crawler'},
    {heading: /Amazon Q/, preset: 'amazon-q'},
    {callback: 'http://localhost', heading: /Snow Atlas/, preset: 'snow-atlas'},
    {heading: /Kore\.ai/, preset: 'kore'},
  ]
  for (const {callback, heading, preset} of cases) {
    it(`${preset} asks for exactly the scopes its connector guide lists (offline_access added at login)`, () => {
      const listed = scopesIn(section(heading)).filter((s) => s !== 'offline_access')
      expect([...findPreset(preset)!.scopes].sort()).to.deep.equal([...new Set(listed)].sort())
      if (callback) expect(findPreset(preset)!.callbackUrl).to.equal(callback)
    })
  }

  it('read-all holds every read scope any guide names, classic and granular, and no write scope', () => {
    const everyRead = new Set(
      scopesIn(readGuide()).filter((s) => s.startsWith('read:') && !['read:me', 'read:account'].includes(s)),
    )
    const readAll = new Set(findPreset('read-all')!.scopes)
    for (const scope of everyRead) expect(readAll.has(scope), scope).to.equal(true)
    expect([...readAll].filter((s) => !s.startsWith('read:') && s !== 'search:confluence')).to.deep.equal([])
    expect(findPreset('read-all')!.callbackUrl).to.equal('https://us-west-2.console.aws.amazon.com/appflow/oauth')
  })

  it("admin covers the scopes cfadmin's own access commands use (atlassian-api.md §1b)", () => {
    const admin = findPreset('admin')!.scopes
    for (const scope of [
      'read:confluence-groups',
      'write:confluence-groups',
      'read:space:confluence',
      'read:space.permission:confluence',
      'write:space.permission:confluence',
      'read:configuration:confluence',
    ]) {
      expect(admin).to.include(scope)
    }
  })

  it('every preset has a distinct name, a connector and a form to fill', () => {
    expect(new Set(SCOPE_PRESETS.map((p) => p.name)).size).to.equal(SCOPE_PRESETS.length)
    for (const p of SCOPE_PRESETS) expect(p.form.length, p.name).to.be.greaterThan(0)
  })

  it('takes a preset name in any case, and always adds offline_access once', () => {
    const choice = chooseScopes('CRAWLER')
    expect(choice.preset?.name).to.equal('crawler')
    expect(choice.scopes.filter((s) => s === 'offline_access')).to.have.length(1)
    expect(choice.scopes).to.include('read:folder:confluence')
  })

  it('takes an explicit list separated by spaces or commas, without repeats', () => {
    expect(chooseScopes('read:space:confluence, read:page:confluence read:space:confluence').scopes).to.deep.equal([
      'read:space:confluence',
      'read:page:confluence',
      'offline_access',
    ])
  })

  it('defaults to the crawler preset', () => {
    expect(chooseScopes(undefined).preset?.name).to.equal('crawler')
  })

  it('refuses a word that is neither a preset nor a scope, naming it and the presets (exit 2)', () => {
    let error: unknown
    try {
      chooseScopes('crawlr')
    } catch (error_) {
      error = error_
    }

    expect(error).to.be.instanceOf(CfadminError)
    expect((error as CfadminError).exit).to.equal(ExitCode.badInput)
    expect((error as CfadminError).message).to.contain('"crawlr"')
    expect((error as CfadminError).hint).to.contain('crawler, amazon-q')
  })

  it("listens where the preset's loopback callback says, else on http://localhost:13131", () => {
    expect(defaultCallback(findPreset('crawler'))).to.deep.equal({path: '/', port: 13_131})
    expect(defaultCallback({...findPreset('crawler')!, callbackUrl: 'http://127.0.0.1:8080/cb'})).to.deep.equal({
      path: '/cb',
      port: 8080,
    })
    expect(defaultCallback(findPreset('snow-atlas'))).to.deep.equal({path: '/', port: 13_131})
    expect(defaultCallback(undefined)).to.deep.equal({path: '/', port: 13_131})
  })
})
