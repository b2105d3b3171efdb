/** The error a promise that must reject rejects with; fails the test when it resolves instead. */
export async function rejectionOf<E extends Error = Error>(promise: Promise<unknown>): Promise<E> {
  try {
    await promise
  } catch (error) {
    if (error instanceof Error) return error as E
    throw new Error(`rejected with a non-Error: ${String(error)}`)
  }

  throw new Error('expected the promise to reject, but it resolved')
}
