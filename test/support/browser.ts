/**
 * A real headless Chromium for tests that need a browser (the OAuth consent page, a CLI that opens a URL). It drives
 * the system's Chromium (Debian's package, installed by .ci/run) through playwright-core: there is no browser download.
 *
 *   await withBrowser(async (page) => { await page.goto(url); await page.click('#accept') })
 */
import {existsSync} from 'node:fs'
import {mkdtemp, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import type {BrowserContext, Page} from 'playwright-core'

/** The Chromium executable: $CHROMIUM_PATH, else Debian's /usr/bin/chromium. */
export const chromiumPath = (): string => process.env.CHROMIUM_PATH || '/usr/bin/chromium'

/** Quiet, offline, sandbox-free (tests may run as root in a container) and without GPU. */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

export interface LaunchedBrowser {
  /** The browser's one context, on a fresh profile. */
  context: BrowserContext
  /** Its first tab. */
  page: Page
  /** How long the launch took, in ms. */
  launchMs: number
  /** Closes Chromium and deletes its profile directory. */
  close(): Promise<void>
}

/** Starts headless Chromium on a fresh temporary --user-data-dir. Call close() when done (withBrowser does). */
export async function launchBrowser(options: {timeoutMs?: number} = {}): Promise<LaunchedBrowser> {
  const executablePath = chromiumPath()
  if (!existsSync(executablePath)) {
    throw new Error(`No Chromium at ${executablePath}: install it (apt-get install chromium; .ci/run does) or set CHROMIUM_PATH`)
  }

  // Imported here, not at the top: most test files never need playwright-core.
  const {chromium} = await import('playwright-core')
  const userDataDir = await mkdtemp(join(tmpdir(), 'cfadmin-chromium-'))
  const removeProfile = () => rm(userDataDir, {force: true, maxRetries: 3, recursive: true})
  const started = performance.now()
  let context: BrowserContext
  try {
    context = await chromium.launchPersistentContext(userDataDir, {args: chromiumArgs, executablePath, headless: true, timeout: options.timeoutMs ?? 15_000})
  } catch (error) {
    await removeProfile()
    throw error
  }

  const launchMs = Math.round(performance.now() - started)
  const page = context.pages()[0] ?? (await context.newPage())
  let closed: Promise<void> | undefined
  return {
    close() {
      closed ??= context.close().finally(removeProfile)
      return closed
    },
    context,
    launchMs,
    page,
  }
}

/** Runs `use` with a page of a fresh headless Chromium, then closes the browser whatever happens. */
export async function withBrowser<T>(use: (page: Page, browser: LaunchedBrowser) => Promise<T>): Promise<T> {
  const browser = await launchBrowser()
  try {
    return await use(browser.page, browser)
  } finally {
    await browser.close()
  }
}
