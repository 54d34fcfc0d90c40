import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ACData from 'adaptivecards-templating';
import { UsageError } from '../errors.js';
import type { UserRow } from '../store/types.js';
import { CARD_FIELDS, fieldUses, incompleteParts, unknownFields, type CardField, type FieldUse } from './card-fields.js';

/**
 * The welcome: an Adaptive Card from a template file, rendered with adaptivecards-templating from
 * the person's data and the rollout's, with a plain-text fallback. The default card follows the
 * Teams guidance for welcome messages: why the person is getting it, what the app offers, what to
 * do next, and how to opt out (https://learn.microsoft.com/microsoftteams/platform/bots/design/bots#welcome-message-for-a-bot).
 */
export interface RolloutContext {
  appName: string;
  /** Who rolled it out ("IT Service Desk"). */
  requestedBy: string;
  /** Why, in one sentence (optional). */
  reason: string;
  /** What the app does for people, one or two sentences. */
  offer: string;
}

/** The data a template binds to: exactly the card's template fields (card-fields.ts), no more, no less. */
export type CardData = RolloutContext & { name: string; firstName: string; locale: string } & Record<CardField, string>;

type Person = Pick<UserRow, 'displayName' | 'locale'>;

/** One person's welcome, or why it cannot go: never a message with a hole in it. */
export type ComposedWelcome = { ok: true; activity: Record<string, unknown> } | { ok: false; problems: string[] };

export interface WelcomeCard {
  /** The message activity for one person, as rendered (holes included: see compose). */
  render(person: Person): Record<string, unknown>;
  /** The message for one person, checked: a binding left as `${…}` or a shown field empty for them stops it. */
  compose(person: Person): ComposedWelcome;
  readonly source: string;
}

/** The person the template is tried on at start. */
export const SAMPLE_PERSON: Person = { displayName: 'Ada Lovelace', locale: 'en-GB' };

export const DEFAULT_CARD_PATH = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'templates', 'welcome-card.json');

export function cardData(person: Pick<UserRow, 'displayName' | 'locale'>, ctx: RolloutContext): CardData {
  const name = person.displayName?.trim() || 'there';
  return { ...ctx, name, firstName: name.split(/\s+/)[0] ?? name, locale: person.locale || 'en-US' };
}

/** Loads and checks the template: a broken one fails at start with the template's own error, not on the first person. */
export function loadWelcomeCard(file: string | undefined, ctx: RolloutContext): WelcomeCard {
  const source = file ?? DEFAULT_CARD_PATH;
  let payload: unknown;
  try {
    payload = JSON.parse(readFileSync(source, 'utf8'));
  } catch (e) {
    throw new UsageError(`The welcome card template ${source} cannot be used: ${(e as Error).message}. Point --card (or WELCOME_CARD) at an Adaptive Card JSON file.`);
  }
  if (!payload || typeof payload !== 'object' || (payload as { type?: string }).type !== 'AdaptiveCard') {
    throw new UsageError(`The welcome card template ${source} is not an Adaptive Card (its "type" must be "AdaptiveCard").`);
  }
  let render: WelcomeCard['render'];
  try {
    // Made inside the try: the template parses its ${…} expressions here, and throws on a syntax error.
    render = renderer(new ACData.Template(payload), ctx);
  } catch (e) {
    throw new UsageError(`The welcome card template ${source} does not render: ${(e as Error).message}`);
  }
  const uses = fieldUses(payload);
  const unknown = unknownFields(uses);
  if (unknown.length) throw new UsageError(unknownFieldsMessage(source, unknown));
  const compose = composer(render, uses, ctx);
  try {
    const sample = render(SAMPLE_PERSON);
    if (JSON.stringify(sample).length > 28_000) throw new Error('the rendered card is over the 28 KB Teams accepts for a message');
  } catch (e) {
    throw new UsageError(`The welcome card template ${source} does not render: ${(e as Error).message}`);
  }
  const trial = compose(SAMPLE_PERSON);
  if (!trial.ok) {
    throw new UsageError(
      `The welcome card template ${source} does not render completely for a sample person (${SAMPLE_PERSON.displayName}): ${trial.problems.join('; ')}. Nothing was sent.\n` +
        `An optional field needs a guard, e.g. \${if(empty(reason), '', reason)}; set ROLLOUT_REASON, ROLLOUT_REQUESTED_BY or WELCOME_OFFER for the rollout's own fields.`,
    );
  }
  return { render, compose, source };
}

function composer(render: WelcomeCard['render'], uses: readonly FieldUse[], ctx: RolloutContext): WelcomeCard['compose'] {
  return (person) => {
    let activity: Record<string, unknown>;
    try {
      activity = render(person);
    } catch (e) {
      // A single-expression string that fails on this person's data throws instead of staying ${…}.
      return { ok: false, problems: [`the template failed on this person's data: ${(e as Error).message}`] };
    }
    const problems = incompleteParts(activity, uses, cardData(person, ctx));
    return problems.length ? { ok: false, problems } : { ok: true, activity };
  };
}

/** Exit 2 at start: each unknown field with its binding and place, the file, and the fields there are. */
function unknownFieldsMessage(source: string, unknown: readonly FieldUse[]): string {
  const lines = unknown.map((u) => `  ${u.field} — ${u.binding} at ${u.at}`);
  return [
    `The welcome card template ${source} uses ${unknown.length === 1 ? 'a field' : 'fields'} this tool does not fill in, so people would receive the \${…} as written:`,
    ...lines,
    `The card's template fields are: ${CARD_FIELDS.map((f) => f.field).join(', ')} (README, "The card's template fields"). Use those, or remove the bindings above; nothing was sent.`,
  ].join('\n');
}

function renderer(template: ACData.Template, ctx: RolloutContext): WelcomeCard['render'] {
  return (person) => {
    const card = template.expand({ $root: cardData(person, ctx) }) as Record<string, unknown>;
    const fallback = typeof card.fallbackText === 'string' ? card.fallbackText : `Welcome to ${ctx.appName}!`;
    return {
      type: 'message',
      summary: fallback.slice(0, 250),
      attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: card }],
    };
  };
}
