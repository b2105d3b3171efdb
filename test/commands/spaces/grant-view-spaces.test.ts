import {expect} from 'chai'

import type {RunReport} from '../../../src/lib/engine/operation.js'
import type {CfadminError} from '../../../src/lib/errors.js'
import type {SpaceChoice} from '../../../src/lib/access/spaces.js'
import {runCommand} from '../../support/run-command.js'
import {allDone, itemOf, outcomes, roleMode, site, tenantInfo, useLogin, v2Page} from '../support.js'

const grantView = (...args: string[]) =>
  runCommand<RunReport & {spaces?: SpaceChoice}>(['spaces', 'grant-view', ...args])

const SPACES = '/wiki/api/v2/spaces'
const ADMIN_KEY = '/wiki/api/v2/admin-key'
const CRAWLER = '712020:acc-crawler'

const space = (id: string, key: string, type: string, status = 'current') => ({id, key, name: key, status, type})
const viewBody = {operation: {key: 'read', target: 'space'}, subject: {identifier: CRAWLER, type: 'user'}}

/** The site, answered only when the request also carries the admin-key header. */
const withKeyHeader = () => site().matchHeader('atl-confluence-with-admin-key', 'true')

/** The two listings of --all-spaces: current spaces, then archived ones. */
const listings = (current: unknown[], archived: unknown[] = [], scope = site) => [
  scope().get(SPACES).query({limit: 250, status: 'current'}).reply(200, v2Page(current)),
  scope().get(SPACES).query({limit: 250, status: 'archived'}).reply(200, v2Page(archived)),
]
const noPermissions = (id: string, scope = site) =>
  scope().get(`${SPACES}/${id}/permissions`).query({limit: 250}).once().reply(200, v2Page([]))
const addView = (key: string, scope = site) =>
  scope().post(`/wiki/rest/api/space/${key}/permission`, viewBody).once().reply(200, viewBody)

