#!/usr/bin/env node
// npm test's static checks, two at a time on the machine's cores: the typecheck (tsc over src and test), ESLint and
// Prettier's check; with --build, the build (dist/ and the manifest, which the tests run; emitted without checking
// types, which the typecheck does) first, beside them, since none of the checks reads what it writes. Each one's
// output is printed whole once it ends, so two never interleave; the exit code is the first failing one's, after all
// of them have ended.
//
//   node scripts/checks.js [--build]
import {spawn} from 'node:child_process'
import {availableParallelism} from 'node:os'

const CHECKS = [
  ['typecheck', 'tsc', ['-p', 'test/tsconfig.json']],
  ['eslint', 'eslint', ['.']],
  ['prettier', 'prettier', ['--check', '.']],
]

function run([name, bin, args]) {
  return new Promise((resolve) => {
    const started = Date.now()
    const command = bin === 'npm' ? 'npm' : `node_modules/.bin/${bin}`
    const child = spawn(command, args, {stdio: ['ignore', 'pipe', 'pipe']})
    const output = []
    child.stdout.on('data', (chunk) => output.push(chunk))
    child.stderr.on('data', (chunk) => output.push(chunk))
    child.on('error', (error) => resolve({code: 1, name, output: [Buffer.from(`${error.message}\n`)], started}))
    child.on('close', (code) => resolve({code: code ?? 1, name, output, started}))
  })
}

// The build without its own typecheck of src: the typecheck beside it covers src (test/tsconfig.json takes it in).
const BUILD = ['build', 'npm', ['run', '--silent', 'build:emit']]
const jobs = process.argv.includes('--build') ? [BUILD, ...CHECKS] : CHECKS
const queue = [...jobs]
const results = []
async function worker() {
  while (queue.length > 0) {
    const result = await run(queue.shift())
    const seconds = ((Date.now() - result.started) / 1000).toFixed(1)
    process.stdout.write(`> ${result.name} (${seconds} s, exit ${result.code})\n${Buffer.concat(result.output)}`)
    results.push(result)
  }
}

await Promise.all(Array.from({length: Math.min(2, availableParallelism())}, worker))
const failed = jobs.map(([name]) => results.find((r) => r.name === name)).find((r) => r.code !== 0)
process.exitCode = failed ? failed.code : 0
