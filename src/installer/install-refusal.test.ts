import { expect } from 'chai';
import type { GraphFailure } from '../graph/errors.js';
import { classifyInstallFailure } from './install-refusal.js';

const failure = (status: number, code: string | null, message: string, innerCode: string | null = null): GraphFailure => ({ status, code, innerCode, message, requestId: 'r-1' });

describe('classifyInstallFailure (wire-facts A3 bodies)', () => {
  const table: [string, GraphFailure, string, string][] = [
    ['unknown user', failure(404, 'NotFound', "User Id 'u-9' not found."), 'failed', 'user_not_found'],
    ['app gone from the catalogue', failure(404, 'NotFound', "The Teams app 'x' was not found in the app catalog."), 'failed', 'app_not_in_catalog'],
    ['app permission policy', failure(403, 'Forbidden', 'App is blocked by app permission policy. TenantId: t, UserObjectId: u, AppId: a, AppType: Private', 'AccessDenied'), 'failed', 'blocked_by_policy'],
    ['missing application role', failure(403, 'Forbidden', "Missing role permissions on the request. API requires one of 'TeamsAppInstallation.ReadWriteForUser.All'. Roles on the request ''."), 'failed', 'missing_permission'],
    ['directory permission missing', failure(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.'), 'failed', 'missing_permission'],
    ['Self role on another app', failure(403, 'Forbidden', "AAD App Id 'a' is not allowed to manage the Teams App 'x'"), 'failed', 'app_not_manageable'],
    ['no licence', failure(403, 'Forbidden', 'Failed to get license information for the user. Ensure user has a valid Office365 license assigned to them.'), 'skipped', 'no_teams_licence'],
    ['a 403 nobody has described', failure(403, 'Forbidden', 'Something else.'), 'failed', 'unknown'],
    ['throttled past the retries', failure(429, 'TooManyRequests', 'Too many requests'), 'failed', 'throttled'],
    ['service error past the retries', failure(503, 'ServiceUnavailable', 'Service unavailable'), 'failed', 'service_error'],
    ['transient backend fault (400) still there after the retries: the service failed, not our request', failure(400, 'BadRequest', 'Exception in CreateOrUpdateUserAppEntitlementForTeamsAsync'), 'failed', 'service_error'],
    ['any other 400', failure(400, 'BadRequest', 'Invalid bind property name teamsApp@odata.bind.'), 'failed', 'bad_request'],
    ['network error past the retries', failure(-1, null, 'socket hang up'), 'failed', 'network_error'],
  ];
  for (const [name, f, state, reason] of table) {
    it(`${name} → ${state}(${reason})`, () => {
      const r = classifyInstallFailure(f);
      expect({ state: r.state, reason: r.reason }).to.deep.equal({ state, reason });
      expect(r.detail).to.include('request-id r-1');
    });
  }

  it('keeps the status and both codes for the report', () => {
    const r = classifyInstallFailure(failure(403, 'Forbidden', 'App is blocked by app permission policy.', 'AccessDenied'));
    expect(r.statusCode).to.equal(403);
    expect(r.serviceCode).to.equal('Forbidden/AccessDenied');
  });

});
