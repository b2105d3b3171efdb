import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {setTimeout as sleep} from 'node:timers/promises'

import {expect} from 'chai'

import {openBrowser, whyNoBrowser} from '../../../src/lib/oauth/open-browser.js'
import {useTempDir} from '../../support/temp-dir.js'

describe('opening the browser for the OAuth login', () => {
  const temp = useTempDir('cfadmin-browser-')

  it('only prints the URL with --no-browser, BROWSER=none, over SSH, or on Linux without a display', () => {
    expect(whyNoBrowser({DISPLAY: ':0'}, true, 'linux')).to.equal('--no-browser')
    expect(whyNoBrowser({BROWSER: 'none', DISPLAY: ':0'}, false, 'linux')).to.equal('BROWSER=none')
    expect(whyNoBrowser({DISPLAY: ':0', SSH_CONNECTION: '10.0.0.1 22 10.0.0.2 50000'}, false, 'linux')).to.equal(
      'an SSH session',
    )
    expect(whyNoBrowser({}, false, 'linux')).to.equal('no display')
  })

  it('tries a browser with a display, on macOS and Windows, or when BROWSER names one', () => {
    expect(whyNoBrowser({DISPLAY: ':0'}, false, 'linux')).to.equal(undefined)
    expect(whyNoBrowser({WAYLAND_DISPLAY: 'wayland-0'}, false, 'linux')).to.equal(undefined)
    expect(whyNoBrowser({}, false, 'darwin')).to.equal(undefined)
    expect(whyNoBrowser({BROWSER: 'firefox', SSH_TTY: '/dev/pts/1'}, false, 'linux')).to.equal(undefined)
  })

  it('starts $BROWSER with the URL, and says false when it cannot be started', async () => {
    const script = join(temp.path, 'browser.sh')
    writeFileSync(script, `#!/bin/sh\nprintf '%s' "$1" > '${temp.path}/url'\n`, {mode: 0o755})
    const url = 'http://127.0.0.1:1/authorize?a=1&b=2'
    expect(await openBrowser(url, {BROWSER: script})).to.equal(true)
    for (let i = 0; i < 100 && readFileSync(`${temp.path}/url`, {encoding: 'utf8', flag: 'a+'}) !== url; i++)
      await sleep(20)
    expect(readFileSync(`${temp.path}/url`, 'utf8')).to.equal(url)
    expect(await openBrowser(url, {BROWSER: join(temp.path, 'no-such-browser')})).to.equal(false)
  })
})
