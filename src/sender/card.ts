import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ACData from 'adaptivecards-templating';
import { UsageError } from '../errors.js';
import type { UserRow } from '../store/types.js';

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

export interface CardData extends RolloutContext {
  name: string;
  firstName: string;
  locale: string;
}

export interface WelcomeCard {
  /** The message activity for one person. */
  render(person: Pick<UserRow, 'displayName' | 'locale'>): Record<string, unknown>;
  readonly source: string;
}

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
    const trial = render({ displayName: 'Ada Lovelace', locale: 'en-GB' });
    if (JSON.stringify(trial).length > 28_000) throw new Error('the rendered card is over the 28 KB Teams accepts for a message');
  } catch (e) {
    throw new UsageError(`The welcome card template ${source} does not render: ${(e as Error).message}`);
  }
  return { render, source };
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
