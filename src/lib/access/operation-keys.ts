/**
 * The one place operation keys are made. A key names an operation in the journal (so a resumed run knows what an
 * earlier one sent) and in reports; the kind says what sort of change it is, so reports group by kind instead of
 * reading keys back. The key strings must never change: journals on users' disks hold them.
 */
import type {Operation} from '../engine/operation.js'

export const OPERATION_KINDS = ['invite', 'access', 'group', 'member', 'view', 'map'] as const

export type OperationKind = (typeof OPERATION_KINDS)[number]

export interface OperationId<K extends OperationKind = OperationKind> {
  kind: K
  key: string
}

/** An operation of the access commands or setup: it always has a kind, made with its key below. */
export type AccessOperation = Operation & OperationId

/** Who a View grant is for, as its key names them: the account or group ID when known, else the label. */
export type ViewKeyPrincipal = {kind: 'user'; label: string; id?: string} | {kind: 'group'; name: string; id?: string}

const id = <K extends OperationKind>(kind: K, key: string): OperationId<K> => ({kind, key})

export const operationId = {
  /** `invite:<email>` */
  invite: (email: string) => id('invite', `invite:${email}`),
  /** `access:<role>:<account ID or the user as given>` */
  access: (role: string, user: string) => id('access', `access:${role}:${user}`),
  /** `group:<name>`: creating the group. */
  group: (name: string) => id('group', `group:${name}`),
  /** `member:<group>:<account ID or the user as given>` */
  member: (group: string, user: string) => id('member', `member:${group}:${user}`),
  /**
   * `view:<space>:<user|group>:<ID, else the user as given or "group <name>">`; for a space the site does not have,
   * `view:<space>:<the user as given or "group <name>">` (no kind part, as earlier versions wrote it).
   */
  view(space: string, principal: ViewKeyPrincipal, options: {unknownSpace?: boolean} = {}) {
    const label = principal.kind === 'user' ? principal.label : `group ${principal.name}`
    return id(
      'view',
      options.unknownSpace ? `view:${space}:${label}` : `view:${space}:${principal.kind}:${principal.id ?? label}`,
    )
  },
  /** `map:<the map's path as the plan gives it>` */
  map: (to: string) => id('map', `map:${to}`),
} satisfies Record<OperationKind, (...args: never[]) => OperationId>
