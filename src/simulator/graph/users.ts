import type { GraphRoute } from './call.js';
import { matchesFilter } from './filter-match.js';
import { directoryUser, requireDirectoryRole } from './lookup.js';
import { parseFilterParam, parseSelect, parseTop, project, wantsCount } from './odata.js';
import { contextUrl, decodeToken, encodeToken, linkTo, queryPairsWithout } from './paging.js';
import { ROLES } from './permissions.js';
import { USER_DEFAULT_PROPS, USER_PROPS, toGraphUser } from './user-shape.js';
import { requireEventualForCount } from './consistency.js';

const FILTERABLE = new Set(['id', 'userprincipalname', 'usertype', 'accountenabled', 'mail', 'displayname']);

/**
 * `GET /users`: pages of 100 by default, `$top` up to 999 (user-list.md), `$select`, a simple `$filter`,
 * and `@odata.nextLink` with an opaque `$skiptoken` ($skip is not supported, as on Graph). It walks the
 * population from the token's offset and builds only the page it returns; soft-deleted users are left out.
 */
export const listUsers: GraphRoute = {
  method: 'GET',
  pattern: '/users',
  label: 'graph.users.get',
  bucket: 'graphDirectory',
  handle({ call, claims, ctx }) {
    requireDirectoryRole(claims, ROLES.usersRead);
    const q = call.query;
    const select = parseSelect(q.get('$select'), USER_PROPS, 'user');
    const top = parseTop(q.get('$top'), { default: 100, max: 999 });
    const filter = parseFilterParam(q.get('$filter'), FILTERABLE);
    const count = wantsCount(q) && requireEventualForCount(call);
    const skip = q.get('$skiptoken');
    const start = skip ? Number(decodeToken<{ o: number }>(skip, '$skiptoken').o) || 0 : 0;
    const users = ctx.state.users;
    const keep = (i: number) => !users[i]!.deleted && (!filter || matchesFilter(filter, toGraphUser(users[i]!)));
    const value: Record<string, unknown>[] = [];
    let i = start;
    for (; i < users.length && value.length < top; i++) if (keep(i)) value.push(project(toGraphUser(users[i]!), select, USER_DEFAULT_PROPS));
    while (i < users.length && !keep(i)) i++;
    const body: Record<string, unknown> = { '@odata.context': contextUrl(call, select ? `users(${select.join(',')})` : 'users') };
    if (count) body['@odata.count'] = users.reduce((n, _u, j) => (keep(j) ? n + 1 : n), 0);
    if (i < users.length) body['@odata.nextLink'] = linkTo(call, [...queryPairsWithout(q, ['$skiptoken']), ['$skiptoken', encodeToken({ o: i })]]);
    body.value = value;
    return { status: 200, body };
  },
};

/** `GET /users/{id | userPrincipalName}` (user-get.md). */
export const getUser: GraphRoute = {
  method: 'GET',
  pattern: '/users/{user}',
  label: 'graph.users.get',
  bucket: 'graphDirectory',
  handle({ call, params, claims, ctx }) {
    requireDirectoryRole(claims, ROLES.usersRead);
    const select = parseSelect(call.query.get('$select'), USER_PROPS, 'user');
    const user = directoryUser(ctx, params.user!);
    return { status: 200, body: { '@odata.context': contextUrl(call, select ? `users(${select.join(',')})/$entity` : 'users/$entity'), ...project(toGraphUser(user), select, USER_DEFAULT_PROPS) } };
  },
};
