import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import {expect} from 'chai'

import {compareMaps} from '../../../src/lib/export-map/compare-maps.js'
import {directoryRows, exportMapFromApi} from '../../../src/lib/export-map/export-map-api.js'
import {useTempDir} from '../../support/temp-dir.js'
import {adminClient, API_HOST, DIR, instantClock, intercept, noteTest, ORG} from '../api/support.js'

const SEARCH = `/admin/v2/orgs/${ORG}/directories/${DIR}/users/search`
/** The directory's user count: these tests give none, so the directory is read one way, in its own order. */
const COUNT = `/admin/v2/orgs/${ORG}/directories/${DIR}/users/count?directoryIds=${DIR}`
const noCount = () => intercept(API_HOST).get(COUNT).reply(404, {code: 404, message: 'Not Found'})

type User = {accountId: string; email?: string; status?: string; groups?: Array<{id: string; name: string}>}
const user = (n: number, extra: Partial<User> = {}): User => ({
  accountId: `acc-${n}`,
  email: `user${n}@example.com`,
  status: 'active',
  ...extra,
})

describe('export-map from the Admin API', () => {
  const temp = useTempDir('cfadmin-map-api-')
  beforeEach(function () {
    noteTest(this.currentTest?.fullTitle() ?? '')
  })

  /** The directory in pages of `pageSize` (the real page is 100; the cursor is the next offset). */
  const directory = (users: User[], pageSize: number, body: {limit: number; expand?: string[]} = {limit: 100}) => {
    const scope = noCount()
    for (let offset = 0; offset < users.length; offset += pageSize) {
      const next = offset + pageSize < users.length ? `at-${offset + pageSize}` : undefined
      scope
        .post(SEARCH, offset === 0 ? body : {...body, cursor: `at-${offset}`})
        .reply(200, {data: users.slice(offset, offset + pageSize), links: next ? {next} : {}})
    }

    return scope
  }

  const api = async (options = {}) => ({client: await adminClient(options), directoryId: DIR, orgId: ORG})

  it('maps every active user over several pages, skipping and counting inactive users and users without an email', async () => {
    const users = [
      user(1),
      user(2, {email: undefined}),
      user(3, {status: 'suspended'}),
      user(4, {status: 'deactivated'}),
      user(5, {email: 'MixedCase@Example.com'}),
      user(6, {email: ''}),
      user(7),
    ]
    const scope = directory(users, 3)
    const outputPath = join(temp.path, 'map.csv')
    const summary = await exportMapFromApi({api: await api(), format: 'csv', outputPath})
    expect(readFileSync(outputPath, 'utf8')).to.equal(
      'accountId,email\nacc-1,user1@example.com\nacc-5,mixedcase@example.com\nacc-7,user7@example.com\n',
    )
    expect(summary).to.include({rowsRead: 7, skippedInactive: 2, skippedWithoutEmail: 2, usersMapped: 3})
    scope.done()
  })

  it('keeps suspended and deactivated users with includeInactive, and lists the users left out', async () => {
    const scope = directory([user(1, {status: 'suspended'}), user(2, {email: undefined, status: 'not_invited'})], 100)
    const outputPath = join(temp.path, 'map.jsonl')
    const reportSkippedPath = join(temp.path, 'skipped.csv')
    const summary = await exportMapFromApi({
      api: await api(),
      format: 'jsonl',
      includeInactive: true,
      outputPath,
      reportSkippedPath,
    })
    expect(readFileSync(outputPath, 'utf8')).to.equal('{"accountId":"acc-1","email":"user1@example.com"}\n')
    expect(readFileSync(reportSkippedPath, 'utf8')).to.equal('accountId,reason,line\nacc-2,no-email,2\n')
    expect(summary).to.include({skippedInactive: 0, skippedWithoutEmail: 1, usersMapped: 1})
    scope.done()
  })

  it('adds the group names with withGroups, asking for expand ["groups"] on every page', async () => {
    const eng = {id: 'g-1', name: 'eng'}
    const ops = {id: 'g-2', name: 'ops, "night"'}
    const users = [user(1, {groups: [eng, ops]}), user(2, {groups: []}), user(3, {groups: [eng]})]
    const body = {expand: ['groups'], limit: 100}
    for (const [format, expected] of [
      [
        'csv',
        'accountId,email,groups\nacc-1,user1@example.com,"eng;ops, ""night"""\nacc-2,user2@example.com,\nacc-3,user3@example.com,eng\n',
      ],
      [
        'json',
        '{\n  "acc-1": {"email":"user1@example.com","groups":["eng","ops, \\"night\\""]},\n  "acc-2": {"email":"user2@example.com","groups":[]},\n  "acc-3": {"email":"user3@example.com","groups":["eng"]}\n}\n',
      ],
    ] as const) {
      const scope = directory(users, 2, body)
      const outputPath = join(temp.path, `map.${format}`)
      await exportMapFromApi({api: await api(), format, outputPath, withGroups: true})
      expect(readFileSync(outputPath, 'utf8')).to.equal(expected)
      scope.done()
    }
  })

  it('waits out a 429 between pages and goes on where it was', async () => {
    const scope = noCount()
      .post(SEARCH, {limit: 100})
      .reply(200, {data: [user(1)], links: {next: 'p2'}})
      .post(SEARCH, {cursor: 'p2', limit: 100})
      .reply(429, {code: 429, message: 'Rate limit exceeded'}, {'Retry-After': '1'})
      .post(SEARCH, {cursor: 'p2', limit: 100})
      .reply(200, {data: [user(2)], links: {}})
    const outputPath = join(temp.path, 'map.csv')
    const summary = await exportMapFromApi({
      api: await api({clock: instantClock, retryLimit: 2}),
      format: 'csv',
      outputPath,
    })
    expect(summary.usersMapped).to.equal(2)
    expect(readFileSync(outputPath, 'utf8')).to.equal(
      'accountId,email\nacc-1,user1@example.com\nacc-2,user2@example.com\n',
    )
    scope.done()
  })

  it('compares with an export: users only in the API, only in the export, and with another email', async () => {
    const scope = directory([user(1), user(2), user(3, {email: undefined}), user(4)], 100)
    const exportPath = join(temp.path, 'export.csv')
    const {writeFileSync} = await import('node:fs')
    writeFileSync(
      exportPath,
      'User id,User name,email,User status\nacc-1,One,USER1@example.com,Active\nacc-3,Three,user3@example.com,Active\nacc-4,Four,four@other.example,Active\nacc-9,Nine,nine@example.com,Suspended\n',
    )
    const comparison = await compareMaps({apiRows: directoryRows(await api()), exportPath})
    expect(comparison).to.deep.include({
      apiUsers: 3,
      differentEmail: 1,
      exportUsers: 3,
      onlyInApi: 1,
      onlyInExport: 1,
      same: 1,
    })
    expect(comparison.differences).to.deep.equal([
      {accountId: 'acc-2', apiEmail: 'user2@example.com', difference: 'only-in-api'},
      {
        accountId: 'acc-4',
        apiEmail: 'user4@example.com',
        difference: 'different-email',
        exportEmail: 'four@other.example',
      },
      {accountId: 'acc-3', difference: 'only-in-export', exportEmail: 'user3@example.com'},
    ])
    scope.done()
  })
})
