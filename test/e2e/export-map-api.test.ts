import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {expect} from 'chai'

import {defaultSeedCredentials} from '../../fake-atlassian/credentials.js'
import {generateSeed} from '../../fake-atlassian/generate.js'
import {usersExportCsv} from '../../fake-atlassian/helpers.js'
import {useFakeAtlassian} from '../../fake-atlassian/use-fake.js'
import {runCli} from '../support/run-cli.js'
import {useTempDir} from '../support/temp-dir.js'

const SEARCH = /\/directories\/[^/]+\/users\/search$/

describe('users export-map --from-api against the fake directory', function () {
  this.timeout(60_000)
  // 250 generated users and the default seed's: three pages of 100. One in five hides its email, one in fifty is suspended.
  const fake = useFakeAtlassian({seed: generateSeed({groups: 3, spaces: 0, users: 250})})
  const temp = useTempDir('cfadmin-e2e-map-api-')
  const path = (name: string) => join(temp.path, name)

  const cli = (args: string[], extra: Record<string, string> = {}) =>
    runCli(args, {
      env: {
        CFADMIN_ADMIN_KEY: defaultSeedCredentials.adminKey,
        CFADMIN_API_URL: fake.url,
        CFADMIN_AUTH_URL: fake.url,
        CFADMIN_CONFIG_DIR: path('config'),
        ...extra,
      },
    })

  const searches = () => fake.requests.filter((r) => r.method === 'POST' && SEARCH.test(r.path))
  const activeUsers = () => fake.state.users.filter((u) => u.status === 'active')

  const lines = (file: string) => readFileSync(path(file), 'utf8').split('\n')
  const sortedLines = (file: string) => lines(file).sort()

  it('writes the same map as the CSV route for the same users, reading the directory from both ends at once, the same on every run', async () => {
    fake.state.behaviour.adminSearchHiddenEmails = 'shown'
    writeFileSync(path('export.csv'), usersExportCsv(fake))
    const fromCsv = await cli(['users', 'export-map', path('export.csv'), '-o', path('csv-map.csv')])
    expect(fromCsv.code, fromCsv.stderr).to.equal(0)
    const fromApi = await cli(['users', 'export-map', '--from-api', '-o', path('api-map.csv')])
    expect(fromApi.code, fromApi.stderr).to.equal(0)
    expect(sortedLines('api-map.csv')).to.deep.equal(sortedLines('csv-map.csv'))
    expect(lines('api-map.csv')[0]).to.equal('accountId,email')
    expect(lines('api-map.csv')).to.have.length(activeUsers().length + 2)
    const pages = Math.ceil(fake.state.users.length / 100)
    // Each end reads up to two pages ahead of where they meet.
    expect(searches().length).to.be.within(pages, pages + 4)
    const directions = new Set(searches().map((r) => JSON.stringify((r.body as {sortBy?: unknown}).sortBy)))
    expect([...directions].sort()).to.deep.equal([
      '[{"direction":"asc","field":"nick_name"}]',
      '[{"direction":"desc","field":"nick_name"}]',
    ])
    expect(fromApi.stderr).to.include(`Read ${fake.state.users.length} users of the directory`)
    // The two ends take turns: the same map, in the same order, on every run.
    const again = await cli(['users', 'export-map', '--from-api', '-o', path('again.csv')])
    expect(again.code, again.stderr).to.equal(0)
    expect(readFileSync(path('again.csv'), 'utf8')).to.equal(readFileSync(path('api-map.csv'), 'utf8'))
  })

  it('maps every user, each once, when Atlassian gives no count, refuses sortBy, or counts one more than it lists', async () => {
    fake.state.behaviour.adminSearchHiddenEmails = 'shown'
    writeFileSync(path('export.csv'), usersExportCsv(fake))
    expect((await cli(['users', 'export-map', path('export.csv'), '-o', path('csv-map.csv')])).code).to.equal(0)
    const pages = Math.ceil(fake.state.users.length / 100)
    for (const [count, sort, most] of [
      ['missing', 'honoured', pages],
      ['exact', 'refused', pages],
      ['off-by-one', 'honoured', 2 * pages],
    ] as const) {
      fake.state.behaviour.userCount = count
      fake.state.behaviour.userSearchSort = sort
      fake.requests.length = 0
      const run = await cli(['users', 'export-map', '--from-api', '-o', path('api-map.csv')])
      const what = `userCount ${count}, userSearchSort ${sort}`
      expect(run.code, `${what}: ${run.stderr}`).to.equal(0)
      expect(sortedLines('api-map.csv'), what).to.deep.equal(sortedLines('csv-map.csv'))
      expect(searches().filter((r) => r.status === 200).length, what).to.be.at.most(most)
    }
  })

  it('counts the users the Admin API gives without an email and points to the CSV export for them', async () => {
    const hidden = activeUsers().filter((u) => !u.emailVisible).length
    const run = await cli(['users', 'export-map', '--from-api', '-o', path('map.json'), '--json'])
    expect(run.code, run.stderr).to.equal(0)
    const result = JSON.parse(run.stdout)
    expect(result).to.include({skippedWithoutEmail: hidden, source: 'api', usersMapped: activeUsers().length - hidden})
    expect(Object.keys(JSON.parse(readFileSync(path('map.json'), 'utf8')))).to.have.length(
      activeUsers().length - hidden,
    )

    const human = await cli(['users', 'export-map', '--from-api', '-o', path('map.csv')])
    expect(human.stderr)
      .to.include(`Skipped ${hidden} users the Admin API gave without an email`)
      .and.include('admin.atlassian.com > Directory > Users > Export users')
  })

  it('waits out the 429s of the rate limit mid-way and still maps every user', async () => {
    fake.state.behaviour.adminSearchHiddenEmails = 'shown'
    fake.faults.setRateLimit({burst: 3, perSecond: 3})
    const run = await cli(['users', 'export-map', '--from-api', '-o', path('map.csv')])
    expect(run.code, run.stderr).to.equal(0)
    expect(
      fake.requests.some((r) => r.status === 429 && SEARCH.test(r.path)),
      'a page was refused',
    ).to.equal(true)
    expect(readFileSync(path('map.csv'), 'utf8').split('\n')).to.have.length(activeUsers().length + 2)
  })

  it("adds each user's groups with --with-groups", async () => {
    const run = await cli(['users', 'export-map', '--from-api', '--with-groups', '-o', path('map.jsonl')])
    expect(run.code, run.stderr).to.equal(0)
    const first = JSON.parse(readFileSync(path('map.jsonl'), 'utf8').split('\n')[0])
    const groupNames = fake.state.memberships
      .filter((m) => m.accountId === first.accountId)
      .map((m) => fake.state.groups.find((g) => g.id === m.groupId)!.name)
    expect(first.groups).to.have.members(groupNames).and.not.be.empty
  })

  it('without an Admin API key, exits 4 saying what is needed and pointing to the CSV route', async () => {
    const run = await cli(['users', 'export-map', '--from-api', '-o', path('map.csv')], {CFADMIN_ADMIN_KEY: ''})
    expect(run.code).to.equal(4)
    expect(run.stderr)
      .to.include('has no Admin API key')
      .and.include('cfadmin auth login --with-admin-key')
      .and.include('Directory > Users > Export users')
    expect(fake.requests).to.deep.equal([])
  })

  describe('a setup plan with exportMap: {from: api, to: FILE}', () => {
    const SITE_LOGIN = {CFADMIN_API_TOKEN: 'fake-api-token-admin', CFADMIN_EMAIL: 'admin@acme.example'}
    const setup = (args: string[], extra: Record<string, string> = {}) =>
      cli(['setup', ...args], {...SITE_LOGIN, CFADMIN_SITE: fake.url, ...extra})

    it('writes the map the Admin API gives, finds it done on the next run, and --verify tells when it is stale', async () => {
      writeFileSync(path('plan.yaml'), 'exportMap: {from: api, to: map.csv}\n')
      const dry = await setup([path('plan.yaml'), '--dry-run'])
      expect(dry.code, dry.stderr).to.equal(0)
      expect(dry.stdout).to.include("write the account-ID-to-email map map.csv from the Admin API's directory")

      const applied = await setup([path('plan.yaml'), '--yes'])
      expect(applied.code, applied.stderr).to.equal(0)
      const direct = await cli(['users', 'export-map', '--from-api', '-o', path('direct.csv')])
      expect(direct.code, direct.stderr).to.equal(0)
      expect(readFileSync(path('map.csv'), 'utf8')).to.equal(readFileSync(path('direct.csv'), 'utf8'))

      expect((await setup([path('plan.yaml'), '--verify'])).code).to.equal(0)
      fake.state.behaviour.adminSearchHiddenEmails = 'shown'
      const stale = await setup([path('plan.yaml'), '--verify'])
      expect(stale.code).to.equal(3)
      expect(stale.stdout).to.match(/to do\s+write the account-ID-to-email map map.csv/)
    })

    it('without an Admin API key, refuses the plan (exit 2) naming exportMap.from and the CSV route', async () => {
      writeFileSync(path('plan.yaml'), 'exportMap: {from: api, to: map.csv}\n')
      const run = await setup([path('plan.yaml'), '--yes'], {CFADMIN_ADMIN_KEY: ''})
      expect(run.code).to.equal(2)
      expect(run.stderr).to.match(/plan\.yaml:1:\d+: "from: api" reads the map from the Admin API/)
      expect(run.stderr).to.include('Directory > Users > Export users')
    })
  })

  it('--compare lists the users whose email only the export has (exit 3), and says when the maps agree (exit 0)', async () => {
    writeFileSync(path('export.csv'), usersExportCsv(fake))
    const hidden = activeUsers().filter((u) => !u.emailVisible)
    const differ = await cli(['users', 'export-map', '--from-api', '--compare', path('export.csv'), '--json'])
    expect(differ.code, differ.stderr).to.equal(3)
    const comparison = JSON.parse(differ.stdout)
    expect(comparison).to.include({differentEmail: 0, onlyInApi: 0, onlyInExport: hidden.length})
    expect(comparison.differences.map((d: {accountId: string}) => d.accountId)).to.have.members(
      hidden.map((u) => u.accountId),
    )

    const table = await cli(['users', 'export-map', '--from-api', '--compare', path('export.csv')])
    expect(table.code).to.equal(3)
    expect(table.stdout).to.include('only-in-export').and.include(hidden[0].accountId)
    expect(table.stderr).to.include(`${hidden.length} users only in`)

    fake.state.behaviour.adminSearchHiddenEmails = 'shown'
    const same = await cli(['users', 'export-map', '--from-api', '--compare', path('export.csv')])
    expect(same.code, same.stderr).to.equal(0)
    expect(same.stdout).to.equal('')
    expect(same.stderr).to.include(`The maps are the same: ${activeUsers().length} users`)
  })
})
