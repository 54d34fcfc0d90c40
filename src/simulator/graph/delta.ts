import type { SimUser } from '../types.js';
import type { GraphCall, GraphRoute } from './call.js';
import { unsupportedQuery } from './errors.js';
import { requireDirectoryRole } from './lookup.js';
import { parseSelect, parseTop, project } from './odata.js';
import { contextUrl, decodeToken, encodeToken, linkTo } from './paging.js';
import { ROLES } from './permissions.js';
import { USER_DEFAULT_PROPS, USER_PROPS, toGraphUser } from './user-shape.js';

/** A round of delta pages: changes in (since, upto], from offset `o`; `sel` and page size `n` fixed at the first call. */
interface DeltaRound {
  s: number;
  u: number;
  o: number;
  sel: string[] | null;
  n: number;
}

/** Seq of the user's latest creation or change (state.ts counts both on one counter). */
const versionOf = (u: SimUser): number => Math.max(u.seq, u.changedSeq ?? 0);

/**
 * `GET /users/delta` (user-delta.md, delta-query-users.md, wire-facts A6). The first call fixes the query
 * parameters; they travel in the opaque tokens of `@odata.nextLink` (`$skiptoken`) and the final
 * `@odata.deltaLink` (`$deltatoken`). The first round returns every current user; a call on the delta link
 * returns only users created or changed since, soft-deleted ones as `{id, "@removed":{reason:"changed"}}`,
 * or an empty `value` with a new delta link when nothing changed. Page size: `Prefer: odata.maxpagesize=N`
 * or `$top`, 100 by default ([INF]: Graph does not document the default for users).
 */
export const usersDelta: GraphRoute = {
  method: 'GET',
  pattern: '/users/delta',
  label: 'graph.users.delta',
  bucket: 'graphDirectory',
  handle({ call, claims, ctx }) {
    requireDirectoryRole(claims, ROLES.usersRead);
    const round = roundOf(call, ctx.state.latestSeq);
    const users = ctx.state.users;
    const value: Record<string, unknown>[] = [];
    let i = round.o;
    const wanted = (u: SimUser) => {
      const v = versionOf(u);
      return round.s === 0 ? !u.deleted && u.seq <= round.u : v > round.s && v <= round.u;
    };
    for (; i < users.length && value.length < round.n; i++) {
      const u = users[i]!;
      if (!wanted(u)) continue;
      value.push(u.deleted ? { id: u.id, '@removed': { reason: 'changed' } } : project(toGraphUser(u), round.sel, USER_DEFAULT_PROPS));
    }
    while (i < users.length && !wanted(users[i]!)) i++;
    const body: Record<string, unknown> = { '@odata.context': contextUrl(call, round.sel ? `users(${round.sel.join(',')})` : 'users') };
    if (i < users.length) body['@odata.nextLink'] = linkTo(call, [['$skiptoken', encodeToken({ ...round, o: i })]]);
    else body['@odata.deltaLink'] = linkTo(call, [['$deltatoken', encodeToken({ s: round.u, sel: round.sel, n: round.n })]]);
    body.value = value;
    return { status: 200, body };
  },
};

function roundOf(call: GraphCall, latestSeq: number): DeltaRound {
  const q = call.query;
  const skip = q.get('$skiptoken');
  if (skip) return decodeToken<DeltaRound & Record<string, unknown>>(skip, '$skiptoken');
  const mark = q.get('$deltatoken');
  if (mark) {
    const t = decodeToken<{ s: number; sel: string[] | null; n: number }>(mark, '$deltatoken');
    return { s: Number(t.s) || 0, u: latestSeq, o: 0, sel: t.sel ?? null, n: Number(t.n) || 100 };
  }
  if (q.get('$filter')) throw unsupportedQuery('The simulated tenant supports users/delta without $filter only.');
  const sel = parseSelect(q.get('$select'), USER_PROPS, 'user');
  const prefer = /odata\.maxpagesize=(\d+)/i.exec(call.headers.prefer ?? '')?.[1];
  const n = parseTop(q.get('$top') ?? prefer ?? null, { default: 100, max: 999 });
  return { s: 0, u: latestSeq, o: 0, sel, n };
}
