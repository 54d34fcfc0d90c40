import type { TenantState } from '../state.js';
import type { SimGroup, SimUser } from '../types.js';
import type { GraphRoute, HandlerInput } from './call.js';
import { requireAdvancedQueryForCast, requireEventualForCount } from './consistency.js';
import { directoryNotFound } from './errors.js';
import { requireDirectoryRole } from './lookup.js';
import { parseSelect, parseTop, project, wantsCount } from './odata.js';
import { contextUrl, decodeToken, encodeToken, linkTo, queryPairsWithout } from './paging.js';
import { ROLES } from './permissions.js';
import { GROUP_PROPS, USER_DEFAULT_PROPS, USER_PROPS, toGraphUser } from './user-shape.js';

export type Member = { type: 'user'; user: SimUser } | { type: 'group'; group: SimGroup };

/**
 * Everyone in a group, nested groups resolved, each person and each nested group once (breadth first:
 * a group's own members, then its subgroups'). Soft-deleted users are left out. A generator, so a page
 * walks only as far as it needs.
 */
export function* walkTransitiveMembers(state: TenantState, root: SimGroup): Generator<Member> {
  const seenUsers = new Set<string>();
  const seenGroups = new Set<string>([root.id]);
  const queue = [root];
  for (let g = queue.shift(); g; g = queue.shift()) {
    for (const id of g.memberUserIds) {
      const u = state.findUser(id);
      if (!u || seenUsers.has(id)) continue;
      seenUsers.add(id);
      yield { type: 'user', user: u };
    }
    for (const id of g.memberGroupIds) {
      const sub = state.groups.find((x) => x.id === id);
      if (!sub || seenGroups.has(id)) continue;
      seenGroups.add(id);
      yield { type: 'group', group: sub };
      queue.push(sub);
    }
  }
}

export const transitiveMembers = (state: TenantState, root: SimGroup): Member[] => [...walkTransitiveMembers(state, root)];

function listMembers({ call, params, claims, ctx }: HandlerInput, cast: boolean) {
  requireDirectoryRole(claims, ROLES.groupMembersRead);
  if (cast) requireAdvancedQueryForCast(call);
  const q = call.query;
  const select = parseSelect(q.get('$select'), cast ? USER_PROPS : [...USER_PROPS, ...GROUP_PROPS.filter((p) => !(USER_PROPS as readonly string[]).includes(p))], cast ? 'user' : 'directoryObject');
  const top = parseTop(q.get('$top'), { default: 100, max: 999 });
  const count = wantsCount(q) && requireEventualForCount(call);
  const group = ctx.state.groups.find((g) => g.id.toLowerCase() === params.group!.toLowerCase());
  if (!group) throw directoryNotFound(params.group!);
  const skip = q.get('$skiptoken');
  const start = skip ? Number(decodeToken<{ o: number }>(skip, '$skiptoken').o) || 0 : 0;
  const page: Record<string, unknown>[] = [];
  let seen = 0;
  let more = false;
  for (const m of walkTransitiveMembers(ctx.state, group)) {
    if (cast && m.type !== 'user') continue;
    if (seen++ < start) continue;
    if (page.length === top) {
      more = true;
      if (!count) break;
    } else page.push(memberJson(m, select, cast));
  }
  const body: Record<string, unknown> = { '@odata.context': contextUrl(call, cast ? (select ? `users(${select.join(',')})` : 'users') : 'directoryObjects') };
  if (count) body['@odata.count'] = seen;
  if (more) body['@odata.nextLink'] = linkTo(call, [...queryPairsWithout(q, ['$skiptoken']), ['$skiptoken', encodeToken({ o: start + top })]]);
  body.value = page;
  return { status: 200, body };
}

function memberJson(m: Member, select: string[] | null, cast: boolean): Record<string, unknown> {
  if (m.type === 'user') {
    const user = project(toGraphUser(m.user), select?.filter((p) => (USER_PROPS as readonly string[]).includes(p)) ?? null, USER_DEFAULT_PROPS);
    return cast ? user : { '@odata.type': '#microsoft.graph.user', ...user };
  }
  const g: Record<string, unknown> = { id: m.group.id, displayName: m.group.displayName, description: null, mail: null, mailEnabled: false, securityEnabled: true };
  return { '@odata.type': '#microsoft.graph.group', ...project(g, select?.filter((p) => (GROUP_PROPS as readonly string[]).includes(p)) ?? null, GROUP_PROPS) };
}

/**
 * `GET /groups/{id}/transitiveMembers` (group-list-transitivemembers.md): users and nested groups, each
 * item with `@odata.type`; paged (100 by default, `$top` up to 999), `$select`, `@odata.count` with
 * `$count=true` (and `ConsistencyLevel: eventual`). The next link carries the query but not the header:
 * the client must send `ConsistencyLevel` again on every page, as with advanced queries on Graph ([INF]).
 */
export const groupTransitiveMembers: GraphRoute = {
  method: 'GET',
  pattern: '/groups/{group}/transitiveMembers',
  label: 'graph.groups.transitiveMembers',
  bucket: 'graphDirectory',
  handle: (input) => listMembers(input, false),
};

/** `…/transitiveMembers/microsoft.graph.user`: users only; the OData cast needs `ConsistencyLevel: eventual` + `$count=true`. */
export const groupTransitiveUsers: GraphRoute = {
  method: 'GET',
  pattern: '/groups/{group}/transitiveMembers/microsoft.graph.user',
  label: 'graph.groups.transitiveMembers',
  bucket: 'graphDirectory',
  handle: (input) => listMembers(input, true),
};
