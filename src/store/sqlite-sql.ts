import { columnList, EVENT_COLUMNS, INSTALL_COLUMNS, REFERENCE_COLUMNS, ROLLOUT_COLUMNS, USER_COLUMNS } from './columns.js';
import { insertSql, placeholders, upsertSql } from './sql-text.js';
import type { PatchEntry } from './user-rows.js';
import { sqlitePlaceholder as ph } from './user-queries.js';

/** The SQLite store's fixed statements, built once from the column maps (columns.ts). */
const userColumns = columnList(USER_COLUMNS);
const selectUsers = `SELECT ${userColumns} FROM users`;
const selectRollouts = `SELECT ${columnList(ROLLOUT_COLUMNS)} FROM rollouts`;

export const SQLITE_SQL = {
  userColumns,
  userTables: { users: 'users', rolloutTargets: 'rollout_targets' },

  getUser: `${selectUsers} WHERE tenant_id = ? AND aad_object_id = ?`,
  // A JSON array bound as one parameter: one statement for any number of ids (deduplicated by the
  // caller). CROSS JOIN makes json_each the outer loop, so each value is one index probe; left to
  // itself the planner guesses json_each is large and scans the tenant instead.
  getUsers: `SELECT ${columnList(USER_COLUMNS, 'u')} FROM json_each(@ids) j
    CROSS JOIN users u ON u.tenant_id = @tenantId AND u.aad_object_id = j.value ORDER BY u.aad_object_id`,
  getUsersByUpn: `SELECT ${columnList(USER_COLUMNS, 'u')} FROM json_each(@upns) j
    CROSS JOIN users u ON u.tenant_id = @tenantId AND lower(u.user_principal_name) = j.value ORDER BY u.aad_object_id`,
  insertUser: `${insertSql('users', USER_COLUMNS, ph)} ON CONFLICT DO NOTHING`,
  insertEvent: `INSERT INTO user_events (tenant_id, aad_object_id, ${columnList(EVENT_COLUMNS)}) VALUES (?, ?, ${placeholders(Object.keys(EVENT_COLUMNS).length, ph)})`,
  history: `SELECT ${columnList(EVENT_COLUMNS)} FROM user_events WHERE tenant_id = ? AND aad_object_id = ? ORDER BY id`,

  // Oldest reference first: those people have waited longest. The order is users_welcome_queue's,
  // so this walks that index and stops after @limit. INDEXED BY because without ANALYZE statistics
  // the planner prefers users_state and sorts every waiting person on each claim (9 ms at 10,000
  // people against 0.3 ms). A null @tenantId means every tenant.
  pickClaimable: `SELECT u.tenant_id, u.aad_object_id FROM users u INDEXED BY users_welcome_queue
    JOIN conversation_references r ON r.tenant_id = u.tenant_id AND r.aad_object_id = u.aad_object_id
    WHERE u.state = 'reference_ready' AND u.opted_out_at IS NULL AND u.welcomed_at IS NULL AND u.welcome_held_by IS NULL AND (@tenantId IS NULL OR u.tenant_id = @tenantId)
    ORDER BY u.reference_at, u.tenant_id, u.aad_object_id LIMIT @limit`,
  claimOne: `UPDATE users SET state = 'welcoming', claimed_by = @claimer, claimed_at = @at, send_started_at = NULL, updated_at = @at,
    welcome_attempts = welcome_attempts + 1, version = version + 1
    WHERE tenant_id = @tenantId AND aad_object_id = @aadObjectId AND state = 'reference_ready' RETURNING ${userColumns}`,
  // As ledger/transitions.ts welcomeUnconfirmed: nobody holds the row any more, and its detail says
  // why. `IS NOT` is SQLite's IS DISTINCT FROM: a row with no claimer is orphaned too.
  orphanWelcomes: `UPDATE users SET state = 'unconfirmed', reason = NULL, detail = @detail,
    claimed_by = NULL, claimed_at = NULL, send_started_at = NULL, updated_at = @at, version = version + 1
    WHERE state = 'welcoming' AND claimed_by IS NOT @except AND send_started_at IS NOT NULL RETURNING tenant_id, aad_object_id, rollout_id`,
  // …and those whose sender never began an HTTP attempt are safe to send again: as welcomeReleased, the
  // attempt that never was is not counted, and the row's detail stays (the event says why).
  releaseWelcomes: `UPDATE users SET state = 'reference_ready', reason = NULL,
    claimed_by = NULL, claimed_at = NULL, send_started_at = NULL, welcome_attempts = MAX(0, welcome_attempts - 1), updated_at = @at, version = version + 1
    WHERE state = 'welcoming' AND claimed_by IS NOT @except AND send_started_at IS NULL RETURNING tenant_id, aad_object_id, rollout_id`,

  createRollout: insertSql('rollouts', ROLLOUT_COLUMNS, ph),
  finishRollout: 'UPDATE rollouts SET finished_at = ?, summary = ? WHERE id = ?',
  getRollout: `${selectRollouts} WHERE id = ?`,
  latestRollout: `${selectRollouts} WHERE @tenantId IS NULL OR tenant_id = @tenantId ORDER BY started_at DESC, id DESC LIMIT 1`,
  listRollouts: `${selectRollouts} WHERE @tenantId IS NULL OR tenant_id = @tenantId ORDER BY started_at, id`,
  addTarget: 'INSERT INTO rollout_targets (rollout_id, tenant_id, aad_object_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',

  putReference: upsertSql('conversation_references', REFERENCE_COLUMNS, ['tenantId', 'aadObjectId'], ph),
  getReference: `SELECT ${columnList(REFERENCE_COLUMNS)} FROM conversation_references WHERE tenant_id = ? AND aad_object_id = ?`,
  deleteReference: 'DELETE FROM conversation_references WHERE tenant_id = ? AND aad_object_id = ?',
  putInstall: upsertSql('conversation_installs', INSTALL_COLUMNS, ['tenantId', 'conversationId'], ph),
  listInstalls: `SELECT ${columnList(INSTALL_COLUMNS)} FROM conversation_installs WHERE tenant_id = ? ORDER BY installed_at, conversation_id`,

  // A JSON array of keys bound as one parameter, each one a primary-key probe (as getUsers).
  getLookups: `SELECT l.lookup_key AS key, l.value FROM json_each(@keys) j
    CROSS JOIN directory_lookups l ON l.tenant_id = @tenantId AND l.lookup_key = j.value WHERE l.looked_up_at >= @since`,
  putLookup: `INSERT INTO directory_lookups (tenant_id, lookup_key, value, looked_up_at) VALUES (?, ?, ?, ?)
    ON CONFLICT (tenant_id, lookup_key) DO UPDATE SET value = excluded.value, looked_up_at = excluded.looked_up_at`,

  getSetting: 'SELECT value FROM settings WHERE key = ?',
  setSetting: 'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',

  // A lease is free once expires_at <= now (leaseHolder agrees).
  acquireLease: `INSERT INTO leases (name, holder, expires_at) VALUES (@name, @holder, @expiresAt)
    ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
    WHERE leases.expires_at <= @at OR leases.holder = excluded.holder RETURNING holder`,
  releaseLease: 'DELETE FROM leases WHERE name = ? AND holder = ?',
  leaseHolder: 'SELECT holder FROM leases WHERE name = ? AND expires_at > ?',
} as const;

/** The compare-and-set: one statement text per patch shape (the store prepares each once). Values: the patch's, then key and version. */
export function updateUserSql(entries: PatchEntry[]): string {
  return `UPDATE users SET ${entries.map((e) => `${e.column} = ?`).join(', ')}, version = version + 1
    WHERE tenant_id = ? AND aad_object_id = ? AND version = ? RETURNING ${userColumns}`;
}
