import {expect} from 'chai'

import {COLUMN_ALIASES, findExportColumns, headerKey, isActiveStatus} from '../../../src/lib/csv/export-columns.js'
import {CfadminError} from '../../../src/lib/errors.js'

function columnsError(header: string[]): CfadminError {
  try {
    findExportColumns(header)
  } catch (error) {
    expect(error).to.be.instanceOf(CfadminError)
    return error as CfadminError
  }

  expect.fail(`expected the header ${JSON.stringify(header)} to be refused`)
}

describe('export columns', () => {
  it('compares header names without case, spaces, underscores or hyphens', () => {
    for (const name of ['User id', 'User ID', 'user_id', ' USER-ID ', 'userid', 'User  Id'])
      expect(headerKey(name)).to.equal('userid')
    expect(headerKey('Email address')).to.equal(headerKey('EMAIL_ADDRESS'))
  })

  it('finds the columns of the current admin.atlassian.com export (User id, email, User status)', () => {
    const header = [
      'User id',
      'User name',
      'email',
      'User status',
      'Added to org',
      'Org role',
      'Last seen in Confluence - acme',
    ]
    expect(findExportColumns(header)).to.deep.equal({accountId: 0, email: 2, status: 3})
  })

  for (const alias of COLUMN_ALIASES.accountId) {
    it(`accepts "${alias}" as the account ID column, in any case and spacing`, () => {
      for (const spelling of [alias, alias.toUpperCase(), alias.toLowerCase(), ` ${alias} `]) {
        expect(findExportColumns(['Name', spelling, 'email']).accountId, spelling).to.equal(1)
      }
    })
  }

  for (const alias of COLUMN_ALIASES.email) {
    it(`accepts "${alias}" as the email column, in any case and spacing`, () => {
      for (const spelling of [alias, alias.toUpperCase(), alias.replaceAll(' ', '_'), ` ${alias} `]) {
        expect(findExportColumns(['User id', 'Name', spelling]).email, spelling).to.equal(2)
      }
    })
  }

  for (const alias of COLUMN_ALIASES.status) {
    it(`accepts "${alias}" as the status column`, () => {
      expect(findExportColumns(['Account ID', 'Email address', alias.toUpperCase()]).status).to.equal(2)
    })
  }

  it('reads the "Export managed accounts" header (Atlassian ID, Email, Status)', () => {
    expect(
      findExportColumns(['Name', 'Atlassian ID', 'Email', 'Status', 'Last active date [UTC]', 'Confluence']),
    ).to.deep.equal({accountId: 1, email: 2, status: 3})
  })

  it('reads the pre-2021 header (id, email, active)', () => {
    expect(findExportColumns(['id', 'name', 'email', 'active', 'created'])).to.deep.equal({
      accountId: 0,
      email: 2,
      status: 3,
    })
  })

  it('treats every user as active when the export has no status column', () => {
    const columns = findExportColumns(['email', 'User id'])
    expect(columns).to.deep.equal({accountId: 1, email: 0, status: undefined})
  })

  it('prefers "User id" over a plain "id" column when both are present', () => {
    expect(findExportColumns(['id', 'email', 'User id']).accountId).to.equal(2)
  })

  it('does not take a "Group id" column for the account ID', () => {
    const error = columnsError(['Group id', 'Group name', 'email'])
    expect(error.code).to.equal('EXPORT_COLUMNS_MISSING')
    expect(error.message).to.contain('no account ID column')
  })

  it('refuses a header without an account ID or email column, listing the headers found and the names accepted', () => {
    const error = columnsError([' Name ', 'Department'])
    expect(error.code).to.equal('EXPORT_COLUMNS_MISSING')
    expect(error.exit).to.equal(2)
    expect(error.message).to.contain('no account ID or email column')
    expect(error.message).to.contain('Headers found: "Name", "Department"')
    for (const name of [...COLUMN_ALIASES.accountId, ...COLUMN_ALIASES.email])
      expect(error.message).to.contain(`"${name}"`)
    expect(error.hint).to.contain('Export users')
  })

  it('names only the missing column when the other one is present', () => {
    const error = columnsError(['User id', 'User name'])
    expect(error.message).to.contain('no email column')
    expect(error.message).to.contain('email: "email", "Email", "Email address"')
    expect(error.message).not.to.contain('account ID:')
  })

  it('counts Active, active, Yes, true and Enabled as active, whatever the case and spacing', () => {
    for (const value of ['Active', 'active', ' ACTIVE ', 'Yes', 'yes', 'true', 'Enabled'])
      expect(isActiveStatus(value), value).to.equal(true)
  })

  it('counts Suspended, Deactivated, Inactive, No and an empty status as not active', () => {
    for (const value of ['Suspended', 'Deactivated', 'Inactive', 'deactivated', 'No', 'false', ''])
      expect(isActiveStatus(value), value).to.equal(false)
  })
})
