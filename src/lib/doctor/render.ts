/** `cfadmin doctor`'s lines: one per check (✓ ok, ! warn, ✗ fail; ASCII when not on a terminal), then the counts. */
import {terminalSafe} from '../text/safe-text.js'
import type {CheckStatus} from './check.js'
import type {DoctorResult} from './runner.js'

const MARKS: Record<'ascii' | 'unicode', Record<CheckStatus, string>> = {
  ascii: {fail: '[fail]', ok: '[ok]  ', warn: '[warn]'},
  unicode: {fail: '✗', ok: '✓', warn: '!'},
}

export function doctorLines(result: DoctorResult, options: {unicode: boolean}): string[] {
  const marks = MARKS[options.unicode ? 'unicode' : 'ascii']
  const lines = [`Checking profile ${result.profile} as the ${result.preset} connector uses it:`]
  for (const check of result.checks) {
    lines.push(`${marks[check.status]} ${terminalSafe(check.title)}`)
    if (check.reason) lines.push(`    ${terminalSafe(check.reason)}`)
    if (check.fix && check.status !== 'ok') lines.push(`    Fix: ${terminalSafe(check.fix)}`)
  }

  const {fail, ok, warn} = result.summary
  lines.push(`${ok} ok, ${warn} warning(s), ${fail} failed.`)
  return lines
}
