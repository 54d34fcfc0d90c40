import { RolloutError } from '../errors.js';
import { USER_COLUMNS } from './columns.js';
import type { NewUser, TransitionEvent, UserPatch, UserRow } from './types.js';

/**
 * Pure helpers that both stores share, so the two cannot drift on what a new row, a patch or an
 * event looks like.
 */

/** The full row a NewUser becomes: version 1, no attempts, nothing installed, referenced or welcomed. */
export function newUserRow(user: NewUser, at: number): UserRow {
  return {
    tenantId: user.tenantId,
    aadObjectId: user.aadObjectId,
    userPrincipalName: user.userPrincipalName ?? null,
    displayName: user.displayName ?? null,
    locale: user.locale ?? null,
    state: user.state,
    reason: user.reason ?? null,
    statusCode: user.statusCode ?? null,
    serviceCode: user.serviceCode ?? null,
    detail: user.detail ?? null,
    installAttempts: 0,
    welcomeAttempts: 0,
    rolloutId: user.rolloutId ?? null,
    installedAt: null,
    referenceAt: null,
    welcomedAt: null,
    welcomeActivityId: null,
    optedOutAt: null,
    claimedBy: null,
    claimedAt: null,
    sendStartedAt: null,
    welcomeHeldBy: user.welcomeHeldBy ?? null,
    createdAt: at,
    updatedAt: at,
    version: 1,
  };
}

/** The creation event: a row comes from nothing into its first state. */
export function creationEvent(row: UserRow, actor: string): Required<TransitionEvent> {
  return { at: row.createdAt, from: null, to: row.state, reason: row.reason, actor, detail: row.detail, rolloutId: row.rolloutId };
}

/** An event with its optional fields filled: the row's rollout unless the event names one. */
export function completeEvent(event: TransitionEvent, rowRolloutId: string | null): Required<TransitionEvent> {
  return { ...event, detail: event.detail ?? null, rolloutId: event.rolloutId ?? rowRolloutId };
}

/** Fields that identify or version a row: a patch never carries them (types.ts UserPatch). */
const FIXED_FIELDS: ReadonlySet<string> = new Set(['tenantId', 'aadObjectId', 'version', 'createdAt']);

export interface PatchEntry {
  field: keyof UserRow;
  column: string;
  value: unknown;
}

/**
 * The patch as column assignments, in schema order (so equal shapes give equal SQL text, and a
 * statement cache keyed by that text stays small). Undefined fields are left alone; null clears.
 * updated_at is always the event's time, whatever the patch says.
 */
export function patchEntries(patch: UserPatch, at: number): PatchEntry[] {
  for (const [field, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    if (FIXED_FIELDS.has(field) || !(field in USER_COLUMNS)) {
      throw new RolloutError(
        'STORE_BAD_PATCH',
        `updateUser: "${field}" cannot be set by a patch (${FIXED_FIELDS.has(field) ? 'it identifies or versions the row' : 'no such field'}); remove it from the patch.`,
      );
    }
  }
  const entries: PatchEntry[] = [];
  const values: Record<string, unknown> = { ...patch, updatedAt: at };
  for (const [field, column] of Object.entries<string>(USER_COLUMNS)) {
    const value = values[field];
    if (value !== undefined && !FIXED_FIELDS.has(field)) entries.push({ field: field as keyof UserRow, column, value });
  }
  return entries;
}

/** The history line of a claim: who took the row, so a report can tell which sender held it. */
export function claimEvent(claimer: string, at: number, rolloutId: string | null): Required<TransitionEvent> {
  return { at, from: 'reference_ready', to: 'welcoming', reason: null, actor: 'sender', detail: claimDetail(claimer), rolloutId };
}

export const claimDetail = (claimer: string): string => `claimed by ${claimer}`;

/** PRODUCT.md §4 `unconfirmed`: the claimer stopped between sending and recording, so nobody knows whether the message went. */
export const ORPHANED_WELCOME_DETAIL = 'the sender that claimed this welcome stopped before recording its outcome; it may or may not have been sent';

export const RELEASED_WELCOME_DETAIL = 'the sender that claimed this welcome stopped before sending it; it goes again';

export function releaseEvent(at: number, rolloutId: string | null): Required<TransitionEvent> {
  return { at, from: 'welcoming', to: 'reference_ready', reason: null, actor: 'sender', detail: RELEASED_WELCOME_DETAIL, rolloutId };
}

export function orphanEvent(at: number, rolloutId: string | null): Required<TransitionEvent> {
  return { at, from: 'welcoming', to: 'unconfirmed', reason: null, actor: 'sender', detail: ORPHANED_WELCOME_DETAIL, rolloutId };
}
