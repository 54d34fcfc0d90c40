import { expect } from 'chai';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createBotApp } from '../../src/bot/app.js';
import type { ChannelTokenVariant } from '../../src/simulator/botframework.js';
import { personalBotAdded, postSignedActivity } from '../../src/simulator/channel.js';
import { teamBotAdded } from '../../src/simulator/bot-side/install-activities.js';
import type { SimUser } from '../../src/simulator/types.js';
import { startRolloutEnv, waitFor, type RolloutEnv } from '../helpers/rollout.js';
import { installEvents, isWelcomeCard, messagesTo, personalMessage, post, removeEvent, startServe, type InProcessServe } from '../helpers/serve.js';

/**
 * The bot endpoint of `serve`, built in this process as src/cli/serve.ts builds it, with the simulated
 * Teams channel posting signed activities to it. What people received is read from the tenant's own
 * record of accepted messages, never from our ledger.
 */
describe('serve: the bot endpoint captures references and answers people (in-process, simulated tenant)', function () {
  this.timeout(30_000);
  let e: RolloutEnv;
  let s: InProcessServe;
  let members: SimUser[];
  const next = () => members.shift()!;

  before(async () => {
    e = await startRolloutEnv({ users: 60, seed: 'serve-capture', limits: 'x10', eventDelayMs: [0, 20] });
    s = await startServe(e);
    members = e.tenant.state.users.filter((u) => u.kind === 'member');
  });
  after(async () => {
    await s?.stop();
    await e?.stop();
  });

  /** The app installed for the person in the tenant (so the connector accepts sends), without the automatic events. */
  const installed = (u: SimUser) => {
    e.tenant.state.install(u.id, e.tenant.state.app.id, Date.now());
    return u;
  };
  const row = (u: SimUser) => e.core.store.getUser(e.tenant.tenantId, u.id);
  const welcomed = (u: SimUser) => async () => (await row(u))?.state === 'welcomed';
  /** Lets the sender run a few sweeps: for "nothing more happens" checks. */
  const sweeps = () => new Promise((r) => setTimeout(r, 500));

  it('install events in either order, twice, and late: one reference, one welcome per person', async () => {
    const [a, b, c] = [installed(next()), installed(next()), installed(next())];
    const ea = installEvents(e, a);
    expect((await post(e, s, ea.installationUpdate)).status).to.equal(200);
    expect((await post(e, s, ea.conversationUpdate)).status).to.equal(200);
    const eb = installEvents(e, b);
    expect((await post(e, s, eb.conversationUpdate)).status).to.equal(200);
    expect((await post(e, s, eb.installationUpdate)).status).to.equal(200);
    // Both events twice, all at once (a duplicated delivery races the original).
    const ec = installEvents(e, c);
    const results = await Promise.all([ec.installationUpdate, ec.conversationUpdate, ec.installationUpdate, ec.conversationUpdate].map((x) => post(e, s, x)));
    expect(results.map((r) => r.status)).to.deep.equal([200, 200, 200, 200]);

    for (const u of [a, b, c]) await waitFor(welcomed(u));
    // Late: the same events again after the welcome went.
    for (const u of [a, b, c]) {
      const late = installEvents(e, u);
      await post(e, s, late.conversationUpdate);
      await post(e, s, late.installationUpdate);
    }
    await sweeps();
    for (const u of [a, b, c]) {
      const got = messagesTo(e, u.id);
      expect(got, u.userPrincipalName).to.have.length(1);
      expect(isWelcomeCard(got[0]!.activity)).to.equal(true);
      expect(got[0]!.conversationId).to.equal(e.tenant.state.personalConversationFor(u.id, 0).id);
      const ref = await e.core.store.getReference(e.tenant.tenantId, u.id);
      expect(ref).to.include({ conversationId: got[0]!.conversationId, serviceUrl: e.tenant.urls.serviceUrl, userId: u.botUserId, botId: `28:${e.tenant.botAppId}` });
      expect(await row(u)).to.include({ state: 'welcomed', welcomeAttempts: 1 });
    }
  });

  it('a later activity from another region refreshes the stored serviceUrl (kept exactly as received)', async () => {
    const u = installed(next());
    await post(e, s, installEvents(e, u).installationUpdate);
    await waitFor(welcomed(u));
    const emea = e.tenant.urls.serviceUrl.replace('/amer/', '/emea/');
    expect(emea).to.not.equal(e.tenant.urls.serviceUrl);
    const reply = personalMessage(e, u, { text: 'help' });
    expect((await post(e, s, { ...reply, serviceUrl: emea })).status).to.equal(200);
    await waitFor(async () => (await e.core.store.getReference(e.tenant.tenantId, u.id))?.serviceUrl === emea);
    expect(messagesTo(e, u.id).filter((m) => isWelcomeCard(m.activity)), 'still one welcome').to.have.length(1);
  });

  it('a team install is recorded as such, and nobody is welcomed for it', async () => {
    const team = e.tenant.state.teams[0]!;
    const by = e.tenant.state.findUser(team.memberUserIds[0]!)!;
    const sentBefore = e.tenant.state.messages.length;
    const refBefore = await e.core.store.getReference(e.tenant.tenantId, by.id);
    expect((await post(e, s, teamBotAdded(e.tenant.ctx, team, by, { id: 'f:team-add', at: Date.now() }))).status).to.equal(200);
    await waitFor(async () => (await e.core.store.listConversationInstalls(e.tenant.tenantId)).some((c) => c.conversationId === team.conversationId));
    const recorded = (await e.core.store.listConversationInstalls(e.tenant.tenantId)).find((c) => c.conversationId === team.conversationId)!;
    expect(recorded).to.include({ scope: 'team', name: team.displayName, serviceUrl: e.tenant.urls.serviceUrl, removedAt: null });
    await sweeps();
    expect(e.tenant.state.messages.slice(sentBefore).filter((m) => m.conversationId === team.conversationId), 'nothing sent into the team').to.deep.equal([]);
    expect(await e.core.store.getReference(e.tenant.tenantId, by.id), 'no personal reference from a team event').to.deep.equal(refBefore);
  });

  describe('stale references (PRODUCT.md §2, issue 10.1): a 404 asks Graph once, then creates the conversation once', () => {
    const count = (api: string, status: number) => e.tenant.state.requests[api]?.[status] ?? 0;

    it('someone who removed the chat history (gone under both ids) is welcomed in the conversation created again, once', async () => {
      const u = installed(e.tenant.state.users.find((x) => x.kind === 'deleted_chat')!);
      const notFound = count('bot.activities.send', 404);
      const chats = count('graph.installedApps.chat', 200);
      const creates = count('bot.conversations.create', 201);
      const ev = installEvents(e, u);
      const graphChat = e.tenant.state.installation(u.id, e.tenant.state.app.id)!.chatId;
      expect(e.tenant.state.conversations.get(ev.conversationUpdate.conversation.id)?.deleted, 'the announced chat is gone').to.equal(true);
      expect(e.tenant.state.conversations.get(graphChat)?.deleted, "and so is Graph's id for it").to.equal(true);
      await post(e, s, ev.conversationUpdate);
      await waitFor(welcomed(u));
      const got = messagesTo(e, u.id);
      expect(got).to.have.length(1);
      expect(got[0]!.conversationId).to.not.be.oneOf([ev.conversationUpdate.conversation.id, graphChat]);
      expect(await e.core.store.getReference(e.tenant.tenantId, u.id), 'later sends use the new one').to.include({ source: 'created', conversationId: got[0]!.conversationId });
      // The other install event, sent before the create and arriving late, still names the dead chat: the new one stays.
      expect((await post(e, s, ev.installationUpdate)).status).to.equal(200);
      expect(await e.core.store.getReference(e.tenant.tenantId, u.id), 'a late event does not bring the dead chat back').to.include({ source: 'created', conversationId: got[0]!.conversationId });
      expect(count('bot.activities.send', 404) - notFound, "one try on the announced chat, one on Graph's").to.equal(2);
      expect(count('graph.installedApps.chat', 200) - chats, 'the chat was asked of Graph once').to.equal(1);
      expect(count('bot.conversations.create', 201) - creates, 'the conversation was created once').to.equal(1);
    });

    it("when Graph gives the same chat (a reference from Graph) and it is gone, it is created again: one send to the old id, one create", async () => {
      await s.bot.worker.stop();
      try {
        const u = installed(next());
        const chatId = e.tenant.state.installation(u.id, e.tenant.state.app.id)!.chatId;
        // As settle stores it for someone who already had the app: Graph's chat id, no 29: id.
        await e.core.store.insertUsers([{ tenantId: e.tenant.tenantId, aadObjectId: u.id, userPrincipalName: u.userPrincipalName, displayName: u.displayName, locale: null, state: 'reference_ready', reason: null, rolloutId: null }], Date.now(), 'test');
        await e.core.store.putReference({ tenantId: e.tenant.tenantId, aadObjectId: u.id, conversationId: chatId, serviceUrl: e.tenant.urls.serviceUrl, userId: null, botId: null, source: 'graph', capturedAt: Date.now() });
        const control = await fetch(`${e.tenant.urls.http}/_sim/users/${u.id}/delete-chat`, { method: 'POST' });
        expect(control.status).to.equal(200);
        const chats = count('graph.installedApps.chat', 200);
        const notFound = count('bot.activities.send', 404);
        const creates = count('bot.conversations.create', 201);
        s.bot.worker.start();
        await waitFor(welcomed(u));
        expect(count('graph.installedApps.chat', 200) - chats).to.equal(1);
        expect(count('bot.activities.send', 404) - notFound, 'Graph gave the same id: not tried twice').to.equal(1);
        expect(count('bot.conversations.create', 201) - creates).to.equal(1);
        const got = messagesTo(e, u.id);
        expect(got).to.have.length(1);
        expect(got[0]!.conversationId).to.not.equal(chatId);
      } finally {
        s.bot.worker.start();
      }
    });
  });

  describe('anything but a valid Bot Framework token: 401, and nothing stored (PRODUCT.md §6)', () => {
    const variants: ChannelTokenVariant[] = ['forged', 'unknown-key', 'expired', 'wrong-audience', 'wrong-serviceurl', 'unendorsed', 'wrong-issuer'];
    let victim: SimUser;
    const forgedServiceUrl = 'http://127.0.0.1:9/forged/';
    const serviceUrlSetting = () => e.core.store.getSetting(`serviceUrl:${e.tenant.tenantId}`);
    before(() => {
      victim = installed(next());
    });
    const activity = (id: string) => ({ ...personalBotAdded(e.tenant.ctx, victim, `a:forged-${id}`, { id: `f:${id}`, at: Date.now() }), serviceUrl: forgedServiceUrl });

    async function expectNothingStored(): Promise<void> {
      expect(await e.core.store.getReference(e.tenant.tenantId, victim.id)).to.equal(undefined);
      expect(await row(victim)).to.equal(undefined);
      expect(await serviceUrlSetting()).not.to.equal(forgedServiceUrl);
      expect(messagesTo(e, victim.id)).to.have.length(0);
    }

    for (const variant of variants) {
      it(`a ${variant} token`, async () => {
        const r = await postSignedActivity(e.tenant.ctx, activity(variant), { endpoint: s.endpoint, token: variant });
        expect(r.status, r.body).to.equal(401);
        await expectNothingStored();
      });
    }

    for (const [name, authorization] of [
      ['no Authorization header', null],
      ['a bearer that is not a JWT', 'Bearer not-a-token'],
      ['a Basic header', 'Basic dXNlcjpwYXNz'],
    ] as const) {
      it(name, async () => {
        const r = await postSignedActivity(e.tenant.ctx, activity(name.replace(/\W+/g, '-')), { endpoint: s.endpoint, authorization });
        expect(r.status, r.body).to.equal(401);
        await expectNothingStored();
      });
    }

    it('a refusal is answered without a stack trace on the console', async () => {
      const printed: unknown[] = [];
      const original = console.error;
      console.error = (...args: unknown[]) => void printed.push(args);
      try {
        const r = await postSignedActivity(e.tenant.ctx, activity('quiet'), { endpoint: s.endpoint, token: 'forged' });
        expect(r.status).to.equal(401);
        expect(JSON.parse(r.body ?? '{}')).to.deep.equal({ error: 'a valid Bot Framework token is required' });
      } finally {
        console.error = original;
      }
      // botframework-connector still prints its own "Error finding key for token" line for a forged key
      // (jwtTokenExtractor); what must not appear is the AuthenticationError and its stack that CloudAdapter.process printed.
      const stacks = printed.flat().filter((x) => x instanceof Error || /\n\s+at /.test(String(x)));
      expect(stacks, 'stack traces printed').to.deep.equal([]);
    });

    it('while the same activity with a valid token is captured (the refusals are about the token alone)', async () => {
      const ok = { ...personalBotAdded(e.tenant.ctx, victim, e.tenant.state.personalConversationFor(victim.id, 0).id, { id: 'f:valid', at: Date.now() }) };
      const r = await postSignedActivity(e.tenant.ctx, ok, { endpoint: s.endpoint });
      expect(r.status).to.equal(200);
      expect(await e.core.store.getReference(e.tenant.tenantId, victim.id)).to.include({ conversationId: ok.conversation.id });
    });
  });

  describe('the HTTP surface', () => {
    const postRaw = (body: string, contentType = 'application/json') => fetch(s.endpoint, { method: 'POST', headers: { 'content-type': contentType }, body });

    it('malformed JSON → 400, without a stack trace', async () => {
      const r = await postRaw('{"type": "message", ');
      expect(r.status).to.equal(400);
      const text = await r.text();
      expect(JSON.parse(text)).to.deep.equal({ error: 'malformed JSON' });
    });

    it('JSON that is not an activity (an array, a string) → 400', async () => {
      expect((await postRaw('[1,2]')).status).to.equal(400);
      expect((await postRaw('"hello"')).status).to.equal(400);
      expect((await postRaw('type=message', 'text/plain')).status).to.equal(400);
    });

    it('a body over the limit → 413, before any token check', async () => {
      const huge = JSON.stringify({ type: 'message', text: 'x'.repeat(300 * 1024) });
      const r = await postRaw(huge);
      expect(r.status).to.equal(413);
      expect(await r.json()).to.deep.equal({ error: 'request body too large' });
    });

    it('GET /healthz → 200 ok', async () => {
      const r = await fetch(`${s.base}/healthz`);
      expect(r.status).to.equal(200);
      expect(await r.json()).to.deep.equal({ status: 'ok' });
    });

    describe('/status', () => {
      /** The same app behind a server whose sockets claim a non-loopback peer, as a request from another host would. */
      async function listenAsRemote(app: ReturnType<typeof createBotApp>): Promise<{ url: string; close(): Promise<void> }> {
        const server: Server = createServer(app);
        server.on('connection', (socket) => Object.defineProperty(socket, 'remoteAddress', { value: '203.0.113.7' }));
        await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
        return {
          url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/status`,
          close: () => new Promise((r) => server.close(() => r())),
        };
      }

      it('answers a loopback caller with the counts and the sender', async () => {
        const r = await fetch(`${s.base}/status`);
        expect(r.status).to.equal(200);
        const body = (await r.json()) as { counts: Record<string, number>; sender: { holdsLease: boolean } };
        expect(body.counts.welcomed).to.be.at.least(3);
        expect(body.sender.holdsLease).to.equal(true);
      });

      it('refuses a request forwarded by a proxy on this machine when no admin token is set (403)', async () => {
        expect((await fetch(`${s.base}/status`, { headers: { 'x-forwarded-for': '203.0.113.7' } })).status).to.equal(403);
        expect((await fetch(`${s.base}/status`, { headers: { forwarded: 'for=203.0.113.7' } })).status).to.equal(403);
      });

      it('refuses a caller from another host when no admin token is set (403)', async () => {
        const remote = await listenAsRemote(s.app);
        try {
          const r = await fetch(remote.url);
          expect(r.status).to.equal(403);
          expect(JSON.stringify(await r.json())).to.contain('TEAMS_ROLLOUT_ADMIN_TOKEN');
        } finally {
          await remote.close();
        }
      });

      it('with an admin token: only the right bearer gets in, from anywhere', async () => {
        const app = createBotApp({ adapter: s.bot.adapter, onTurn: s.handler, log: e.core.log, status: s.status, adminToken: 's3cret-admin' });
        const remote = await listenAsRemote(app);
        try {
          expect((await fetch(remote.url)).status).to.equal(401);
          expect((await fetch(remote.url, { headers: { authorization: 'Bearer wrong' } })).status).to.equal(401);
          const ok = await fetch(remote.url, { headers: { authorization: 'Bearer s3cret-admin' } });
          expect(ok.status).to.equal(200);
          expect(await ok.json()).to.have.property('counts');
        } finally {
          await remote.close();
        }
      });
    });
  });

  describe('replies, opt-out and uninstall (PRODUCT.md §2 "Opt-out")', () => {
    let optOut: SimUser;
    let uninstaller: SimUser;
    let control: SimUser;
    const texts = (u: SimUser) => messagesTo(e, u.id).map((m) => (isWelcomeCard(m.activity) ? 'WELCOME CARD' : String(m.activity.text)));

    before(async () => {
      // The sender paused, so that the stop and the uninstall surely come before any welcome.
      await s.bot.worker.stop();
      [optOut, uninstaller, control] = [installed(next()), installed(next()), installed(next())];
      for (const u of [optOut, uninstaller, control]) {
        const ev = installEvents(e, u);
        await post(e, s, ev.conversationUpdate);
        await post(e, s, ev.installationUpdate);
        expect((await row(u))?.state).to.equal('reference_ready');
      }
    });

    it('"stop" records the opt-out and confirms it; the person gets no welcome', async () => {
      expect((await post(e, s, personalMessage(e, optOut, { text: '<at>Contoso Helper</at> stop' }))).status).to.equal(200);
      expect(await row(optOut)).to.include({ state: 'skipped', reason: 'opted_out' });
      expect((await row(optOut))!.optedOutAt).to.be.a('number');
      expect(texts(optOut)).to.have.length(1);
      expect(texts(optOut)[0]).to.match(/^Done: Contoso Helper will not send you notifications/);
    });

    it('an uninstall (installationUpdate remove) is recorded; the person gets nothing', async () => {
      e.tenant.state.uninstall(uninstaller.id, e.tenant.state.app.id);
      expect((await post(e, s, removeEvent(e, uninstaller))).status).to.equal(200);
      expect(await row(uninstaller)).to.include({ state: 'skipped', reason: 'uninstalled_by_user' });
    });

    it('when the sender runs again, only the person who did neither is welcomed', async () => {
      s.bot.worker.start();
      await waitFor(welcomed(control));
      // A late duplicate of the opted-out person's install events changes nothing.
      const late = installEvents(e, optOut);
      await post(e, s, late.installationUpdate);
      await sweeps();
      expect(texts(control)).to.deep.equal(['WELCOME CARD']);
      expect(texts(optOut)).to.have.length(1);
      expect(texts(uninstaller)).to.deep.equal([]);
      expect(await row(optOut)).to.include({ state: 'skipped', reason: 'opted_out' });
      expect(await row(uninstaller)).to.include({ state: 'skipped', reason: 'uninstalled_by_user' });
    });

    it('"start" undoes the opt-out: confirmed, and the welcome that never went now goes, once', async () => {
      expect((await post(e, s, personalMessage(e, optOut, { text: 'start' }))).status).to.equal(200);
      await waitFor(welcomed(optOut));
      await sweeps();
      // The confirmation and the welcome race each other (the sender wakes as the reply goes): order aside.
      const got = texts(optOut).slice(1);
      expect(got).to.have.length(2);
      expect(got.filter((t) => t === 'WELCOME CARD')).to.have.length(1);
      expect(got.find((t) => t !== 'WELCOME CARD')).to.match(/^Welcome back: Contoso Helper notifications are on again/);
      expect((await row(optOut))!.optedOutAt).to.equal(null);
    });

    it('anything else gets the help text, and changes nothing', async () => {
      const before = await row(control);
      expect((await post(e, s, personalMessage(e, control, { text: 'what is this?' }))).status).to.equal(200);
      const got = texts(control);
      expect(got).to.have.length(2);
      expect(got[1]).to.match(/^I'm Contoso Helper\./).and.contain('**stop**').and.contain('**start**');
      expect(await row(control)).to.include({ state: before!.state, optedOutAt: null });
    });

    it('the card’s Stop notifications button (Action.Submit {action:"stop"}) opts a welcomed person out, with no second welcome', async () => {
      expect((await post(e, s, personalMessage(e, control, { value: { action: 'stop' } }))).status).to.equal(200);
      const r = await row(control);
      expect(r!.optedOutAt).to.be.a('number');
      expect(r!.state).to.equal('welcomed'); // stays welcomed: it went, and is never sent again
      await sweeps();
      const got = texts(control);
      expect(got).to.have.length(3);
      expect(got[2]).to.match(/^Done:/);
      expect(got.filter((t) => t === 'WELCOME CARD')).to.have.length(1);
    });
  });
});
