import { isoTime } from '../clock.js';
import { adviceFor } from '../ledger/states.js';
import type { TransitionEvent, UserRow } from '../store/types.js';
import type { OutputFormat } from './render.js';
import type { Output } from './output-schemas.js';

/**
 * `report --person`: one person whole (issue 11, "what an administrator would look for"): where they
 * are, why, what to do about it, and every change the ledger recorded (user_events), oldest first.
 */
export interface PersonView {
  row: UserRow;
  events: TransitionEvent[];
  ledger: string;
}

/** unconfirmed has no reason, so REASON_ADVICE cannot carry it: its next step is a flag of install's own. */
const UNCONFIRMED_ADVICE = 'The welcome may have arrived: `teams-rollout install --resend-unconfirmed` sends it again (the person may get two).';

/** The next step for this person, or null when there is nothing to do (welcomed, or still on the way). */
export function personFix(row: Pick<UserRow, 'state' | 'reason'>): string | null {
  if (row.state === 'unconfirmed') return UNCONFIRMED_ADVICE;
  if (row.state !== 'skipped' && row.state !== 'failed') return null;
  return adviceFor(row.reason) ?? null;
}

const time = (ms: number | null | undefined) => (ms ? isoTime(ms) : null);

export function personJson(v: PersonView): Output<'report-person'> {
  const r = v.row;
  return {
    userPrincipalName: r.userPrincipalName,
    aadObjectId: r.aadObjectId,
    displayName: r.displayName,
    tenantId: r.tenantId,
    state: r.state,
    reason: r.reason,
    fix: personFix(r),
    statusCode: r.statusCode,
    serviceCode: r.serviceCode,
    detail: r.detail,
    installAttempts: r.installAttempts,
    welcomeAttempts: r.welcomeAttempts,
    installedAt: time(r.installedAt),
    referenceAt: time(r.referenceAt),
    welcomedAt: time(r.welcomedAt),
    optedOutAt: time(r.optedOutAt),
    rolloutId: r.rolloutId,
    history: v.events.map((e) => ({ at: isoTime(e.at), from: e.from, to: e.to, reason: e.reason, actor: e.actor, detail: e.detail ?? null, rolloutId: e.rolloutId ?? null })),
    ledger: v.ledger,
  };
}

export function renderPerson(v: PersonView, format: OutputFormat): string {
  const p = personJson(v);
  if (format === 'json') return JSON.stringify(p);
  const lines = [
    `${p.displayName ?? p.userPrincipalName ?? p.aadObjectId} <${p.userPrincipalName ?? 'no UPN'}>  ${p.aadObjectId}`,
    `  State:    ${p.state}${p.reason ? ` (${p.reason})` : ''}`,
  ];
  if (p.statusCode || p.serviceCode) lines.push(`  Answer:   ${[p.statusCode, p.serviceCode].filter(Boolean).join(' ')}`);
  if (p.detail) lines.push(`  Detail:   ${p.detail}`);
  if (p.fix) lines.push(`  Fix:      ${p.fix}`);
  lines.push(`  Attempts: ${p.installAttempts} install, ${p.welcomeAttempts} welcome`);
  for (const [label, at] of [['Installed', p.installedAt], ['Reference', p.referenceAt], ['Welcomed', p.welcomedAt], ['Opted out', p.optedOutAt]] as const) {
    if (at) lines.push(`  ${`${label}:`.padEnd(10)}${at}`);
  }
  if (p.rolloutId) lines.push(`  Rollout:  ${p.rolloutId}`);
  lines.push(`History (${p.history.length} ${p.history.length === 1 ? 'change' : 'changes'}, oldest first):`);
  for (const e of p.history) {
    const why = [e.reason, e.detail].filter(Boolean).join(': ');
    lines.push(`  ${e.at}  ${(e.from ?? '(new)').padEnd(17)} → ${e.to.padEnd(17)} by ${e.actor}${e.rolloutId ? ` in ${e.rolloutId}` : ''}${why ? ` — ${why}` : ''}`);
  }
  lines.push(`Ledger: ${p.ledger}`);
  return lines.join('\n');
}
