/**
 * Random and hostile input thrown at every parser of user input: plan files (bytes, JSON, YAML), user exports
 * (bytes and CSV), and the users of --file and standard input. Whatever comes in, the only error allowed out is a
 * CfadminError with exit 2: never an uncaught exception, never exit 1 (cfadmin's own bug). fast-check prints the
 * seed and the shrunk input of a failure; `FUZZ_SEED=<seed>` replays it, `FUZZ_SCALE=10` runs ten times as many cases.
 */
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {Readable} from 'node:stream'

import {expect} from 'chai'
import fc from 'fast-check'
import {stringify} from 'yaml'

import {findExportColumns} from '../../src/lib/csv/export-columns.js'
import {readExportUsers} from '../../src/lib/csv/export-reader.js'
import {CfadminError} from '../../src/lib/errors.js'
import {loadPlan} from '../../src/lib/setup/plan/plan.js'
import {readUserInputs} from '../../src/lib/access/principals.js'
import {useTempDir} from '../support/temp-dir.js'

const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined
const settings = (numRuns: number) => ({
  numRuns: numRuns * Number(process.env.FUZZ_SCALE ?? 1),
  ...(seed === undefined ? {} : {seed}),
})

/** Runs `work`; passes when it succeeds or fails with a CfadminError of exit 2, and says what else it threw. */
async function onlyBadInput(work: () => Promise<unknown>): Promise<void> {
  try {
    await work()
  } catch (error) {
    if (error instanceof CfadminError && error.exit === 2) return
    const described =
      error instanceof Error
        ? `${error.constructor.name}${error instanceof CfadminError ? ` (exit ${error.exit})` : ''}: ${error.message.slice(0, 300)}`
        : String(error)
    expect.fail(`expected success or a CfadminError with exit 2, got ${described}`)
  }
}

const HOSTILE_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'users',
  'groups',
  'spaces',
  'exportMap',
  'site',
  'from',
  'to',
  'email',
  'role',
  'include',
  'grantView',
  '',
]
const HOSTILE_STRINGS = [
  '../../.bashrc',
  '/proc/self/environ',
  '/dev/zero',
  '/etc/passwd',
  '.',
  '..',
  'plan.yaml',
  'export.csv',
  'invited',
  'all',
  'a@b.example',
  '\u0000',
  '\u001b]0;title\u0007',
  '\u202e',
  'x'.repeat(2000),
  '=cmd|calc',
  '~',
  '*',
  '&a',
  '%TAG',
]
const HOSTILE_NUMBERS = [1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, -0, 0.1, 123_456_789_012_345_680_000]

/** Values a plan may hold: plan-like keys and hostile strings, numbers and nesting. */
const planValue = fc.letrec((tie) => ({
  leaf: fc.oneof(
    fc.constantFrom(...HOSTILE_STRINGS),
    fc.string({maxLength: 12}),
    fc.constantFrom(...HOSTILE_NUMBERS),
    fc.boolean(),
    fc.constant(null),
    fc.integer(),
  ),
  list: fc.array(tie('value'), {maxLength: 4}),
  map: fc.dictionary(fc.oneof(fc.constantFrom(...HOSTILE_KEYS), fc.string({maxLength: 8})), tie('value'), {maxKeys: 5}),
  value: fc.oneof({depthSize: 'small', withCrossShrink: true}, tie('leaf'), tie('list'), tie('map')),
}))

/** A plan-shaped document: the real sections, with random and hostile contents. */
const planShaped = fc.record(
  {
    exportMap: fc.oneof(
      fc.record({from: fc.constantFrom(...HOSTILE_STRINGS), to: fc.constantFrom(...HOSTILE_STRINGS)}),
      planValue.value,
    ),
    groups: fc.array(
      fc.record(
        {
          create: fc.boolean(),
          members: fc.array(fc.constantFrom(...HOSTILE_STRINGS), {maxLength: 3}),
          name: fc.constantFrom(...HOSTILE_STRINGS),
        },
        {requiredKeys: []},
      ),
      {maxLength: 3},
    ),
    site: planValue.value,
    spaces: fc.array(
      fc.record(
        {
          grantView: planValue.value,
          include: fc.oneof(fc.constant('all'), fc.array(fc.string({maxLength: 5}), {maxLength: 3})),
        },
        {requiredKeys: []},
      ),
      {maxLength: 2},
    ),
    users: fc.array(
      fc.record(
        {email: fc.constantFrom(...HOSTILE_STRINGS), role: fc.constantFrom('user', 'admin', 'owner', '')},
        {requiredKeys: []},
      ),
      {maxLength: 3},
    ),
  },
  {requiredKeys: []},
)

