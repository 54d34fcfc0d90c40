import type Database from 'better-sqlite3';
import { FatalRunError } from '../errors.js';

/**
 * The SQLite schema as an append-only list of migrations. `schema_version` records which ones ran;
 * a later change is a new entry (never an edit of an old one), so a file made by an older
 * teams-rollout upgrades in place. Times are epoch milliseconds (INTEGER).
 */
export const SQLITE_MIGRATIONS: readonly string[] = [
  // 1: the initial schema.
  `
  CREATE TABLE users (
    tenant_id TEXT NOT NULL,
    aad_object_id TEXT NOT NULL,
    user_principal_name TEXT,
    display_name TEXT,
    locale TEXT,
    state TEXT NOT NULL,
    reason TEXT,
    status_code INTEGER,
    service_code TEXT,
    detail TEXT,
    install_attempts INTEGER NOT NULL DEFAULT 0,
    welcome_attempts INTEGER NOT NULL DEFAULT 0,
    rollout_id TEXT,
    installed_at INTEGER,
    reference_at INTEGER,
    welcomed_at INTEGER,
    welcome_activity_id TEXT,
    opted_out_at INTEGER,
    claimed_by TEXT,
    claimed_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    version INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, aad_object_id)
  );
  CREATE INDEX users_state ON users (state);
  -- getUsersByUpn compares lower(upn): the expression index makes that a lookup, not a scan.
  CREATE INDEX users_upn ON users (tenant_id, lower(user_principal_name));
  CREATE INDEX users_rollout ON users (rollout_id);

  CREATE TABLE user_events (
    id INTEGER PRIMARY KEY,
    tenant_id TEXT NOT NULL,
    aad_object_id TEXT NOT NULL,
    at INTEGER NOT NULL,
    from_state TEXT,
    to_state TEXT NOT NULL,
    reason TEXT,
    actor TEXT NOT NULL,
    detail TEXT,
    rollout_id TEXT,
    FOREIGN KEY (tenant_id, aad_object_id) REFERENCES users (tenant_id, aad_object_id) ON DELETE CASCADE
  );
  CREATE INDEX user_events_user ON user_events (tenant_id, aad_object_id, id);

  CREATE TABLE rollouts (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL,
    started_at INTEGER NOT NULL,
    finished_at INTEGER,
    targets TEXT NOT NULL,
    options TEXT NOT NULL,
    summary TEXT
  );
  CREATE INDEX rollouts_started ON rollouts (tenant_id, started_at);

  CREATE TABLE rollout_targets (
    rollout_id TEXT NOT NULL REFERENCES rollouts (id) ON DELETE CASCADE,
    tenant_id TEXT NOT NULL,
    aad_object_id TEXT NOT NULL,
    PRIMARY KEY (rollout_id, tenant_id, aad_object_id)
  ) WITHOUT ROWID;

  CREATE TABLE conversation_references (
    tenant_id TEXT NOT NULL,
    aad_object_id TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    service_url TEXT NOT NULL,
    user_id TEXT,
    bot_id TEXT,
    source TEXT NOT NULL,
    captured_at INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, aad_object_id)
  );

  CREATE TABLE conversation_installs (
    tenant_id TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    scope TEXT NOT NULL,
    team_id TEXT,
    name TEXT,
    service_url TEXT NOT NULL,
    installed_at INTEGER NOT NULL,
    removed_at INTEGER,
    PRIMARY KEY (tenant_id, conversation_id)
  );

  CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);

  CREATE TABLE leases (name TEXT PRIMARY KEY, holder TEXT NOT NULL, expires_at INTEGER NOT NULL);
  `,
  // 2: when the current send attempt began (UserRow.sendStartedAt), so a crash can tell "maybe delivered" from "never sent".
  'ALTER TABLE users ADD COLUMN send_started_at INTEGER',
  // 3: the welcome queue in claim order, so each claimWelcomes reads `limit` index entries instead
  // of sorting every waiting person (partial: only reference_ready rows are in it).
  'CREATE INDEX users_welcome_queue ON users (reference_at, tenant_id, aad_object_id) WHERE state = \'reference_ready\'',
  // 4: welcomes held by `install --no-welcome` (UserRow.welcomeHeldBy), left out of the queue's
  // index so that a held crowd at its head does not make every claim walk past it.
  `ALTER TABLE users ADD COLUMN welcome_held_by TEXT;
   DROP INDEX users_welcome_queue;
   CREATE INDEX users_welcome_queue ON users (reference_at, tenant_id, aad_object_id) WHERE state = 'reference_ready' AND welcome_held_by IS NULL;`,
  // 5: who each line of a --users file named (Store.putLookups), so that a resumed run does not look them up again.
  `CREATE TABLE directory_lookups (
    tenant_id TEXT NOT NULL,
    lookup_key TEXT NOT NULL,
    value TEXT NOT NULL,
    looked_up_at INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, lookup_key)
  ) WITHOUT ROWID`,
  // 6: no query filters users by rollout_id (a rollout's people are its rollout_targets): the index only cost writes (issue 12).
  'DROP INDEX IF EXISTS users_rollout',
  // 7: the people in a state in key order, so settle's chase pages through the few waiting people as an
  // index range (test/store/periodic-query-plans.test.ts); it also serves every lookup users_state did.
  `CREATE INDEX users_state_key ON users (state, tenant_id, aad_object_id);
   DROP INDEX users_state;`,
];

/**
 * Runs the migrations this file has not seen yet, in one IMMEDIATE transaction: two processes that
 * start together serialise here (the second waits on busy_timeout, then finds nothing to do).
 */
export function migrateSqlite(db: Database.Database, location: string): void {
  const run = db.transaction(() => {
    db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)');
    const current = (db.prepare('SELECT COALESCE(MAX(version), 0) AS v FROM schema_version').get() as { v: number }).v;
    if (current > SQLITE_MIGRATIONS.length) {
      throw new FatalRunError(
        'STORE_SCHEMA_TOO_NEW',
        `The database at ${location} has schema version ${current}, newer than this teams-rollout knows (${SQLITE_MIGRATIONS.length}): upgrade teams-rollout, or point DATABASE_URL at another file.`,
      );
    }
    const record = db.prepare("INSERT INTO schema_version (version, applied_at) VALUES (?, CAST(unixepoch('subsec') * 1000 AS INTEGER))");
    SQLITE_MIGRATIONS.forEach((sql, i) => {
      if (i + 1 <= current) return;
      db.exec(sql);
      record.run(i + 1);
    });
  });
  run.immediate();
}
