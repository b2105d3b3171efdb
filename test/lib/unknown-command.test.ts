import {expect} from 'chai'

import {type CommandIndex, explainUnknownCommand, wantsJson} from '../../src/lib/unknown-command.js'

// cfadmin's commands and topics, as commandIndex() gives them from the loaded config.
const index: CommandIndex = {
  commands: [
    'auth login',
    'auth logout',
    'auth scopes',
    'auth status',
    'auth token',
    'autocomplete',
    'groups add-members',
    'groups list',
    'help',
    'setup',
    'sites info',
    'spaces grant-view',
    'spaces permissions',
    'users export-map',
    'users find',
    'users grant-access',
    'users invite',
  ],
  topics: ['auth', 'groups', 'sites', 'spaces', 'users'],
  aliases: {
    'site info': 'sites info',
    'space grant-view': 'spaces grant-view',
    'space permissions': 'spaces permissions',
  },
}

const explain = (typed: string) => explainUnknownCommand(typed.split(' '), index)

describe('explainUnknownCommand', () => {
  it('suggests `users invite` for `user invite`', () => {
    expect(explain('user invite')).to.deep.equal({
      hint: 'Did you mean "cfadmin users invite"?',
      message: '"user invite" is not a cfadmin command.',
      suggestion: 'users invite',
      typed: 'user invite',
    })
  })

  it('suggests `spaces grant-view` for `spaces grant`, and for `space grant` (the former topic name)', () => {
    expect(explain('spaces grant').suggestion).to.equal('spaces grant-view')
    expect(explain('space grant')).to.include({
      hint: 'Did you mean "cfadmin spaces grant-view"?',
      suggestion: 'spaces grant-view',
    })
  })

  it('lists the commands of the current topic for a mistyped verb under a former topic name', () => {
    expect(explain('site frob')).to.include({
      hint: 'The sites commands: info (see "cfadmin help sites").',
      suggestion: 'sites',
    })
  })

  it('suggests `users find` for `usres find` (a transposition is one edit)', () => {
    expect(explain('usres find').suggestion).to.equal('users find')
  })

  it('suggests the top-level `setup` for `setpu`', () => {
    expect(explain('setpu')).to.include({
      hint: 'Did you mean "cfadmin setup"?',
      message: '"setpu" is not a cfadmin command.',
    })
  })

  it('names only the command words, not the arguments oclif glued to them (`user invite ada@example.com`)', () => {
    expect(explain('user invite ada@example.com')).to.include({suggestion: 'users invite', typed: 'user invite'})
  })

  it('suggests the topic `users` for `user` alone and lists its commands', () => {
    expect(explain('user')).to.deep.equal({
      hint: 'Did you mean "cfadmin users"? Its commands: export-map, find, grant-access, invite.',
      message: '"user" is not a cfadmin command.',
      suggestion: 'users',
      typed: 'user',
    })
  })

  it('suggests the topic for a mistyped topic followed by a word that is no command of it (`stie foo`)', () => {
    expect(explain('stie foo')).to.include({message: '"stie foo" is not a cfadmin command.', suggestion: 'sites'})
  })

  it("lists a right topic's commands when the word after it is nothing like them (`groups zzz`)", () => {
    expect(explain('groups zzz')).to.deep.equal({
      hint: 'The groups commands: add-members, list (see "cfadmin help groups").',
      message: '"groups zzz" is not a cfadmin command.',
      suggestion: 'groups',
      typed: 'groups zzz',
    })
  })

  it('lists the topics and top-level commands for a word close to nothing, pointing at `cfadmin help`', () => {
    expect(explain('frobnicate')).to.deep.equal({
      hint: 'Topics: auth, groups, sites, spaces, users; commands: autocomplete, help, setup (see "cfadmin help").',
      message: '"frobnicate" is not a cfadmin command.',
      typed: 'frobnicate',
    })
  })

  it('prefers a whole command to a topic (`usres find` is `users find`, not the topic `users`)', () => {
    expect(explain('usres find').hint).to.equal('Did you mean "cfadmin users find"?')
  })

  it('uses the bin name it is given', () => {
    expect(explainUnknownCommand(['user', 'invite'], index, 'cfa').hint).to.equal('Did you mean "cfa users invite"?')
  })
})

describe('wantsJson', () => {
  it('finds --json among the flags, but not after --', () => {
    expect(wantsJson(['--role', 'user', '--json'])).to.equal(true)
    expect(wantsJson(['--role', 'user'])).to.equal(false)
    expect(wantsJson(['--', '--json'])).to.equal(false)
  })

  it('answers in JSON when CFADMIN_CONTENT_TYPE is json, as oclif does for commands', () => {
    expect(wantsJson([], 'JSON')).to.equal(true)
    expect(wantsJson([], 'text')).to.equal(false)
  })
})
