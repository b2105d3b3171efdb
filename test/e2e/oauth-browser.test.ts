import {existsSync, readFileSync, writeFileSync} from 'node:fs'
import {setTimeout as sleep} from 'node:timers/promises'
import {join} from 'node:path'

import {expect} from 'chai'

import {withBrowser} from '../support/browser.js'
import {defaultSeedCredentials} from '../../fake-atlassian/credentials.js'
import {currentRefreshToken} from '../../fake-atlassian/oauth-helpers.js'
import {useFakeAtlassian} from '../../fake-atlassian/use-fake.js'
import {authorizeUrlFrom, oauthLoginArgs} from '../support/oauth-cli.js'
import {runCli, startCli} from '../support/run-cli.js'
import {useTempDir} from '../support/temp-dir.js'

const APP = defaultSeedCredentials.oauthApp

describe('auth login --oauth in a real browser (headless Chromium) against the fake Atlassian', function () {
  this.timeout(30_000)
  const fake = useFakeAtlassian()
  const temp = useTempDir('cfadmin-e2e-browser-')
  let configDir: string
  beforeEach(() => {
    configDir = join(temp.path, 'config')
  })

  it('opens the browser on the URL it prints, the user consents on the fake, the loopback page says so, and the grant works', async () => {
    // $BROWSER stands for the desktop's browser: it hands the URL cfadmin opens to the headless Chromium below.
    const opened = join(temp.path, 'opened-url')
    const browserCommand = join(temp.path, 'browser.sh')
    writeFileSync(browserCommand, `#!/bin/sh\nprintf '%s' "$1" > '${opened}'\n`, {mode: 0o755})
    const env = {
      BROWSER: browserCommand,
      CFADMIN_API_URL: fake.url,
      CFADMIN_AUTH_URL: fake.url,
      CFADMIN_CONFIG_DIR: configDir,
      DISPLAY: ':0',
    }
    const {child, done} = startCli(oauthLoginArgs(APP.clientId, '--scopes', 'admin'), {
      env,
      stdin: `${APP.clientSecret}\n`,
    })
    const printed = await authorizeUrlFrom(child)
    const url = await (async () => {
      for (;;) {
        const text = existsSync(opened) ? readFileSync(opened, 'utf8') : ''
        if (text.endsWith(printed.slice(-8))) return text
        await sleep(20)
      }
    })()
    expect(url).to.equal(printed)
    const landing = await withBrowser(async (page) => {
      await page.goto(url)
      expect(await page.textContent('body')).to.contain('Acme crawler (fake)')
      await Promise.all([page.waitForURL(/^http:\/\/localhost:\d+\/?\?/), page.click('#accept')])
      return {text: await page.textContent('body'), url: page.url()}
    })
    expect(landing.text).to.contain('cfadmin got the authorization')
    expect(new URL(landing.url).searchParams.get('state')).to.equal(new URL(url).searchParams.get('state'))

    const run = await done
    expect(run.code, run.stderr).to.equal(0)
    const profile = JSON.parse(readFileSync(join(configDir, 'profiles.json'), 'utf8')).profiles.default
    expect(profile.oauth.refreshToken).to.equal(currentRefreshToken(fake))
    const status = await runCli(['auth', 'status'], {env})
    expect(status.code, status.stderr).to.equal(0)
    expect(status.stdout).to.match(/OAuth login .* valid/)
  })
})
