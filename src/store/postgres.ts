import type { State } from '../ledger/states.js';
import type pg from 'pg';
import { RolloutError } from '../errors.js';
import {
  EVENT_COLUMNS,
  INSTALL_COLUMNS,
  REFERENCE_COLUMNS,
  ROLLOUT_COLUMNS,
  USER_COLUMNS,
  toEvent,
  toInstall,
  toRecord,
  toReference,
  toRollout,
  toStateCount,
  toUserRow,
  valuesOf,
  type DbRecord,
} from './columns.js';
import { describePostgresServer } from './database-url.js';
import { describePostgresError } from './postgres-errors.js';
import { createPostgresPool, DEFAULT_CONNECT_TIMEOUT_MS, preparedQuery, type PostgresStoreOptions, type Query } from './postgres-pool.js';
import { migratePostgres } from './postgres-schema.js';
import { postgresSql, updateUserSql, type PostgresSql } from './postgres-sql.js';
import { unknownRollout } from './store-errors.js';
import { claimDetail, creationEvent, newUserRow, ORPHANED_WELCOME_DETAIL, patchEntries, RELEASED_WELCOME_DETAIL } from './user-rows.js';
import { countByStateSql, countInStatesSql, listUsersSql, postgresPlaceholder, sortCounts } from './user-queries.js';
import type {
  ConversationInstallRow,
  ConversationReferenceRow,
  ListUsersQuery,
  NewUser,
  RolloutRow,
  StateCount,
  Store,
  TransitionEvent,
  UserPatch,
  UserRow,
} from './types.js';

export type { PostgresStoreOptions } from './postgres-pool.js';

const FOREIGN_KEY_VIOLATION = '23503';

/**
 * The shared store for several replicas (`serve` on two hosts, an `install` beside them): the same
 * contract as SqliteStore on a pg Pool, in a configurable schema (SQL in postgres-sql.ts, pool in
 * postgres-pool.ts). Multi-step writes are single statements with data-modifying CTEs, which commit
 * as one transaction in one round trip.
 */
export class PostgresStore implements Store {
  readonly kind = 'postgres' as const;
  readonly schema: string;
  private readonly pool: pg.Pool;
  private readonly sql: PostgresSql;
  private readonly quotedSchema: string;
  private readonly query: Query;

  constructor(private readonly options: PostgresStoreOptions) {
    this.schema = options.schema ?? 'public';
    this.quotedSchema = `"${this.schema.replaceAll('"', '""')}"`;
    this.sql = postgresSql(this.quotedSchema);
    this.pool = createPostgresPool(options);
    this.query = preparedQuery(this.pool, options.preparedStatements ?? true);
  }

  /** Whether this schema already holds a ledger (its users table), without creating anything. */
  async hasLedger(): Promise<boolean> {
    try {
      const r = await this.pool.query<{ found: boolean }>('SELECT to_regclass($1) IS NOT NULL AS found', [`${this.quotedSchema}.users`]);
      return r.rows[0]?.found === true;
    } catch (e) {
      throw describePostgresError(e, describePostgresServer(this.options.connectionString), this.schema, this.options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS);
    }
  }

  async migrate(): Promise<void> {
    try {
      const client = await this.pool.connect();
      try {
        await migratePostgres(client, this.schema, this.quotedSchema);
      } finally {
        client.release();
      }
    } catch (e) {
      if (e instanceof RolloutError) throw e;
      throw describePostgresError(e, describePostgresServer(this.options.connectionString), this.schema, this.options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS);
    }
  }

  async close(): Promise<void> {
    if (!this.pool.ended) await this.pool.end();
  }

  // ── ledger ────────────────────────────────────────────────────────────────
  async getUser(tenantId: string, aadObjectId: string): Promise<UserRow | undefined> {
    const [record] = await this.rows(this.sql.getUser, [tenantId, aadObjectId]);
    return record && toUserRow(record);
  }

