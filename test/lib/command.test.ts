import {Config} from '@oclif/core'
import {expect} from 'chai'

import {BaseCommand} from '../../src/lib/command.js'
import {projectRoot} from '../support/paths.js'

/** A command that prints what Atlassian could have named a group, as a line for people and as a warning. */
class EchoName extends BaseCommand<void> {
  static override enableJsonFlag = false
  async run(): Promise<void> {
    this.log('group: %s', 'crawlers\u001B]0;pwned\u0007\u001B[2J')
    this.warning('group crawlers\u001B[2J is empty')
  }
}

async function captured(isTTY: boolean): Promise<{stderr: string; stdout: string}> {
  const config = await Config.load(projectRoot)
  const out: string[] = []
  const err: string[] = []
  const {stderr, stdout} = process
  const writeOut = stdout.write
  const writeErr = stderr.write
  const wasTTY = stdout.isTTY
  stdout.isTTY = isTTY
  stdout.write = ((chunk: string) => out.push(String(chunk)) > 0) as typeof stdout.write
  stderr.write = ((chunk: string) => err.push(String(chunk)) > 0) as typeof stderr.write
  try {
    await new EchoName([], config).run()
  } finally {
    stdout.write = writeOut
    stderr.write = writeErr
    stdout.isTTY = wasTTY
  }

  return {stderr: err.join(''), stdout: out.join('')}
}

describe('what commands print for people', () => {
  it('shows control characters in names escaped on a terminal, so a group name cannot retitle or clear it', async () => {
    const {stderr, stdout} = await captured(true)
    expect(stdout).to.equal('group: crawlers\\u001b]0;pwned\\u0007\\u001b[2J\n')
    expect(stderr).to.equal('Warning: group crawlers\\u001b[2J is empty\n')
  })

  it('passes the text as it is to a pipe or file, for the program that reads it; warnings stay escaped', async () => {
    const {stderr, stdout} = await captured(false)
    expect(stdout).to.equal('group: crawlers\u001B]0;pwned\u0007\u001B[2J\n')
    expect(stderr).to.equal('Warning: group crawlers\\u001b[2J is empty\n')
  })
})
