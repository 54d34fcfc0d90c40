import type Database from 'better-sqlite3';
import { FatalRunError, RolloutError, errorMessage } from '../errors.js';
import {
  EVENT_COLUMNS,
  INSTALL_COLUMNS,
  REFERENCE_COLUMNS,
  ROLLOUT_COLUMNS,
  USER_COLUMNS,
  toEvent,
  toInstall,
  toReference,
  toRollout,
  toStateCount,
  toUserRow,
  valuesOf,
  type DbRecord,
} from './columns.js';
import { connectionSettings, openSqliteConnection, type SqliteConnectionSettings, type SqliteStoreOptions } from './sqlite-connection.js';
import { SQLITE_SQL as SQL, updateUserSql } from './sqlite-sql.js';
import { migrateSqlite } from './sqlite-schema.js';
import { unknownRollout } from './store-errors.js';
import { claimEvent, completeEvent, creationEvent, newUserRow, ORPHANED_WELCOME_DETAIL, orphanEvent, patchEntries, releaseEvent } from './user-rows.js';
import { countByStateSql, countInStatesSql, listUsersSql, sortCounts, sqlitePlaceholder } from './user-queries.js';
import type { State } from '../ledger/states.js';
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

export type { SqliteStoreOptions } from './sqlite-connection.js';

/**
 * The embedded default store: one SQLite file, shared safely by several processes on one machine
 * (settings in sqlite-connection.ts, SQL in sqlite-sql.ts). Every write is an IMMEDIATE transaction,
 * which takes the write lock up front: a deferred one that reads and then writes can fail with
 * SQLITE_BUSY_SNAPSHOT when another process wrote in between, and busy_timeout does not help there
 * (https://www.sqlite.org/wal.html#busy). better-sqlite3 is synchronous; the async methods exist
 * for the Store interface and turn throws into rejections.
 */
export class SqliteStore implements Store {
  readonly kind = 'sqlite' as const;
  private readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();
  /** Created once; `.immediate(fn)` runs fn in BEGIN IMMEDIATE … COMMIT (ROLLBACK on throw). */
  private readonly transaction: Database.Transaction<(fn: () => unknown) => unknown>;

  constructor(
    readonly filename: string,
    options: SqliteStoreOptions = {},
  ) {
    this.db = openSqliteConnection(filename, options);
    this.transaction = this.db.transaction((fn: () => unknown) => fn());
  }

  /** This connection's settings, for `doctor` and the tests. */
  connectionSettings(): SqliteConnectionSettings {
    return connectionSettings(this.db);
  }

  async migrate(): Promise<void> {
    try {
      migrateSqlite(this.db, this.filename);
    } catch (e) {
      if (e instanceof RolloutError) throw e;
      throw new FatalRunError(
        'STORE_MIGRATION',
        `Cannot prepare the SQLite database at ${this.filename} (${errorMessage(e)}): point DATABASE_URL at a teams-rollout database or a new file.`,
        e,
      );
    }
  }

  async close(): Promise<void> {
    if (!this.db.open) return;
    try {
      // Refreshes the planner's statistics where they have drifted, as SQLite asks before each close
      // (https://www.sqlite.org/pragma.html#pragma_optimize). Best effort: it needs the write lock,
      // which another process may hold, and nothing is lost without it.
      this.db.pragma('optimize');
    } catch {
      // SQLITE_BUSY after busy_timeout: skip it this time.
    }
    this.db.close();
  }

  // ── ledger ────────────────────────────────────────────────────────────────
  async getUser(tenantId: string, aadObjectId: string): Promise<UserRow | undefined> {
    const record = this.stmt(SQL.getUser).get(tenantId, aadObjectId) as DbRecord | undefined;
    return record && toUserRow(record);
  }

  async getUsers(tenantId: string, aadObjectIds: string[]): Promise<UserRow[]> {
    return this.users(SQL.getUsers, { tenantId, ids: JSON.stringify([...new Set(aadObjectIds)]) });
  }

  /** JS lower-casing on our side, SQL lower() on the column: the same for the ASCII that UPNs are made of. */
  async getUsersByUpn(tenantId: string, upns: string[]): Promise<UserRow[]> {
    return this.users(SQL.getUsersByUpn, { tenantId, upns: JSON.stringify([...new Set(upns.map((u) => u.toLowerCase()))]) });
  }

