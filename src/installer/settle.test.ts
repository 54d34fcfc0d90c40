import { expect } from 'chai';
import { RestError } from '@azure/core-rest-pipeline';
import type { Client } from '@microsoft/microsoft-graph-client';
import { createSystemClock } from '../clock.js';
import { silentLogger } from '../log.js';
import { openStore } from '../store/open.js';
import type { Store } from '../store/types.js';
import type { CreateTarget } from '../sender/connector-create.js';
import { settle } from './settle.js';

const T = 'tenant-1';
const U = '62ab1234-4444-4d4d-8e8e-000000000004';
const R = 'rollout-1';

/**
 * Someone Graph shows with the app installed but whose chat Graph cannot give (issue 10.1): rather than
 * failed (reference_unavailable), the conversation is created with their Entra object id, once.
 */
describe('settle: the app installed, but Graph gives no chat', () => {
  const clock = createSystemClock();
  let store: Store;
  beforeEach(async () => {
    store = await openStore(':memory:');
    await store.createRollout({ id: R, tenantId: T, startedAt: clock.now(), finishedAt: null, targets: '--all-users', options: '{}', summary: null });
    await store.insertUsers([{ tenantId: T, aadObjectId: U, userPrincipalName: 'ada@contoso.com', displayName: 'Ada', locale: null, state: 'already_installed', reason: null, rolloutId: R }], clock.now(), 'test');
    await store.addRolloutTargets(R, T, [U]);
  });
  afterEach(() => store.close());

  /** Graph lists the installation; its chat answers 404 (after the client's retries). */
  const graph = {
    api: (path: string) => {
      const r = {
        expand: () => r,
        filter: () => r,
        select: () => r,
        get: async () => {
          if (path.endsWith('/chat')) throw Object.assign(new Error('Chat not found'), { statusCode: 404, code: 'NotFound' });
          return { value: [{ id: 'installation-1' }] };
        },
      };
      return r;
    },
  } as unknown as Client;

  async function run(create: (t: CreateTarget) => Promise<string>) {
    const calls: CreateTarget[] = [];
    const result = await settle(
      {
        store,
        clock,
        log: silentLogger,
        tenantId: T,
        references: { graph, store, clock, tenantId: T, catalogAppId: async () => 'catalog-app', proactiveServiceUrl: 'https://smba.trafficmanager.net/teams/' },
        create: async (t) => {
          calls.push(t);
          return create(t);
        },
      },
      { rolloutId: R, welcome: false, referenceWaitMs: 0, timeoutMs: 2_000, pollMs: 10 },
    );
    return { calls, result };
  }

  it('creates the conversation with the Entra object id and stores it: reference_ready', async () => {
    const { calls } = await run(async () => 'a:1new');
    expect(calls).to.deep.equal([{ tenantId: T, serviceUrl: 'https://smba.trafficmanager.net/teams/', memberId: U }]);
    expect(await store.getUser(T, U)).to.include({ state: 'reference_ready' });
    expect(await store.getReference(T, U)).to.include({ conversationId: 'a:1new', source: 'created', userId: null });
  });

  it('a refused create: failed (reference_unavailable), the detail naming the chat look-up and the create, tried once', async () => {
    const { calls } = await run(async () => {
      throw new RestError("The bot isn't part of the conversation roster.", { statusCode: 403, code: 'BotNotInConversationRoster' });
    });
    expect(calls).to.have.length(1);
    const row = await store.getUser(T, U);
    expect(row).to.include({ state: 'failed', reason: 'reference_unavailable' });
    expect(row!.detail).to.match(/its chat could not be read: .*Chat not found/).and.match(/creating the conversation \(POST v3\/conversations\) failed too: 403 BotNotInConversationRoster/);
    expect(await store.getReference(T, U)).to.equal(undefined);
  });
});
