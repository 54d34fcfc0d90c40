import { GraphError } from '@microsoft/microsoft-graph-client';
import { expect } from 'chai';
import { isAppNotFound, readGraphError, type GraphFailure } from './errors.js';

const failure = (status: number, code: string | null, message: string, innerCode: string | null = null): GraphFailure => ({ status, code, innerCode, message, requestId: 'r-1' });

describe('isAppNotFound', () => {
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