  async insertUsers(rows: NewUser[], at: number, actor: string): Promise<number> {
    return this.immediate(() => {
      let inserted = 0;
      for (const user of rows) {
        const row = newUserRow(user, at);
        if (this.stmt(SQL.insertUser).run(...valuesOf(USER_COLUMNS, row)).changes === 0) continue;
        this.insertEvent(row.tenantId, row.aadObjectId, creationEvent(row, actor));
        inserted++;
      }
      return inserted;
    });
  }

  async updateUser(tenantId: string, aadObjectId: string, expectedVersion: number, patch: UserPatch, event: TransitionEvent): Promise<UserRow | undefined> {
    const entries = patchEntries(patch, event.at);
    return this.immediate(() => {
      const record = this.stmt(updateUserSql(entries)).get(...entries.map((e) => e.value), tenantId, aadObjectId, expectedVersion) as DbRecord | undefined;
      if (!record) return undefined;
      const row = toUserRow(record);
      this.insertEvent(tenantId, aadObjectId, completeEvent(event, row.rolloutId));
      return row;
    });
  }

  async listUsers(query: ListUsersQuery): Promise<UserRow[]> {
    const { text, values } = listUsersSql(query, SQL.userTables, sqlitePlaceholder);
    return (this.stmt(text).all(...values) as DbRecord[]).map(toUserRow);
  }

  async countByState(filter: { tenantId?: string | undefined; rolloutId?: string | undefined }): Promise<StateCount[]> {
    const { text, values } = countByStateSql(filter, SQL.userTables, sqlitePlaceholder);
    return sortCounts((this.stmt(text).all(...values) as DbRecord[]).map(toStateCount));
  }

  async countInStates(filter: { tenantId?: string | undefined; rolloutId?: string | undefined }, states: readonly State[]): Promise<number> {
    const { text, values } = countInStatesSql(filter, states, SQL.userTables, sqlitePlaceholder);
    return Number((this.stmt(text).get(...values) as { count: number }).count);
  }

  async history(tenantId: string, aadObjectId: string): Promise<TransitionEvent[]> {
    return (this.stmt(SQL.history).all(tenantId, aadObjectId) as DbRecord[]).map(toEvent);
  }

  /** One IMMEDIATE transaction: no other process can write between choosing the rows and taking them. */
  async claimWelcomes(claimer: string, limit: number, at: number, tenantId?: string): Promise<UserRow[]> {
    if (!(limit >= 1)) return [];
    return this.immediate(() => {
      const picked = this.stmt(SQL.pickClaimable).all({ tenantId: tenantId ?? null, limit: Math.floor(limit) }) as { tenant_id: string; aad_object_id: string }[];
      const claimed: UserRow[] = [];
      for (const key of picked) {
        const record = this.stmt(SQL.claimOne).get({ claimer, at, tenantId: key.tenant_id, aadObjectId: key.aad_object_id }) as DbRecord;
        const row = toUserRow(record);
        this.insertEvent(row.tenantId, row.aadObjectId, claimEvent(claimer, at, row.rolloutId));
        claimed.push(row);
      }
      return claimed;
    });
  }

  async recoverOrphanedWelcomes(exceptClaimer: string, at: number): Promise<{ unconfirmed: number; released: number }> {
    type Moved = { tenant_id: string; aad_object_id: string; rollout_id: string | null };
    return this.immediate(() => {
      const orphaned = this.stmt(SQL.orphanWelcomes).all({ except: exceptClaimer, at, detail: ORPHANED_WELCOME_DETAIL }) as Moved[];
      for (const m of orphaned) this.insertEvent(m.tenant_id, m.aad_object_id, orphanEvent(at, m.rollout_id));
      const released = this.stmt(SQL.releaseWelcomes).all({ except: exceptClaimer, at }) as Moved[];
      for (const m of released) this.insertEvent(m.tenant_id, m.aad_object_id, releaseEvent(at, m.rollout_id));
      return { unconfirmed: orphaned.length, released: released.length };
    });
  }

  // ── rollouts ──────────────────────────────────────────────────────────────
  async addRolloutTargets(rolloutId: string, tenantId: string, aadObjectIds: string[]): Promise<number> {
    return this.immediate(() => {
      if (!this.stmt(SQL.getRollout).get(rolloutId)) throw unknownRollout('addRolloutTargets', rolloutId);
      let added = 0;
      for (const id of aadObjectIds) added += this.stmt(SQL.addTarget).run(rolloutId, tenantId, id).changes;
      return added;
    });
  }

