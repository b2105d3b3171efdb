import {expect} from 'chai'

import type {Space} from '../../../src/lib/api/confluence.js'
import {adminKeyMinutes} from '../../../src/lib/access/admin-key.js'
import {chooseSpaces, notAdminOf, spaceChoiceSummary} from '../../../src/lib/access/spaces.js'
import {CfadminError, ExitCode} from '../../../src/lib/errors.js'
import {AtlassianApiError} from '../../../src/lib/http/errors.js'

const space = (id: string, key: string, type: string, status = 'current'): Space => ({id, key, name: key, status, type})

const refused = (status: number, atlassianMessage = 'refused') =>
  new AtlassianApiError({
    atlassianMessage,
    family: 'site',
    method: 'POST',
    status,
    url: '/wiki/rest/api/space/ENG/permission',
  })

describe('choosing spaces', () => {
  const listed = [
    space('1', 'ENG', 'global'),
    space('2', 'TEAM', 'collaboration'),
    space('3', 'KB', 'knowledge_base'),
    space('4', '~ann', 'personal'),
    space('5', 'SYS', 'system'),
    space('6', 'ONB', 'onboarding'),
    space('7', 'XFLOW', 'xflow_sample_space'),
    space('8', 'OLD', 'collaboration', 'archived'),
    space('9', 'ARCHIVED_PERSONAL', 'personal', 'archived'),
  ]

  it('takes the spaces teams work in by default: global, collaboration, knowledge_base, current ones only', () => {
    const {choice, spaces} = chooseSpaces(listed, {})
    expect(spaces.map((s) => s.key)).to.deep.equal(['ENG', 'TEAM', 'KB'])
    expect(choice).to.deep.equal({
      archived: 1,
      chosen: {collaboration: 1, global: 1, knowledge_base: 1},
      typeNotChosen: {onboarding: 1, personal: 2, system: 1, xflow_sample_space: 1},
    })
  })

  it('takes personal, system, onboarding and sample spaces only when named', () => {
    const {spaces} = chooseSpaces(listed, {types: ['personal', 'system', 'onboarding', 'xflow_sample_space']})
    expect(spaces.map((s) => s.key)).to.deep.equal(['~ann', 'SYS', 'ONB', 'XFLOW'])
  })

  it('takes archived spaces of the chosen types when asked', () => {
    const {choice, spaces} = chooseSpaces(listed, {includeArchived: true, types: ['collaboration']})
    expect(spaces.map((s) => s.key)).to.deep.equal(['TEAM', 'OLD'])
    expect(choice.archived).to.equal(0)
  })

  it('counts a space that two listings both return once', () => {
    const {choice, spaces} = chooseSpaces([space('1', 'ENG', 'global'), space('1', 'ENG', 'global')], {})
    expect(spaces).to.have.length(1)
    expect(choice.chosen).to.deep.equal({global: 1})
  })

  it('says what was chosen per type, what was left out and why, and what "all spaces" means', () => {
    const {choice} = chooseSpaces(listed, {})
    expect(spaceChoiceSummary(choice)).to.deep.equal([
      'Spaces: 3 chosen (1 global, 1 collaboration, 1 knowledge_base); 6 left out: 5 of a type not chosen (2 personal, 1 system, 1 onboarding, 1 xflow_sample_space; name it with --type), 1 archived (--include-archived takes them).',
      '"All spaces" means the spaces this login can see: a space it was never given access to is not listed (on Premium and Enterprise, --admin-key may list it).',
    ])
  })

  it("names the plan's fields instead of the flags for setup", () => {
    const [line] = spaceChoiceSummary(chooseSpaces(listed, {}).choice, {archived: '`archived: true`', types: '`types`'})
    expect(line).to.contain('name it with `types`').and.contain('`archived: true` takes them')
  })

  it('says nothing was left out when nothing was', () => {
    const [line] = spaceChoiceSummary(chooseSpaces([space('1', 'ENG', 'global')], {}).choice)
    expect(line).to.equal('Spaces: 1 chosen (1 global).')
  })
})

describe('a space the login cannot administer', () => {
  for (const status of [403, 404]) {
    it(`turns a ${status} into the item's failure naming the space and the fix (exit 3)`, () => {
      const failure = notAdminOf('ENG', refused(status))
      expect(failure).to.be.instanceOf(CfadminError)
      expect((failure as CfadminError).message).to.equal(
        'you are not an admin of space ENG: give yourself space admin, or use Recover permissions in Confluence administration; on Premium/Enterprise try --admin-key',
      )
      expect((failure as CfadminError).exit).to.equal(ExitCode.partial)
    })
  }

  it('does not offer --admin-key when the run already uses it', () => {
    const failure = notAdminOf('ENG', refused(403), true) as CfadminError
    expect(failure.message).to.match(/^you are not an admin of space ENG: /)
    expect(failure.message).to.not.contain('try --admin-key')
  })

  it('leaves other errors as they are: a 400, a refused XSRF check, a network failure', () => {
    for (const error of [refused(400), refused(403, 'XSRF check failed'), new Error('socket hang up')])
      expect(notAdminOf('ENG', error)).to.equal(error)
  })
})

describe('how long the admin key is asked for', () => {
  it('is the 60-minute maximum when the run cannot be estimated (all spaces, before listing them)', () => {
    expect(adminKeyMinutes()).to.equal(60)
  })

  it('is at least the 10-minute default for a small run, more for a larger one, never over 60', () => {
    expect(adminKeyMinutes(2)).to.equal(10)
    expect(adminKeyMinutes(9000)).to.equal(35)
    expect(adminKeyMinutes(1_000_000)).to.equal(60)
  })
})
