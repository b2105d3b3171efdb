import {Writable} from 'node:stream'

import type {CheckResult, Operation} from '../../../src/lib/engine/operation.js'

export const tick = (ms = 0) => new Promise<void>((resolve) => setTimeout(resolve, ms))

export interface FakeOptions {
  /** What check() answers; an Error is thrown instead. Default 'todo'. */
  check?: CheckResult | Error
  /** Thrown by apply(); a string is returned as the detail. */
  apply?: Error | string
  /** Milliseconds check() and apply() take. */
  delay?: number
  oneShot?: boolean
  eventual?: boolean
  row?: Record<string, string>
  dependsOn?: string[]
}

/** A fake operation that counts its calls and logs "check <key>" / "apply <key>" / "applied <key>" in order. */
export interface FakeOperation extends Operation {
  checks: number
  applies: number
}

export function fakeOp(key: string, options: FakeOptions = {}, log: string[] = []): FakeOperation {
  const op: FakeOperation = {
    key,
    checks: 0,
    applies: 0,
    oneShot: options.oneShot,
    eventual: options.eventual,
    row: options.row,
    dependsOn: options.dependsOn,
    describe: () => `op ${key}`,
    async check() {
      op.checks++
      log.push(`check ${key}`)
      if (options.delay) await tick(options.delay)
      if (options.check instanceof Error) throw options.check
      return options.check ?? 'todo'
    },
    async apply() {
      op.applies++
      log.push(`apply ${key}`)
      if (options.delay) await tick(options.delay)
      log.push(`applied ${key}`)
      if (options.apply instanceof Error) throw options.apply
      return options.apply
    },
  }
  return op
}

/** A writable that keeps what it is given; `isTTY` makes it pass for a terminal. */
export type Collector = Writable & {text(): string; isTTY: boolean; columns: number; rows: number}

export function collector(isTTY = false): Collector {
  const chunks: string[] = []
  const stream = new Writable({
    decodeStrings: false,
    write(chunk: unknown, _encoding, callback) {
      chunks.push(String(chunk))
      callback()
    },
  })
  return Object.assign(stream, {columns: 100, isTTY, rows: 40, text: () => chunks.join('')})
}
