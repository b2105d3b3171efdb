import type {AccessContext} from './access-context.js'
import {type GroupRef, groupRoute} from './group-route.js'
import {defaultGroups} from './default-groups.js'
import {RECOMMENDED_GROUPS} from '../domain.js'

export interface GroupRow {
  name: string
  id?: string
  members?: number
  /** With --recommended: what the group is for, and whether the site has it. */
  purpose?: string
  exists?: boolean
}

/** Groups with member counts; or the four recommended groups for the site, what each is for and whether it exists. */
export async function listGroupRows(
  context: AccessContext,
  options: {recommended?: boolean; search?: string},
): Promise<{via: string; groups: GroupRow[]; notes?: string[]}> {
  const route = groupRoute(context)
  if (!options.recommended) {
    const groups = await route.list(options.search)
    return {groups: groups.map((g) => ({id: g.id, members: g.memberCount, name: g.name})), via: route.via}
  }

  // The site's own group for each: renamed or legacy default groups are found by the access they give.
  const defaults = defaultGroups(context.siteName, route)
  const groups = await Promise.all(
    RECOMMENDED_GROUPS.map(async ({key, purpose}) => {
      const {group, name} = await defaults.find(key)
      const found: GroupRef | undefined = group
      return {exists: Boolean(found), id: found?.id, members: found?.memberCount, name, purpose}
    }),
  )
  const notes = defaults.notes()
  return notes.length > 0 ? {groups, notes, via: route.via} : {groups, via: route.via}
}
