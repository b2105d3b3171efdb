import {type ChildProcess, spawn} from 'node:child_process'

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
  return startCli(args, options).done
}

/**
 * Starts the built CLI and returns the child (to kill it mid-run) and its eventual output. With `keepStdinOpen`
 * the test writes (and ends) the child's stdin itself, e.g. an answer that depends on what the CLI printed.
 */
export function startCli(
  args: string[],
  options: {env?: Record<string, string>; stdin?: string; keepStdinOpen?: boolean} = {},
): {child: ChildProcess; done: Promise<CliRun>} {
  const env: NodeJS.ProcessEnv = {...process.env, NODE_ENV: 'production', ...options.env}
  delete env.NODE_V8_COVERAGE
  const child = spawn(process.execPath, [cliPath, ...args], {cwd: projectRoot, env})
  const done = new Promise<CliRun>((resolve, reject) => {
    let stdout = ''
    let stderr = ''
    child.stdout!.on('data', (d) => (stdout += d))
    child.stderr!.on('data', (d) => (stderr += d))
    child.on('error', reject)
    child.on('close', (code) => resolve({code, stderr, stdout}))
  })
  if (options.keepStdinOpen) {
    if (options.stdin) child.stdin!.write(options.stdin)
  } else {
    child.stdin!.end(options.stdin)
  }

  return {child, done}
}
