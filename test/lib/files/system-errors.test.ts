import {expect} from 'chai'

import {CfadminError, ExitCode} from '../../../src/lib/errors.js'
import {fileSystemError, isBrokenPipe} from '../../../src/lib/files/system-errors.js'

const raw = (code: string, syscall: string, path?: string, dest?: string) =>
  Object.assign(new Error(`${code}: ${syscall} '${path}'`), {code, dest, errno: -1, path, syscall})

describe('file-system errors that escape a command', () => {
  for (const [code, syscall, words] of [
    ['ENOSPC', 'write', 'no space left'],
    ['EISDIR', 'open', 'is a folder, not a file'],
    ['ENOTDIR', 'open', 'is not a folder'],
    ['EACCES', 'open', 'permission denied'],
    ['EPERM', 'chmod', 'not permitted'],
    ['EROFS', 'open', 'read-only file system'],
    ['ENOENT', 'open', 'does not exist'],
    ['EMFILE', 'open', 'too many files are open'],
    ['EDQUOT', 'write', 'quota'],
    ['ENAMETOOLONG', 'open', 'too long'],
  ] as const) {
    it(`${code} is exit 2 naming the path and a fix, not a bug`, () => {
      const error = fileSystemError(raw(code, syscall, '/data/out/map.csv'))
      expect(error)
        .to.be.instanceOf(CfadminError)
        .and.include({code: `FS_${code}`, exit: ExitCode.badInput})
      expect(error!.message).to.include('/data/out/map.csv').and.include(words)
      expect(error!.hint).to.be.a('string').and.not.equal('')
    })
  }

  it("names a rename's destination (the user's path), not cfadmin's temp file", () => {
    const error = fileSystemError(raw('EISDIR', 'rename', '/data/.out.123.tmp', '/data/out'))
    expect(error!.message).to.include('/data/out is a folder').and.not.include('.tmp')
  })

  it('names what it was given when Node gives no path (standard output)', () => {
    expect(fileSystemError(raw('ENOSPC', 'write'), 'standard output')!.message).to.include('writing standard output')
  })

  it('escapes control characters in the path', () => {
    // eslint-disable-next-line no-control-regex
    expect(fileSystemError(raw('EACCES', 'open', '/tmp/\u001b]0;owned\u0007'))!.message).not.to.match(/[\u0000-\u001F]/)
  })

  it('leaves bugs and cfadmin errors alone', () => {
    expect(fileSystemError(new TypeError('x is not a function'))).to.equal(undefined)
    expect(fileSystemError(Object.assign(new Error('odd'), {code: 'ERR_ASSERTION'}))).to.equal(undefined)
    expect(fileSystemError(raw('EWHATEVER', 'open', '/x'))).to.equal(undefined)
    expect(fileSystemError(new CfadminError('x', {code: 'X', exit: 3}))).to.equal(undefined)
  })

  it('knows a broken pipe', () => {
    expect(isBrokenPipe(raw('EPIPE', 'write'))).to.equal(true)
    expect(isBrokenPipe(raw('ENOSPC', 'write'))).to.equal(false)
    expect(isBrokenPipe(undefined)).to.equal(false)
  })
})
