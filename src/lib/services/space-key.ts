/**
 * Confluence space keys: letters and digits, or a personal space's `~` and its owner (`~557058:<uuid>`,
 * `~jsmith`). Nothing else reaches a request: Confluence splits `keys=ENG,HR` at the comma.
 */
const SPACE_KEY = /^(?:[A-Za-z0-9]{1,255}|~[A-Za-z0-9][\w.:@-]{0,254})$/

export function isSpaceKey(key: string): boolean {
  return SPACE_KEY.test(key) && !key.includes('..')
}
