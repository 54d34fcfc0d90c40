import * as ACData from 'adaptivecards-templating';
import { Expression, ExpressionEvaluator, ExpressionFunctions, ReturnType } from 'adaptive-expressions';

/**
 * The data paths a welcome card template reads, found with the templating library's own parser, and
 * the checks that keep a card with a hole in it from being sent.
 *
 * Why this is needed: adaptivecards-templating does not fail on a field the data lacks; it leaves the
 * binding in the text ("By default, expression evaluation will substitute an undefined field with its
 * binding expression (e.g. `${field}`)", GlobalSettings in adaptivecards-templating 2.3.1,
 * https://github.com/microsoft/AdaptiveCards/blob/main/source/nodejs/adaptivecards-templating/src/template-engine.ts),
 * and an expression that fails inside a longer string is kept as written too. The template language
 * (https://learn.microsoft.com/adaptive-cards/templating/language) reads `${a.b}` relative to the
 * current `$data` (the root unless an element sets `$data`), `$root.a` from the root, and `$when` as a
 * condition; `$index` is the position in a repeated `$data` array and `$host` the host app's data.
 */

/** The card's template fields: everything this tool puts in the data (README "The card's template fields"). */
export const CARD_FIELDS = [
  { field: 'name', from: "the person's display name (\"there\" when the directory has none)" },
  { field: 'firstName', from: 'the first word of the display name' },
  { field: 'locale', from: "the person's language, BCP 47 (preferredLanguage or the install event's locale; en-US when unknown)" },
  { field: 'appName', from: "the app's name in the org catalogue" },
  { field: 'requestedBy', from: 'ROLLOUT_REQUESTED_BY (default "your IT team")' },
  { field: 'reason', from: 'ROLLOUT_REASON (optional: empty when unset, so write ${if(empty(reason), \'\', reason)})' },
  { field: 'offer', from: 'WELCOME_OFFER (default: one sentence naming the app)' },
] as const;
export type CardField = (typeof CARD_FIELDS)[number]['field'];
export const CARD_FIELD_NAMES: ReadonlySet<string> = new Set(CARD_FIELDS.map((f) => f.field));

/** One data path read by one `${…}` of the template. */
export interface FieldUse {
  /** The path as the data must have it: "manager.name", or "reason" for `${$root.reason}`. */
  field: string;
  /** The whole binding as written, for the message. */
  binding: string;
  /** Where in the template: body[0].text. */
  at: string;
  /** Whether the data has this path (inline `$data`, `$index` and the library's own fields count as known). */
  known: boolean;
  /** Shown as it is (`Hi ${name}`), not inside a function or a `$when`: an empty value leaves a hole in the text. */
  shown: boolean;
}

type Scope = { kind: 'root' } | { kind: 'inline'; keys: ReadonlySet<string> } | { kind: 'bound'; base: string };

/**
 * Every data path the template reads, in document order. `template` is the parsed JSON; expressions
 * that do not parse are left to the templating library's own error (Template's constructor throws).
 */
export function fieldUses(template: unknown, known: ReadonlySet<string> = CARD_FIELD_NAMES): FieldUse[] {
  const uses: FieldUse[] = [];
  const visit = (node: unknown, at: string, scope: Scope, inWhen: boolean): void => {
    if (typeof node === 'string') {
      for (const use of usesIn(node, at, scope, known, inWhen)) uses.push(use);
    } else if (Array.isArray(node)) {
      node.forEach((item, i) => visit(item, `${at}[${i}]`, scope, inWhen));
    } else if (node && typeof node === 'object') {
      const obj = node as Record<string, unknown>;
      let inner = scope;
      if ('$data' in obj) {
        const data = obj.$data;
        if (typeof data === 'string' && data.includes('${')) {
          // The $data binding itself is read in the outer scope; what is inside reads from what it gives.
          visit(data, join(at, '$data'), scope, true);
          const expr = parse(data);
          inner = expr?.toString() === '$root' ? { kind: 'root' } : { kind: 'bound', base: expr?.toString() ?? data };
        } else {
          inner = { kind: 'inline', keys: inlineKeys(data) };
        }
      }
      for (const [key, value] of Object.entries(obj)) {
        if (key === '$data') continue; // inline data is data, not template
        visit(value, join(at, key), inner, key === '$when');
      }
    }
  };
  visit(template, '', { kind: 'root' }, false);
  return uses;
}

/** The uses whose path the data does not have, one per field and place. */
export function unknownFields(uses: readonly FieldUse[]): FieldUse[] {
  return uses.filter((u) => !u.known);
}

/**
 * What keeps one person's rendered card from being sent: a binding left in the text (`${…}`: a field
 * missing for this person, or an expression that failed on their data), or a shown field that is empty
 * for them. Empty when the card is whole.
 */
