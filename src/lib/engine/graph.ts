/** The operations of a run as a graph: one per key, dependencies as indexes, refused when malformed. */
import {checkBatchDependencies} from './batcher.js'
import type {Operation} from './operation.js'

export interface OperationGraph {
  /** The first operation of each key, in the order given. */
  ops: Operation[]
  /** For each of them, the indexes of the operations it depends on. */
  needs: number[][]
}

/**
 * Keeps the first operation of each key and turns dependencies into indexes. Throws for a malformed list: a
 * dependency that is not in it, a cycle, or a batched operation depending on an operation of a batch.
 */
export function operationGraph(operations: readonly Operation[]): OperationGraph {
  const ops: Operation[] = []
  const index = new Map<string, number>()
  for (const op of operations) {
    if (index.has(op.key)) continue
    index.set(op.key, ops.length)
    ops.push(op)
  }

  const needs = dependencyIndexes(ops, index)
  checkBatchDependencies(ops, needs)
  return {needs, ops}
}

/** Dependencies as indexes; throws when one is missing from the run or they form a cycle. */
function dependencyIndexes(ops: readonly Operation[], index: ReadonlyMap<string, number>): number[][] {
  const deps = ops.map((op) => {
    const seen = new Set<number>()
    for (const key of op.dependsOn ?? []) {
      const i = index.get(key)
      if (i === undefined)
        throw new Error(`Operation "${op.key}" depends on "${key}", which is not among the operations of this run.`)
      seen.add(i)
    }

    return [...seen]
  })
  // Kahn's algorithm: whatever cannot be ordered sits on a cycle (or waits behind one).
  const waiting = deps.map((d) => d.length)
  const dependents: number[][] = ops.map(() => [])
  for (const [i, d] of deps.entries()) for (const j of d) dependents[j].push(i)
  const ready = waiting.flatMap((n, i) => (n === 0 ? [i] : []))
  let ordered = 0
  while (ready.length > 0) {
    const i = ready.pop()!
    ordered++
    for (const j of dependents[i]) if (--waiting[j] === 0) ready.push(j)
  }

  if (ordered < ops.length) {
    const stuck = ops.filter((_, i) => waiting[i] > 0).map((op) => `"${op.key}"`)
    const shown = stuck.slice(0, 5).join(', ') + (stuck.length > 5 ? ` and ${stuck.length - 5} more` : '')
    throw new Error(`Operations depend on each other in a cycle, so none of them can start: ${shown}.`)
  }

  return deps
}
