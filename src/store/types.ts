import type { State } from '../ledger/states.js';

/**
 * The store: the per-user ledger, conversation references, rollouts and a few settings. SQLite by
 * default (one file), PostgreSQL when several processes share it. Both implementations satisfy the
 * same contract tests (store/contract.test.ts). Times are epoch milliseconds.
 *
 * Concurrency model: every ledger row carries a `version`. A change is a compare-and-set on it
 * (`updateUser`), computed by a pure transition function from the row as read; a lost race re-reads
 * and tries again. Welcomes are claimed in one atomic statement (`claimWelcomes`), so two senders
 * never take the same person.
 */
export type { NewUser, TransitionEvent, UserPatch, UserRow } from '../ledger/rows.js';
import type { TransitionEvent, UserPatch, UserRow, NewUser } from '../ledger/rows.js';

/** `created`: the sender created the 1:1 conversation again after the stored chat was gone (issue 10.1). */
export type ReferenceSource = 'installationUpdate' | 'conversationUpdate' | 'message' | 'graph' | 'team-roster' | 'created';

/** What the sender needs to write to a person (PRODUCT.md §2 "Capture"). */
export interface ConversationReferenceRow {
  tenantId: string;
  aadObjectId: string;
  conversationId: string;
  /** Exactly as received (trailing slash included): wire-facts B1/B7. */
  serviceUrl: string;
  /** The bot-specific `29:` user id, when known (not for Graph-resolved references). */
  userId: string | null;
  /** `28:{appId}` as the activity's recipient, when known. */
  botId: string | null;
  source: ReferenceSource;
  capturedAt: number;
}

/** A team or group-chat install: recorded, not welcomed as a personal chat. */
export interface ConversationInstallRow {
  tenantId: string;
  conversationId: string;
  scope: 'team' | 'groupChat';
  teamId: string | null;
  name: string | null;
  serviceUrl: string;
  installedAt: number;
  removedAt: number | null;
}

export interface RolloutRow {
  id: string;
  tenantId: string;
  startedAt: number;
  finishedAt: number | null;
  /** The command line's target description, e.g. "--all-users" or "--group X --group Y". */
  targets: string;
  /** Options that matter for a resume (JSON). */
  options: string;
  /** The final summary (JSON), when finished. */
  summary: string | null;
}

export interface ListUsersQuery {
  tenantId?: string | undefined;
  rolloutId?: string | undefined;
  states?: State[] | undefined;
  /** Keyset paging: rows with aadObjectId > afterId (ordered by tenantId, aadObjectId). */
  after?: { tenantId: string; aadObjectId: string } | undefined;
  limit: number;
}

export interface StateCount {
  state: State;
  reason: string | null;
  count: number;
}

export interface Store {
  readonly kind: 'sqlite' | 'postgres';
  /** Creates or upgrades the schema. Safe to call every start. */
  migrate(): Promise<void>;
  close(): Promise<void>;

  // ── ledger ────────────────────────────────────────────────────────────────
  getUser(tenantId: string, aadObjectId: string): Promise<UserRow | undefined>;
  getUsers(tenantId: string, aadObjectIds: string[]): Promise<UserRow[]>;
  /** Finds rows by UPN (case-insensitive), for exclusion files. */
  getUsersByUpn(tenantId: string, upns: string[]): Promise<UserRow[]>;
  /** Inserts rows that do not exist yet (others untouched); records a creation event for each. Returns how many were new. */
  insertUsers(rows: NewUser[], at: number, actor: string): Promise<number>;
  /**
   * Compare-and-set: applies `patch` only if the row still has `expectedVersion`; bumps the version,
   * sets updatedAt = event.at and appends `event` to the history in the same transaction.
   * Returns the new row, or undefined if the version moved (re-read and decide again).
   */
  updateUser(tenantId: string, aadObjectId: string, expectedVersion: number, patch: UserPatch, event: TransitionEvent): Promise<UserRow | undefined>;
  listUsers(query: ListUsersQuery): Promise<UserRow[]>;
  countByState(filter: { tenantId?: string | undefined; rolloutId?: string | undefined }): Promise<StateCount[]>;
  /** How many people are in any of `states` (cheap when few are: it reads the state index). */
  countInStates(filter: { tenantId?: string | undefined; rolloutId?: string | undefined }, states: readonly State[]): Promise<number>;
  history(tenantId: string, aadObjectId: string): Promise<TransitionEvent[]>;

  /**
   * Atomically moves up to `limit` rows from `reference_ready` (not opted out, never welcomed, with a
   * stored reference) to `welcoming`, claimed by `claimer`; records the events; returns the rows.
   */
  claimWelcomes(claimer: string, limit: number, at: number, tenantId?: string): Promise<UserRow[]>;
  /**
   * Rows left `welcoming` by a claimer other than `exceptClaimer` (a sender that died): those with an
   * HTTP attempt under way (`sendStartedAt` set) may have been delivered and become `unconfirmed`;
   * those without one never left the process and go back to `reference_ready` (released).
   */
  recoverOrphanedWelcomes(exceptClaimer: string, at: number): Promise<{ unconfirmed: number; released: number }>;

  // ── rollout membership (who a rollout targets; dedupes people reached twice) ─
  /** Adds users to a rollout's targets; returns how many were not there already. */
  addRolloutTargets(rolloutId: string, tenantId: string, aadObjectIds: string[]): Promise<number>;
  createRollout(row: RolloutRow): Promise<void>;
  finishRollout(id: string, at: number, summary: string): Promise<void>;
  getRollout(id: string): Promise<RolloutRow | undefined>;
  latestRollout(tenantId?: string): Promise<RolloutRow | undefined>;
  /** Every rollout (of one tenant, if given), oldest first: `status --all`. */
  listRollouts(tenantId?: string): Promise<RolloutRow[]>;

  // ── conversation references ───────────────────────────────────────────────
  putReference(ref: ConversationReferenceRow): Promise<void>;
  getReference(tenantId: string, aadObjectId: string): Promise<ConversationReferenceRow | undefined>;
  deleteReference(tenantId: string, aadObjectId: string): Promise<void>;
  putConversationInstall(row: ConversationInstallRow): Promise<void>;
  listConversationInstalls(tenantId: string): Promise<ConversationInstallRow[]>;

  // ── settings (delta links, catalogue ids, the tenant's latest serviceUrl) ──
  getSetting(key: string): Promise<string | undefined>;
  setSetting(key: string, value: string): Promise<void>;

  // ── directory look-ups of a --users file, kept so that a resumed run does not repeat them ──
  /** Saves what the directory answered, by look-up key ('upn:…' or 'id:…', lower-case): the user as JSON. */
  putLookups(tenantId: string, entries: { key: string; value: string }[], at: number): Promise<void>;
  /** The saved answers among `keys` that were made at or after `since`. */
  getLookups(tenantId: string, keys: string[], since: number): Promise<Map<string, string>>;

  // ── one sender at a time, across processes ────────────────────────────────
  /** Takes or renews the named lease for `ttlMs`; true if `holder` now holds it. */
  acquireLease(name: string, holder: string, ttlMs: number, at: number): Promise<boolean>;
  releaseLease(name: string, holder: string): Promise<void>;
  leaseHolder(name: string, at: number): Promise<string | undefined>;
}
