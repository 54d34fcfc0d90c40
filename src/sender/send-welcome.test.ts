import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { RestError } from '@azure/core-rest-pipeline';
import type { Client } from '@microsoft/microsoft-graph-client';
import { createSystemClock, type Clock } from '../clock.js';
import { silentLogger } from '../log.js';
import { DEFAULT_RETRY_POLICY } from '../pace/retry-policy.js';
import { openStore } from '../store/open.js';
import type { Store } from '../store/types.js';
import { BotPacing } from './bot-pacing.js';
import { loadWelcomeCard } from './card.js';
import { sendWelcome, type SendWelcomeDeps } from './send-welcome.js';

const T = 'tenant-1';
const U = '62ab1234-4444-4d4d-8e8e-000000000004';

/** The sender's parts around `store`, with the connector answer and the Graph look-up the test decides. */
function senderDeps(store: Store, clock: Clock, over: Pick<SendWelcomeDeps, 'send' | 'claimer' | 'graphReferences'> & Partial<Pick<SendWelcomeDeps, 'card'>>): SendWelcomeDeps {
  return {
    store,
    clock,
    log: silentLogger,
    card: loadWelcomeCard(undefined, { appName: 'Contoso Helper', requestedBy: 'IT', reason: '', offer: 'x' }),
    pacing: new BotPacing({ botRps: 1000, botPerConversationRps: 1000 }, clock),
    policy: DEFAULT_RETRY_POLICY,
    random: () => 0,
    ...over,
  };
}

/** A ledger with one person ready to be welcomed, and their reference to `conversationId`. */
async function storeWithOnePerson(conversationId: string, now: number): Promise<Store> {
  const store = await openStore(':memory:');
  await store.insertUsers([{ tenantId: T, aadObjectId: U, userPrincipalName: 'ada@contoso.com', displayName: 'Ada', locale: 'en-GB', state: 'reference_ready', reason: null, rolloutId: null }], now, 'test');
  await store.putReference({ tenantId: T, aadObjectId: U, conversationId, serviceUrl: 'http://127.0.0.1:9/amer/', userId: '29:ada', botId: '28:bot', source: 'installationUpdate', capturedAt: now });
  return store;
}

/**
 * A sender that dies at any moment must leave every person to the next one (PRODUCT.md §4: killed
 * and re-run, it loses no user). The moment that matters here: a stale chat answered 404 and the
 * sender is asking Graph for the chat again when the process dies.
 */
describe('sendWelcome: a sender that dies while looking a stale chat up again through Graph', () => {
  let store: Store;
  const clock = createSystemClock();
  beforeEach(async () => {
    store = await storeWithOnePerson('a:stale', clock.now());
  });
  afterEach(() => store.close());

  it('leaves the person claimable by the next sender (the stale reference is kept until Graph answers)', async () => {
    let lookingUp!: () => void;
    const graphAsked = new Promise<void>((r) => (lookingUp = r));
    const d = senderDeps(store, clock, {
      send: async () => {
        throw new RestError('Conversation not found.', { statusCode: 404, code: 'ConversationNotFound' });
      },
      claimer: 'sender-that-dies',
      graphReferences: () => ({
        graph: {} as Client,
        store,
        clock,
        tenantId: T,
        // Graph never answers: this is where the process dies.
        catalogAppId: () => {
          lookingUp();
          return new Promise<string>(() => undefined);
        },
        proactiveServiceUrl: 'http://127.0.0.1:9/teams/',
      }),
    });
    const [claimed] = await store.claimWelcomes(d.claimer, 1, clock.now());
    void sendWelcome(d, claimed!);
    await graphAsked;

    // The next sender takes over: nothing was delivered (the connector answered 404), so the welcome goes again…
    expect(await store.recoverOrphanedWelcomes('next-sender', clock.now())).to.deep.equal({ unconfirmed: 0, released: 1 });
    // …which needs the person to be claimable: with a reference.
    const again = await store.claimWelcomes('next-sender', 10, clock.now());
    expect(again.map((r) => r.aadObjectId)).to.deep.equal([U]);
    expect(await store.getReference(T, U)).to.include({ conversationId: 'a:stale' });
  });
});

/**
 * Refusals that no retry changes (wire-facts B2): the person ends in a final state after one attempt,
 * the reference is kept (nothing says it is stale), and nothing is sent again.
 */
