import type {ChildProcess} from 'node:child_process'

/** Helpers for tests that run `cfadmin auth login --oauth` as a child process. */

/** The authorize URL cfadmin prints on stderr, once it listens. */
export function authorizeUrlFrom(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = ''
    const onData = (chunk: Buffer) => {
      seen += chunk.toString('utf8')
      const url = /^\s+(http\S+\/authorize\?\S+)$/m.exec(seen)?.[1]
      if (url) {
        child.stderr!.off('data', onData)
        resolve(url)
      }
    }

    child.stderr!.on('data', onData)
    child.once('close', () => reject(new Error(`cfadmin ended before printing the authorize URL:\n${seen}`)))
  })
}

/** What the browser does after Atlassian's redirect: load cfadmin's loopback page (at 127.0.0.1; cfadmin listens on ::1 too, where the machine has it). */
export async function followRedirect(location: URL): Promise<number> {
  const back = new URL(location)
  back.hostname = '127.0.0.1'
  return (await fetch(back)).status
}

/** `auth login --oauth` for the app, the client secret on stdin and any free port, then `more` flags. */
export function oauthLoginArgs(clientId: string, ...more: string[]): string[] {
  return ['auth', 'login', '--oauth', '--client-id', clientId, '--with-client-secret', '--port', '0', ...more]
}
