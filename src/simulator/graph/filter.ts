/**
 * A tiny OData `$filter` parser for the forms the simulated endpoints accept (wire-facts A1, A2):
 *   externalId eq '…'            distributionMethod eq 'organization' and externalId eq '…'
 *   teamsApp/externalId eq '…'   not (id eq '…') or id ne '…'
 *   appDefinitions/any(a:a/bot ne null)
 *   userPrincipalName in ('a@contoso.com', 'b@contoso.com')      id in ('…', '…')
 * `eq`, `ne`, `in`, `and`, `or`, `not`, parentheses and `any`/`all` lambdas; literals are '…' strings ('' escapes
 * a quote), null, true, false and numbers. Anything else is a FilterError (the endpoints answer 400).
 * `in` takes at most 15 values, Graph's default limit: "When using the `in` operator, the request is
 * limited to 15 expressions in the filter clause by default" (https://learn.microsoft.com/graph/known-issues,
 * "Some limitations apply to query parameters"); more is a FilterTooLong (400 Request_UnsupportedQuery).
 */
/** Graph's default cap on the values of one `in` (known-issues, query parameters). */
export const MAX_IN_VALUES = 15;

export type Literal = string | number | boolean | null;
export type Filter =
  | { kind: 'cmp'; path: string[]; op: 'eq' | 'ne'; value: Literal }
  | { kind: 'in'; path: string[]; values: Literal[] }
  | { kind: 'and' | 'or'; left: Filter; right: Filter }
  | { kind: 'not'; expr: Filter }
  | { kind: 'any' | 'all'; path: string[]; variable: string; expr: Filter };

export class FilterError extends Error {
  override name = 'FilterError';
}

/** An `in` over Graph's limit: its own error, since Graph answers it with Request_UnsupportedQuery. */
export class FilterTooLong extends FilterError {
  override name = 'FilterTooLong';
}

type Token = { t: 'id'; v: string } | { t: 'lit'; v: Literal } | { t: 'punct'; v: '(' | ')' | ':' | ',' };

const KEYWORD_LITERALS: Record<string, Literal> = { null: null, true: true, false: false };

export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '(' || c === ')' || c === ':' || c === ',') {
      out.push({ t: 'punct', v: c });
      i++;
    } else if (c === "'") {
      const end = stringEnd(text, i + 1);
      out.push({ t: 'lit', v: text.slice(i + 1, end).replace(/''/g, "'") });
      i = end + 1;
    } else {
      const m = /^(-?\d+(\.\d+)?(?![\w-])|[A-Za-z_@][\w.@]*(\/[A-Za-z_][\w.]*)*)/.exec(text.slice(i));
      if (!m) throw new FilterError(`unexpected '${c}' at position ${i}`);
      const word = m[0];
      if (/^-?\d/.test(word)) out.push({ t: 'lit', v: Number(word) });
      else if (word in KEYWORD_LITERALS) out.push({ t: 'lit', v: KEYWORD_LITERALS[word]! });
      else out.push({ t: 'id', v: word });
      i += word.length;
    }
  }
  return out;
}

/** The index of the quote closing a string literal that starts at `from` ('' is an escaped quote). */
function stringEnd(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    if (text[i] !== "'") continue;
    if (text[i + 1] === "'") i++;
    else return i;
  }
  throw new FilterError('unterminated string literal');
}

/** Parses `text`; `allowed(path)` says whether a property path ('teamsApp/externalId') may be filtered on. */
export function parseFilter(text: string, allowed: (path: string) => boolean): Filter {
  const tokens = tokenize(text);
  let pos = 0;
  const peek = () => tokens[pos];
  const isWord = (w: string) => peek()?.t === 'id' && (peek()!.v as string).toLowerCase() === w;
  const expect = (v: string) => {
    const tok = tokens[pos++];
    if (tok?.t !== 'punct' || tok.v !== v) throw new FilterError(`expected '${v}'`);
  };
  const scopes: Map<string, string>[] = [];
  const fullPath = (parts: string[]): string => {
    const base = scopes.find((s) => s.has(parts[0]!))?.get(parts[0]!);
    return base !== undefined ? [base, ...parts.slice(1)].join('/') : parts.join('/');
  };
  const checkPath = (parts: string[]) => {
    const p = fullPath(parts);
    if (!allowed(p)) throw new FilterError(`filtering on '${p}' is not supported`);
  };

  const or = (): Filter => {
    let left = and();
    while (isWord('or')) {
      pos++;
      left = { kind: 'or', left, right: and() };
    }
    return left;
  };
  const and = (): Filter => {
    let left = unary();
    while (isWord('and')) {
      pos++;
      left = { kind: 'and', left, right: unary() };
    }
    return left;
  };
  const unary = (): Filter => {
    if (isWord('not')) {
      pos++;
      return { kind: 'not', expr: unary() };
    }
    const tok = peek();
    if (tok?.t === 'punct' && tok.v === '(') {
      pos++;
      const e = or();
      expect(')');
      return e;
    }
    if (tok?.t !== 'id') throw new FilterError('expected a property name');
    pos++;
    const parts = tok.v.split('/');
    const last = parts[parts.length - 1]!.toLowerCase();
    const next = peek();
    if ((last === 'any' || last === 'all') && next?.t === 'punct' && next.v === '(') return lambda(parts.slice(0, -1), last);
    checkPath(parts);
    const op = tokens[pos++];
    if (op?.t === 'id' && op.v.toLowerCase() === 'in') return inList(parts);
    if (op?.t !== 'id' || !['eq', 'ne'].includes(op.v.toLowerCase())) throw new FilterError(`unsupported operator after '${tok.v}'`);
    const value = tokens[pos++];
    if (value?.t !== 'lit') throw new FilterError(`expected a literal after '${tok.v} ${op.v}'`);
    return { kind: 'cmp', path: parts, op: op.v.toLowerCase() as 'eq' | 'ne', value: value.v };
  };
  const inList = (path: string[]): Filter => {
    expect('(');
    const values: Literal[] = [];
    for (;;) {
      const v = tokens[pos++];
      if (v?.t !== 'lit') throw new FilterError(`expected a literal in the list after '${path.join('/')} in'`);
      values.push(v.v);
      const sep = tokens[pos++];
      if (sep?.t === 'punct' && sep.v === ')') break;
      if (sep?.t !== 'punct' || sep.v !== ',') throw new FilterError("expected ',' or ')' in an 'in' list");
    }
    if (values.length > MAX_IN_VALUES) {
      // [INF] wording: the text Graph is reported to give for a clause over its limit.
      throw new FilterTooLong(`Too many child clauses specified in search filter expression containing 'OR' operators: ${values.length}. Max allowed: ${MAX_IN_VALUES}.`);
    }
    return { kind: 'in', path, values };
  };
  const lambda = (path: string[], kind: 'any' | 'all'): Filter => {
    checkPath(path);
    expect('(');
    const v = tokens[pos++];
    if (v?.t !== 'id') throw new FilterError('expected a lambda variable');
    expect(':');
    scopes.unshift(new Map([[v.v, fullPath(path)]]));
    const expr = or();
    scopes.shift();
    expect(')');
    return { kind, path, variable: v.v, expr };
  };

  const result = or();
  if (pos < tokens.length) throw new FilterError('unexpected text after the expression');
  return result;
}