/** YAML features an attacker reaches for: anchors and aliases, tags, deep nesting, odd scalars, documents. */
const yamlTricks = fc.constantFrom(
  'a: &a [1, 2]\nb: [*a, *a, *a]\nusers: *a\n',
  'x: &x ["lol"]\ny: &y [*x, *x, *x, *x, *x, *x, *x, *x, *x]\nz: &z [*y, *y, *y, *y, *y, *y, *y, *y, *y]\nusers: [*z, *z, *z, *z, *z, *z, *z, *z, *z]\n',
  'users: *undefined\n',
  'users: !!js/function "function () {}"\n',
  'users: !!binary aGVsbG8=\n',
  '!!python/object:os.system ["id"]\n',
  `users: ${'['.repeat(3000)}${']'.repeat(3000)}\n`,
  `${'- '.repeat(2000)}x\n`,
  `${'{a: '.repeat(500)}1${'}'.repeat(500)}\n`,
  'users: 1e99999\nsite: 0x7fffffffffffffffffff\n',
  '---\nusers: []\n---\ngroups: []\n',
  '%YAML 9.9\n---\nusers: []\n',
  '? [complex, key]\n: value\n',
  '<<: {users: []}\n',
  'users:\n\t- email: tab@acme.example\n',
  '"\\uD800": 1\n',
  '{"__proto__": {"polluted": true}, "users": []}',
  '{"users": [], "users": []}',
)

const asBytes = (text: string) => Buffer.from(text)

describe('fuzz: random and hostile input reaches only exit 2', function () {
  this.timeout(60_000)
  let dir: string
  let file: string
  const temp = useTempDir('cfadmin-fuzz-', {each: false})
  before(() => {
    dir = temp.path
    file = join(dir, 'plan.yaml')
    writeFileSync(join(dir, 'export.csv'), 'User id,email\nu1,a@b.example\n')
  })

  const planFrom = (bytes: Buffer) => {
    writeFileSync(file, bytes)
    return onlyBadInput(() => loadPlan(file))
  }

  it('plan files: random bytes, random JSON and YAML documents, plan-shaped documents with hostile values, and YAML tricks', async () => {
    const plans = fc.oneof(
      fc.uint8Array({maxLength: 200}).map((bytes) => Buffer.from(bytes)),
      planShaped.map((plan) => asBytes(JSON.stringify(plan))),
      planShaped.map((plan) => asBytes(stringify(plan))),
      planValue.value.map((value) => asBytes(JSON.stringify(value) ?? 'null')),
      planValue.value.map((value) => asBytes(stringify(value))),
      fc
        .tuple(yamlTricks, fc.constantFrom('', '\uFEFF', '\r\n'))
        .map(([text, extra]) => asBytes(extra === '\r\n' ? text.replaceAll('\n', '\r\n') : extra + text)),
      fc.string({maxLength: 80, unit: 'grapheme-ascii'}).map(asBytes),
    )
    await fc.assert(fc.asyncProperty(plans, planFrom), settings(250))
  })

  /** CSV text from cells with quotes, separators, BOMs, control characters and every line end. */
  const cell = fc.oneof(
    fc.constantFrom(
      'User id',
      'email',
      'Email address',
      'User status',
      'Active',
      'Suspended',
      'a@b.example',
      '"',
      '""',
      '"a""b"',
      ',',
      '\r',
      '\n',
      '\r\n',
      '\uFEFF',
      '\u0000',
      '\u001b[2J',
      '=1+1',
      ' ',
    ),
    fc.string({maxLength: 6}),
  )
  const csvText = fc
    .tuple(
      fc.array(fc.array(cell, {maxLength: 5}), {maxLength: 8}),
      fc.constantFrom('\n', '\r\n', '\r', ''),
      fc.boolean(),
    )
    .map(([rows, eol, bom]) => (bom ? '\uFEFF' : '') + rows.map((row) => row.join(',')).join(eol))
  const exportBytes = fc.oneof(
    csvText.map(asBytes),
    fc.uint8Array({maxLength: 300}).map((bytes) => Buffer.from(bytes)),
    csvText.map((text) => asBytes('User id,email,User status\n' + text)),
    fc
      .tuple(csvText, fc.uint8Array({maxLength: 4, minLength: 1}))
      .map(([text, bytes]) => Buffer.concat([asBytes('User id,email\n'), Buffer.from(bytes), asBytes(text)])),
  )

  it('user exports: random bytes and CSVs, read in random chunk sizes', async () => {
    await fc.assert(
      fc.asyncProperty(exportBytes, fc.integer({max: 64, min: 1}), (bytes, size) =>
        onlyBadInput(async () => {
          const chunks: Buffer[] = []
          for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size))
          for await (const batch of readExportUsers(Readable.from(chunks), 'export.csv')) void batch
        }),
      ),
      settings(250),
    )
  })

  it('column detection: random header rows', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(cell, {maxLength: 30}), (header) =>
        onlyBadInput(async () => findExportColumns(header)),
      ),
      settings(200),
    )
  })

  it('users from standard input and --file: random bytes and CSVs', async () => {
    const inputs = fc.oneof(
      exportBytes,
      csvText.map((text) => asBytes('email\n' + text)),
      fc
        .array(fc.constantFrom('a@b.example', '557058:abc', '#comment', '', ' x ', '"', 'a"b'), {maxLength: 6})
        .map((lines) => asBytes(lines.join('\n'))),
    )
    const usersFile = join(dir, 'users.csv')
    await fc.assert(
      fc.asyncProperty(inputs, fc.constantFrom('argument', 'file', 'stdin-file'), async (bytes, how) => {
        if (how === 'file') writeFileSync(usersFile, bytes)
        const stdin = Readable.from([bytes])
        await onlyBadInput(() =>
          how === 'argument'
            ? readUserInputs(['-'], undefined, stdin)
            : readUserInputs([], how === 'file' ? usersFile : '-', stdin),
        )
      }),
      settings(250),
    )
  })
})
