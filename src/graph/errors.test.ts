import { GraphError } from '@microsoft/microsoft-graph-client';
import { expect } from 'chai';
import { classifyInstallFailure, isAppNotFound, readGraphError, type GraphFailure } from './errors.js';

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

  it('tells a stale app id from an unknown user', () => {
    expect(isAppNotFound(failure(404, 'NotFound', "The Teams app 'x' was not found in the app catalog."))).to.equal(true);
    expect(isAppNotFound(failure(404, 'NotFound', "User Id 'u-9' not found."))).to.equal(false);
    expect(isAppNotFound(failure(403, 'Forbidden', 'App is blocked by app permission policy.'))).to.equal(false);
  });
});

describe('readGraphError', () => {
  it("reads the Graph client's GraphError: status, code, inner code, request id", () => {
    const e = new GraphError(403, 'App is blocked by app permission policy.');
    e.code = 'Forbidden';
    e.requestId = 'req-7';
    e.body = JSON.stringify({ code: 'Forbidden', message: 'App is blocked by app permission policy.', innerError: { code: 'AccessDenied', 'request-id': 'req-7' } });
    expect(readGraphError(e)).to.deep.equal({ status: 403, code: 'Forbidden', innerCode: 'AccessDenied', message: 'App is blocked by app permission policy.', requestId: 'req-7' });
  });

  it('reads anything else as a network-level failure with its message', () => {
    expect(readGraphError(new Error('connect ECONNREFUSED'))).to.deep.equal({ status: -1, code: null, innerCode: null, message: 'connect ECONNREFUSED', requestId: null });
  });

  it('survives a body that is not JSON', () => {
    const e = new GraphError(502, 'Bad gateway');
    e.body = '<html>bad gateway</html>';
    expect(readGraphError(e)).to.include({ status: 502, innerCode: null });
  });
});
