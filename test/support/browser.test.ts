import {existsSync} from 'node:fs'
import {mkdtemp, readdir, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'

import {chromiumPath, packagedChromiumFolder, packagedChromiumVersion, withBrowser} from './browser.js'

describe('test browser: the Chromium shipped in the @sparticuz/chromium npm package', () => {
  const saved = {CHROMIUM_PATH: process.env.CHROMIUM_PATH, TMPDIR: process.env.TMPDIR}
  let temp: string

  beforeEach(async () => {
    temp = await mkdtemp(join(tmpdir(), 'cfadmin-browser-test-'))
    delete process.env.CHROMIUM_PATH
  })

  afterEach(async () => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name]
      else process.env[name] = value
    }

    await rm(temp, {force: true, recursive: true})
  })

  it("unpacks into a folder named by the package's version and launches, ignoring what another version left in the temp folder", async function () {
    this.timeout(60_000)
    // What an older @sparticuz/chromium leaves at its fixed names: a Chromium that dies at launch.
    process.env.TMPDIR = temp
    await writeFile(join(temp, 'chromium'), '#!/bin/sh\nkill -TRAP $$\n', {mode: 0o755})
    await writeFile(join(temp, 'libEGL.so'), 'not a library')

    const executable = await chromiumPath()
    expect(executable).to.equal(join(temp, `cfadmin-chromium-${packagedChromiumVersion()}`, 'chromium'))
    expect(packagedChromiumFolder()).to.equal(join(temp, `cfadmin-chromium-${packagedChromiumVersion()}`))
    const title = await withBrowser(async (page) => {
      await page.setContent('<button id="go" onclick="document.title = \'clicked\'">Go</button>')
      await page.click('#go')
      return page.title()
    })
    expect(title).to.equal('clicked')
    // Whole copies only: no half-unpacked folder is left behind for a later run to trust.
    const left = await readdir(temp)
    expect(left.filter((name) => name.includes('.partial-'))).to.deep.equal([])
  })

  it('uses CHROMIUM_PATH when it is set, and says so when it names nothing', async () => {
    process.env.CHROMIUM_PATH = join(temp, 'no-such-chromium')
    expect(await chromiumPath()).to.equal(join(temp, 'no-such-chromium'))
    expect(existsSync(join(temp, 'no-such-chromium'))).to.equal(false)
    const error = await withBrowser(async () => 'launched').catch((error_: Error) => error_)
    expect(error).to.be.instanceOf(Error)
    expect((error as Error).message).to.contain('CHROMIUM_PATH')
  })
})
