import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import {projectRoot} from './paths.js'

/** The README's example setup plan: the first ```yaml block of its "Setting a connector up from a plan" section. */
export function readmeExamplePlan(): string {
  const readme = readFileSync(join(projectRoot, 'README.md'), 'utf8')
  const section = readme.slice(readme.indexOf('## Setting a connector up from a plan'))
  const start = section.indexOf('```yaml\n')
  if (start === -1) throw new Error('README.md has no ```yaml block under "Setting a connector up from a plan"')
  return section.slice(start + '```yaml\n'.length, section.indexOf('\n```', start + 1) + 1)
}
