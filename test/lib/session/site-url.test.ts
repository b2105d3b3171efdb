import {expect} from 'chai'

import {CfadminError} from '../../../src/lib/errors.js'
import {normalizeSite} from '../../../src/lib/session/site-url.js'

describe('site addresses', () => {
  it('turns a bare name, a host or a URL with a path into the site origin and its name', () => {
    expect(normalizeSite('acme')).to.deep.equal({name: 'acme', url: 'https://acme.atlassian.net'})
    expect(normalizeSite('Acme.atlassian.net')).to.deep.equal({name: 'acme', url: 'https://acme.atlassian.net'})
    expect(normalizeSite('https://acme.atlassian.net/wiki/spaces/ENG')).to.deep.equal({
      name: 'acme',
      url: 'https://acme.atlassian.net',
    })
  })

  it('keeps any http(s) host and port, without a site name (custom domains, a local fake)', () => {
    expect(normalizeSite('http://127.0.0.1:4567/')).to.deep.equal({name: undefined, url: 'http://127.0.0.1:4567'})
    expect(normalizeSite('wiki.example.com')).to.deep.equal({name: undefined, url: 'https://wiki.example.com'})
  })

  it('refuses an empty site, a non-http scheme and garbage with exit 2', () => {
    for (const bad of ['', 'ftp://acme.example', 'http://']) {
      let error: unknown
      try {
        normalizeSite(bad)
      } catch (error_) {
        error = error_
      }

      expect(error, bad).to.be.instanceOf(CfadminError)
      expect((error as CfadminError).exit).to.equal(2)
    }
  })

  it('refuses a plain-http site that is not on this machine (the API token would travel in clear), exit 2 with the https fix', () => {
    for (const bad of [
      'http://acme.atlassian.net',
      'http://wiki.example.com:8080/wiki',
      'HTTP://10.0.0.5',
      'http://127.0.0.1.evil.example',
    ]) {
      let error: unknown
      try {
        normalizeSite(bad)
      } catch (error_) {
        error = error_
      }

      expect(error, bad).to.be.instanceOf(CfadminError).and.include({code: 'SITE_INSECURE', exit: 2})
      expect((error as CfadminError).hint, bad).to.match(/Give it as https:\/\//)
    }
  })

  it('keeps plain http for a server on this machine (the fake Atlassian)', () => {
    for (const good of ['http://127.0.0.1:4567', 'http://localhost:4567', 'http://[::1]:4567', 'http://127.1.2.3']) {
      expect(normalizeSite(good).url, good).to.match(/^http:\/\//)
    }
  })
})
