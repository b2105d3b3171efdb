import {expect} from 'chai'

import {basicAuth, bearer, defaultSeedCredentials as seed, defaultSeedIds as ids} from './credentials.js'
import {hasSpacePermission, writes} from './helpers.js'
import {confluenceMessages} from './routes/common.js'
import {call} from './testing.js'
import {useFakeAtlassian} from './use-fake.js'

const admin = basicAuth(seed.adminToken.email, seed.adminToken.token)
const reader = basicAuth(seed.readerToken.email, seed.readerToken.token)
const spaceAdmin = basicAuth(seed.spaceAdminToken.email, seed.spaceAdminToken.token)
const oauth = bearer(seed.oauthAccessToken)
const gateway = `/ex/confluence/${seed.cloudId}`
const {accounts, groups, spaces} = ids
const readSpace = {key: 'read', target: 'space'}
const keysOf = (body: {results: {key: string}[]}) => body.results.map((s) => s.key)

describe('fake Atlassian: spaces and space permissions (default seed)', () => {
  const fake = useFakeAtlassian()

  describe('GET /wiki/api/v2/spaces', () => {
    it("gives a site admin the spaces it may view as SpaceBulk, not another user's personal space", async () => {
      const {body, headers, status} = await call(fake, 'GET', '/wiki/api/v2/spaces', admin)
      expect(status).to.equal(200)
      expect(keysOf(body)).to.deep.equal(['ENG', 'HR', 'MKT', 'OPS', 'DOCS', 'LEGAL'])
      expect(body.results[0]).to.deep.include({
        id: spaces.ENG,
        key: 'ENG',
        name: 'Engineering',
        status: 'current',
        type: 'global',
      })
      expect(body.results[5]).to.include({status: 'archived'})
      expect(body._links).to.deep.equal({base: `${fake.url}/wiki`})
      expect(headers.get('link')).to.equal(null)
    })

    it('gives other users only the spaces they may read (own or group permission)', async () => {
      // Rita reads OPS through the IdP-synced engineering group, not MKT (marketing only), not HR (admin only).
      expect(keysOf((await call(fake, 'GET', '/wiki/api/v2/spaces', reader)).body)).to.deep.equal([
        'ENG',
        'OPS',
        'DOCS',
        ids.personalSpaceKey,
      ])
      expect(keysOf((await call(fake, 'GET', '/wiki/api/v2/spaces', spaceAdmin)).body)).to.deep.equal([
        'ENG',
        'MKT',
        'DOCS',
        'LEGAL',
      ])
    })

    it('filters by keys (comma-separated or repeated), ids, type and status', async () => {
      expect(keysOf((await call(fake, 'GET', '/wiki/api/v2/spaces?keys=HR,ENG', admin)).body)).to.deep.equal([
        'HR',
        'ENG',
      ])
      expect(keysOf((await call(fake, 'GET', '/wiki/api/v2/spaces?keys=MKT&keys=NOPE', admin)).body)).to.deep.equal([
        'MKT',
      ])
      expect(keysOf((await call(fake, 'GET', `/wiki/api/v2/spaces?ids=${spaces.DOCS}`, admin)).body)).to.deep.equal([
        'DOCS',
      ])
      expect(keysOf((await call(fake, 'GET', '/wiki/api/v2/spaces?type=personal', reader)).body)).to.deep.equal([
        ids.personalSpaceKey,
      ])
      expect(keysOf((await call(fake, 'GET', '/wiki/api/v2/spaces?type=personal', admin)).body)).to.deep.equal([])
      expect(keysOf((await call(fake, 'GET', '/wiki/api/v2/spaces?status=archived', admin)).body)).to.deep.equal([
        'OPS',
        'LEGAL',
      ])
    })

    it('pages with limit and a cursor: _links.next and the Link header, the next link usable as is', async () => {
      const first = await call(fake, 'GET', '/wiki/api/v2/spaces?limit=3&status=current', admin)
      expect(keysOf(first.body)).to.deep.equal(['ENG', 'HR', 'MKT'])
      const next = first.body._links.next as string
      expect(next).to.match(/^\/wiki\/api\/v2\/spaces\?cursor=[\w-]+&limit=3$/)
      expect(first.headers.get('link')).to.equal(`<${next}>; rel="next", <${fake.url}/wiki>; rel="base"`)
      const second = await call(fake, 'GET', next, admin)
      expect(keysOf(second.body)).to.deep.equal(['DOCS'])
      expect(second.body._links).not.to.have.property('next')
    })

    it('refuses a limit over 250 as off-contract', async () => {
      expect((await call(fake, 'GET', '/wiki/api/v2/spaces?limit=251', admin)).status).to.equal(400)
      expect(fake.contractViolations[0]).to.include('getSpaces')
      fake.contractViolations.length = 0
    })

    it('answers through the gateway with read:space:confluence, 401 without it', async () => {
      const {body, status} = await call(fake, 'GET', `${gateway}/wiki/api/v2/spaces?keys=ENG`, oauth)
      expect(status).to.equal(200)
      expect(body._links.base).to.equal(`${fake.url}${gateway}/wiki`)
      fake.state.oauthTokens[0].scopes = ['read:confluence-user']
      expect((await call(fake, 'GET', `${gateway}/wiki/api/v2/spaces?keys=ENG`, oauth)).status).to.equal(401)
    })
  })

  describe('GET /wiki/api/v2/spaces/{id}/permissions', () => {
    it("lists the space's permissions: principal {type, id} (a group by id) and operation {key, targetType}", async () => {
      const {body, status} = await call(fake, 'GET', `/wiki/api/v2/spaces/${spaces.ENG}/permissions`, admin)
      expect(status).to.equal(200)
      expect(body.results).to.deep.equal([
        {id: '20001', operation: {key: 'read', targetType: 'space'}, principal: {id: accounts.admin, type: 'user'}},
        {
          id: '20002',
          operation: {key: 'administer', targetType: 'space'},
          principal: {id: accounts.admin, type: 'user'},
        },
        {
          id: '20003',
          operation: {key: 'read', targetType: 'space'},
          principal: {id: groups.confluenceUsers, type: 'group'},
        },
      ])
    })

    it('pages with a cursor', async () => {
      const first = await call(fake, 'GET', `/wiki/api/v2/spaces/${spaces.DOCS}/permissions?limit=2`, admin)
      expect(first.body.results).to.have.length(2)
      expect(first.headers.get('link')).to.include('rel="next"')
      const second = await call(fake, 'GET', first.body._links.next, admin)
      const third = await call(fake, 'GET', second.body._links.next, admin)
      expect([...second.body.results, ...third.body.results].map((p: {id: string}) => p.id)).to.deep.equal([
        '20014',
        '20015',
        '20016',
      ])
      expect(third.body._links).not.to.have.property('next')
    })

    it('answers 404 for an unknown space or one the caller cannot read, 400 off-contract for a non-numeric id', async () => {
      expect((await call(fake, 'GET', '/wiki/api/v2/spaces/99999/permissions', admin)).status).to.equal(404)
      expect((await call(fake, 'GET', `/wiki/api/v2/spaces/${spaces.HR}/permissions`, reader)).status).to.equal(404)
      expect((await call(fake, 'GET', '/wiki/api/v2/spaces/ENG/permissions', admin)).status).to.equal(400)
      expect(fake.contractViolations).to.have.length(1)
      fake.contractViolations.length = 0
    })
  })

  describe('GET /wiki/api/v2/spaces/{id}/pages', () => {
    it("answers the space's home page (the only content the fake keeps) to whoever may view the space, 404 to others", async () => {
      const {body, status} = await call(fake, 'GET', `/wiki/api/v2/spaces/${spaces.ENG}/pages?limit=25`, admin)
      expect(status).to.equal(200)
      expect(body.results).to.deep.equal([
        {id: `${spaces.ENG}0001`, spaceId: spaces.ENG, status: 'current', title: 'Engineering Home'},
      ])
      expect((await call(fake, 'GET', `/wiki/api/v2/spaces/${spaces.HR}/pages`, reader)).status).to.equal(404)
    })

    it('needs read:page:confluence through the gateway', async () => {
      const refused = await call(fake, 'GET', `${gateway}/wiki/api/v2/spaces/${spaces.ENG}/pages`, oauth)
      expect(refused.status).to.equal(401)
      fake.state.oauthTokens.find((t) => t.accessToken === seed.oauthAccessToken)!.scopes.push('read:page:confluence')
      expect((await call(fake, 'GET', `${gateway}/wiki/api/v2/spaces/${spaces.ENG}/pages`, oauth)).status).to.equal(200)
    })
  })

  describe('GET /wiki/rest/api/content/{id}/restriction/byOperation', () => {
    const restrictions = (spaceId: string) => `/wiki/rest/api/content/${spaceId}0001/restriction/byOperation`

    it("answers a home page's read and update restrictions (none) to whoever may view it, 404 to others and for other ids", async () => {
      const {body, status} = await call(fake, 'GET', restrictions(spaces.ENG), admin)
      expect(status).to.equal(200)
      expect(Object.keys(body)).to.deep.equal(['read', 'update'])
      expect(body.read).to.deep.include({operation: 'read'})
      expect(body.read.restrictions.user.results).to.deep.equal([])
      expect((await call(fake, 'GET', restrictions(spaces.HR), reader)).status).to.equal(404)
      expect((await call(fake, 'GET', '/wiki/rest/api/content/123/restriction/byOperation', admin)).status).to.equal(
        404,
      )
    })

    it('needs read:confluence-content.all or read:content-details:confluence through the gateway', async () => {
      const token = fake.state.oauthTokens.find((t) => t.accessToken === seed.oauthAccessToken)!
      token.scopes = token.scopes.filter(
        (s) => s !== 'read:confluence-content.all' && s !== 'read:content-details:confluence',
      )
      expect((await call(fake, 'GET', `${gateway}${restrictions(spaces.ENG)}`, oauth)).status).to.equal(401)
      token.scopes.push('read:content-details:confluence')
      expect((await call(fake, 'GET', `${gateway}${restrictions(spaces.ENG)}`, oauth)).status).to.equal(200)
    })
  })

  describe('POST /wiki/rest/api/space/{spaceKey}/permission', () => {
    const grant = (
      spaceKey: string,
      subject: {type: string; identifier: string},
      who = admin,
      operation: {key: string; target: string} = readSpace,
    ) =>
      call(fake, 'POST', `/wiki/rest/api/space/${encodeURIComponent(spaceKey)}/permission`, who, {operation, subject})

    it('adds read for a group by name: 200 SpacePermissionV2, then visible in v2 and in the state', async () => {
      const {body, status} = await grant('HR', {identifier: 'marketing', type: 'group'})
      expect(status).to.equal(200)
      expect(body).to.deep.include({operation: readSpace, subject: {identifier: groups.marketing, type: 'group'}})
      expect(body.id).to.be.a('number')
      expect(hasSpacePermission(fake, 'HR', {id: groups.marketing, type: 'group'})).to.equal(true)
      expect(hasSpacePermission(fake, 'HR', {id: accounts.marketer, type: 'user'})).to.equal(true)
      expect(hasSpacePermission(fake, 'HR', {id: accounts.marketer, type: 'user'}, 'read', {direct: true})).to.equal(
        false,
      )
      const v2 = await call(fake, 'GET', `/wiki/api/v2/spaces/${spaces.HR}/permissions`, admin)
      expect(v2.body.results.at(-1)).to.deep.equal({
        id: String(body.id),
        operation: {key: 'read', targetType: 'space'},
        principal: {id: groups.marketing, type: 'group'},
      })
    })

    it('adds read for a group by id and for a user by accountId, on a personal space too (by its owner)', async () => {
      expect((await grant('HR', {identifier: groups.finance, type: 'group'})).status).to.equal(200)
      const personal = {identifier: accounts.crawler, type: 'user'}
      expect((await grant(ids.personalSpaceKey, personal, reader)).status).to.equal(200)
      expect(hasSpacePermission(fake, ids.personalSpaceKey, {id: accounts.crawler, type: 'user'})).to.equal(true)
    })

    it('answers 404 to a site admin on a personal space it cannot view, and 403 on a space it can view but not administer', async () => {
      const personal = await grant(ids.personalSpaceKey, {identifier: accounts.crawler, type: 'user'})
      expect(personal.status).to.equal(404)
      expect((await grant('LEGAL', {identifier: accounts.crawler, type: 'user'})).status).to.equal(403)
      expect(writes(fake).filter((w) => w.status < 300)).to.deep.equal([])
    })

    it('answers 400 "Permission already exists" when it is there, and records one write only', async () => {
      const {body, status} = await grant('ENG', {identifier: 'confluence-users-acme', type: 'group'})
      expect(status).to.equal(400)
      expect(body).to.deep.equal({message: confluenceMessages.permissionAlreadyExists, statusCode: 400})
      await grant('HR', {identifier: accounts.crawler, type: 'user'})
      await grant('HR', {identifier: accounts.crawler, type: 'user'})
      expect(writes(fake, {path: '/wiki/rest/api/space/HR/permission'})).to.have.length(1)
    })

    it('answers 400 "No group found" for an unknown group and 400 for an unknown account', async () => {
      const {body, status} = await grant('HR', {identifier: 'cf-crawler', type: 'group'})
      expect(status).to.equal(400)
      expect(body.message).to.equal(confluenceMessages.noGroupFound)
      expect((await grant('HR', {identifier: '712020:nobody', type: 'user'})).status).to.equal(400)
    })

    it('answers 400 when another permission is asked for before read, or for an invalid key/target pair', async () => {
      const missingRead = await grant('HR', {identifier: accounts.crawler, type: 'user'}, admin, {
        key: 'create',
        target: 'page',
      })
      expect(missingRead.status).to.equal(400)
      expect(missingRead.body.message).to.equal(confluenceMessages.readSpaceMissing)
      expect(
        (await grant('HR', {identifier: accounts.crawler, type: 'user'}, admin, {key: 'read', target: 'page'})).status,
      ).to.equal(400)
    })

    it('answers 404 for an unknown space, and for a space the caller cannot see', async () => {
      const {body, status} = await grant('NOPE', {identifier: 'marketing', type: 'group'})
      expect(status).to.equal(404)
      expect(body.message).to.match(/NotFoundException/)
      expect((await grant('HR', {identifier: 'marketing', type: 'group'}, spaceAdmin)).status).to.equal(404)
    })

    it('lets a space admin who is not a site admin grant on their space, 403 PermissionException elsewhere', async () => {
      expect((await grant('MKT', {identifier: accounts.crawler, type: 'user'}, spaceAdmin)).status).to.equal(200)
      const {body, status} = await grant('ENG', {identifier: accounts.crawler, type: 'user'}, spaceAdmin)
      expect(status).to.equal(403)
      expect(body).to.deep.equal({message: confluenceMessages.notSpaceAdmin, statusCode: 403})
      expect((await grant('ENG', {identifier: accounts.crawler, type: 'user'}, reader)).status).to.equal(403)
    })

    it('records a body without operation as off-contract', async () => {
      const {status} = await call(fake, 'POST', '/wiki/rest/api/space/HR/permission', admin, {
        subject: {identifier: 'marketing', type: 'group'},
      })
      expect(status).to.equal(400)
      expect(fake.contractViolations).to.have.length(1)
      expect(fake.contractViolations[0]).to.include('addPermissionToSpace')
      fake.contractViolations.length = 0
    })

    describe('with an OAuth token (§6a, state.behaviour.oauthSpacePermissionWrite)', () => {
      const path = `${gateway}/wiki/rest/api/space/HR/permission`
      const body = {operation: readSpace, subject: {identifier: 'marketing', type: 'group'}}

      it('refuses by default with 403, saying an API token is needed', async () => {
        const {body: answer, status} = await call(fake, 'POST', path, oauth, body)
        expect(status).to.equal(403)
        expect(answer).to.deep.equal({message: confluenceMessages.oauthNotSupported, statusCode: 403})
        expect(answer.message).to.include('API token')
        expect(writes(fake)).to.deep.equal([])
      })

      it('refuses with 401 when set so', async () => {
        fake.state.behaviour.oauthSpacePermissionWrite = 401
        expect((await call(fake, 'POST', path, oauth, body)).status).to.equal(401)
      })

      it('accepts when allowed, if the token has both space.permission scopes', async () => {
        fake.state.behaviour.oauthSpacePermissionWrite = 'allow'
        expect((await call(fake, 'POST', path, oauth, body)).status).to.equal(200)
        fake.state.oauthTokens[0].scopes = fake.state.oauthTokens[0].scopes.filter(
          (s) => s !== 'write:space.permission:confluence',
        )
        expect(
          (await call(fake, 'POST', `${gateway}/wiki/rest/api/space/MKT/permission`, oauth, body)).status,
        ).to.equal(401)
      })
    })
  })
})
