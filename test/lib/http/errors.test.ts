import {expect} from 'chai'

import {ExitCode} from '../../../src/lib/errors.js'
import {createHttpClient} from '../../../src/lib/http/client.js'
import {AtlassianApiError, isAtlassianError} from '../../../src/lib/http/errors.js'
import type {ApiFamily} from '../../../src/lib/http/family.js'
import {madeUp, rejectionOf, SITE} from './helpers.js'

const BASES: Record<ApiFamily, string> = {
  site: SITE,
  gateway: 'https://api.atlassian.com/ex/confluence/c1',
  admin: 'https://api.atlassian.com/admin',
  auth: 'https://auth.atlassian.com',
}

/** The error the client gives for one canned answer (no retries). */
async function errorFor(
  family: ApiFamily,
  method: 'get' | 'post',
  path: string,
  status: number,
  body: string | Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<AtlassianApiError> {
  const base = new URL(BASES[family])
  const fullPath = `${base.pathname.replace(/\/$/, '')}/${path.split('?')[0]}`
  // Canned requests (an empty JSON body, made-up parameters): the error mapping does not read them.
  const interceptor = method === 'get' ? madeUp(base.origin).get(fullPath) : madeUp(base.origin).post(fullPath)
  const scope = interceptor.query(true).reply(status, body, headers)
  const client = await createHttpClient({family, baseUrl: BASES[family], retry: {limit: 0}})
  const error = await rejectionOf(client[method](path, method === 'post' ? {json: {}} : {}).json())
  scope.done()
  expect(error).to.be.instanceOf(AtlassianApiError)
  return error as AtlassianApiError
}

describe('http errors', () => {
  it('maps a Confluence v1 {statusCode, message} 404 to exit 2 with the message, minus the Java class', async () => {
    const error = await errorFor('site', 'get', 'wiki/rest/api/space/ENG?expand=x', 404, {
      statusCode: 404,
      message: 'com.atlassian.confluence.api.service.exceptions.NotFoundException: No space with key : ENG',
    })
    expect(error).to.include({
      status: 404,
      method: 'GET',
      url: '/wiki/rest/api/space/ENG',
      code: 'HTTP_404',
      exit: ExitCode.badInput,
    })
    expect(error.atlassianMessage).to.equal('No space with key : ENG')
    expect(error.message).to.equal('Confluence answered 404 to GET /wiki/rest/api/space/ENG: No space with key : ENG')
    expect(error.hint).to.equal(
      'Nothing was found at /wiki/rest/api/space/ENG: check the site URL and the IDs or keys you gave (cfadmin auth status shows the profile).',
    )
  })

  it('maps a Confluence v2 {errors: [...]} 403 on the gateway to exit 4 with a hint about OAuth scopes', async () => {
    const error = await errorFor('gateway', 'get', 'wiki/api/v2/spaces/1/permissions', 403, {
      errors: [{status: 403, code: 'FORBIDDEN', title: 'Forbidden', detail: 'Missing scope read:space:confluence'}],
    })
    expect(error).to.include({
      status: 403,
      exit: ExitCode.notAuthenticated,
      url: '/ex/confluence/c1/wiki/api/v2/spaces/1/permissions',
    })
    expect(error.atlassianMessage).to.equal('Forbidden: Missing scope read:space:confluence')
    expect(error.message).to.match(/^Confluence \(via api\.atlassian\.com\) answered 403 to GET /)
    expect(error.hint).to.match(/scope/)
  })

  it('maps an Admin API {code, message} 401 to exit 4 with a hint naming the Admin API key', async () => {
    const error = await errorFor('admin', 'get', 'v1/orgs', 401, {code: 401, message: 'Unauthorized'})
    expect(error).to.include({status: 401, exit: ExitCode.notAuthenticated, atlassianMessage: 'Unauthorized'})
    expect(error.message).to.equal('The Atlassian Admin API answered 401 to GET /admin/v1/orgs: Unauthorized')
    expect(error.hint).to.equal('Check the organization Admin API key: cfadmin auth status')
  })

  it('maps an Admin API {errors: [{title, detail}]} 404 to exit 2 naming the organization and directory IDs', async () => {
    const error = await errorFor('admin', 'post', 'v2/orgs/o1/directories/-/groups/g1/memberships', 404, {
      errors: [{id: 'e1', status: '404', code: 'ADMIN-404-10', title: 'Not Found', detail: 'Group not found'}],
    })
    expect(error).to.include({
      status: 404,
      method: 'POST',
      exit: ExitCode.badInput,
      atlassianMessage: 'Not Found: Group not found',
    })
    expect(error.hint).to.match(/organization ID, directory ID/)
  })

  it('names the email and API token in a site 401 hint', async () => {
    const error = await errorFor('site', 'get', 'wiki/rest/api/user/current', 401, '')
    expect(error.atlassianMessage).to.equal(undefined)
    expect(error.message).to.equal('Confluence answered 401 to GET /wiki/rest/api/user/current: Unauthorized')
    expect(error.hint).to.equal('Check the account email and API token and the site URL: cfadmin auth status')
  })

  it('names the site or Confluence admin right in a site 403 hint', async () => {
    const error = await errorFor('site', 'post', 'wiki/rest/api/group', 403, {
      statusCode: 403,
      message: "com.atlassian.confluence.api.service.exceptions.PermissionException: User isn't authorized",
    })
    expect(error).to.include({exit: ExitCode.notAuthenticated, atlassianMessage: "User isn't authorized"})
    expect(error.hint).to.match(/site admin or Confluence admin/)
  })

  it('names the OAuth client ID and secret for an OAuth {error, error_description} 401', async () => {
    const error = await errorFor('auth', 'post', 'oauth/token', 401, {
      error: 'invalid_grant',
      error_description: 'Unknown or invalid refresh token.',
    })
    expect(error.atlassianMessage).to.equal('Unknown or invalid refresh token.')
    expect(error.hint).to.match(/client ID and secret/)
  })

  it('keeps a short plain-text excerpt of an HTML error page', async () => {
    const page = `<html><head><title>502 Bad Gateway</title><style>p{}</style></head><body><h1>Bad Gateway</h1><p>${'x'.repeat(500)}</p></body></html>`
    const error = await errorFor('site', 'get', 'x', 502, page, {'content-type': 'text/html'})
    expect(error).to.include({status: 502, exit: ExitCode.unreachable})
    expect(error.atlassianMessage).to.match(/^502 Bad Gateway: Bad Gateway x+…$/)
    expect(error.atlassianMessage).to.have.length(200)
    expect(error.hint).to.match(/try again later/)
  })

  it('gives exit 2 for 400, 409 and 422, exit 5 when Atlassian is busy or down, and exit 1 for other statuses', async () => {
    for (const [status, exit] of [
      [400, ExitCode.badInput],
      [409, ExitCode.badInput],
      [422, ExitCode.badInput],
      [429, ExitCode.unreachable],
      [500, ExitCode.unreachable],
      [502, ExitCode.unreachable],
      [503, ExitCode.unreachable],
      [504, ExitCode.unreachable],
      [405, ExitCode.unexpected],
      [501, ExitCode.unexpected],
    ] as const) {
      const error = await errorFor('site', 'post', 'x', status, {message: 'no'})
      expect(error.exit, String(status)).to.equal(exit)
      expect(error.code).to.equal(`HTTP_${status}`)
    }
  })

  it('reports a 2xx body that .json() cannot parse (a login page: a wrong URL) as UNEXPECTED_RESPONSE, exit 2, without the query string', async () => {
    const scope = madeUp().get('/wiki/rest/api/user/current').query(true).reply(200, '<html>Log in to continue</html>')
    const client = await createHttpClient({family: 'site', baseUrl: SITE, retry: {limit: 0}})
    const error = await rejectionOf(
      client.get('wiki/rest/api/user/current', {searchParams: {token: 'FAKE-QUERY-TOKEN'}}).json(),
    )
    expect(error).to.include({code: 'UNEXPECTED_RESPONSE', exit: ExitCode.badInput})
    expect(error.message).to.equal('Confluence sent a body that is not valid JSON to GET /wiki/rest/api/user/current')
    expect(JSON.stringify(error) + error.message).not.to.include('FAKE-QUERY-TOKEN')
    // The other body readers still work on the same kind of answer.
    madeUp().get('/page').reply(200, '<html>ok</html>')
    expect(await client.get('page').text()).to.equal('<html>ok</html>')
    scope.done()
  })

  it('tells Atlassian errors apart by status with isAtlassianError', async () => {
    const error = await errorFor('site', 'get', 'x', 404, {message: 'no'})
    expect(isAtlassianError(error)).to.equal(true)
    expect(isAtlassianError(error, 404)).to.equal(true)
    expect(isAtlassianError(error, 403)).to.equal(false)
    expect(isAtlassianError(new Error('x'))).to.equal(false)
    expect(isAtlassianError(undefined, 404)).to.equal(false)
  })

  describe('what Atlassian says reaches the terminal escaped and bounded', () => {
    it('escapes control characters in an error message (a hostile title cannot retitle or clear the terminal)', async () => {
      const error = await errorFor('site', 'get', 'x', 400, {
        message: 'bad \u001b]0;owned\u0007 group \u001b[2J\u009b name \u202e',
      })
      // eslint-disable-next-line no-control-regex
      expect(error.message).not.to.match(/[\u0000-\u001F\u007F-\u009F\u202A-\u202E]/)
      expect(error.atlassianMessage).to.include('\\u001b]0;owned')
    })

    it('escapes control characters in an HTML or plain-text error page', async () => {
      const error = await errorFor('site', 'get', 'x', 400, 'plain \u001b[31mred\u001b[0m text', {
        'content-type': 'text/plain',
      })
      // eslint-disable-next-line no-control-regex
      expect(error.message).not.to.match(/[\u0000-\u001F]/)
    })

    it('bounds a megabyte of message (100,000 fields) to a short excerpt', async () => {
      const fields = Array.from({length: 100_000}, (_, i) => `column${i}`).join(',')
      const error = await errorFor('site', 'post', 'x', 400, {errors: [{detail: fields, title: 'Unknown columns'}]})
      expect(error.message.length).to.be.lessThan(400)
      expect(error.atlassianMessage).to.match(/…$/)
    })
  })
})
