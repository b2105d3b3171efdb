/** Opening the consent page in the user's browser, when there is one to open. */
import {spawn} from 'node:child_process'

/**
 * Why the URL is only printed, or undefined when a browser can be tried: asked not to, over SSH, or on a
 * Linux/BSD machine without a display.
 */
export function whyNoBrowser(
  env: NodeJS.ProcessEnv,
  noBrowserFlag: boolean,
  platform: NodeJS.Platform = process.platform,
): string | undefined {
  if (noBrowserFlag) return '--no-browser'
  if (env.BROWSER === 'none') return 'BROWSER=none'
  if (env.BROWSER) return undefined
  if (overSsh(env)) return 'an SSH session'
  if (platform !== 'darwin' && platform !== 'win32' && !env.DISPLAY && !env.WAYLAND_DISPLAY) return 'no display'
  return undefined
}

/** Whether cfadmin runs in an SSH session, where the user's browser is on another machine. */
export function overSsh(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env.SSH_CONNECTION || env.SSH_TTY)
}

/**
 * Starts the browser on `url` without waiting for it: $BROWSER when set, else the platform's opener. Resolves
 * false when that could not be started (the caller has printed the URL anyway).
 */
export function openBrowser(
  url: string,
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): Promise<boolean> {
  const [command, args] = env.BROWSER
    ? [env.BROWSER, [url]]
    : platform === 'darwin'
      ? ['open', [url]]
      : platform === 'win32'
        ? ['cmd', ['/c', 'start', '""', url.replaceAll('&', '^&')]]
        : ['xdg-open', [url]]
  return new Promise((resolve) => {
    try {
      const child = spawn(command, args, {detached: true, stdio: 'ignore'})
      child.once('error', () => resolve(false))
      child.once('spawn', () => {
        child.unref()
        resolve(true)
      })
    } catch {
      resolve(false)
    }
  })
}
