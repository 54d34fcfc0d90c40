import type { State } from '../ledger/states.js';
import type { ConversationInstallRow, ConversationReferenceRow, RolloutRow, StateCount, TransitionEvent, UserRow } from './types.js';

/**
 * The one place where camelCase fields meet snake_case columns. Both stores build their column
 * lists and map their rows through these maps, so a new field is added here (plus a migration in
 * each schema file) and nowhere else. `satisfies` makes the compiler flag a field without a column.
 */
export type ColumnMap<T> = { readonly [K in keyof T]-?: string };

export const USER_COLUMNS = {
  tenantId: 'tenant_id',
  aadObjectId: 'aad_object_id',
  userPrincipalName: 'user_principal_name',
  displayName: 'display_name',
  locale: 'locale',
  state: 'state',
  reason: 'reason',
  statusCode: 'status_code',
  serviceCode: 'service_code',
  detail: 'detail',
  installAttempts: 'install_attempts',
  welcomeAttempts: 'welcome_attempts',
  rolloutId: 'rollout_id',
  installedAt: 'installed_at',
  referenceAt: 'reference_at',
  welcomedAt: 'welcomed_at',
  welcomeActivityId: 'welcome_activity_id',
  optedOutAt: 'opted_out_at',
  claimedBy: 'claimed_by',
  claimedAt: 'claimed_at',
  sendStartedAt: 'send_started_at',
  welcomeHeldBy: 'welcome_held_by',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
  version: 'version',
} as const satisfies ColumnMap<UserRow>;

export const EVENT_COLUMNS = {
  at: 'at',
  from: 'from_state',
  to: 'to_state',
  reason: 'reason',
  actor: 'actor',
  detail: 'detail',
  rolloutId: 'rollout_id',
} as const satisfies ColumnMap<TransitionEvent>;

export const REFERENCE_COLUMNS = {
  tenantId: 'tenant_id',
  aadObjectId: 'aad_object_id',
  conversationId: 'conversation_id',
  serviceUrl: 'service_url',
  userId: 'user_id',
  botId: 'bot_id',
  source: 'source',
  capturedAt: 'captured_at',
} as const satisfies ColumnMap<ConversationReferenceRow>;

export const INSTALL_COLUMNS = {
  tenantId: 'tenant_id',
  conversationId: 'conversation_id',
  scope: 'scope',
  teamId: 'team_id',
  name: 'name',
  serviceUrl: 'service_url',
  installedAt: 'installed_at',
  removedAt: 'removed_at',
} as const satisfies ColumnMap<ConversationInstallRow>;

export const ROLLOUT_COLUMNS = {
  id: 'id',
  tenantId: 'tenant_id',
  startedAt: 'started_at',
  finishedAt: 'finished_at',
  targets: 'targets',
  options: 'options',
  summary: 'summary',
} as const satisfies ColumnMap<RolloutRow>;

/** A row as a driver returns it: column name → value. */
export type DbRecord = Record<string, unknown>;

/** `tenant_id, aad_object_id, …`, optionally prefixed by a table alias. */
export function columnList<T>(columns: ColumnMap<T>, alias?: string): string {
  return Object.values<string>(columns)
    .map((c) => (alias ? `${alias}.${c}` : c))
    .join(', ');
}

/**
 * Maps a driver record to a typed row. The schema's NOT NULL constraints and column types are what
 * make the cast sound; SQL NULL (and a column the query did not select) become null.
 */
export function fromRecord<T>(columns: ColumnMap<T>, record: DbRecord): T {
  const row: Record<string, unknown> = {};
  for (const [field, column] of Object.entries<string>(columns)) row[field] = record[column] ?? null;
  return row as T;
}

/** The row's values in column order, undefined as null (neither driver binds undefined). */
export function valuesOf<T>(columns: ColumnMap<T>, row: T): unknown[] {
  return (Object.keys(columns) as (keyof T)[]).map((field) => row[field] ?? null);
}

export const toUserRow = (record: DbRecord): UserRow => fromRecord<UserRow>(USER_COLUMNS, record);
export const toEvent = (record: DbRecord): TransitionEvent => fromRecord<TransitionEvent>(EVENT_COLUMNS, record);
export const toReference = (record: DbRecord): ConversationReferenceRow => fromRecord<ConversationReferenceRow>(REFERENCE_COLUMNS, record);
export const toInstall = (record: DbRecord): ConversationInstallRow => fromRecord<ConversationInstallRow>(INSTALL_COLUMNS, record);
export const toRollout = (record: DbRecord): RolloutRow => fromRecord<RolloutRow>(ROLLOUT_COLUMNS, record);
export const toStateCount = (record: DbRecord): StateCount => ({
  state: record.state as State,
  reason: (record.reason as string | null) ?? null,
  count: Number(record.count),
});

/** The inverse of fromRecord: a typed row as column name → value (for PostgreSQL's jsonb_populate_recordset). */
export function toRecord<T>(columns: ColumnMap<T>, row: T): DbRecord {
  const record: DbRecord = {};
  for (const field of Object.keys(columns) as (keyof T)[]) record[columns[field]] = row[field] ?? null;
  return record;
}
