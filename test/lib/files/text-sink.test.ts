import {spawnSync} from 'node:child_process'
import {chmodSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {Writable} from 'node:stream'
import {pathToFileURL} from 'node:url'

import {expect} from 'chai'

import {CfadminError} from '../../../src/lib/errors.js'
import {createAtomicFile, stdoutSink} from '../../../src/lib/files/text-sink.js'
import {projectRoot} from '../../support/paths.js'
import {useTempDir} from '../../support/temp-dir.js'

const isTemp = (name: string) => /^\..+\.tmp$/.test(name)

describe('text sinks', () => {
  describe('createAtomicFile', () => {
    let dir: string

    const temp = useTempDir('cfadmin-')
    beforeEach(() => {
      dir = temp.path
    })

    it('shows nothing at the target until commit, then the whole text', async () => {
      const target = join(dir, 'map.csv')
      const sink = await createAtomicFile(target)
      await sink.write('accountId,email\n')
      await sink.write('u1,a@x.example\n')
      expect(existsSync(target)).to.equal(false)
      expect(readdirSync(dir).filter(isTemp)).to.have.length(1)
      await sink.commit()
      expect(readFileSync(target, 'utf8')).to.equal('accountId,email\nu1,a@x.example\n')
      expect(readdirSync(dir)).to.deep.equal(['map.csv'])
    })

    it('writes the temp file beside the target as .<name>.*.tmp', async () => {
      const sink = await createAtomicFile(join(dir, 'map.json'))
      const [temp] = readdirSync(dir)
      expect(temp).to.match(/^\.map\.json\..+\.tmp$/)
      await sink.abort()
    })

    it('creates the file with mode 0600, also when it replaces a 0644 file', async () => {
      const target = join(dir, 'map.csv')
      writeFileSync(target, 'old\n')
      chmodSync(target, 0o644)
      const sink = await createAtomicFile(target)
      await sink.write('new\n')
      await sink.commit()
      expect(readFileSync(target, 'utf8')).to.equal('new\n')
      expect(statSync(target).mode & 0o777).to.equal(0o600)
    })

    it('uses another mode when asked', async () => {
      const target = join(dir, 'public.txt')
      const sink = await createAtomicFile(target, 0o640)
      await sink.commit()
      expect(statSync(target).mode & 0o777).to.equal(0o640)
    })

    it('leaves an existing target byte for byte as it was, and no temp file, on abort', async () => {
      const target = join(dir, 'map.csv')
      const before = Buffer.from([0xef, 0xbb, 0xbf, 0x61, 0x0d, 0x0a, 0x00, 0xff])
      writeFileSync(target, before)
      const sink = await createAtomicFile(target)
      await sink.write('half a map')
      await sink.abort()
      expect(readFileSync(target).equals(before)).to.equal(true)
      expect(readdirSync(dir)).to.deep.equal(['map.csv'])
    })

    it('keeps several megabytes written in pieces intact and in order', async () => {
      const target = join(dir, 'big.csv')
      const sink = await createAtomicFile(target)
      const piece = (i: number) => `${String(i).padStart(8, '0')},${'x'.repeat(90)}\n`
      for (let i = 0; i < 50_000; i++) await sink.write(piece(i))
      await sink.commit()
      const text = readFileSync(target, 'utf8')
      expect(text.length).to.equal(50_000 * 100)
      expect(text.slice(0, 100)).to.equal(piece(0))
      expect(text.slice(-100)).to.equal(piece(49_999))
    })

    it('refuses a target in a missing folder with OUTPUT_DIR_MISSING (exit 2) naming the folder', async () => {
      try {
        await createAtomicFile(join(dir, 'missing', 'map.csv'))
        expect.fail('expected OUTPUT_DIR_MISSING')
      } catch (error) {
        expect(error).to.be.instanceOf(CfadminError)
        expect((error as CfadminError).code).to.equal('OUTPUT_DIR_MISSING')
        expect((error as CfadminError).exit).to.equal(2)
        expect((error as CfadminError).message).to.contain(join(dir, 'missing'))
        expect((error as CfadminError).hint).to.contain('Create the folder')
      }
    })

    it('refuses a folder it cannot write to with OUTPUT_UNWRITABLE', async function () {
      if (process.getuid?.() === 0) this.skip() // root writes anywhere
      chmodSync(dir, 0o500)
      try {
        await createAtomicFile(join(dir, 'map.csv'))
        expect.fail('expected OUTPUT_UNWRITABLE')
      } catch (error) {
        expect((error as CfadminError).code).to.equal('OUTPUT_UNWRITABLE')
      } finally {
        chmodSync(dir, 0o700)
      }
    })

    it('removes an uncommitted temp file when the process exits first', () => {
      const target = join(dir, 'map.csv')
      writeFileSync(target, 'previous\n')
      const script = join(dir, 'exit-early.mjs')
      const sinkModule = pathToFileURL(join(projectRoot, 'src/lib/files/text-sink.ts')).href
      writeFileSync(
        script,
        `import {readdirSync} from 'node:fs'
const {createAtomicFile} = await import(${JSON.stringify(sinkModule)})
const sink = await createAtomicFile(${JSON.stringify(target)})
await sink.write('half a map')
console.log(readdirSync(${JSON.stringify(dir)}).filter((n) => n.endsWith('.tmp')).length)
process.exit(130)
`,
      )
      const child = spawnSync(process.execPath, ['--import', 'tsx', script], {cwd: projectRoot, encoding: 'utf8'})
      expect(child.stderr).to.equal('')
      expect(child.status).to.equal(130)
      expect(child.stdout.trim(), 'a temp file existed before the exit').to.equal('1')
      expect(readdirSync(dir).sort()).to.deep.equal(['exit-early.mjs', 'map.csv'])
      expect(readFileSync(target, 'utf8')).to.equal('previous\n')
    })
  })

  describe('stdoutSink', () => {
    /** A stream that holds `capacity` bytes and then only takes more when drained by hand. */
    function slowStream(capacity: number) {
      const received: string[] = []
      const pending: Array<() => void> = []
      const stream = new Writable({
        highWaterMark: capacity,
        write(chunk: Buffer, _encoding, callback) {
          received.push(chunk.toString())
          pending.push(callback)
        },
      })
      const drain = () => {
        for (const callback of pending.splice(0)) callback()
      }

      return {drain, received, stream}
    }

    it('writes straight through to the stream and has nothing to commit or abort', async () => {
      const {drain, received, stream} = slowStream(1024)
      const sink = stdoutSink(stream)
      expect(sink.write('accountId,email\n')).to.equal(undefined)
      drain()
      const committing = sink.commit()
      drain()
      await committing
      await sink.abort()
      expect(received.join('')).to.equal('accountId,email\n')
    })

    it('does not report an output as written when the reader went away before the end (a closed stdout)', async () => {
      const stream = new Writable({
        write(_chunk, _encoding, callback) {
          callback(Object.assign(new Error('write EPIPE'), {code: 'EPIPE', syscall: 'write'}))
        },
      })
      const sink = stdoutSink(stream)
      sink.write('accountId,email\n')
      const error = await sink.commit().then(
        () => undefined,
        (error_: unknown) => error_,
      )
      expect(error).to.include({code: 'EPIPE'})
    })

    it('does not report an output as written when its stream is already closed', async () => {
      const stream = new Writable({
        write(_chunk, _encoding, callback) {
          callback()
        },
      })
      const sink = stdoutSink(stream)
      stream.destroy()
      const error = await sink.commit().then(
        () => undefined,
        (error_: unknown) => error_,
      )
      expect(error).to.include({code: 'EBADF', path: 'standard output'})
    })

    it('fails the next write at once after a write failed (a full disk behind > file)', async () => {
      const stream = new Writable({
        write(_chunk, _encoding, callback) {
          callback(Object.assign(new Error('no space left on device, write'), {code: 'ENOSPC', syscall: 'write'}))
        },
      })
      const sink = stdoutSink(stream)
      sink.write('a\n')
      await new Promise((resolve) => setImmediate(resolve))
      expect(() => sink.write('b\n')).to.throw('no space left')
    })

    it('makes a writer wait while the stream is full and lets it go on drain', async () => {
      const {drain, stream} = slowStream(4)
      const sink = stdoutSink(stream)
      const waiting = sink.write('more than four bytes')
      expect(waiting).to.be.instanceOf(Promise)
      let released = false
      void (waiting as Promise<void>).then(() => {
        released = true
      })
      await new Promise((resolve) => setImmediate(resolve))
      expect(released).to.equal(false)
      drain()
      await waiting
      expect(released).to.equal(true)
    })

    it('fails a waiting writer when the stream fails', async () => {
      const {stream} = slowStream(4)
      const sink = stdoutSink(stream)
      const waiting = sink.write('more than four bytes') as Promise<void>
      stream.destroy(new Error('EPIPE'))
      try {
        await waiting
        expect.fail('expected the stream error')
      } catch (error) {
        expect((error as Error).message).to.equal('EPIPE')
      }
    })
  })
})
