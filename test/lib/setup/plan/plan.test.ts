import {readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {expect} from 'chai'

import {loadPlan, planProblems} from '../../../../src/lib/setup/plan/plan.js'
import {PLAN_SCHEMA_PATH} from '../../../../src/lib/setup/plan/schema.js'
import {parsePlanText} from '../../../../src/lib/setup/plan/source.js'
import {closest} from '../../../../src/lib/text/suggest.js'
import {projectRoot} from '../../../support/paths.js'
import {rejectionOf} from '../../../support/rejection.js'
import {useTempDir} from '../../../support/temp-dir.js'

/** The problems of a plan given as text, as "line:col: message" (the file name left out). */
const problems = async (text: string) =>
  (await planProblems(await parsePlanText(text, 'plan.yaml'), projectRoot)).map((p) => p.replace(/^plan\.yaml:/, ''))

describe('setup plan: reading and checking', () => {
  const temp = useTempDir('cfadmin-plan-')

  it('accepts a plan with every section, in YAML and in JSON', async () => {
    const yaml = `
users:
  - email: bot@acme.example
    role: admin
groups:
  - recommended: users
    members: [invited]
  - name: crawlers
    create: true
    members: [bot@acme.example, 712020:abc-123]
spaces:
  - include: all
    exclude: [HR]
    types: [global, personal]
    grantView: {users: [invited], groups: [crawlers, {recommended: admins}]}
  - include: [ENG]
    grantView: {groups: [crawlers]}
exportMap: {from: examples/users-export.csv, to: map.csv}
`
    expect(await problems(yaml)).to.deep.equal([])
    expect(
      await problems(JSON.stringify({spaces: [{grantView: {groups: ['crawlers']}, include: ['ENG']}]})),
    ).to.deep.equal([])
  })

  it('names an unknown key at its line and column, with the key it probably meant', async () => {
    expect(await problems('users: []\nspcaes:\n  - include: all\n')).to.deep.equal([
      '2:1: unknown key `spcaes` — did you mean `spaces`?',
    ])
    expect(await problems('users:\n  - email: a@acme.example\n    rol: admin\n')).to.deep.equal([
      '3:5: unknown key `rol` in users[0] — did you mean `role`?',
    ])
  })

  it('says what type a value must have, and which values an enumeration allows', async () => {
    expect(await problems('users: bot@acme.example\n')).to.deep.equal([
      '1:8: users must be a list, not string "bot@acme.example"',
    ])
    expect(await problems('users:\n  - email: a@acme.example\n    role: admn\n')).to.deep.equal([
      '3:11: users[0].role must be one of user, admin, user-access-admin, not string "admn" — did you mean `admin`?',
    ])
    expect(await problems('groups:\n  - name: x\n    create: yes please\n')).to.deep.equal([
      '3:13: groups[0].create must be true or false, not string "yes please"',
    ])
    expect(await problems('spaces:\n  - include: some\n    grantView: {groups: [g]}\n')).to.deep.equal([
      '2:14: spaces[0].include must be "all" or a list, not string "some"',
    ])
  })

  it('collects every problem of the file at once, in file order per check', async () => {
    const found = await problems('users:\n  - role: user\n  - email: 5\ngroups: {}\nextra: 1\n')
    expect(found).to.deep.equal([
      '5:1: unknown key `extra` (known keys: site, message, users, groups, spaces, exportMap)',
      '2:5: users[0] is missing `email`',
      '3:12: users[1].email must be a text, not number 5',
      '4:9: groups must be a list, not a mapping',
    ])
  })

  it('finds duplicate entries and points at the repeat, naming the first', async () => {
    const found = await problems(`users:
  - email: Bot@acme.example
  - email: bot@ACME.example
groups:
  - name: crawlers
    members: [a@acme.example, A@acme.example]
  - name: Crawlers
spaces:
  - include: [ENG, ENG]
    grantView: {groups: [crawlers, crawlers]}
`)
    expect(found).to.deep.equal([
      '3:12: email "bot@acme.example" is already given at users[0]',
      '6:31: user "a@acme.example" is already given at groups[0].members[0]',
      '7:5: group "crawlers" is already given at groups[0]',
      '9:20: space "ENG" is already given at spaces[0].include[0]',
      '10:36: group "crawlers" is already given at spaces[0].grantView.groups[0]',
    ])
  })

  it('refuses invalid emails and account IDs, "invited" without users, and exclusions without include: all, all in one pass', async () => {
    const found = await problems(`users:
  - email: not-an-email
groups:
  - name: g
    members: ["bad@", "has space"]
spaces:
  - include: [ENG]
    exclude: [HR]
    types: [global]
    grantView: {}
`)
    // The users section breaks the schema; the other sections are still checked, in the same pass.
    expect(found).to.deep.equal([
      '2:12: users[0].email: "not-an-email" is not a valid email',
      '5:15: "bad@" is not a valid email',
      '5:23: "has space" is not an email, an account ID or "invited"',
      '8:5: `exclude` only narrows `include: all`; with a list of keys, leave the key out of the list',
      '9:5: `types` only narrows `include: all`; a listed key is included whatever its type',
      '10:16: spaces[0].grantView names nobody: give users or groups',
    ])
    expect(await problems('groups:\n  - name: g\n    members: ["bad@", "has space", invited]\n')).to.deep.equal([
      '3:15: "bad@" is not a valid email',
      '3:23: "has space" is not an email, an account ID or "invited"',
      '3:36: "invited" stands for the users of the users list, and the plan has none',
    ])
    expect(
      await problems('spaces:\n  - include: [ENG]\n    exclude: [HR]\n    types: [global]\n    grantView: {}\n'),
    ).to.deep.equal([
      '3:5: `exclude` only narrows `include: all`; with a list of keys, leave the key out of the list',
      '4:5: `types` only narrows `include: all`; a listed key is included whatever its type',
      '5:16: spaces[0].grantView names nobody: give users or groups',
    ])
  })

  it('refuses a space key with a comma (Confluence would read two keys) and anything else that is not a space key', async () => {
    expect(
      await problems(
        'spaces:\n  - include: ["ENG,HR", "../x", "~jsmith", ENG2]\n    grantView: {groups: [crawlers]}\n  - include: all\n    exclude: ["HR MKT"]\n    grantView: {groups: [crawlers]}\n',
      ),
    ).to.deep.equal([
      '2:15: "ENG,HR" is several space keys in one: give each key as its own item ([ENG, HR])',
      '2:25: "../x" is not a space key: letters and digits (ENG), or ~ and the owner for a personal space',
      '5:15: "HR MKT" is not a space key: letters and digits (ENG), or ~ and the owner for a personal space',
    ])
  })

  it('needs exactly one of name or recommended per group, and does not create recommended groups', async () => {
    expect(
      await problems(
        'groups:\n  - members: []\n  - name: a\n    recommended: users\n  - recommended: admins\n    create: true\n',
      ),
    ).to.deep.equal([
      '2:5: groups[0] needs exactly one of `name` or `recommended`',
      '3:5: groups[1] needs exactly one of `name` or `recommended`',
      "6:5: groups[2]: recommended groups are the site's default groups and are not created here; drop `create` or give a `name`",
    ])
  })

  it('reports YAML syntax errors and duplicate keys with their position, and an empty plan', async () => {
    expect((await problems('users:\n  - email: a@acme.example\nusers: []\n'))[0]).to.match(
      /^3:1: Map keys must be unique/,
    )
    expect((await problems('users: [a, b\n'))[0]).to.match(/^\d+:\d+: /)
    expect(await problems('')).to.deep.equal([
      '1:1: the plan is empty: give at least one of users, groups, spaces, exportMap',
    ])
    expect(await problems('site: acme\n')).to.deep.equal([
      '1:1: the plan asks for nothing: give at least one of users, groups, spaces, exportMap',
    ])
  })

  it('an alias to no anchor, an alias bomb and nesting thousands deep are problems at a place in the plan, not crashes', async () => {
    expect(await problems('users: *nowhere\n')).to.deep.equal([
      '1:1: Unresolved alias (the anchor must be set before the alias): nowhere',
    ])
    const bomb =
      'a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nusers: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n'
    expect(await problems(bomb)).to.deep.equal(['1:1: Excessive alias count indicates a resource exhaustion attack'])
    const deep = await problems(`${'- '.repeat(5000)}x\n`)
    expect(deep).to.have.length(1)
    expect(deep[0]).to.match(/^1:\d+: the plan nests lists and mappings too deeply$/)
  })

  it('lists at most 20 problems, and how many more there are', async () => {
    const file = join(temp.path, 'plan.yaml')
    writeFileSync(file, `users:\n${Array.from({length: 100}, (_, i) => `  - email: bad-${i}\n`).join('')}`)
    const error = await rejectionOf(loadPlan(file))
    const lines = error.message.split('\n')
    expect(lines[0]).to.equal(`The plan ${file} has 100 problems:`)
    expect(lines).to.have.length(22)
    expect(lines.at(-1)).to.equal('  and 80 more')
  })

  it('refuses an export that does not exist, relative to the plan file', async () => {
    expect(await problems('exportMap: {from: nowhere.csv, to: map.csv}\n')).to.deep.equal([
      '1:19: the export nowhere.csv does not exist (paths are relative to the plan file)',
    ])
  })

  it('loadPlan throws one exit-2 error listing every problem with file:line:col, and fills in the defaults', async () => {
    const bad = join(temp.path, 'bad.yaml')
    writeFileSync(bad, 'users:\n  - email: x\nspcaes: []\n')
    const error = await rejectionOf(loadPlan(bad))
    expect(error).to.include({code: 'PLAN_INVALID', exit: 2})
    expect(error.message).to.equal(
      `The plan ${bad} has 2 problems:\n  ${bad}:2:12: users[0].email: "x" is not a valid email\n  ${bad}:3:1: unknown key \`spcaes\` — did you mean \`spaces\`?`,
    )
    const good = join(temp.path, 'good.yaml')
    writeFileSync(good, 'users: [{email: Bot@Acme.example}]\nspaces: [{include: all, grantView: {users: [invited]}}]\n')
    const {plan} = await loadPlan(good)
    expect(plan).to.deep.equal({
      exportMap: undefined,
      groups: [],
      message: undefined,
      site: undefined,
      spaces: [
        {
          archived: false,
          exclude: [],
          grantView: {groups: [], users: ['invited']},
          include: 'all',
          types: ['global', 'collaboration', 'knowledge_base'],
        },
      ],
      users: [{email: 'bot@acme.example', role: 'user'}],
    })
    expect(await rejectionOf(loadPlan(join(temp.path, 'missing.yaml')))).to.include({code: 'PLAN_NOT_FOUND', exit: 2})
  })

  it('every example plan is valid and points editors at the shipped schema', async () => {
    const examples = readdirSync(join(projectRoot, 'examples')).filter((f) => f.endsWith('.yaml'))
    expect(examples).to.have.length(6)
    for (const file of examples) {
      const path = join(projectRoot, 'examples', file)
      await loadPlan(path)
      expect(readFileSync(path, 'utf8').split('\n')[0], file).to.equal(
        '# yaml-language-server: $schema=../schema/setup-plan.schema.json',
      )
    }

    expect(PLAN_SCHEMA_PATH).to.equal(join(projectRoot, 'schema/setup-plan.schema.json'))
  })

  it('takes a space role for grantView (kept as written; absent stays absent) and refuses an empty one', async () => {
    const path = join(temp.path, 'roles.yaml')
    writeFileSync(path, 'spaces:\n  - include: [ENG]\n    grantView: {groups: [crawlers], role: Read-only auditor}\n')
    expect((await loadPlan(path)).plan.spaces[0].grantView).to.deep.equal({
      groups: ['crawlers'],
      role: 'Read-only auditor',
      users: [],
    })
    expect(
      await problems('spaces:\n  - include: [ENG]\n    grantView: {groups: [crawlers], role: ""}\n'),
    ).to.have.length(1)
  })

  it('suggests the closest word only when it is close', () => {
    expect(closest('spcaes', ['users', 'groups', 'spaces'])).to.equal('spaces')
    expect(closest('exportmap', ['exportMap'])).to.equal('exportMap')
    expect(closest('zebra', ['users', 'groups', 'spaces'])).to.equal(undefined)
  })
})
