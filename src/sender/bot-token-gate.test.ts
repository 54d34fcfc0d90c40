import { expect } from 'chai';
import { ServerError } from '@azure/msal-node';
import { createSystemClock } from '../clock.js';
import type { Refusal } from '../ledger/transitions.js';
import { silentLogger } from '../log.js';
import { DEFAULT_RETRY_POLICY } from '../pace/retry-policy.js';
import { openStore } from '../store/open.js';
import type { Store } from '../store/types.js';
import { BotPacing } from './bot-pacing.js';
import { BotTokenGate, BotTokenRefusedError } from './bot-token-gate.js';
import { loadWelcomeCard } from './card.js';
import { SENDER_LEASE, WelcomeWorker } from './welcome-worker.js';

const T = 'tenant-1';
/** What MSAL throws when Entra ID refuses the secret (msal-common ResponseHandler; AADSTS7000215). */
const refusedSecret = () => new ServerError('invalid_client', 'Error(s): 7000215 - Timestamp: x - Description: AADSTS7000215: Invalid client secret provided. Trace ID: t Correlation ID: c', '', '7000215', 401);

describe('BotTokenGate: one token request for concurrent sends, none once refused', () => {
  it('concurrent checks share one request, and share its failure', async () => {
    let calls = 0;
    const gate = new BotTokenGate(async () => {
      calls++;
      await new Promise((r) => setTimeout(r, 10));
      throw refusedSecret();
    });
    const results = await Promise.allSettled(Array.from({ length: 16 }, () => gate.check()));
    expect(calls).to.equal(1);
    expect(results.every((r) => r.status === 'rejected' && (r.reason as Error).name === 'ServerError')).to.equal(true);
  });

  it('asks again after a failure nobody called a refusal (the token endpoint may only have been unreachable)', async () => {
    let calls = 0;
    const gate = new BotTokenGate(async () => {
      if (++calls === 1) throw new Error('connect ECONNREFUSED');
      return 'token';
    });
    await gate.check().catch(() => undefined);
    await gate.check();
    expect(calls).to.equal(2);
  });

  it('once refused, throws the refusal without asking', async () => {
    let calls = 0;
    const gate = new BotTokenGate(async () => ++calls);
    const refusal: Refusal = { state: 'failed', reason: 'bot_unauthorized', statusCode: 401, serviceCode: 'AADSTS7000215', detail: 'refused' };
    gate.refuse(refusal);
    gate.refuse({ ...refusal, detail: 'a later one' });
    const e = await gate.check().then(() => null, (x: unknown) => x);
    expect(e).to.be.instanceOf(BotTokenRefusedError);
    expect((e as BotTokenRefusedError).refusal.detail).to.equal('refused');
    expect(calls).to.equal(0);
  });
});

/**
 * Issue 11 major 2: with a refused secret every welcome was retried 5 times and ended network_error. The
 * send below asks for the token the way botbuilder does (its own request, every send); the gate asks
 * through the same source.
 */
describe('WelcomeWorker: a refused bot token stops the sender at the first refusal', () => {
  let store: Store;
  const clock = createSystemClock();
  afterEach(() => store?.close());

  it('one token request; the sends that met it fail bot_unauthorized, everyone else waits unsent; the lease is given back', async () => {
    store = await openStore(':memory:');
    const people = Array.from({ length: 40 }, (_, i) => `62ab1234-4444-4d4d-8e8e-${String(i).padStart(12, '0')}`);
    await store.insertUsers(people.map((id) => ({ tenantId: T, aadObjectId: id, userPrincipalName: `${id}@contoso.com`, displayName: id, locale: 'en-GB', state: 'reference_ready', reason: null, rolloutId: null })), clock.now(), 'test');
    for (const id of people) await store.putReference({ tenantId: T, aadObjectId: id, conversationId: `a:${id}`, serviceUrl: 'http://127.0.0.1:9/amer/', userId: `29:${id}`, botId: '28:bot', source: 'installationUpdate', capturedAt: clock.now() });
    let tokenRequests = 0;
    let delivered = 0;
    const getToken = async () => {
      tokenRequests++;
      await new Promise((r) => setTimeout(r, 5));
      throw refusedSecret();
    };
    const stops: Refusal[] = [];
    const worker = new WelcomeWorker(
      {
        store,
        clock,
        log: silentLogger,
        card: loadWelcomeCard(undefined, { appName: 'Contoso Helper', requestedBy: 'IT', reason: '', offer: 'x' }),
        pacing: new BotPacing({ botRps: 1000, botPerConversationRps: 1000 }, clock),
        policy: { ...DEFAULT_RETRY_POLICY, baseDelayMs: 1, maxDelayMs: 2 },
        random: () => 0,
        claimer: 'sender',
        send: async () => {
          await getToken();
          delivered++;
          return { id: 'm' };
        },
        tokenGate: new BotTokenGate(getToken),
      },
      { concurrency: 8, sweepMs: 20, leaseTtlMs: 15_000, isHolderDead: () => false, onStopped: (r) => stops.push(r) },
    );
    worker.start();
    for (let i = 0; i < 200 && !worker.stoppedBy; i++) await new Promise((r) => setTimeout(r, 10));
    await worker.stop();

    expect(tokenRequests).to.equal(1);
    expect(delivered).to.equal(0);
    expect(stops.map((s) => [s.reason, s.serviceCode])).to.deep.equal([['bot_unauthorized', 'AADSTS7000215']]);
    const counts = Object.fromEntries((await store.countByState({})).map((c) => [`${c.state}${c.reason ? `:${c.reason}` : ''}`, c.count]));
    expect(counts['failed:bot_unauthorized']).to.be.within(1, 8);
    expect(counts['failed:network_error']).to.equal(undefined);
    expect((counts['failed:bot_unauthorized'] ?? 0) + (counts.reference_ready ?? 0)).to.equal(40);
    expect(await store.leaseHolder(SENDER_LEASE, clock.now()), 'the lease is free for a sender that has a token').to.equal(undefined);
    worker.start();
    expect(worker.isHoldingLease, 'a stopped sender does not start again').to.equal(false);
  });
});