  async getUsers(tenantId: string, aadObjectIds: string[]): Promise<UserRow[]> {
    return (await this.rows(this.sql.getUsers, [tenantId, aadObjectIds])).map(toUserRow);
  }

  async getUsersByUpn(tenantId: string, upns: string[]): Promise<UserRow[]> {
    return (await this.rows(this.sql.getUsersByUpn, [tenantId, upns.map((u) => u.toLowerCase())])).map(toUserRow);
  }

  async insertUsers(rows: NewUser[], at: number, actor: string): Promise<number> {
    // The first of several rows for one person wins, as with SQLite's row-by-row inserts.
    const unique = new Map<string, UserRow>();
    for (const user of rows) {
      const key = `${user.tenantId}\u0000${user.aadObjectId}`;
      if (!unique.has(key)) unique.set(key, newUserRow(user, at));
    }
    if (unique.size === 0) return 0;
    const users = [...unique.values()];
    const events = users.map((row) => ({ tenant_id: row.tenantId, aad_object_id: row.aadObjectId, ...toRecord(EVENT_COLUMNS, creationEvent(row, actor)) }));
    const result = await this.query(this.sql.insertUsers, [JSON.stringify(users.map((u) => toRecord(USER_COLUMNS, u))), JSON.stringify(events)]);
    return result.rowCount ?? 0;
  }

  async updateUser(tenantId: string, aadObjectId: string, expectedVersion: number, patch: UserPatch, event: TransitionEvent): Promise<UserRow | undefined> {
    const entries = patchEntries(patch, event.at);
    const text = updateUserSql(this.quotedSchema, entries);
    const values = [...entries.map((e) => e.value), tenantId, aadObjectId, expectedVersion, ...valuesOf(EVENT_COLUMNS, event)];
    const [record] = await this.rows(text, values);
    return record && toUserRow(record);
  }

  async listUsers(query: ListUsersQuery): Promise<UserRow[]> {
    const { text, values } = listUsersSql(query, this.sql.userTables, postgresPlaceholder);
    return (await this.rows(text, values)).map(toUserRow);
  }

  async countInStates(filter: { tenantId?: string | undefined; rolloutId?: string | undefined }, states: readonly State[]): Promise<number> {
    const { text, values } = countInStatesSql(filter, states, this.sql.userTables, postgresPlaceholder);
    return Number((await this.rows(text, values))[0]?.count ?? 0);
  }

  async countByState(filter: { tenantId?: string | undefined; rolloutId?: string | undefined }): Promise<StateCount[]> {
    const { text, values } = countByStateSql(filter, this.sql.userTables, postgresPlaceholder);
    return sortCounts((await this.rows(text, values)).map(toStateCount));
  }

  async history(tenantId: string, aadObjectId: string): Promise<TransitionEvent[]> {
    return (await this.rows(this.sql.history, [tenantId, aadObjectId])).map(toEvent);
  }

  async claimWelcomes(claimer: string, limit: number, at: number, tenantId?: string): Promise<UserRow[]> {
    if (!(limit >= 1)) return [];
    return (await this.rows(this.sql.claimWelcomes, [claimer, Math.floor(limit), tenantId ?? null, at, claimDetail(claimer)])).map(toUserRow);
  }

  async recoverOrphanedWelcomes(exceptClaimer: string, at: number): Promise<{ unconfirmed: number; released: number }> {
    const unconfirmed = (await this.query(this.sql.orphanWelcomes, [exceptClaimer, at, ORPHANED_WELCOME_DETAIL])).rowCount ?? 0;
    const released = (await this.query(this.sql.releaseWelcomes, [exceptClaimer, at, RELEASED_WELCOME_DETAIL])).rowCount ?? 0;
    return { unconfirmed, released };
  }