  async createRollout(row: RolloutRow): Promise<void> {
    this.stmt(SQL.createRollout).run(...valuesOf(ROLLOUT_COLUMNS, row));
  }

  async finishRollout(id: string, at: number, summary: string): Promise<void> {
    if (this.stmt(SQL.finishRollout).run(at, summary, id).changes === 0) throw unknownRollout('finishRollout', id);
  }

  async getRollout(id: string): Promise<RolloutRow | undefined> {
    const record = this.stmt(SQL.getRollout).get(id) as DbRecord | undefined;
    return record && toRollout(record);
  }

  async latestRollout(tenantId?: string): Promise<RolloutRow | undefined> {
    const record = this.stmt(SQL.latestRollout).get({ tenantId: tenantId ?? null }) as DbRecord | undefined;
    return record && toRollout(record);
  }

  async listRollouts(tenantId?: string): Promise<RolloutRow[]> {
    return (this.stmt(SQL.listRollouts).all({ tenantId: tenantId ?? null }) as DbRecord[]).map(toRollout);
  }

  // ── conversation references ───────────────────────────────────────────────
  async putReference(ref: ConversationReferenceRow): Promise<void> {
    this.stmt(SQL.putReference).run(...valuesOf(REFERENCE_COLUMNS, ref));
  }

  async getReference(tenantId: string, aadObjectId: string): Promise<ConversationReferenceRow | undefined> {
    const record = this.stmt(SQL.getReference).get(tenantId, aadObjectId) as DbRecord | undefined;
    return record && toReference(record);
  }

  async deleteReference(tenantId: string, aadObjectId: string): Promise<void> {
    this.stmt(SQL.deleteReference).run(tenantId, aadObjectId);
  }

  async putConversationInstall(row: ConversationInstallRow): Promise<void> {
    this.stmt(SQL.putInstall).run(...valuesOf(INSTALL_COLUMNS, row));
  }

  async listConversationInstalls(tenantId: string): Promise<ConversationInstallRow[]> {
    return (this.stmt(SQL.listInstalls).all(tenantId) as DbRecord[]).map(toInstall);
  }

  // ── settings and leases ───────────────────────────────────────────────────
  async putLookups(tenantId: string, entries: { key: string; value: string }[], at: number): Promise<void> {
    if (!entries.length) return;
    this.immediate(() => {
      for (const e of entries) this.stmt(SQL.putLookup).run(tenantId, e.key, e.value, at);
    });
  }

  async getLookups(tenantId: string, keys: string[], since: number): Promise<Map<string, string>> {
    if (!keys.length) return new Map();
    const rows = this.stmt(SQL.getLookups).all({ tenantId, keys: JSON.stringify([...new Set(keys)]), since }) as { key: string; value: string }[];
    return new Map(rows.map((r) => [r.key, r.value]));
  }

  async getSetting(key: string): Promise<string | undefined> {
    return (this.stmt(SQL.getSetting).get(key) as { value: string } | undefined)?.value;
  }

  async setSetting(key: string, value: string): Promise<void> {
    this.stmt(SQL.setSetting).run(key, value);
  }

  /** One UPSERT statement, so atomic on its own: the row comes back only if we inserted or took it over. */
  async acquireLease(name: string, holder: string, ttlMs: number, at: number): Promise<boolean> {
    return this.stmt(SQL.acquireLease).get({ name, holder, expiresAt: at + ttlMs, at }) !== undefined;
  }

  async releaseLease(name: string, holder: string): Promise<void> {
    this.stmt(SQL.releaseLease).run(name, holder);
  }

  async leaseHolder(name: string, at: number): Promise<string | undefined> {
    return (this.stmt(SQL.leaseHolder).get(name, at) as { holder: string } | undefined)?.holder;
  }

  // ── internals ─────────────────────────────────────────────────────────────
  /** Each distinct SQL text is prepared once, on first use (after migrate() has made the tables). */
  private stmt(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  private immediate<T>(fn: () => T): T {
    return this.transaction.immediate(fn) as T;
  }

  private users(sql: string, params: Record<string, unknown>): UserRow[] {
    return (this.stmt(sql).all(params) as DbRecord[]).map(toUserRow);
  }

  private insertEvent(tenantId: string, aadObjectId: string, event: Required<TransitionEvent>): void {
    this.stmt(SQL.insertEvent).run(tenantId, aadObjectId, ...valuesOf(EVENT_COLUMNS, event));
  }
}
