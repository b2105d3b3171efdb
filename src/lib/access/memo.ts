/** Remembers each lookup for a run (a failed one is asked again), and can forget or be told an answer. */
export interface Memo<T> {
  get(key: string): Promise<T>
  forget(key: string): void
  remember(key: string, value: T): void
}

export function memo<T>(load: (key: string) => Promise<T>): Memo<T> {
  const cache = new Map<string, Promise<T>>()
  return {
    forget: (key) => cache.delete(key),
    remember: (key, value) => cache.set(key, Promise.resolve(value)),
    get(key) {
      let value = cache.get(key)
      if (!value) {
        value = load(key)
        value.catch(() => cache.delete(key))
        cache.set(key, value)
      }

      return value
    },
  }
}
