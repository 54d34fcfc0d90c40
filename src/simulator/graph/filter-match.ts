import type { Filter, Literal } from './filter.js';

/** Evaluates a parsed filter against a plain object; strings compare case-insensitively, as the directory does. */
export function matchesFilter(f: Filter, item: unknown, vars: Record<string, unknown> = {}): boolean {
  switch (f.kind) {
    case 'and':
      return matchesFilter(f.left, item, vars) && matchesFilter(f.right, item, vars);
    case 'or':
      return matchesFilter(f.left, item, vars) || matchesFilter(f.right, item, vars);
    case 'not':
      return !matchesFilter(f.expr, item, vars);
    case 'in': {
      const v = resolve(f.path, item, vars);
      return f.values.some((x) => equal(v, x));
    }
    case 'cmp': {
      const same = equal(resolve(f.path, item, vars), f.value);
      return f.op === 'eq' ? same : !same;
    }
    default: {
      const list = resolve(f.path, item, vars);
      const items = Array.isArray(list) ? list : [];
      const test = (el: unknown) => matchesFilter(f.expr, item, { ...vars, [f.variable]: el });
      return f.kind === 'any' ? items.some(test) : items.every(test);
    }
  }
}

function resolve(path: string[], item: unknown, vars: Record<string, unknown>): unknown {
  let cur: unknown = path[0]! in vars ? vars[path[0]!] : (item as Record<string, unknown> | null)?.[path[0]!];
  for (const p of path.slice(1)) cur = cur === null || cur === undefined ? undefined : (cur as Record<string, unknown>)[p];
  return cur;
}

function equal(a: unknown, b: Literal): boolean {
  if (b === null) return a === null || a === undefined;
  if (typeof a === 'string' && typeof b === 'string') return a.toLowerCase() === b.toLowerCase();
  return a === b;
}
