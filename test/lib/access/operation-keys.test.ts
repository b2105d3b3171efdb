import {expect} from 'chai'

import {OPERATION_KINDS, operationId} from '../../../src/lib/access/operation-keys.js'

describe('operation keys', () => {
  // Journals on users' disks hold these strings: a changed key would resend what an interrupted run already sent.
  const cases: Array<[string, ReturnType<(typeof operationId)[keyof typeof operationId]>, string, string]> = [
    ['an invitation', operationId.invite('new@acme.example'), 'invite', 'invite:new@acme.example'],
    ['a role by account ID', operationId.access('user', '712020:acc-1'), 'access', 'access:user:712020:acc-1'],
    ['a role by email', operationId.access('admin', 'a@acme.example'), 'access', 'access:admin:a@acme.example'],
    ['a group creation', operationId.group('site-crawlers'), 'group', 'group:site-crawlers'],
    [
      'a membership',
      operationId.member('site-crawlers', '712020:acc-1'),
      'member',
      'member:site-crawlers:712020:acc-1',
    ],
    [
      'View for a user by account ID',
      operationId.view('ENG', {id: '712020:acc-1', kind: 'user', label: 'a@acme.example'}),
      'view',
      'view:ENG:user:712020:acc-1',
    ],
    [
      'View for a user with no account ID yet',
      operationId.view('ENG', {kind: 'user', label: 'a@acme.example'}),
      'view',
      'view:ENG:user:a@acme.example',
    ],
    [
      'View for a group by ID',
      operationId.view('ENG', {id: 'group-id-1', kind: 'group', name: 'crawlers'}),
      'view',
      'view:ENG:group:group-id-1',
    ],
    [
      'View for a group with no ID yet',
      operationId.view('ENG', {kind: 'group', name: 'crawlers'}),
      'view',
      'view:ENG:group:group crawlers',
    ],
    [
      'View on a space the site does not have, for a user',
      operationId.view('NOPE', {id: '712020:acc-1', kind: 'user', label: 'a@acme.example'}, {unknownSpace: true}),
      'view',
      'view:NOPE:a@acme.example',
    ],
    [
      'View on a space the site does not have, for a group',
      operationId.view('NOPE', {kind: 'group', name: 'crawlers'}, {unknownSpace: true}),
      'view',
      'view:NOPE:group crawlers',
    ],
    ['the email map', operationId.map('maps/map.json'), 'map', 'map:maps/map.json'],
  ]

  for (const [what, id, kind, key] of cases) {
    it(`${what}: kind ${kind}, key ${key}`, () => {
      expect(id).to.deep.equal({kind, key})
    })
  }

  it('has a builder for every kind, and every kind has a case above', () => {
    expect(Object.keys(operationId).sort()).to.deep.equal([...OPERATION_KINDS].sort())
    expect([...new Set(cases.map(([, , kind]) => kind))].sort()).to.deep.equal([...OPERATION_KINDS].sort())
  })
})
