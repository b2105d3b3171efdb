// Runs the built CLI (bin/run.js) as a user would and times it; shared by the benchmarks.
import {spawn} from 'node:child_process'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

export const root = join(dirname(fileURLToPath(import.meta.url)), '..')

/** Wall time, the --json report and stderr of one cfadmin run; exit 0 and 3 (some items failed) both count as a run. */
export async function timeCfadmin<R>(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{seconds: number; report: R; stderr: string}> {
  const started = performance.now()
  const child = spawn(process.execPath, [join(root, 'bin/run.js'), ...args], {
    env: {...process.env, NODE_ENV: 'production', ...env},
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d) => (stdout += d))
  child.stderr.on('data', (d) => (stderr += d))
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
  const seconds = (performance.now() - started) / 1000
  if (code !== 0 && code !== 3) throw new Error(`cfadmin ${args[0]} exited ${code}: ${stderr}`)
  return {report: JSON.parse(stdout) as R, seconds, stderr}
}
