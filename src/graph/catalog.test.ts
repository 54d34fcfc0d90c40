import type { TokenCredential } from '@azure/identity';
import { expect } from 'chai';
import nock from 'nock';
import { createSystemClock } from '../clock.js';
import { FatalRunError } from '../errors.js';
import { findCatalogApp } from './catalog.js';
import { createGraphClient } from './client.js';

// nock intercepts every request of the process while active: only around these single exchanges.
nock.restore();

const GRAPH = 'https://graph.example.test';
const MANIFEST = '0f6b5c9e-7a51-4c3e-9d2b-4f1a2b3c4d5e';
const credential: TokenCredential = { getToken: async () => ({ token: 'token', expiresOnTimestamp: Date.now() + 3_600_000 }) };
const graph = () => createGraphClient({ credential, baseUrl: `${GRAPH}/`, buckets: {}, clock: createSystemClock(), policy: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 } });

/** One GET of the catalogue, answered with `status` and `body`; the test checks it was made. */
function catalogAnswers(status: number, body: unknown): nock.Scope {
  return nock(GRAPH)
    .get('/v1.0/appCatalogs/teamsApps')
    .query((q) => q.$filter === `externalId eq '${MANIFEST}'` && q.$expand === 'appDefinitions')
    .reply(status, body as nock.Body);
}

async function failure(p: Promise<unknown>): Promise<FatalRunError> {
  try {
    await p;
  } catch (e) {
    expect(e).to.be.instanceOf(FatalRunError);
    return e as FatalRunError;
  }
  throw new Error('expected the lookup to fail');
}

describe('findCatalogApp (one GET of appCatalogs/teamsApps, wire-facts A1)', () => {
  before(() => {
    nock.activate();
    nock.disableNetConnect();
  });
  afterEach(() => nock.cleanAll());
  after(() => {
    nock.enableNetConnect();
    nock.restore();
  });

  it('finds the published org app: its catalogue id, name, version and bot', async () => {
    const scope = catalogAnswers(200, {
      value: [
        { id: 'store-copy', externalId: MANIFEST, displayName: 'Helper (store)', distributionMethod: 'store', appDefinitions: [{ publishingState: 'published' }] },
        { id: 'cat-1', externalId: MANIFEST, displayName: 'Helper', distributionMethod: 'organization', appDefinitions: [{ version: '1.2.0', publishingState: 'published', displayName: 'Contoso Helper', bot: { id: 'bot-1' } }] },
      ],
    });
    expect(await findCatalogApp(graph(), MANIFEST)).to.deep.equal({ id: 'cat-1', externalId: MANIFEST, displayName: 'Contoso Helper', version: '1.2.0', botId: 'bot-1' });
    expect(scope.isDone()).to.equal(true);
  });

  it('an app that is not in the org catalogue (only in the store, or nowhere): the fix names the upload and TEAMS_APP_ID', async () => {
    for (const value of [[], [{ id: 'store-copy', externalId: MANIFEST, distributionMethod: 'store' }]]) {
      catalogAnswers(200, { value });
      const e = await failure(findCatalogApp(graph(), MANIFEST));
      expect(e.code).to.equal('APP_NOT_IN_CATALOG');
      expect(e.message).to.contain(MANIFEST).and.contain('Upload').and.contain('TEAMS_APP_ID');
    }
  });

  it('an app waiting for approval is not published: the fix says where to approve it', async () => {
    catalogAnswers(200, { value: [{ id: 'cat-1', externalId: MANIFEST, displayName: 'Helper', distributionMethod: 'organization', appDefinitions: [{ publishingState: 'submitted' }] }] });
    const e = await failure(findCatalogApp(graph(), MANIFEST));
    expect(e.code).to.equal('APP_NOT_PUBLISHED');
    expect(e.message).to.contain('state: submitted').and.contain('Teams admin center');
  });

  it('403: names the permission to grant', async () => {
    catalogAnswers(403, { error: { code: 'Forbidden', message: "Missing role permissions on the request. API requires one of 'AppCatalog.Read.All'.", innerError: { 'request-id': 'r-9' } } });
    const e = await failure(findCatalogApp(graph(), MANIFEST));
    expect(e.code).to.equal('MISSING_PERMISSION');
    expect(e.message).to.contain('AppCatalog.Read.All').and.contain('admin consent');
  });
});