describe('sendWelcome: a refused send is final at once', () => {
  let store: Store;
  const clock = createSystemClock();
  beforeEach(async () => {
    store = await storeWithOnePerson('a:ada', clock.now());
  });
  afterEach(() => store.close());

  // The 403 bodies Teams really sends are read through the real connector client in connector-refusals.test.ts.
  const cases: [string, string, string][] = [
    ['BotDisabledByAdmin', 'The tenant admin disabled this bot', 'bot_disabled_by_admin'],
    ['ConversationBlockedByUser', 'User blocked the conversation with the bot.', 'bot_blocked_by_user'],
  ];
  for (const [code, message, reason] of cases) {
    it(`403 ${code} → failed(${reason}) after one attempt`, async () => {
      let attempts = 0;
      const d = senderDeps(store, clock, {
        send: async () => {
          attempts++;
          throw new RestError(message, { statusCode: 403, code });
        },
        claimer: 'sender',
        graphReferences: () => {
          throw new Error('a final refusal must not look the chat up again');
        },
      });
      const [claimed] = await store.claimWelcomes(d.claimer, 1, clock.now());
      await sendWelcome(d, claimed!);
      expect(attempts).to.equal(1);
      expect(await store.getUser(T, U)).to.include({ state: 'failed', reason, serviceCode: code, statusCode: 403 });
      expect(await store.claimWelcomes('sender', 10, clock.now()), 'nobody left to welcome').to.deep.equal([]);
    });
  }
});

/**
 * A card that cannot be completed for one person (issue 11 major 4): their message is not sent, and
 * they end failed (card_incomplete) naming what was missing.
 */
describe('sendWelcome: a card with a hole for this person is not sent', () => {
  let store: Store;
  let dir: string;
  const clock = createSystemClock();
  beforeEach(async () => {
    store = await storeWithOnePerson('a:ada', clock.now());
    dir = mkdtempSync(path.join(tmpdir(), 'send-card-'));
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a name too short for the template (substring fails on "Ada") → failed (card_incomplete), nothing sent', async () => {
    const file = path.join(dir, 'card.json');
    // Renders for the sample person at start (Ada Lovelace); fails on this person's three-letter name.
    writeFileSync(file, JSON.stringify({ type: 'AdaptiveCard', body: [{ type: 'TextBlock', text: 'Hello ${substring(name, 0, 8)}!' }] }));
    let sent = 0;
    const d = senderDeps(store, clock, {
      card: loadWelcomeCard(file, { appName: 'Contoso Helper', requestedBy: 'IT', reason: '', offer: 'x' }),
      send: async () => {
        sent++;
        return { id: 'm1' };
      },
      claimer: 'sender',
      graphReferences: () => undefined,
    });
    const [claimed] = await store.claimWelcomes(d.claimer, 1, clock.now());
    expect(await sendWelcome(d, claimed!)).to.equal('failed');
    expect(sent).to.equal(0);
    const row = await store.getUser(T, U);
    expect(row).to.include({ state: 'failed', reason: 'card_incomplete' });
    expect(row!.detail).to.contain('${substring(name, 0, 8)} was not filled in').and.contain(file);
  });
});

/**
 * A chat that 404s although the app is installed (the person removed its history, or the id is stale):
 * one Graph look-up, then the guide's "Create the conversation" step once, then one more send to the id
 * it returns (issue 10.1; msteams-docs#14079). Only then failed, with a detail that says what was tried.
 */
