import { badRequest, unsupportedQuery } from './errors.js';
import { FilterError, FilterTooLong, parseFilter, type Filter } from './filter.js';

/**
 * The OData query options the simulated endpoints read: `$select`, `$top`, `$expand`, `$count`.
 * Pure; each throws the Graph 400 a real endpoint would give for a value it cannot use.
 */

/** `$select=a,b` → ['a','b'], or null when absent. Unknown properties → 400, as Graph answers. */
export function parseSelect(raw: string | null, known: readonly string[], type: string): string[] | null {
  if (raw === null || raw.trim() === '') return null;
  const names = raw.split(',').map((s) => s.trim()).filter(Boolean);
  for (const n of names) {
    if (!known.some((k) => k.toLowerCase() === n.toLowerCase())) {
      throw badRequest(`Could not find a property named '${n}' on type 'microsoft.graph.${type}'.`);
    }
  }
  return names.map((n) => known.find((k) => k.toLowerCase() === n.toLowerCase())!);
}

/** The selected properties of `item`, or `defaults` when nothing was selected. */
export function project(item: Record<string, unknown>, select: readonly string[] | null, defaults: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of select ?? defaults) out[k] = item[k] ?? null;
  return out;
}

/**
 * `$top`: default page size and maximum (user-list.md: 100 by default, at most 999). [INF] the
 * exact text of the 400 for an out-of-range value.
 */
export function parseTop(raw: string | null, limits: { default: number; max: number }): number {
  if (raw === null) return limits.default;
  const n = /^\d+$/.test(raw.trim()) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(n) || n < 1 || n > limits.max) {
    throw unsupportedQuery(`Invalid page size specified: '${raw}'. Must be between 1 and ${limits.max} inclusive.`);
  }
  return n;
}

export const wantsCount = (q: URLSearchParams): boolean => (q.get('$count') ?? '').toLowerCase() === 'true';

export interface ExpandItem {
  select: string[] | null;
  expand: Map<string, ExpandItem>;
}

/** `$expand=appDefinitions($expand=bot;$select=id),teamsApp` → a tree keyed by lower-case name. */
export function parseExpand(raw: string | null): Map<string, ExpandItem> {
  const out = new Map<string, ExpandItem>();
  if (raw === null || raw.trim() === '') return out;
  for (const part of splitTopLevel(raw, ',')) {
    const m = /^\s*([\w.]+)\s*(?:\((.*)\))?\s*$/.exec(part);
    if (!m) throw badRequest(`Syntax error in $expand near '${part}'.`);
    const item: ExpandItem = { select: null, expand: new Map() };
    for (const opt of m[2] ? splitTopLevel(m[2], ';') : []) {
      const eq = opt.indexOf('=');
      const key = opt.slice(0, eq).trim().toLowerCase();
      const value = opt.slice(eq + 1);
      if (key === '$expand') item.expand = parseExpand(value);
      else if (key === '$select') item.select = value.split(',').map((s) => s.trim()).filter(Boolean);
      else throw badRequest(`Query option '${key}' is not supported inside $expand.`);
    }
    out.set(m[1]!.toLowerCase(), item);
  }
  return out;
}

export function splitTopLevel(s: string, sep: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === sep && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (cur.trim() !== '') parts.push(cur);
  return parts;
}

/** `$filter` over the given property paths (lower-case); anything else is Graph's 400 ([INF] text). */
export function parseFilterParam(raw: string | null, filterable: ReadonlySet<string>): Filter | null {
  if (raw === null || raw.trim() === '') return null;
  try {
    return parseFilter(raw, (p) => filterable.has(p.toLowerCase()));
  } catch (e) {
    if (e instanceof FilterTooLong) throw unsupportedQuery(e.message);
    if (e instanceof FilterError) throw badRequest(`Invalid filter clause: ${e.message}.`);
    throw e;
  }
}
