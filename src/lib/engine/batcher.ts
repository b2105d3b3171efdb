/**
 * Batched applies for the runner: operations of one batch (Operation.batch) wait for each other and go out
 * together, `size` at a time, once every operation of the batch in the run has either asked to be applied or
 * ended without it. A batch is sent holding one slot of the throttle, like one apply.
 */
import type {ApplyValue, Operation, OperationBatch} from './operation.js'

interface Waiting {
  op: Operation
  resolve(value: ApplyValue): void
  reject(error: unknown): void
}

export interface BatchSender {
  /** Sends a batch (already holding a slot); per-operation results or errors. */
  send(batch: OperationBatch, operations: Operation[]): Promise<Array<ApplyValue | Error>>
}

export class Batcher {
  private readonly groups = new Map<string, {batch: OperationBatch; expected: number; waiting: Waiting[]}>()

  constructor(
    operations: readonly Operation[],
    private readonly sender: BatchSender,
  ) {
    for (const op of operations) {
      if (!op.batch) continue
      const group = this.groups.get(op.batch.key)
      if (group) group.expected++
      else this.groups.set(op.batch.key, {batch: op.batch, expected: 1, waiting: []})
    }
  }

  /** Queues the operation's apply; resolves with what its batch's apply said for it. */
  apply(op: Operation): Promise<ApplyValue> {
    const group = this.groups.get(op.batch!.key)!
    return new Promise((resolve, reject) => {
      group.waiting.push({op, reject, resolve})
      group.expected--
      this.flush(op.batch!.key)
    })
  }

  /** The operation of a batch ended without being applied (already, failed, blocked, planned). */
  skip(op: Operation): void {
    if (!op.batch) return
    this.groups.get(op.batch.key)!.expected--
    this.flush(op.batch.key)
  }

  private flush(key: string): void {
    const group = this.groups.get(key)!
    while (group.waiting.length >= group.batch.size || (group.expected === 0 && group.waiting.length > 0)) {
      const chunk = group.waiting.splice(0, group.batch.size)
      this.sender
        .send(
          group.batch,
          chunk.map((w) => w.op),
        )
        .then(
          (results) => {
            for (const [i, waiting] of chunk.entries()) {
              const result = results[i]
              if (result instanceof Error) waiting.reject(result)
              else if (i >= results.length) waiting.reject(new Error('the batch gave no result for this item'))
              else waiting.resolve(result)
            }
          },
          (error) => {
            for (const waiting of chunk) waiting.reject(error)
          },
        )
    }
  }
}

/** Throws when an operation of a batch depends, directly or through others, on an operation of a batch. */
export function checkBatchDependencies(ops: readonly Operation[], deps: readonly number[][]): void {
  const reaches = new Map<number, boolean>()
  const reachesBatch = (i: number): boolean => {
    const known = reaches.get(i)
    if (known !== undefined) return known
    reaches.set(i, false)
    const value = deps[i].some((d) => ops[d].batch !== undefined || reachesBatch(d))
    reaches.set(i, value)
    return value
  }

  for (const [i, op] of ops.entries()) {
    if (op.batch && reachesBatch(i))
      throw new Error(
        `Operation "${op.key}" of batch "${op.batch.key}" depends on an operation of a batch, so batches could wait for each other forever.`,
      )
  }
}
