import { columnList, EVENT_COLUMNS, INSTALL_COLUMNS, REFERENCE_COLUMNS, ROLLOUT_COLUMNS, USER_COLUMNS } from './columns.js';
import { insertSql, upsertSql } from './sql-text.js';
import type { PatchEntry } from './user-rows.js';
import { postgresPlaceholder as ph } from './user-queries.js';

/**
 * The PostgreSQL store's fixed statements for one schema (`s` is already quoted), built once per
 * store. Several are one statement with data-modifying CTEs: a single statement is its own
 * transaction, so the row change and its history line commit together in one round trip.
 */
export function postgresSql(s: string) {
  const userColumns = columnList(USER_COLUMNS);
  const eventColumns = `tenant_id, aad_object_id, ${columnList(EVENT_COLUMNS)}`;
  const selectUsers = `SELECT ${userColumns} FROM ${s}.users`;
  const selectRollouts = `SELECT ${columnList(ROLLOUT_COLUMNS)} FROM ${s}.rollouts`;
  return {
    userColumns,
    eventColumns,
    userTables: { users: `${s}.users`, rolloutTargets: `${s}.rollout_targets` },

    getUser: `${selectUsers} WHERE tenant_id = $1 AND aad_object_id = $2`,
    getUsers: `${selectUsers} WHERE tenant_id = $1 AND aad_object_id = ANY($2::text[]) ORDER BY aad_object_id`,
    getUsersByUpn: `${selectUsers} WHERE tenant_id = $1 AND lower(user_principal_name) = ANY($2::text[]) ORDER BY aad_object_id`,
    // $1: the new rows and $2: their creation events, each a JSON array keyed by column name; one
    // parameter for any number of rows. Events are kept only for the rows that were really new.
    insertUsers: `WITH inserted AS (
        INSERT INTO ${s}.users (${userColumns}) SELECT ${userColumns} FROM jsonb_populate_recordset(NULL::${s}.users, $1::jsonb)
        ON CONFLICT DO NOTHING RETURNING tenant_id, aad_object_id)
      INSERT INTO ${s}.user_events (${eventColumns})
      SELECT ${columnList({ tenantId: 'tenant_id', aadObjectId: 'aad_object_id', ...EVENT_COLUMNS }, 'e')}
      FROM jsonb_populate_recordset(NULL::${s}.user_events, $2::jsonb) e JOIN inserted i USING (tenant_id, aad_object_id)`,
    history: `SELECT ${columnList(EVENT_COLUMNS)} FROM ${s}.user_events WHERE tenant_id = $1 AND aad_object_id = $2 ORDER BY id`,

    // $1 claimer, $2 limit, $3 tenant or null, $4 now, $5 event detail. Oldest reference first, in
    // users_welcome_queue's order (an index walk that stops at the limit, once ANALYZE has seen the
    // table: right after a bulk load PostgreSQL may sort the queue instead). SKIP LOCKED: a concurrent
    // claimer passes over rows another transaction is taking instead of waiting for them, and a row
    // taken meanwhile fails the WHERE when PostgreSQL re-checks it after locking.
    claimWelcomes: `WITH picked AS (
        SELECT u.tenant_id, u.aad_object_id
        FROM ${s}.users u JOIN ${s}.conversation_references r ON r.tenant_id = u.tenant_id AND r.aad_object_id = u.aad_object_id
        WHERE u.state = 'reference_ready' AND u.opted_out_at IS NULL AND u.welcomed_at IS NULL AND u.welcome_held_by IS NULL AND ($3::text IS NULL OR u.tenant_id = $3)
        ORDER BY u.reference_at NULLS FIRST, u.tenant_id, u.aad_object_id
        LIMIT $2
        FOR UPDATE OF u SKIP LOCKED
      ), claimed AS (
        UPDATE ${s}.users u SET state = 'welcoming', claimed_by = $1, claimed_at = $4, send_started_at = NULL, updated_at = $4,
          welcome_attempts = u.welcome_attempts + 1, version = u.version + 1
        FROM picked p WHERE u.tenant_id = p.tenant_id AND u.aad_object_id = p.aad_object_id AND u.state = 'reference_ready'
        RETURNING ${columnList(USER_COLUMNS, 'u')}
      ), events AS (
        INSERT INTO ${s}.user_events (${eventColumns})
        SELECT tenant_id, aad_object_id, $4, 'reference_ready', 'welcoming', NULL, 'sender', $5, rollout_id FROM claimed
      )
      SELECT ${userColumns} FROM claimed ORDER BY reference_at NULLS FIRST, tenant_id, aad_object_id`,
    // $1 the claimer to spare, $2 now, $3 the detail (row and event), as in sqlite-sql.ts.
    orphanWelcomes: `WITH moved AS (
        UPDATE ${s}.users SET state = 'unconfirmed', reason = NULL, detail = $3,
          claimed_by = NULL, claimed_at = NULL, send_started_at = NULL, updated_at = $2, version = version + 1
        WHERE state = 'welcoming' AND claimed_by IS DISTINCT FROM $1 AND send_started_at IS NOT NULL RETURNING tenant_id, aad_object_id, rollout_id
      )
      INSERT INTO ${s}.user_events (${eventColumns})
      SELECT tenant_id, aad_object_id, $2, 'welcoming', 'unconfirmed', NULL, 'sender', $3, rollout_id FROM moved`,
    // …and those whose sender never began an HTTP attempt go back to reference_ready ($3 the detail).
    releaseWelcomes: `WITH moved AS (
        UPDATE ${s}.users SET state = 'reference_ready', reason = NULL,
          claimed_by = NULL, claimed_at = NULL, send_started_at = NULL, welcome_attempts = GREATEST(0, welcome_attempts - 1), updated_at = $2, version = version + 1
        WHERE state = 'welcoming' AND claimed_by IS DISTINCT FROM $1 AND send_started_at IS NULL RETURNING tenant_id, aad_object_id, rollout_id
      )
      INSERT INTO ${s}.user_events (${eventColumns})
      SELECT tenant_id, aad_object_id, $2, 'welcoming', 'reference_ready', NULL, 'sender', $3, rollout_id FROM moved`,

    createRollout: insertSql(`${s}.rollouts`, ROLLOUT_COLUMNS, ph),
    finishRollout: `UPDATE ${s}.rollouts SET finished_at = $1, summary = $2 WHERE id = $3`,
    getRollout: `${selectRollouts} WHERE id = $1`,
    latestRollout: `${selectRollouts} WHERE $1::text IS NULL OR tenant_id = $1 ORDER BY started_at DESC, id DESC LIMIT 1`,
    listRollouts: `${selectRollouts} WHERE $1::text IS NULL OR tenant_id = $1 ORDER BY started_at, id`,
    addTargets: `INSERT INTO ${s}.rollout_targets (rollout_id, tenant_id, aad_object_id)
      SELECT $1, $2, id FROM unnest($3::text[]) AS id ON CONFLICT DO NOTHING`,

    putReference: upsertSql(`${s}.conversation_references`, REFERENCE_COLUMNS, ['tenantId', 'aadObjectId'], ph),
    getReference: `SELECT ${columnList(REFERENCE_COLUMNS)} FROM ${s}.conversation_references WHERE tenant_id = $1 AND aad_object_id = $2`,
    deleteReference: `DELETE FROM ${s}.conversation_references WHERE tenant_id = $1 AND aad_object_id = $2`,
    putInstall: upsertSql(`${s}.conversation_installs`, INSTALL_COLUMNS, ['tenantId', 'conversationId'], ph),
    listInstalls: `SELECT ${columnList(INSTALL_COLUMNS)} FROM ${s}.conversation_installs WHERE tenant_id = $1 ORDER BY installed_at, conversation_id`,

    getLookups: `SELECT lookup_key AS key, value FROM ${s}.directory_lookups WHERE tenant_id = $1 AND lookup_key = ANY($2::text[]) AND looked_up_at >= $3`,
    // One statement for the page; the caller passes each key once (ON CONFLICT may not touch a row twice).
    putLookups: `INSERT INTO ${s}.directory_lookups (tenant_id, lookup_key, value, looked_up_at)
      SELECT $1, k, v, $4 FROM unnest($2::text[], $3::text[]) AS t(k, v)
      ON CONFLICT (tenant_id, lookup_key) DO UPDATE SET value = excluded.value, looked_up_at = excluded.looked_up_at`,
    getSetting: `SELECT value FROM ${s}.settings WHERE key = $1`,
    setSetting: `INSERT INTO ${s}.settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,

    // $1 name, $2 holder, $3 new expiry, $4 now. The row comes back only if we inserted it or took
    // it over; ON CONFLICT makes the check and the write one atomic step.
    acquireLease: `INSERT INTO ${s}.leases AS l (name, holder, expires_at) VALUES ($1, $2, $3)
      ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
      WHERE l.expires_at <= $4 OR l.holder = excluded.holder RETURNING l.holder`,
    releaseLease: `DELETE FROM ${s}.leases WHERE name = $1 AND holder = $2`,
    leaseHolder: `SELECT holder FROM ${s}.leases WHERE name = $1 AND expires_at > $2`,
  } as const;
}

export type PostgresSql = ReturnType<typeof postgresSql>;

/**
 * The compare-and-set for one patch shape. Values: $1..$n the patch, then key and version, then the
 * event (valuesOf EVENT_COLUMNS); the event takes the row's rollout unless it names one, as
 * completeEvent does for SQLite.
 */
export function updateUserSql(s: string, entries: PatchEntry[]): string {
  const n = entries.length;
  const p = (i: number) => `$${n + i}`;
  return `WITH updated AS (
      UPDATE ${s}.users SET ${entries.map((e, i) => `${e.column} = $${i + 1}`).join(', ')}, version = version + 1
      WHERE tenant_id = ${p(1)} AND aad_object_id = ${p(2)} AND version = ${p(3)} RETURNING ${columnList(USER_COLUMNS)}
    ), event AS (
      INSERT INTO ${s}.user_events (tenant_id, aad_object_id, ${columnList(EVENT_COLUMNS)})
      SELECT tenant_id, aad_object_id, ${p(4)}::bigint, ${p(5)}::text, ${p(6)}::text, ${p(7)}::text, ${p(8)}::text, ${p(9)}::text,
        COALESCE(${p(10)}::text, rollout_id) FROM updated
    )
    SELECT * FROM updated`;
}