describe('space grant-view: space types, archived spaces, spaces the login cannot administer', () => {
  useLogin()

  describe('which spaces --all-spaces takes', () => {
    const sevenTypes = [
      space('1', 'ENG', 'global'),
      space('2', 'TEAM', 'collaboration'),
      space('3', 'KB', 'knowledge_base'),
      space('4', '~ann', 'personal'),
      space('5', 'SYS', 'system'),
      space('6', 'ONB', 'onboarding'),
      space('7', 'XFLOW', 'xflow_sample_space'),
    ]

    it('takes global, collaboration and knowledge_base spaces by default, and says what it left out and why', async () => {
      const scopes = [
        tenantInfo(),
        roleMode(),
        ...listings(sevenTypes, [space('8', 'OLD', 'global', 'archived')]),
        ...['1', '2', '3'].map((id) => noPermissions(id)),
        ...['ENG', 'TEAM', 'KB'].map((key) => addView(key)),
      ]
      const {result, stderr} = await grantView('--all-spaces', '--user', CRAWLER, '--json')
      expect(outcomes(result)).to.deep.equal({
        [`view:ENG:user:${CRAWLER}`]: 'done',
        [`view:KB:user:${CRAWLER}`]: 'done',
        [`view:TEAM:user:${CRAWLER}`]: 'done',
      })
      expect(result?.spaces).to.deep.equal({
        archived: 1,
        chosen: {collaboration: 1, global: 1, knowledge_base: 1},
        typeNotChosen: {onboarding: 1, personal: 1, system: 1, xflow_sample_space: 1},
      })
      // --json keeps stderr for errors; the same counts are in the result.
      expect(stderr).to.equal('')
      allDone(...scopes)
    })

    it('prints the spaces chosen per type, those left out and why, and what "all spaces" means', async () => {
      const scopes = [
        tenantInfo(),
        roleMode(),
        ...listings(sevenTypes.slice(0, 4), [space('8', 'OLD', 'global', 'archived')]),
        ...['1', '2', '3'].map((id) => noPermissions(id)),
        ...['ENG', 'TEAM', 'KB'].map((key) => addView(key)),
      ]
      const {stderr} = await grantView('--all-spaces', '--user', CRAWLER)
      expect(stderr).to.contain(
        'Spaces: 3 chosen (1 global, 1 collaboration, 1 knowledge_base); 2 left out: 1 of a type not chosen (1 personal; name it with --type), 1 archived (--include-archived takes them).',
      )
      expect(stderr).to.contain('"All spaces" means the spaces this login can see')
      allDone(...scopes)
    })

    it('takes only the types named with --type (repeatable), personal and system ones included', async () => {
      const scopes = [
        tenantInfo(),
        roleMode(),
        ...listings(sevenTypes),
        ...['4', '5'].map((id) => noPermissions(id)),
        ...['~ann', 'SYS'].map((key) => addView(key)),
      ]
      const {result} = await grantView(
        '--all-spaces',
        '--type',
        'personal',
        '--type',
        'system',
        '--user',
        CRAWLER,
        '--json',
      )
      expect(Object.keys(outcomes(result)).sort()).to.deep.equal([
        `view:SYS:user:${CRAWLER}`,
        `view:~ann:user:${CRAWLER}`,
      ])
      expect(result?.spaces?.chosen).to.deep.equal({personal: 1, system: 1})
      allDone(...scopes)
    })

    it('takes archived spaces too with --include-archived', async () => {
      const scopes = [
        tenantInfo(),
        roleMode(),
        ...listings([space('1', 'ENG', 'global')], [space('8', 'OLD', 'global', 'archived')]),
        ...['1', '8'].map((id) => noPermissions(id)),
        ...['ENG', 'OLD'].map((key) => addView(key)),
      ]
      const {result} = await grantView('--all-spaces', '--include-archived', '--user', CRAWLER, '--json')
      expect(Object.keys(outcomes(result)).sort()).to.deep.equal([
        `view:ENG:user:${CRAWLER}`,
        `view:OLD:user:${CRAWLER}`,
      ])
      expect(result?.spaces).to.deep.equal({archived: 0, chosen: {global: 2}, typeNotChosen: {}})
      allDone(...scopes)
    })

    it('refuses a type Confluence does not have, naming the types it has (exit 2, nothing sent)', async () => {
      const {error} = await grantView('--all-spaces', '--type', 'team', '--user', CRAWLER)
      expect(error?.message).to.contain('knowledge_base')
      expect(error?.oclif?.exit).to.equal(2)
    })

    it('refuses --type without --all-spaces, since a space named by its key is taken whatever its type (exit 2)', async () => {
      const {error} = await grantView('--space', 'ENG', '--type', 'personal', '--user', CRAWLER)
      expect(error?.message).to.contain('--all-spaces')
      expect(error?.oclif?.exit).to.equal(2)
    })

    it('refuses --include-archived without --all-spaces (exit 2)', async () => {
      const {error} = await grantView('--space', 'ENG', '--include-archived', '--user', CRAWLER)
      expect(error?.message).to.contain('--all-spaces')
      expect(error?.oclif?.exit).to.equal(2)
    })
  })

  describe('a space the login can list but not administer', () => {
    it('fails that item with the reason and the fix, does the others and exits 3', async () => {
      const scopes = [
        tenantInfo(),
        roleMode(),
        ...listings([space('1', 'ENG', 'global'), space('2', 'LOCKED', 'collaboration')]),
        noPermissions('1'),
        noPermissions('2'),
        addView('ENG'),
        site()
          .post('/wiki/rest/api/space/LOCKED/permission', viewBody)
          .reply(403, {message: "User isn't authorized to modify permissions.", statusCode: 403}),
      ]
      const {result} = await grantView('--all-spaces', '--user', CRAWLER, '--json')
      expect(itemOf(result, `view:ENG:user:${CRAWLER}`).outcome).to.equal('done')
      expect(itemOf(result, `view:LOCKED:user:${CRAWLER}`)).to.include({
        outcome: 'failed',
        reason:
          'you are not an admin of space LOCKED: give yourself space admin, or use Recover permissions in Confluence administration; on Premium/Enterprise try --admin-key',
      })
      expect(process.exitCode).to.equal(3)
      allDone(...scopes)
    })

    it('fails that item the same way when even its permissions cannot be read (404)', async () => {
      const scopes = [
        tenantInfo(),
        roleMode(),
        ...listings([space('1', 'ENG', 'global'), space('9', 'SECRET', 'global')]),
        noPermissions('1'),
        site().get(`${SPACES}/9/permissions`).query({limit: 250}).reply(404, {message: 'No space', statusCode: 404}),
        addView('ENG'),
      ]
      const {result} = await grantView('--all-spaces', '--user', CRAWLER, '--json')
      expect(itemOf(result, `view:ENG:user:${CRAWLER}`).outcome).to.equal('done')
      expect(itemOf(result, `view:SECRET:user:${CRAWLER}`).reason).to.match(/^you are not an admin of space SECRET: /)
      expect(process.exitCode).to.equal(3)
      allDone(...scopes)
    })
  })

  describe('--admin-key', () => {
    it('switches the key on first, sends the header on every Confluence request, and switches it off at the end', async () => {
      const order: string[] = []
      const scopes = [
        tenantInfo(),
        roleMode(),
        withKeyHeader().get(ADMIN_KEY).reply(404, {message: 'No admin key', statusCode: 404}),
        withKeyHeader()
          .post(ADMIN_KEY, {durationInMinutes: 10})
          .reply(200, () => {
            order.push('on')
            return {accountId: '712020:acc-admin', expirationTime: '2026-12-02T01:10:00.000Z'}
          }),
        withKeyHeader()
          .get(SPACES)
          .query({keys: 'ENG', limit: 250})
          .reply(200, () => {
            order.push('list')
            return v2Page([space('1', 'ENG', 'global')])
          }),
        noPermissions('1', withKeyHeader),
        addView('ENG', withKeyHeader),
        withKeyHeader()
          .delete(ADMIN_KEY)
          .reply(204, () => {
            order.push('off')
            return ''
          }),
      ]
      const {result, stderr} = await grantView('--space', 'ENG', '--user', CRAWLER, '--admin-key')
      expect(result?.counts.done).to.equal(1)
      expect(order).to.deep.equal(['on', 'list', 'off'])
      expect(stderr).to.contain('Admin key on for 10 minutes')
      expect(stderr).to.contain('Admin key switched off.')
      allDone(...scopes)
    })

    it('leaves a key that was already on as it was: no POST, no DELETE', async () => {
      const scopes = [
        tenantInfo(),
        roleMode(),
        withKeyHeader()
          .get(ADMIN_KEY)
          .reply(200, {accountId: '712020:acc-admin', expirationTime: '2026-12-02T01:10:00.000Z'}),
        withKeyHeader()
          .get(SPACES)
          .query({keys: 'ENG', limit: 250})
          .reply(200, v2Page([space('1', 'ENG', 'global')])),
        noPermissions('1', withKeyHeader),
        addView('ENG', withKeyHeader),
      ]
      const {result, stderr} = await grantView('--space', 'ENG', '--user', CRAWLER, '--admin-key')
      expect(result?.counts.done).to.equal(1)
      expect(stderr).to.contain('already on')
      allDone(...scopes)
    })

    it('switches the key off when the run fails after switching it on', async () => {
      const scopes = [
        tenantInfo(),
        roleMode(),
        withKeyHeader().get(ADMIN_KEY).reply(404, {message: 'No admin key', statusCode: 404}),
        withKeyHeader()
          .post(ADMIN_KEY, {durationInMinutes: 60})
          .reply(200, {accountId: '712020:acc-admin', expirationTime: '2026-12-02T01:10:00.000Z'}),
        withKeyHeader()
          .get(SPACES)
          .query({limit: 250, status: 'current'})
          .reply(401, {message: 'Unauthorized', statusCode: 401}),
        withKeyHeader().delete(ADMIN_KEY).reply(204),
      ]
      const {error} = await grantView('--all-spaces', '--user', CRAWLER, '--admin-key')
      expect(error?.oclif?.exit).to.equal(4)
      allDone(...scopes)
    })

    it('says so, with when the key expires and how to end it, when switching it off fails; the result stands', async () => {
      const scopes = [
        tenantInfo(),
        roleMode(),
        withKeyHeader().get(ADMIN_KEY).reply(404, {message: 'No admin key', statusCode: 404}),
        withKeyHeader()
          .post(ADMIN_KEY, {durationInMinutes: 10})
          .reply(200, {accountId: '712020:acc-admin', expirationTime: '2026-12-02T01:10:00.000Z'}),
        withKeyHeader()
          .get(SPACES)
          .query({keys: 'ENG', limit: 250})
          .reply(200, v2Page([space('1', 'ENG', 'global')])),
        noPermissions('1', withKeyHeader),
        addView('ENG', withKeyHeader),
        withKeyHeader().delete(ADMIN_KEY).reply(400, {message: 'Bad request', statusCode: 400}),
      ]
      const {error, result, stderr} = await grantView('--space', 'ENG', '--user', CRAWLER, '--admin-key', '--json')
      expect(error).to.equal(undefined)
      expect(result?.counts.done).to.equal(1)
      expect(stderr).to.contain('could not switch the admin key off').and.contain('at 2026-12-02T01:10:00.000Z')
      expect(process.exitCode ?? 0).to.equal(0)
      allDone(...scopes)
    })

    it('stops before anything changes on a site without the admin key (exit 2, naming the fix)', async () => {
      const scopes = [
        tenantInfo(),
        withKeyHeader().get(ADMIN_KEY).reply(404, {message: 'Not found', statusCode: 404}),
        withKeyHeader().post(ADMIN_KEY, {durationInMinutes: 10}).reply(404, {message: 'Not found', statusCode: 404}),
      ]
      const {error} = await grantView('--space', 'ENG', '--user', CRAWLER, '--admin-key')
      expect(error?.message).to.contain('cannot use an admin key. Nothing was changed.')
      expect((error as CfadminError).hint).to.contain('Premium and Enterprise')
      expect((error as CfadminError).hint).to.contain('drop --admin-key')
      expect(error?.oclif?.exit).to.equal(2)
      allDone(...scopes)
    })
  })
})
