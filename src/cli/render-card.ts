import { adviceFor, REASON_ADVICE } from '../ledger/states.js';
import type { OutputFormat } from './render.js';
import type { Output } from './output-schemas.js';

/**
 * Output of `welcome --preview` and `welcome --test-to`. The preview's text form is the card JSON
 * alone on stdout (so it can be saved and pasted into the Adaptive Cards Designer,
 * https://adaptivecards.io/designer); who it was rendered for and what is wrong with it go to stderr.
 */
export interface PreviewPerson {
  userPrincipalName: string | null;
  displayName: string | null;
  locale: string | null;
  /** Where the person's data came from: the ledger (as the sender reads it), the directory, or the sample. */
  from: 'ledger' | 'directory' | 'sample';
}

export interface CardPreviewView {
  person: PreviewPerson;
  template: string;
  /** The rendered Adaptive Card, or null when the template threw on this person's data. */
  card: Record<string, unknown> | null;
  /** Why this person would not be sent it (empty: the card is whole). */
  problems: string[];
}

export function renderCardPreview(v: CardPreviewView, format: OutputFormat): string {
  if (format === 'json') return JSON.stringify({ person: v.person, template: v.template, complete: v.problems.length === 0, problems: v.problems, card: v.card } satisfies Output<'welcome-preview'>);
  return v.card ? JSON.stringify(v.card, null, 2) : '';
}

/** The stderr lines beside a text preview. */
export function renderCardPreviewNote(v: CardPreviewView): string {
  const who = v.person.from === 'sample' ? `a sample person (${v.person.displayName}, ${v.person.locale}); --person UPN renders it for someone real` : `${v.person.userPrincipalName} (${v.person.displayName ?? 'no display name'}, ${v.person.locale ?? 'no locale'}, from the ${v.person.from})`;
  const lines = [`Preview of ${v.template} for ${who}. Nothing was sent or recorded.`];
  if (v.problems.length) {
    lines.push(`This card would NOT be sent to this person: ${v.problems.join('; ')}.`, `They would end failed (card_incomplete): ${REASON_ADVICE.card_incomplete}`);
  }
  return lines.join('\n');
}

export interface TestSendView {
  to: string;
  displayName: string | null;
  conversationId: string;
  /** How the chat was found: the reference in the ledger, or the installation's chat through Graph. */
  chatFrom: 'ledger' | 'graph';
  template: string;
  outcome: { sent: true; activityId: string | null } | { sent: false; reason: string; detail: string } | { sent: false; reason: 'card_incomplete'; problems: string[] };
}

export function renderTestSend(v: TestSendView, format: OutputFormat): string {
  if (format === 'json') return JSON.stringify({ testTo: v.to, conversationId: v.conversationId, chatFrom: v.chatFrom, template: v.template, recorded: false as const, ...v.outcome } satisfies Output<'welcome-test-to'>);
  const o = v.outcome;
  if (o.sent) return `Test welcome sent to ${v.to} (${v.displayName ?? 'no display name'}) in chat ${v.conversationId}${o.activityId ? `, activity ${o.activityId}` : ''}.\nNothing was recorded: no rollout, and ${v.to}'s state in the ledger is unchanged (a rollout still welcomes them).`;
  if ('problems' in o) return `Not sent to ${v.to}: the card ${v.template} cannot be completed for them: ${o.problems.join('; ')}.\nFix: ${REASON_ADVICE.card_incomplete}`;
  return `Not sent to ${v.to}: the connector answered ${o.reason} (${o.detail}).\nFix: ${adviceFor(o.reason) ?? REASON_ADVICE.unknown}`;
}