export function incompleteParts(rendered: unknown, uses: readonly FieldUse[], data: Readonly<Partial<Record<CardField, unknown>>>): string[] {
  const problems: string[] = [];
  for (const left of leftoverBindings(rendered)) problems.push(`${left} was not filled in`);
  const empty = new Set<string>();
  for (const u of uses) {
    if (!u.shown || !u.known || !CARD_FIELD_NAMES.has(u.field) || empty.has(u.field)) continue;
    const v = data[u.field as CardField];
    if (v === undefined || v === null || (typeof v === 'string' && v.trim() === '')) {
      empty.add(u.field);
      problems.push(`${u.field} is empty (${u.at})`);
    }
  }
  return problems;
}

/** Every `${…}` left in the strings of a rendered card (at most 10, each at most 80 characters). */
export function leftoverBindings(rendered: unknown): string[] {
  const found = new Set<string>();
  const visit = (node: unknown): void => {
    if (found.size >= 10) return;
    if (typeof node === 'string') {
      for (const m of node.matchAll(/\$\{[^}]*\}?/g)) found.add(m[0].slice(0, 80));
    } else if (Array.isArray(node)) node.forEach(visit);
    else if (node && typeof node === 'object') Object.values(node).forEach(visit);
  };
  visit(rendered);
  return [...found].slice(0, 10);
}

function usesIn(text: string, at: string, scope: Scope, known: ReadonlySet<string>, inWhen: boolean): FieldUse[] {
  if (!text.includes('${')) return [];
  const pieces = interpolation(text);
  if (!pieces) return [];
  // A piece that is a bare path (`Hi ${name}`) shows the value as it is; inside a function it is the function's to handle.
  const shown = new Set(inWhen ? [] : pieces.children.filter((c) => c.type === 'Accessor').flatMap((c) => c.references()));
  const out: FieldUse[] = [];
  for (const ref of new Set(pieces.references())) {
    const resolved = resolve(ref, scope, known);
    if (!resolved) continue;
    out.push({ field: resolved.field, binding: bindingOf(text, ref), at: at || '(root)', known: resolved.known, shown: shown.has(ref) && resolved.rooted });
  }
  return out;
}

/**
 * The string as the library reads it: a template string, i.e. a concat of its text and `${…}` pieces
 * (adaptivecards-templating parses "`" + text + "`" the same way, with unknown functions allowed to parse).
 */
function interpolation(text: string): Expression | null {
  try {
    return Expression.parse('`' + text + '`', unknownFunctionsAllowed);
  } catch {
    return null;
  }
}

const unknownFunctionsAllowed = (type: string): ExpressionEvaluator =>
  ExpressionFunctions.standardFunctions.get(type) ??
  new ExpressionEvaluator(
    type,
    () => {
      throw new Error(`Unknown function ${type}`);
    },
    ReturnType.String,
  );

/** A reference in its scope: the root path it reads and whether the data has it; null for nothing to check. */
function resolve(ref: string, scope: Scope, known: ReadonlySet<string>): { field: string; known: boolean; rooted: boolean } | null {
  if (ref === '$root' || ref === '$data' || ref === '$index' || ref.startsWith('$_acTemplateVersion')) return null;
  if (ref.startsWith('$host')) return { field: ref, known: false, rooted: false }; // the host app's data: this tool has none
  const rooted = ref.startsWith('$root.') ? ref.slice('$root.'.length) : null;
  if (rooted !== null) return { field: rooted, known: known.has(rooted), rooted: true };
  const relative = ref.startsWith('$data.') ? ref.slice('$data.'.length) : ref;
  if (scope.kind === 'root') return { field: relative, known: known.has(relative), rooted: true };
  if (scope.kind === 'inline') return { field: relative, known: scope.keys.has(firstSegment(relative)), rooted: false };
  // Inside "$data": "${something}": every field of ours is text, so nothing lies below one.
  return { field: `${scope.base}.${relative}`, known: false, rooted: false };
}

function parse(text: string): Expression | null {
  try {
    const e = ACData.Template.parseInterpolatedString(text);
    return typeof e === 'string' ? null : e;
  } catch {
    return null;
  }
}

function inlineKeys(data: unknown): ReadonlySet<string> {
  const items = Array.isArray(data) ? data : [data];
  const keys = new Set<string>();
  for (const item of items) if (item && typeof item === 'object') for (const k of Object.keys(item)) keys.add(k);
  return keys;
}

const firstSegment = (path: string) => path.split(/[.[]/)[0] ?? path;
const join = (at: string, key: string) => (at ? `${at}.${key}` : key);

/** The `${…}` of the string that holds this reference, as the author wrote it. */
function bindingOf(text: string, ref: string): string {
  for (const m of text.matchAll(/\$\{[^}]*\}/g)) if (m[0].includes(ref.replace(/^\$(root|data)\./, ''))) return m[0];
  return `\${${ref}}`;
}
