import { RolloutError } from '../errors.js';
import { STATES } from '../ledger/states.js';
import { columnList, USER_COLUMNS } from './columns.js';
import type { ListUsersQuery, StateCount } from './types.js';

/**
 * The two ledger reads whose WHERE clause depends on the filter, built once for both dialects: the
 * only difference is the placeholder (`?` for SQLite, `$n` for PostgreSQL). Table names come in
 * already qualified (PostgreSQL puts them in a configurable schema).
 */
export type Placeholder = (position: number) => string;
export const sqlitePlaceholder: Placeholder = () => '?';
export const postgresPlaceholder: Placeholder = (n) => `$${n}`;

export interface UserTables {
  users: string;
  rolloutTargets: string;
}

export interface BuiltQuery {
  text: string;
  values: unknown[];
}

interface Filter {
  tenantId?: string | undefined;
  rolloutId?: string | undefined;
}

function filterClauses(filter: Filter, tables: UserTables, values: unknown[], ph: Placeholder): { join: string; where: string[] } {
  const bind = (value: unknown) => ph(values.push(value));
  // Membership goes through rollout_targets, not users.rollout_id: a person reached by two
  // rollouts belongs to both, while the row only remembers the last one that touched it.
  const join =
    filter.rolloutId === undefined
      ? ''
      : ` JOIN ${tables.rolloutTargets} t ON t.tenant_id = u.tenant_id AND t.aad_object_id = u.aad_object_id AND t.rollout_id = ${bind(filter.rolloutId)}`;
  const where: string[] = [];
  if (filter.tenantId !== undefined) where.push(`u.tenant_id = ${bind(filter.tenantId)}`);
  return { join, where };
}

const whereSql = (clauses: string[]) => (clauses.length ? ` WHERE ${clauses.join(' AND ')}` : '');

/**
 * "This row is one of the rollout's targets", checked per row with one primary-key probe. A scalar
 * subquery, not EXISTS: PostgreSQL turns EXISTS into a semi join and hashes the whole rollout's targets
 * (a sequential scan of 100,000 rows every second while settle waits for 2,100), while a scalar subquery
 * stays a per-row probe in both stores (issue 12 "per-tick scans"; test/store/periodic-query-plans.test.ts).
 */
const memberOfRollout = (tables: UserTables, rollout: string) =>
  `(SELECT 1 FROM ${tables.rolloutTargets} t WHERE t.rollout_id = ${rollout} AND t.tenant_id = u.tenant_id AND t.aad_object_id = u.aad_object_id) = 1`;

/**
 * Keyset paging on the primary key (tenant_id, aad_object_id): stable under concurrent writes, no
 * OFFSET scans. With a rollout, the key is taken from rollout_targets, whose primary key
 * (rollout_id, tenant_id, aad_object_id) then serves the order: each page is an index range, not
 * a sort of the whole rollout.
 */
export function listUsersSql(query: ListUsersQuery, tables: UserTables, ph: Placeholder): BuiltQuery {
  if (!Number.isInteger(query.limit) || query.limit < 1) {
    throw new RolloutError('STORE_BAD_QUERY', `listUsers: limit must be a positive integer, got ${query.limit}.`);
  }
  const values: unknown[] = [];
  const bind = (value: unknown) => ph(values.push(value));
  // With states, the state index drives and rollout membership is probed per row: settle's chase of the few
  // people still waiting then reads those, not the whole rollout, every 5 s (issue 12 "per-tick scans").
  const byState = query.states !== undefined && query.rolloutId !== undefined;
  const { join, where } = byState ? filterClauses({ tenantId: query.tenantId }, tables, values, ph) : filterClauses(query, tables, values, ph);
  // EXISTS here (a nested loop under the LIMIT, one probe per row of the page); countInStates, which has no LIMIT, needs memberOfRollout.
  if (byState) where.push(`EXISTS (SELECT 1 FROM ${tables.rolloutTargets} t WHERE t.rollout_id = ${bind(query.rolloutId)} AND t.tenant_id = u.tenant_id AND t.aad_object_id = u.aad_object_id)`);
  const k = query.rolloutId === undefined || byState ? 'u' : 't';
  if (query.states !== undefined) {
    // An empty list matches nothing (as `IN ()` would, were it valid SQL).
    where.push(query.states.length ? `u.state IN (${query.states.map((s) => bind(s)).join(', ')})` : '1 = 0');
  }
  if (query.after) {
    // Within one tenant, the person alone: PostgreSQL estimates a row comparison by its first column, and
    // `tenant_id > its own tenant` reads as no rows at all, which sent it down the primary key past every
    // person in other states (issue 12 "per-tick scans").
    if (query.tenantId !== undefined && query.after.tenantId === query.tenantId) where.push(`${k}.aad_object_id > ${bind(query.after.aadObjectId)}`);
    else where.push(`(${k}.tenant_id, ${k}.aad_object_id) > (${bind(query.after.tenantId)}, ${bind(query.after.aadObjectId)})`);
  }
  const text =
    `SELECT ${columnList(USER_COLUMNS, 'u')} FROM ${tables.users} u${join}${whereSql(where)}` +
    ` ORDER BY ${k}.tenant_id, ${k}.aad_object_id LIMIT ${bind(query.limit)}`;
  return { text, values };
}

export function countByStateSql(filter: Filter, tables: UserTables, ph: Placeholder): BuiltQuery {
  const values: unknown[] = [];
  const { join, where } = filterClauses(filter, tables, values, ph);
  return { text: `SELECT u.state, u.reason, COUNT(*) AS count FROM ${tables.users} u${join}${whereSql(where)} GROUP BY u.state, u.reason`, values };
}

/**
 * How many people are in some states: driven from the state index, with rollout membership checked
 * per row, so a rollout's few open people are counted without reading its whole target list
 * (settle asks this every second while a large rollout drains).
 */
export function countInStatesSql(filter: Filter, states: readonly string[], tables: UserTables, ph: Placeholder): BuiltQuery {
  const values: unknown[] = [];
  const bind = (value: unknown) => ph(values.push(value));
  const where = [states.length ? `u.state IN (${states.map((st) => bind(st)).join(', ')})` : '1 = 0'];
  if (filter.tenantId !== undefined) where.push(`u.tenant_id = ${bind(filter.tenantId)}`);
  if (filter.rolloutId !== undefined) {
    where.push(memberOfRollout(tables, bind(filter.rolloutId)));
  }
  return { text: `SELECT COUNT(*) AS count FROM ${tables.users} u${whereSql(where)}`, values };
}

const stateOrder = new Map<string, number>(STATES.map((s, i) => [s, i]));

/** Lifecycle order (ledger/states.ts), then reason with "no reason" first: the same from both stores, whatever the collation. */
export function sortCounts(counts: StateCount[]): StateCount[] {
  const rank = (s: string) => stateOrder.get(s) ?? STATES.length;
  return [...counts].sort(
    (a, b) => rank(a.state) - rank(b.state) || (a.reason === b.reason ? 0 : a.reason === null ? -1 : b.reason === null ? 1 : a.reason < b.reason ? -1 : 1),
  );
}
