/**
 * A real headless Chromium for tests that need a browser (the OAuth consent page, a CLI that opens a URL), driven by
 * playwright-core. The browser is the one the devDependency @sparticuz/chromium ships inside its npm package (brotli
 * files), so `npm ci` is all a fresh machine needs: no apt, no browser download. `CHROMIUM_PATH` overrides it.
 *
 *   await withBrowser(async (page) => { await page.goto(url); await page.click('#accept') })
 *
 * The package unpacks to fixed names in os.tmpdir() (`chromium`, `fonts`, the swiftshader libraries) and reuses
 * whatever it finds there, so a copy left by another version makes Chromium die at launch. We therefore unpack it in a
 * child process whose TMPDIR is a folder of our own, keyed by the package's version, and build that folder under a
 * temporary name that is renamed into place only once complete: an interrupted unpack is never reused, and two test
 * processes unpacking at once both end with a whole copy.
 */
import {execFile} from 'node:child_process'
import {existsSync, readFileSync} from 'node:fs'
import {mkdir, mkdtemp, rename, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {promisify} from 'node:util'

import type {BrowserContext, Page} from 'playwright-core'

import {projectRoot} from './paths.js'

/** The version of @sparticuz/chromium installed, which names the folder its browser is unpacked to. */
export function packagedChromiumVersion(): string {
  const manifest = join(projectRoot, 'node_modules/@sparticuz/chromium/package.json')
  return (JSON.parse(readFileSync(manifest, 'utf8')) as {version: string}).version
}

/** Where the packaged Chromium of this version lives once unpacked: `<tmp>/cfadmin-chromium-<version>/chromium`. */
export function packagedChromiumFolder(version = packagedChromiumVersion()): string {
  return join(tmpdir(), `cfadmin-chromium-${version}`)
}

let unpacking: Promise<string> | undefined

/** The Chromium executable: $CHROMIUM_PATH, else the packaged one (unpacked on first use, about 2 s, then reused). */
export async function chromiumPath(): Promise<string> {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH
  unpacking ??= unpackChromium().finally(() => {
    unpacking = undefined
  })
  return unpacking
}

async function unpackChromium(): Promise<string> {
  const folder = packagedChromiumFolder()
  const executable = join(folder, 'chromium')
  if (existsSync(executable)) return executable
  const parent = join(folder, '..')
  await mkdir(parent, {recursive: true})
  const building = await mkdtemp(`${folder}.partial-`)
  try {
    // The package writes into os.tmpdir(), which follows TMPDIR: point it at our folder in a process of its own.
    const script =
      "const {default: c} = await import('@sparticuz/chromium'); process.stdout.write(await c.executablePath())"
    const {stdout} = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
      cwd: projectRoot,
      env: {...process.env, TMPDIR: building},
      timeout: 120_000,
    })
    if (stdout !== join(building, 'chromium'))
      throw new Error(`@sparticuz/chromium unpacked to ${stdout}, not into ${building}`)
    await rename(building, folder).catch(async (error: NodeJS.ErrnoException) => {
      // Another process finished first: its copy is whole, use it.
      if (!existsSync(executable)) throw error
    })
  } finally {
    await rm(building, {force: true, recursive: true})
  }

  return executable
}

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
  const executablePath = await chromiumPath()
  if (!existsSync(executablePath))
    throw new Error(`No Chromium at ${executablePath}: CHROMIUM_PATH names a file that does not exist`)

  // Imported here, not at the top: most test files never need playwright-core.
  const {chromium} = await import('playwright-core')
  const userDataDir = await mkdtemp(join(tmpdir(), 'cfadmin-chromium-'))
  const removeProfile = () => rm(userDataDir, {force: true, maxRetries: 3, recursive: true})
  const started = performance.now()
  let context: BrowserContext
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      args: chromiumArgs,
      executablePath,
      headless: true,
      timeout: options.timeoutMs ?? 15_000,
    })
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
