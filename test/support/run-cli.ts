import {spawn} from 'node:child_process'

import {cliPath, projectRoot} from './paths.js'

export interface CliRun {
  code: number | null
  stdout: string
  stderr: string
}

/**
 * Runs the built CLI (bin/run.js) as a user would, as a child process, with optional stdin and extra
 * environment variables. Its coverage is not collected: c8 would merge the built files' counts into
 * the sources' and undercount them.
 */
export function runCli(args: string[], options: {env?: Record<string, string>; stdin?: string} = {}): Promise<CliRun> {
  const env: NodeJS.ProcessEnv = {...process.env, NODE_ENV: 'production', ...options.env}
  delete env.NODE_V8_COVERAGE
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath, ...args], {cwd: projectRoot, env})
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    child.on('error', reject)
    child.on('close', (code) => resolve({code, stderr, stdout}))
    child.stdin.end(options.stdin)
  })
}
