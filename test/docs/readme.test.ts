import {execFile} from 'node:child_process'
import {copyFileSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {promisify} from 'node:util'

import {expect} from 'chai'

import {loadPlan} from '../../src/lib/setup/plan/plan.js'
import {projectRoot} from '../support/paths.js'
import {readmeExamplePlan} from '../support/readme.js'
import {useTempDir} from '../support/temp-dir.js'

/** The generated part of a README: from the line `<!-- commands -->` to the line `<!-- commandsstop -->`. */
const commandsSection = (markdown: string) =>
  markdown.slice(markdown.indexOf('\n<!-- commands -->\n'), markdown.indexOf('\n<!-- commandsstop -->'))

describe('README', () => {
  const temp = useTempDir('cfadmin-readme-plan-')
  const readme = readFileSync(join(projectRoot, 'README.md'), 'utf8')

  it('documents every command exactly as `oclif readme` generates it (run `npm run readme` to update)', async () => {
    const {stdout} = await promisify(execFile)(
      join(projectRoot, 'node_modules/.bin/oclif'),
      ['readme', '--dry-run', '--no-aliases'],
      {
        cwd: projectRoot,
        env: {...process.env, NODE_ENV: 'production'},
      },
    )
    const generated = commandsSection(stdout)
    expect(generated).to.include('## `cfadmin users export-map [FILE]`')
    expect(commandsSection(readme)).to.equal(generated)
  })

  it('gives the two Quick start commands CI runs: npm ci with the sample export, then npm test', () => {
    const quickStart = readme.slice(readme.indexOf('## Quick start'), readme.indexOf('## Exit codes'))
    const commands = quickStart
      .slice(quickStart.indexOf('```sh') + 5, quickStart.indexOf('```', quickStart.indexOf('```sh') + 5))
      .trim()
      .split('\n')
    expect(commands).to.deep.equal(['npm ci && ./bin/run.js users export-map examples/users-export.csv', 'npm test'])
    const ci = readFileSync(join(projectRoot, '.ci/run'), 'utf8')
    expect(ci).to.match(/^npm ci$/m)
    expect(ci).to.match(/^npm test$/m)
  })

  it('shows an example setup plan that passes the plan checker, beside the sample export as in examples/', async () => {
    copyFileSync(join(projectRoot, 'examples/users-export.csv'), join(temp.path, 'users-export.csv'))
    writeFileSync(join(temp.path, 'plan.yaml'), readmeExamplePlan())
    const {plan} = await loadPlan(join(temp.path, 'plan.yaml'))
    // Every group a grant names is one the plan has (the command test runs it against the fake Atlassian).
    const planGroups = new Set(plan.groups.map((g) => g.name ?? g.recommended))
    for (const entry of plan.spaces)
      for (const group of entry.grantView.groups)
        expect(planGroups, JSON.stringify(group)).to.include(typeof group === 'string' ? group : group.recommended)
  })
})
