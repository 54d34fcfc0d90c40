import { GraphError } from '@microsoft/microsoft-graph-client';

/**
 * Graph's one error shape — `{ error: { code, message, innerError: { code?, "request-id", date } } }`
 * (https://learn.microsoft.com/graph/errors) — read in one place. The installer turns it into the ledger's
 * reasons (installer/install-refusal.ts; wire-facts A3 lists the real bodies).
 */
export interface GraphFailure {
  status: number;
  code: string | null;
  innerCode: string | null;
  message: string;
  requestId: string | null;
}

export function readGraphError(e: unknown): GraphFailure {
  if (e instanceof GraphError || (e && typeof e === 'object' && 'statusCode' in e)) {
    const g = e as GraphError;
    let innerCode: string | null = null;
    try {
      const body = typeof g.body === 'string' ? JSON.parse(g.body) : g.body;
      innerCode = body?.innerError?.code ?? body?.error?.innerError?.code ?? null;
    } catch {
      /* a body that is not JSON carries no inner code */
    }
    return { status: g.statusCode, code: g.code ?? null, innerCode, message: g.message || String(g.body ?? ''), requestId: g.requestId ?? null };
  }
  return { status: -1, code: null, innerCode: null, message: e instanceof Error ? e.message : String(e), requestId: null };
}

/** A short detail for the report: the service's message and the request id to quote to Microsoft support. */
export function failureDetail(f: GraphFailure): string {
  return `${f.message}${f.requestId ? ` (request-id ${f.requestId})` : ''}`.slice(0, 500);
}

/** True when a 404 says the catalogue app is gone (a stale cached id after a re-upload), not the user. */
export function isAppNotFound(f: GraphFailure): boolean {
  return f.status === 404 && !/user/i.test(f.message);
}
