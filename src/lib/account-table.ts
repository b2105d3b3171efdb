/** FNV-1a over a string's UTF-16 code units: cheap, and good enough to spread account IDs and emails. */
export function stringHash(text: string): number {
  let hash = 0x811c9dc5
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193)
  return hash
}

const SLAB_BYTES = 1 << 20
const EMPTY = 0

/**
 * A map from account ID to a small integer, for the million-user exports export-map reads. The IDs
 * live as bytes in 1 MB slabs and the table in typed arrays, outside the JavaScript heap: a Map of
 * strings costs about twice the memory and keeps a million strings for the garbage collector to copy
 * and mark again and again. Keys are compared in full, so lookups are exact.
 */
export class AccountTable {
  size = 0
  private capacity = 1 << 12
  private hashes = new Int32Array(this.capacity)
  private offsets = new Int32Array(this.capacity)
  private lengths = new Int32Array(this.capacity)
  private values = new Int32Array(this.capacity)
  private readonly slabs: Buffer[] = [Buffer.allocUnsafe(SLAB_BYTES)]
  private slabUsed = 0
  // Where the last get() that missed stopped, so the set() that follows does not probe again.
  private missedKey?: string
  private missedHash = 0
  private missedSlot = 0

  get(key: string): number | undefined {
    const hash = stringHash(key) | 1 // never EMPTY
    const mask = this.capacity - 1
    let slot = hash & mask
    for (let seen = this.hashes[slot]; seen !== EMPTY; seen = this.hashes[slot]) {
      if (seen === hash && this.keyAt(slot) === key) return this.values[slot]
      slot = (slot + 1) & mask
    }

    this.missedKey = key
    this.missedHash = hash
    this.missedSlot = slot
    return undefined
  }

  /** Adds a key that get() has just reported missing, or any key not in the table. */
  set(key: string, value: number): void {
    if (key !== this.missedKey && this.get(key) !== undefined)
      throw new Error(`AccountTable.set: ${key} is already in the table`)
    if ((this.size + 1) * 2 > this.capacity) {
      this.grow()
      this.get(key)
    }

    const slot = this.missedSlot
    this.hashes[slot] = this.missedHash
    this.values[slot] = value
    this.lengths[slot] = this.store(key, slot)
    this.size++
    this.missedKey = undefined
  }

  private keyAt(slot: number): string {
    const offset = this.offsets[slot]
    const slab = this.slabs[Math.floor(offset / SLAB_BYTES)]
    const start = offset % SLAB_BYTES
    return slab.toString('utf8', start, start + this.lengths[slot])
  }

  /** Copies the key's UTF-8 bytes into the current slab (a new one when full); returns their length. */
  private store(key: string, slot: number): number {
    const length = Buffer.byteLength(key)
    if (length > SLAB_BYTES) throw new Error(`An account ID of ${length} bytes is longer than any Atlassian issues.`)
    if (this.slabUsed + length > SLAB_BYTES) {
      this.slabs.push(Buffer.allocUnsafe(SLAB_BYTES))
      this.slabUsed = 0
    }

    this.slabs.at(-1)!.write(key, this.slabUsed, 'utf8')
    this.offsets[slot] = (this.slabs.length - 1) * SLAB_BYTES + this.slabUsed
    this.slabUsed += length
    return length
  }

  private grow(): void {
    const {hashes, lengths, offsets, values} = this
    this.capacity *= 2
    this.hashes = new Int32Array(this.capacity)
    this.offsets = new Int32Array(this.capacity)
    this.lengths = new Int32Array(this.capacity)
    this.values = new Int32Array(this.capacity)
    const mask = this.capacity - 1
    for (let old = 0; old < hashes.length; old++) {
      const hash = hashes[old]
      if (hash === EMPTY) continue
      let slot = hash & mask
      while (this.hashes[slot] !== EMPTY) slot = (slot + 1) & mask
      this.hashes[slot] = hash
      this.offsets[slot] = offsets[old]
      this.lengths[slot] = lengths[old]
      this.values[slot] = values[old]
    }
  }
}
