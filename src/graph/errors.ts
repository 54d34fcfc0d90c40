import { GraphError } from '@microsoft/microsoft-graph-client';
import type { Refusal } from '../ledger/transitions.js';
import { ENTITLEMENT_FAULT_TEXT } from './transient-install-fault.js';

/**
 * Graph's one error shape — `{ error: { code, message, innerError: { code?, "request-id", date } } }`
 * (https://learn.microsoft.com/graph/errors) — read in one place, and turned into the ledger's
 * reasons for an install (wire-facts A3 lists the real bodies).
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

/**
 * Classifies a refused install (POST /users/{id}/teamwork/installedApps). 409 is not here: it is
 * success ("already installed", wire-facts A3). Retryable statuses never reach this function: the
 * pacing middleware has already spent the retries the policy allows on them.
 */
export function classifyInstallFailure(f: GraphFailure): Refusal {
  const base = { statusCode: f.status > 0 ? f.status : null, serviceCode: f.innerCode && f.innerCode !== f.code ? `${f.code}/${f.innerCode}` : f.code, detail: failureDetail(f) };
  const msg = f.message.toLowerCase();
  if (f.status === 403) {
    if (msg.includes('permission policy')) return { state: 'failed', reason: 'blocked_by_policy', ...base };
    if (msg.includes('license') || msg.includes('licence')) return { state: 'skipped', reason: 'no_teams_licence', ...base };
    if (msg.includes('missing role') || msg.includes('insufficient privileges') || msg.includes('scope')) return { state: 'failed', reason: 'missing_permission', ...base };
    if (msg.includes('not allowed to manage')) return { state: 'failed', reason: 'app_not_manageable', ...base };
    if (msg.includes('guest')) return { state: 'skipped', reason: 'guest', ...base };
    if (msg.includes('disabled')) return { state: 'skipped', reason: 'disabled', ...base };
    return { state: 'failed', reason: 'unknown', ...base };
  }
  if (f.status === 404) {
    if (/user/i.test(f.message)) return { state: 'failed', reason: 'user_not_found', ...base };
    return { state: 'failed', reason: 'app_not_in_catalog', ...base };
  }
  if (f.status === 429) return { state: 'failed', reason: 'throttled', ...base };
  if (f.status >= 500) return { state: 'failed', reason: 'service_error', ...base };
  if (f.status === -1) return { state: 'failed', reason: 'network_error', ...base };
  // Still the entitlement 400 after the retries the policy allows: Teams' backend failed, not our request (graph-docs#20972).
  if (f.status === 400 && f.message.includes(ENTITLEMENT_FAULT_TEXT)) return { state: 'failed', reason: 'service_error', ...base };
  if (f.status === 400) return { state: 'failed', reason: 'bad_request', ...base };
  return { state: 'failed', reason: 'unknown', ...base };
}

/** True when a 404 says the catalogue app is gone (a stale cached id after a re-upload), not the user. */
export function isAppNotFound(f: GraphFailure): boolean {
  return f.status === 404 && !/user/i.test(f.message);
}
