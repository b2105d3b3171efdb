import {expect} from 'chai'

import type {Subject} from '../../../src/lib/access/space-permissions.js'
import {attribute} from '../../../src/lib/coverage/attribute.js'

const crawler: Subject = {id: 'acc-crawler', type: 'user'}
const crawlers: Subject = {id: 'g-crawlers', name: 'crawlers', type: 'group'}
const everyone: Subject = {id: 'g-users', name: 'confluence-users', type: 'group'}
const defaults = new Set(['g-users'])
const user = [crawler, crawlers, everyone]

describe('coverage: through what a principal can view a space', () => {
  it('names the role the principal holds itself', () => {
    const viewers = [{id: 'acc-crawler', through: 'role Viewer', type: 'user'}]
    expect(attribute(user, viewers, defaults)).to.deep.equal({through: 'role Viewer', via: 'role'})
  })

  it('names an individual permission the principal holds itself', () => {
    const viewers = [{id: 'acc-crawler', through: 'permission', type: 'user'}]
    expect(attribute(user, viewers, defaults)).to.deep.equal({through: 'permission', via: 'permission'})
  })

  it("prefers the principal's role to its permission in transition, where both may show", () => {
    const viewers = [
      {id: 'acc-crawler', through: 'permission', type: 'user'},
      {id: 'acc-crawler', through: 'role Collaborator', type: 'user'},
    ]
    expect(attribute(user, viewers, defaults)?.through).to.equal('role Collaborator')
  })

  it('names the group that gives it, with that group’s role or permission', () => {
    const viewers = [{id: 'g-crawlers', through: 'role Viewer', type: 'group'}]
    expect(attribute(user, viewers, defaults)).to.deep.equal({
      group: 'crawlers',
      through: 'group crawlers (role Viewer)',
      via: 'group',
    })
  })

  it('calls access through a group that gives Confluence access default access', () => {
    const viewers = [{id: 'g-users', through: 'permission', type: 'group'}]
    expect(attribute(user, viewers, defaults)).to.deep.equal({
      group: 'confluence-users',
      through: 'default access: group confluence-users (permission)',
      via: 'default access',
    })
  })

  it('prefers a group of its own to default access, and its own role to both', () => {
    const groups = [
      {id: 'g-users', through: 'role Viewer', type: 'group'},
      {id: 'g-crawlers', through: 'permission', type: 'group'},
    ]
    expect(attribute(user, groups, defaults)?.via).to.equal('group')
    expect(attribute(user, [...groups, {id: 'acc-crawler', through: 'role Viewer', type: 'user'}], defaults)?.via).to.equal(
      'role',
    )
  })

  it('says nothing when neither the principal nor its groups hold View (another user with the same ID as a group does not count)', () => {
    const viewers = [
      {id: 'acc-other', through: 'role Admin', type: 'user'},
      {id: 'g-crawlers', through: 'role Viewer', type: 'user'},
    ]
    expect(attribute(user, viewers, defaults)).to.equal(undefined)
  })

  it('for a group principal, its own role is a role, even when it is a default group', () => {
    const viewers = [{id: 'g-users', through: 'role Viewer', type: 'group'}]
    expect(attribute([everyone], viewers, defaults)).to.deep.equal({through: 'role Viewer', via: 'role'})
  })

  it('calls a role the space gives all licensed users default access for a user, and nothing for a group', () => {
    const viewers = [
      {id: 'all-product-admins', through: 'role Admin', type: 'access-class'},
      {id: 'all-licensed-users', through: 'role Viewer', type: 'access-class'},
    ]
    expect(attribute(user, viewers, defaults)).to.deep.equal({
      through: 'default access: all licensed users (role Viewer)',
      via: 'default access',
    })
    expect(attribute([crawlers], viewers, defaults), 'an access class holds users, not groups').to.equal(undefined)
    expect(attribute(user, [viewers[0]], defaults), 'product admins only').to.equal(undefined)
  })

  it('prefers a default group of its own to an access class', () => {
    const viewers = [
      {id: 'anonymous-users', through: 'role Viewer', type: 'access-class'},
      {id: 'g-users', through: 'role Viewer', type: 'group'},
    ]
    expect(attribute(user, viewers, defaults)?.through).to.equal('default access: group confluence-users (role Viewer)')
  })
})
