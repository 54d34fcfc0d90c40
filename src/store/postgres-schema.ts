import type pg from 'pg';
import { FatalRunError } from '../errors.js';

/**
 * The PostgreSQL schema: the same tables as sqlite-schema.ts, in a configurable schema, as an
 * append-only list of migrations recorded in `schema_version`. Times are BIGINT epoch ms (read back
 * as numbers: see the type parser in postgres.ts). Keys are COLLATE "C": byte order, as in SQLite,
 * so keyset paging walks the same order on both stores whatever the database's locale, and the
 * B-tree compares bytes instead of running locale rules.
 */
export function postgresMigrations(s: string): string[] {
  const key = 'TEXT COLLATE "C" NOT NULL';
  return [
    // 1: the initial schema.
    `
    CREATE TABLE ${s}.users (
      tenant_id ${key},
      aad_object_id ${key},
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
      installed_at BIGINT,
      reference_at BIGINT,
      welcomed_at BIGINT,
      welcome_activity_id TEXT,
      opted_out_at BIGINT,
      claimed_by TEXT,
      claimed_at BIGINT,
      created_at BIGINT NOT NULL,
      updated_at BIGINT NOT NULL,
      version INTEGER NOT NULL,
      PRIMARY KEY (tenant_id, aad_object_id)
    );
    CREATE INDEX users_state ON ${s}.users (state);
    CREATE INDEX users_upn ON ${s}.users (tenant_id, lower(user_principal_name));
    CREATE INDEX users_rollout ON ${s}.users (rollout_id);

    CREATE TABLE ${s}.user_events (
      id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      tenant_id ${key},
      aad_object_id ${key},
      at BIGINT NOT NULL,
      from_state TEXT,
      to_state TEXT NOT NULL,
      reason TEXT,
      actor TEXT NOT NULL,
      detail TEXT,
      rollout_id TEXT,
      FOREIGN KEY (tenant_id, aad_object_id) REFERENCES ${s}.users (tenant_id, aad_object_id) ON DELETE CASCADE
    );
    CREATE INDEX user_events_user ON ${s}.user_events (tenant_id, aad_object_id, id);

    CREATE TABLE ${s}.rollouts (
      id TEXT PRIMARY KEY,
      tenant_id TEXT NOT NULL,
      started_at BIGINT NOT NULL,
      finished_at BIGINT,
      targets TEXT NOT NULL,
      options TEXT NOT NULL,
      summary TEXT
    );
    CREATE INDEX rollouts_started ON ${s}.rollouts (tenant_id, started_at);

    CREATE TABLE ${s}.rollout_targets (
      rollout_id TEXT NOT NULL REFERENCES ${s}.rollouts (id) ON DELETE CASCADE,
      tenant_id ${key},
      aad_object_id ${key},
      PRIMARY KEY (rollout_id, tenant_id, aad_object_id)
    );

    CREATE TABLE ${s}.conversation_references (
      tenant_id ${key},
      aad_object_id ${key},
      conversation_id TEXT NOT NULL,
      service_url TEXT NOT NULL,
      user_id TEXT,
      bot_id TEXT,
      source TEXT NOT NULL,
      captured_at BIGINT NOT NULL,
      PRIMARY KEY (tenant_id, aad_object_id)
    );

    CREATE TABLE ${s}.conversation_installs (
      tenant_id ${key},
      conversation_id ${key},
      scope TEXT NOT NULL,
      team_id TEXT,
      name TEXT,
      service_url TEXT NOT NULL,
      installed_at BIGINT NOT NULL,
      removed_at BIGINT,
      PRIMARY KEY (tenant_id, conversation_id)
    );

    CREATE TABLE ${s}.settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);

    CREATE TABLE ${s}.leases (name TEXT PRIMARY KEY, holder TEXT NOT NULL, expires_at BIGINT NOT NULL);
    `,
    // 2: when the current send attempt began (UserRow.sendStartedAt).
    `ALTER TABLE ${s}.users ADD COLUMN send_started_at BIGINT`,
    // 3: the welcome queue in claim order (see sqlite-schema.ts); NULLS FIRST as SQLite sorts them.
    `CREATE INDEX users_welcome_queue ON ${s}.users (reference_at NULLS FIRST, tenant_id, aad_object_id) WHERE state = 'reference_ready'`,
    // 4: welcomes held by `install --no-welcome` (see sqlite-schema.ts), left out of the queue's index.
    `ALTER TABLE ${s}.users ADD COLUMN welcome_held_by TEXT;
     DROP INDEX ${s}.users_welcome_queue;
     CREATE INDEX users_welcome_queue ON ${s}.users (reference_at NULLS FIRST, tenant_id, aad_object_id) WHERE state = 'reference_ready' AND welcome_held_by IS NULL;`,
    // 5: who each line of a --users file named (see sqlite-schema.ts).
    `CREATE TABLE ${s}.directory_lookups (
      tenant_id ${key},
      lookup_key ${key},
      value TEXT NOT NULL,
      looked_up_at BIGINT NOT NULL,
      PRIMARY KEY (tenant_id, lookup_key)
    )`,
    // 6: the unread users_rollout index (see sqlite-schema.ts).
    `DROP INDEX IF EXISTS ${s}.users_rollout`,
    // 7: the people in a state in key order (see sqlite-schema.ts).
    `CREATE INDEX users_state_key ON ${s}.users (state, tenant_id, aad_object_id);
     DROP INDEX ${s}.users_state;`,
  ];
}

/**
 * Runs the migrations not applied yet, in one transaction under an advisory lock on the schema
 * name: replicas that start together take turns instead of racing on CREATE (which PostgreSQL
 * reports as a unique violation in its catalogue, not as "already exists").
 */
export async function migratePostgres(client: pg.ClientBase, schema: string, quoted: string): Promise<void> {
  const migrations = postgresMigrations(quoted);
  await client.query('BEGIN');
  try {
    await client.query("SELECT pg_advisory_xact_lock(hashtext('teams-rollout:' || $1))", [schema]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoted}`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${quoted}.schema_version (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)`);
    const { rows } = await client.query<{ v: number }>(`SELECT COALESCE(MAX(version), 0) AS v FROM ${quoted}.schema_version`);
    const current = rows[0]?.v ?? 0;
    if (current > migrations.length) {
      throw new FatalRunError(
        'STORE_SCHEMA_TOO_NEW',
        `The PostgreSQL schema "${schema}" has schema version ${current}, newer than this teams-rollout knows (${migrations.length}): upgrade teams-rollout, or use another ?schema= in DATABASE_URL.`,
      );
    }
    for (let v = current + 1; v <= migrations.length; v++) {
      await client.query(migrations[v - 1]!);
      await client.query(`INSERT INTO ${quoted}.schema_version (version, applied_at) VALUES ($1, (extract(epoch FROM clock_timestamp()) * 1000)::bigint)`, [v]);
    }
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  }
}
