import type {AccessContext} from './access-context.js'
import {type GroupRef, groupRoute} from './group-route.js'
import {recommendedGroupName} from './recommended-groups.js'
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
): Promise<{via: string; groups: GroupRow[]}> {
  const route = groupRoute(context)
  if (!options.recommended) {
    const groups = await route.list(options.search)
    return {groups: groups.map((g) => ({id: g.id, members: g.memberCount, name: g.name})), via: route.via}
  }

  const groups = await Promise.all(
    RECOMMENDED_GROUPS.map(async ({key, purpose}) => {
      const name = recommendedGroupName(key, context.siteName)
      const group: GroupRef | undefined = await route.find(name)
      return {exists: Boolean(group), id: group?.id, members: group?.memberCount, name, purpose}
    }),
  )
  return {groups, via: route.via}
}