  // ── rollouts ──────────────────────────────────────────────────────────────
  async addRolloutTargets(rolloutId: string, tenantId: string, aadObjectIds: string[]): Promise<number> {
    try {
      return (await this.query(this.sql.addTargets, [rolloutId, tenantId, aadObjectIds])).rowCount ?? 0;
    } catch (e) {
      if ((e as { code?: unknown }).code === FOREIGN_KEY_VIOLATION) throw unknownRollout('addRolloutTargets', rolloutId);
      throw e;
    }
  }

  async createRollout(row: RolloutRow): Promise<void> {
    await this.query(this.sql.createRollout, valuesOf(ROLLOUT_COLUMNS, row));
  }

  async finishRollout(id: string, at: number, summary: string): Promise<void> {
    const result = await this.query(this.sql.finishRollout, [at, summary, id]);
    if (result.rowCount === 0) throw unknownRollout('finishRollout', id);
  }

  async getRollout(id: string): Promise<RolloutRow | undefined> {
    const [record] = await this.rows(this.sql.getRollout, [id]);
    return record && toRollout(record);
  }

  async latestRollout(tenantId?: string): Promise<RolloutRow | undefined> {
    const [record] = await this.rows(this.sql.latestRollout, [tenantId ?? null]);
    return record && toRollout(record);
  }

  async listRollouts(tenantId?: string): Promise<RolloutRow[]> {
    return (await this.rows(this.sql.listRollouts, [tenantId ?? null])).map(toRollout);
  }

  // ── conversation references ───────────────────────────────────────────────
  async putReference(ref: ConversationReferenceRow): Promise<void> {
    await this.query(this.sql.putReference, valuesOf(REFERENCE_COLUMNS, ref));
  }

  async getReference(tenantId: string, aadObjectId: string): Promise<ConversationReferenceRow | undefined> {
    const [record] = await this.rows(this.sql.getReference, [tenantId, aadObjectId]);
    return record && toReference(record);
  }

  async deleteReference(tenantId: string, aadObjectId: string): Promise<void> {
    await this.query(this.sql.deleteReference, [tenantId, aadObjectId]);
  }

  async putConversationInstall(row: ConversationInstallRow): Promise<void> {
    await this.query(this.sql.putInstall, valuesOf(INSTALL_COLUMNS, row));
  }

  async listConversationInstalls(tenantId: string): Promise<ConversationInstallRow[]> {
    return (await this.rows(this.sql.listInstalls, [tenantId])).map(toInstall);
  }

  // ── settings and leases ───────────────────────────────────────────────────
  async putLookups(tenantId: string, entries: { key: string; value: string }[], at: number): Promise<void> {
    const unique = new Map(entries.map((e) => [e.key, e.value]));
    if (!unique.size) return;
    await this.query(this.sql.putLookups, [tenantId, [...unique.keys()], [...unique.values()], at]);
  }

  async getLookups(tenantId: string, keys: string[], since: number): Promise<Map<string, string>> {
    if (!keys.length) return new Map();
    const rows = await this.rows(this.sql.getLookups, [tenantId, [...new Set(keys)], since]);
    return new Map(rows.map((r) => [r.key as string, r.value as string]));
  }

  async getSetting(key: string): Promise<string | undefined> {
    const [record] = await this.rows(this.sql.getSetting, [key]);
    return record?.value as string | undefined;
  }

  async setSetting(key: string, value: string): Promise<void> {
    await this.query(this.sql.setSetting, [key, value]);
  }

  async acquireLease(name: string, holder: string, ttlMs: number, at: number): Promise<boolean> {
    return (await this.rows(this.sql.acquireLease, [name, holder, at + ttlMs, at])).length > 0;
  }

  async releaseLease(name: string, holder: string): Promise<void> {
    await this.query(this.sql.releaseLease, [name, holder]);
  }

  async leaseHolder(name: string, at: number): Promise<string | undefined> {
    const [record] = await this.rows(this.sql.leaseHolder, [name, at]);
    return record?.holder as string | undefined;
  }

  private async rows(text: string, values: unknown[]): Promise<DbRecord[]> {
    return (await this.query(text, values)).rows;
  }
}