describe('sendWelcome: a chat that is gone although the app is installed', () => {
  const clock = createSystemClock();
  let store: Store;
  afterEach(() => store.close());

  const notFound = () => new RestError('Conversation not found.', { statusCode: 404, code: 'ConversationNotFound' });
  const notInRoster = () => new RestError("The bot isn't part of the conversation roster.", { statusCode: 403, code: 'BotNotInConversationRoster' });

  /** Graph as resolve-via-graph asks it: the installation (or none) and its chat id; counts the look-ups. */
  function graphGiving(chatId: string | null, asked: { n: number }): SendWelcomeDeps['graphReferences'] {
    const request = (path: string) => {
      const r = {
        expand: () => r,
        filter: () => r,
        select: () => r,
        get: async () => {
          if (path.endsWith('/chat')) return { id: chatId };
          asked.n++;
          return { value: chatId ? [{ id: 'installation-1' }] : [] };
        },
      };
      return r;
    };
    return () => ({ graph: { api: request } as unknown as Client, store, clock, tenantId: T, catalogAppId: async () => 'catalog-app', proactiveServiceUrl: 'http://127.0.0.1:9/teams/' });
  }

  interface Case {
    name: string;
    /** The stored chat, and the one Graph gives (null: no installation). */
    stored: string;
    graph: string | null;
    /** What the create answers: a new id, or an error. */
    create: string | (() => Error);
    /** Conversations that take messages. */
    live: string[];
    state: string;
    reason: string | null;
    creates: number;
    sends: string[];
    reference: string | null;
    detail?: RegExp[];
  }
  const cases: Case[] = [
    {
      name: '404 → Graph gives the same chat → create → the send to the new id goes: welcomed there',
      stored: '19:ada_bot@unq.gbl.spaces',
      graph: '19:ada_bot@unq.gbl.spaces',
      create: 'a:1new',
      live: ['a:1new'],
      state: 'welcomed',
      reason: null,
      creates: 1,
      sends: ['19:ada_bot@unq.gbl.spaces', 'a:1new'],
      reference: 'a:1new',
    },
    {
      name: '404 → Graph gives another chat, gone too → create → welcomed on the new one',
      stored: 'a:1old',
      graph: '19:ada_bot@unq.gbl.spaces',
      create: 'a:1new',
      live: ['a:1new'],
      state: 'welcomed',
      reason: null,
      creates: 1,
      sends: ['a:1old', '19:ada_bot@unq.gbl.spaces', 'a:1new'],
      reference: 'a:1new',
    },
    {
      name: 'the create is refused → failed, the detail naming the send, the look-up and the create',
      stored: '19:ada_bot@unq.gbl.spaces',
      graph: '19:ada_bot@unq.gbl.spaces',
      create: notInRoster,
      live: [],
      state: 'failed',
      reason: 'conversation_not_found',
      creates: 1,
      sends: ['19:ada_bot@unq.gbl.spaces'],
      reference: '19:ada_bot@unq.gbl.spaces',
      detail: [/the stored chat: 404 ConversationNotFound/, /Graph gave the same chat/, /creating the conversation again: 403 BotNotInConversationRoster/],
    },
    {
      name: 'the new conversation 404s too → failed after one create (the bound), nothing more tried',
      stored: '19:ada_bot@unq.gbl.spaces',
      graph: '19:ada_bot@unq.gbl.spaces',
      create: 'a:1new',
      live: [],
      state: 'failed',
      reason: 'conversation_not_found',
      creates: 1,
      sends: ['19:ada_bot@unq.gbl.spaces', 'a:1new'],
      reference: 'a:1new',
      detail: [/Graph gave the same chat; created the conversation again; the new conversation: 404 ConversationNotFound/],
    },
    {
      name: 'Graph lists no installation → no create (it would be refused), failed, the reference dropped',
      stored: 'a:1old',
      graph: null,
      create: 'a:1new',
      live: ['a:1new'],
      state: 'failed',
      reason: 'conversation_not_found',
      creates: 0,
      sends: ['a:1old'],
      reference: null,
      detail: [/Graph has no chat for this person/],
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      store = await storeWithOnePerson(c.stored, clock.now());
      const sends: string[] = [];
      const creates: unknown[] = [];
      const graphAsked = { n: 0 };
      const d: SendWelcomeDeps = {
        ...senderDeps(store, clock, {
          claimer: 'sender',
          send: async (ref) => {
            sends.push(ref.conversationId);
            if (!c.live.includes(ref.conversationId)) throw notFound();
            return { id: '1700000000000' };
          },
          graphReferences: graphGiving(c.graph, graphAsked),
        }),
        create: async (target) => {
          creates.push(target);
          if (typeof c.create === 'function') throw c.create();
          return c.create;
        },
      };
      const [claimed] = await store.claimWelcomes(d.claimer, 1, clock.now());
      expect(await sendWelcome(d, claimed!)).to.equal(c.state);
      expect(sends).to.deep.equal(c.sends);
      expect(graphAsked.n, 'one Graph look-up').to.equal(1);
      expect(creates).to.have.length(c.creates);
      // The 29: id from the install event, where the person lives: the guide's create body.
      // (At the serviceUrl of the chat that failed last: the stored one's, or the tenant's for Graph's chat.)
      if (c.creates) expect(creates[0]).to.deep.include({ tenantId: T, serviceUrl: c.stored === c.graph ? 'http://127.0.0.1:9/amer/' : 'http://127.0.0.1:9/teams/', memberId: '29:ada' });
      const user = await store.getUser(T, U);
      expect(user).to.include({ state: c.state, reason: c.reason });
      for (const re of c.detail ?? []) expect(user!.detail).to.match(re);
      const ref = await store.getReference(T, U);
      expect(ref?.conversationId ?? null).to.equal(c.reference);
      if (c.reference === 'a:1new') expect(ref).to.include({ source: 'created', userId: '29:ada' });
    });
  }

  it('with no 29: id (a reference from Graph) the create names the person by their Entra object id', async () => {
    store = await openStore(':memory:');
    await store.insertUsers([{ tenantId: T, aadObjectId: U, userPrincipalName: 'ada@contoso.com', displayName: 'Ada', locale: 'en-GB', state: 'reference_ready', reason: null, rolloutId: null }], clock.now(), 'test');
    await store.putReference({ tenantId: T, aadObjectId: U, conversationId: '19:ada_bot@unq.gbl.spaces', serviceUrl: 'http://127.0.0.1:9/amer/', userId: null, botId: null, source: 'graph', capturedAt: clock.now() });
    const creates: { memberId: string }[] = [];
    const d: SendWelcomeDeps = {
      ...senderDeps(store, clock, {
        claimer: 'sender',
        send: async (ref) => {
          if (ref.conversationId !== 'a:1new') throw notFound();
          return { id: '1' };
        },
        graphReferences: graphGiving('19:ada_bot@unq.gbl.spaces', { n: 0 }),
      }),
      create: async (target) => {
        creates.push(target);
        return 'a:1new';
      },
    };
    const [claimed] = await store.claimWelcomes(d.claimer, 1, clock.now());
    expect(await sendWelcome(d, claimed!)).to.equal('welcomed');
    expect(creates.map((x) => x.memberId)).to.deep.equal([U]);
  });
});
