import { expect } from 'chai';
import { ServerError } from '@azure/msal-node';
import { tokenRefusalFix, tokenRefusalOf, type TokenRefusal } from './token-refusal.js';

/** MSAL's token-response error text (msal-common ResponseHandler.validateTokenResponse) around Entra's description. */
const described = (codes: number[], description: string) =>
  `Error(s): ${codes.join(',')} - Timestamp: 2026-12-07 01:26:57Z - Description: ${description} Trace ID: t Correlation ID: c Timestamp: 2026-12-07 01:26:57Z - Correlation ID: c - Trace ID: t`;
const serverError = (error: string, code: number, description: string, status?: number) => new ServerError(error, described([code], description), '', String(code), status);

const BAD_SECRET = "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app 'a'.";

describe('tokenRefusalOf: a refused bot token, told apart from an unreachable or busy token endpoint', () => {
  const rows: { row: string; error: unknown; expected: Omit<TokenRefusal, 'message'> | null }[] = [
    { row: '401 invalid_client AADSTS7000215 (wrong secret)', error: serverError('invalid_client', 7000215, BAD_SECRET, 401), expected: { status: 401, error: 'invalid_client', aadsts: 'AADSTS7000215' } },
    { row: '401 invalid_client AADSTS7000222 (expired secret)', error: serverError('invalid_client', 7000222, 'AADSTS7000222: The provided client secret keys for app are expired.', 401), expected: { status: 401, error: 'invalid_client', aadsts: 'AADSTS7000222' } },
    { row: '400 unauthorized_client AADSTS700016 (no such app)', error: serverError('unauthorized_client', 700016, 'AADSTS700016: Application with identifier x was not found.', 400), expected: { status: 400, error: 'unauthorized_client', aadsts: 'AADSTS700016' } },
    { row: '400 invalid_request AADSTS90002 (no such tenant)', error: serverError('invalid_request', 90002, "AADSTS90002: Tenant 'x' not found.", 400), expected: { status: 400, error: 'invalid_request', aadsts: 'AADSTS90002' } },
    { row: 'a refusal without a status (the authorization-code validator drops it)', error: new ServerError('invalid_client', 'AADSTS7000215: Invalid client secret provided.'), expected: { status: null, error: 'invalid_client', aadsts: 'AADSTS7000215' } },
    { row: '503 temporarily_unavailable (retry)', error: serverError('temporarily_unavailable', 90033, 'AADSTS90033: A transient error has occurred.', 503), expected: null },
    { row: 'server_error without a status (retry)', error: new ServerError('server_error', 'AADSTS50000: There was an error issuing a token.'), expected: null },
    { row: '429 (retry)', error: serverError('invalid_request', 50196, 'AADSTS50196: loop detected', 429), expected: null },
    { row: "MSAL's own throttle replay, named by AADSTS numbers (retry)", error: new ServerError('50196', 'throttled'), expected: null },
    { row: 'endpoints_resolution_error (ClientAuthError: unreachable, retry)', error: Object.assign(new Error('endpoints_resolution_error: Endpoints cannot be resolved'), { name: 'ClientAuthError', errorCode: 'endpoints_resolution_error' }), expected: null },
    { row: 'a plain network error', error: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), expected: null },
    { row: 'not an error at all', error: undefined, expected: null },
  ];
  for (const { row, error, expected } of rows) {
    it(`${row} → ${expected ? `refused ${expected.aadsts}` : 'not a refusal'}`, () => {
      const got = tokenRefusalOf(error);
      if (!expected) return expect(got).to.equal(null);
      expect(got).to.deep.include(expected);
    });
  }

  it("keeps Entra's description, without the trace and correlation ids", () => {
    expect(tokenRefusalOf(serverError('invalid_client', 7000215, BAD_SECRET, 401))!.message).to.equal(BAD_SECRET);
  });
});

describe('tokenRefusalFix: what to change, by AADSTS code', () => {
  const APP = '11111111-2222-4333-8444-555555555555';
  const rows: [string | null, RegExp][] = [
    ['AADSTS7000215', /secret's Value .* not its Secret ID/],
    ['AADSTS7000222', /has expired: make a new one/],
    ['AADSTS7000218', /MicrosoftAppPassword is empty/],
    ['AADSTS700016', /MicrosoftAppType \/ MicrosoftAppTenantId/],
    ['AADSTS90002', /MicrosoftAppTenantId/],
    ['AADSTS50000', /check MicrosoftAppId, MicrosoftAppPassword, MicrosoftAppType and MicrosoftAppTenantId/],
    [null, /teams-rollout doctor/],
  ];
  for (const [code, fix] of rows) {
    it(`${code ?? 'no code'} → ${fix.source}`, () => {
      expect(tokenRefusalFix(code, APP)).to.match(fix);
    });
  }
  it('names the app registration for the secret fixes', () => {
    for (const code of ['AADSTS7000215', 'AADSTS7000222', 'AADSTS7000218', 'AADSTS700016']) expect(tokenRefusalFix(code, APP)).to.contain(APP);
  });
});
