import type { State } from './states.js';

/**
 * The ledger's rows: one per person, with its state, and the history of its changes. Pure data: the
 * transitions (transitions.ts) compute changes of these, and the store (store/types.ts) keeps them.
 */
export interface UserRow {
  tenantId: string;
  aadObjectId: string;
  userPrincipalName: string | null;
  displayName: string | null;
  /** BCP 47, from the directory's preferredLanguage or the install event's locale. */
  locale: string | null;
  state: State;
  /** A skip or failure reason (ledger/states.ts), or null. */
  reason: string | null;
  /** The HTTP status behind the last failure, if any. */
  statusCode: number | null;
  /** The service's error code behind the last failure (Graph error.code, connector error.code). */
  serviceCode: string | null;
  /** The service's message, or our explanation (never a secret). */
  detail: string | null;
  installAttempts: number;
  welcomeAttempts: number;
  /** The rollout that last touched the row. */
  rolloutId: string | null;
  installedAt: number | null;
  referenceAt: number | null;
  welcomedAt: number | null;
  welcomeActivityId: string | null;
  optedOutAt: number | null;
  /** The sender that holds the row while `welcoming`. */
  claimedBy: string | null;
  claimedAt: number | null;
  /**
   * Set just before each HTTP attempt of a welcome and cleared when the connector answers: a row
   * left `welcoming` by a crash with this set may have been delivered (→ unconfirmed); without it,
   * nothing left the process and the welcome can safely go again.
   */
  sendStartedAt?: number | null;
  /**
   * The `install --no-welcome` rollout that holds this person's welcome: while set, no process
   * (serve included) claims it. A later install without --no-welcome that targets the person clears it.
   */
  welcomeHeldBy?: string | null;
  createdAt: number;
  updatedAt: number;
  version: number;
}

/** A new row: identity and data; everything else starts empty. */
export type NewUser = Pick<UserRow, 'tenantId' | 'aadObjectId' | 'userPrincipalName' | 'displayName' | 'locale' | 'state' | 'reason' | 'rolloutId'> &
  Partial<Pick<UserRow, 'detail' | 'statusCode' | 'serviceCode' | 'welcomeHeldBy'>>;

/** The fields a transition may change (never tenantId/aadObjectId/version/createdAt). */
export type UserPatch = Partial<Omit<UserRow, 'tenantId' | 'aadObjectId' | 'version' | 'createdAt'>>;

/** One line of a user's history. */
export interface TransitionEvent {
  at: number;
  from: State | null;
  to: State;
  reason: string | null;
  /** What caused it: 'install', 'capture', 'sender', 'graph', 'cli', … */
  actor: string;
  detail?: string | null;
  rolloutId?: string | null;
}
