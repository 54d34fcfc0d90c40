import { failureDetail, type GraphFailure } from '../graph/errors.js';
import { ENTITLEMENT_FAULT_TEXT } from '../graph/transient-install-fault.js';
import type { Refusal } from '../ledger/transitions.js';

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
