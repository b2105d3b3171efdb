/**
 * Named points where the crash tests stop cfadmin on purpose. With CFADMIN_TEST_HOLD_AT=<name> the process
 * announces `cfadmin: holding at <name>` on stderr when it gets there and then waits forever, so a test can
 * SIGKILL it at exactly that point. Without the variable this is a no-op.
 */
export type CheckpointName = 'oauth-tokens-received' | 'oauth-tokens-saved'

export async function checkpoint(name: CheckpointName): Promise<void> {
  if (process.env.CFADMIN_TEST_HOLD_AT !== name) return
  process.stderr.write(`cfadmin: holding at ${name}\n`)
  await new Promise(() => {
    // The interval keeps the event loop (and so the process) alive until the test kills it.
    setInterval(() => {}, 60_000)
  })
}
