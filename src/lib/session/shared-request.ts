/**
 * One request at a time, shared: callers that ask while it runs get the same promise instead of starting another
 * (a token renewal that twenty requests need at once is sent once). Once it settles, the next call starts afresh.
 */
export class SharedRequest<T> {
  private pending: Promise<T> | undefined

  run(start: () => Promise<T>): Promise<T> {
    this.pending ??= start().finally(() => {
      this.pending = undefined
    })
    return this.pending
  }
}
