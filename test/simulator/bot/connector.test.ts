import { expect } from 'chai';
import { FakeClock } from '../../helpers/fake-clock.js';
import { MAX_MESSAGE_BYTES } from '../../../src/simulator/bot-side/send-activity.js';
import type { SimUser } from '../../../src/simulator/types.js';
import { startBotSideTenant, type BotSideTenant } from './harness.js';
import { connectorClient, enc, fetchToken, type ConnectorAnswer } from './connector-client.js';

type Call = ReturnType<typeof connectorClient>;

describe('simulated Bot Connector (v3/conversations)', () => {
  let tenant: BotSideTenant;
  let call: Call;
  let token: string;
  const userOf = (kind: SimUser['kind']) => tenant.ctx.state.users.find((u) => u.kind === kind)!;
  const createBody = (memberId: string, tenantId = tenant.ctx.state.tenantId) => ({
    isGroup: false,
    bot: { id: `28:${tenant.ctx.state.clientId}` },
    members: [{ id: memberId }],
    tenantId,
    channelData: { tenant: { id: tenantId } },
  });
  const send = (conversationId: string, activity: unknown = { type: 'message', text: 'Hello' }) => call('POST', `v3/conversations/${enc(conversationId)}/activities`, activity);
  const expectError = (r: ConnectorAnswer, status: number, code: string, message?: string) => {
    expect(r.status, JSON.stringify(r.body)).to.equal(status);
    expect(r.body.error.code).to.equal(code);
    if (message) expect(r.body.error.message).to.equal(message);
  };

  before(async () => {
    // The clock stands still: no rate window ever empties, so every 429 below is deliberate.
    tenant = await startBotSideTenant({ users: 400, clock: new FakeClock(), limits: 'bot=off,bot-conversation=off' });
    token = await fetchToken(tenant.urls, tenant.ctx.state);
    call = connectorClient(tenant.urls.serviceUrl, token);
  });
  after(() => tenant?.close());

  describe('authentication', () => {
    it('answers 401 without a bearer token', async () => {
      const r = await connectorClient(tenant.urls.serviceUrl, null)('POST', 'v3/conversations', createBody(userOf('member').botUserId));
      expect(r.status).to.equal(401);
      expect(r.body.message).to.equal('Authorization has been denied for this request.');
      expect(r.body.error.code).to.equal('Unauthorized');
    });

    it('answers 401 to a Graph token (wrong audience)', async () => {
      const graphToken = await fetchToken(tenant.urls, tenant.ctx.state, 'https://graph.microsoft.com/.default');
      const r = await connectorClient(tenant.urls.serviceUrl, graphToken)('GET', `v3/conversations/${enc(tenant.ctx.state.teams[0]!.conversationId)}/members`);
      expect(r.status).to.equal(401);
    });
  });

  describe('POST v3/conversations', () => {
    it('creates the personal conversation of an installed user, idempotently', async () => {
      const { state } = tenant.ctx;
      const user = userOf('already_installed');
      const first = await call('POST', 'v3/conversations', createBody(user.botUserId));
      const second = await call('POST', 'v3/conversations', createBody(user.id));
      expect(first.status).to.equal(201);
      expect(first.body.id).to.match(/^a:/);
      expect(second.body).to.deep.equal(first.body);
      expect(first.body.id).to.equal(state.personalConversationFor(user.id, 0).id);
    });

    it('creates one for a member of a team the bot is in, without a personal install', async () => {
      const { state } = tenant.ctx;
      const user = state.findUser(state.teams[0]!.memberUserIds.find((id) => state.installationsOf(id).length === 0)!)!;
      const r = await call('POST', 'v3/conversations', createBody(user.botUserId));
      expect(r.status).to.equal(201);
    });

    it('a team member without a personal install: the 29: id creates, the bare Entra id is 403 (msteams-docs#11125)', async () => {
      const { state } = tenant.ctx;
      const user = state.findUser(state.teams[0]!.memberUserIds.find((id) => state.installationsOf(id).length === 0)!)!;
      expectError(await call('POST', 'v3/conversations', createBody(user.id)), 403, 'BotNotInConversationRoster');
    });

    it('after the chat history was removed: the old a: and Graph chat ids stay 404, create gives a new a: id that takes messages', async () => {
      const { state } = tenant.ctx;
      // Not the deleted_chat person of the send tests below: after this one, their chat is the new one.
      const user = state.users.filter((u) => u.kind === 'deleted_chat')[1]!;
      const installation = state.install(user.id, state.app.id, 0);
      const old = state.personalConversationFor(user.id, 0).id;
      expectError(await send(old), 404, 'ConversationNotFound', 'Conversation not found.');
      expectError(await send(installation.chatId), 404, 'ConversationNotFound', 'Conversation not found.');
      // The bare Entra object id, as Microsoft-Teams-Samples bot-conversation sends it.
      const created = await call('POST', 'v3/conversations', createBody(user.id));
      expect(created.status).to.equal(201);
      expect(created.body.id).to.match(/^a:1/).and.not.equal(old);
      expect((await send(created.body.id)).status).to.equal(201);
      // Idempotent again while it lives; the old ids do not come back.
      expect((await call('POST', 'v3/conversations', createBody(user.botUserId))).body.id).to.equal(created.body.id);
      expectError(await send(old), 404, 'ConversationNotFound');
      expectError(await send(installation.chatId), 404, 'ConversationNotFound');
      state.uninstall(user.id, state.app.id);
    });

    it('answers 403 BotNotInConversationRoster for someone with neither the app nor a team', async () => {
      const r = await call('POST', 'v3/conversations', createBody(userOf('guest').botUserId));
      expectError(r, 403, 'BotNotInConversationRoster');
    });

    it('answers 400 BadArgument to a malformed body, a missing tenant or member, a group', async () => {
      const member = userOf('already_installed').botUserId;
      const { tenantId: _t, channelData: _c, ...noTenant } = createBody(member);
      const cases: [string, unknown][] = [
        ['no tenant', noTenant],
        ['no members', { ...createBody(member), members: [] }],
        ['member without id', { ...createBody(member), members: [{}] }],
        ['unknown member', createBody('29:1nobody')],
        ['group', { ...createBody(member), isGroup: true }],
        ['array', [1, 2]],
      ];
      for (const [name, body] of cases) {
        const r = await call('POST', 'v3/conversations', body);
        expect([r.status, r.body.error.code], name).to.deep.equal([400, 'BadArgument']);
      }
      expectError(await call('POST', 'v3/conversations', undefined, { rawBody: '{"isGroup":' }), 400, 'BadArgument');
    });

    it('counts every request under bot.conversations.create', () => {
      const counts = tenant.ctx.state.requests['bot.conversations.create']!;
      expect(counts[201]).to.equal(5);
      expect(counts[403]).to.equal(2);
      expect(counts[400]).to.equal(7);
    });
  });

  describe('POST v3/conversations/{id}/activities', () => {
    it('answers 404 ConversationNotFound for a deleted_chat user’s a: conversation, and records nothing', async () => {
      const user = userOf('deleted_chat');
      const conversation = tenant.ctx.state.personalConversationFor(user.id, 0);
      expectError(await send(conversation.id), 404, 'ConversationNotFound', 'Conversation not found.');
      expectError(await send('a:does-not-exist'), 404, 'ConversationNotFound');
      expect(tenant.ctx.state.messages.filter((m) => m.userAadObjectId === user.id)).to.have.length(0);
    });

    it("answers a blocked_bot user 403 in either of Teams' bodies, alternating between the blocked people, even with the app installed", async () => {
      const { state } = tenant.ctx;
      const blocked = state.users.filter((u) => u.kind === 'blocked_bot');
      expect(blocked.map((u) => u.blockedBody)).to.deep.equal(blocked.map((_, i) => (i % 2 === 0 ? 'message-writes-blocked' : 'conversation-blocked')));
      const [writesBlocked, conversationBlocked] = blocked;
      for (const u of [writesBlocked!, conversationBlocked!]) state.install(u.id, state.app.id, 0);
      // Verbatim from msteams-docs send-proactive-messages.md: no error envelope, the reason in a JSON string.
      const doc = '{"errorCode":209,"message":"{\\r\\n  \\"subCode\\": \\"MessageWritesBlocked\\",\\r\\n  \\"details\\": \\"Thread is blocked from message writes.\\",\\r\\n  \\"errorCode\\": null,\\r\\n  \\"errorSubCode\\": null\\r\\n}"}';
      const first = await send(state.personalConversationFor(writesBlocked!.id, 0).id);
      expect(first.status).to.equal(403);
      expect(first.body).to.deep.equal(JSON.parse(doc));
      expectError(await send(state.personalConversationFor(conversationBlocked!.id, 0).id), 403, 'ConversationBlockedByUser', 'User blocked the conversation with the bot.');
    });

    it('answers every call 403 TenantNoPermission or CapabilityOverride while the tenant refuses the bot (POST /_sim/tenant-refusal)', async () => {
      const { state } = tenant.ctx;
      const control = (code: string | null) => fetch(`${tenant.urls.http}/_sim/tenant-refusal`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) });
      const someone = state.users.filter((u) => u.kind === 'already_installed').at(-1)!;
      const id = state.personalConversationFor(someone.id, 0).id;
      try {
        expect((await control('TenantNoPermission')).status).to.equal(200);
        expectError(await send(id), 403, 'TenantNoPermission');
        expect((await control('CapabilityOverride')).status).to.equal(200);
        const r = await send(id);
        expect(r.status).to.equal(403);
        expect(JSON.parse(r.body.message)).to.include({ subCode: 'CapabilityOverride' });
        expect((await control('Nope')).status).to.equal(400);
      } finally {
        expect((await control(null)).status).to.equal(200);
      }
      expect((await send(id)).status).to.equal(201);
    });

    it('answers 403 BotNotInConversationRoster when the app is not installed for the user', async () => {
      const r = await send(tenant.ctx.state.personalConversationFor(userOf('guest').id, 0).id);
      expectError(r, 403, 'BotNotInConversationRoster');
    });

    it('accepts a Graph chat id (19:…@unq.gbl.spaces) as the conversation id, and records the message', async () => {
      const { state } = tenant.ctx;
      const user = userOf('member');
      const installation = state.install(user.id, state.app.id, 0);
      const r = await send(installation.chatId, { type: 'message', text: 'Welcome via chat id' });
      expect(r.status).to.equal(201);
      expect(r.body.id).to.match(/^\d+$/);
      const recorded = state.messages.at(-1)!;
      expect(recorded).to.include({ userAadObjectId: user.id, conversationId: installation.chatId, activityId: r.body.id });
      expect(recorded.activity.text).to.equal('Welcome via chat id');
    });

    it('accepts the reply form with any activity id, and every region prefix', async () => {
      const { state } = tenant.ctx;
      const user = userOf('already_installed');
      const id = state.personalConversationFor(user.id, 0).id;
      const tenantScoped = `${tenant.urls.http}/amer/${state.tenantId}/`;
      for (const base of [tenant.urls.serviceUrl, tenant.urls.proactiveServiceUrl, tenantScoped]) {
        const r = await connectorClient(base, token)('POST', `v3/conversations/${enc(id)}/activities/${enc('f:3d1c-random')}`, { type: 'message', text: `via ${base}` });
        expect(r.status, base).to.equal(201);
      }
      expect(state.messages.filter((m) => m.conversationId === id)).to.have.length(3);
    });

    it('answers 400 BadArgument to an activity without type, without text or attachments, or of an unknown type', async () => {
      const id = tenant.ctx.state.personalConversationFor(userOf('already_installed').id, 0).id;
      const before = tenant.ctx.state.messages.length;
      expectError(await send(id, { text: 'no type' }), 400, 'BadArgument');
      expectError(await send(id, { type: 'message' }), 400, 'BadArgument');
      expectError(await send(id, { type: 'message', text: '', attachments: [] }), 400, 'BadArgument');
      expectError(await send(id, { type: 'bogus', text: 'x' }), 400, 'BadArgument', 'Unknown activity type');
      expect((await send(id, { type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: {} }] })).status).to.equal(201);
      expect((await send(id, { type: 'typing' })).status).to.equal(201);
      // Only the message is a message; typing is accepted but not something a user "received".
      expect(tenant.ctx.state.messages.length).to.equal(before + 1);
    });

    it('answers 403 BotDisabledByAdmin to every call while the tenant admin has disabled the bot', async () => {
      const user = userOf('already_installed');
      const created = await call('POST', 'v3/conversations', createBody(user.botUserId));
      expect(created.status).to.equal(201);
      const delivered = () => tenant.ctx.state.messages.filter((m) => m.conversationId === created.body.id).length;
      const before = delivered();
      tenant.ctx.state.botDisabledByAdmin = true;
      try {
        expectError(await send(created.body.id), 403, 'BotDisabledByAdmin', 'The tenant admin disabled this bot');
        expectError(await call('POST', 'v3/conversations', createBody(userOf('member').botUserId)), 403, 'BotDisabledByAdmin');
        expect(delivered(), 'nothing delivered while disabled').to.equal(before);
      } finally {
        tenant.ctx.state.botDisabledByAdmin = false;
      }
      expect((await send(created.body.id)).status).to.equal(201);
    });

    it('answers 413 MessageSizeTooBig past 28 KB', async () => {
      const id = tenant.ctx.state.personalConversationFor(userOf('already_installed').id, 0).id;
      const before = tenant.ctx.state.messages.length;
      expectError(await send(id, { type: 'message', text: 'x'.repeat(MAX_MESSAGE_BYTES) }), 413, 'MessageSizeTooBig');
      expect((await send(id, { type: 'message', text: 'x'.repeat(MAX_MESSAGE_BYTES - 200) })).status).to.equal(201);
      expect(tenant.ctx.state.messages.length).to.equal(before + 1);
    });
  });

  describe('members', () => {
    it('GET members/{id} finds a team member by 29: id or Entra id; an unknown one is ConversationNotFound', async () => {
      const { state } = tenant.ctx;
      const team = state.teams[0]!;
      const user = state.findUser(team.memberUserIds[0]!)!;
      for (const id of [user.botUserId, user.id]) {
        const r = await call('GET', `v3/conversations/${enc(team.conversationId)}/members/${enc(id)}`);
        expect(r.status).to.equal(200);
        expect(r.body).to.include({ id: user.botUserId, aadObjectId: user.id, userPrincipalName: user.userPrincipalName, tenantId: state.tenantId, userRole: 'user' });
      }
      const outsider = userOf('guest');
      expectError(await call('GET', `v3/conversations/${enc(team.conversationId)}/members/${enc(outsider.botUserId)}`), 404, 'ConversationNotFound');
    });

    it('pagedmembers pages through a team with continuation tokens', async () => {
      const { state } = tenant.ctx;
      const team = [...state.teams].sort((a, b) => b.memberUserIds.length - a.memberUserIds.length)[0]!;
      expect(team.memberUserIds.length).to.be.greaterThan(20);
      const seen: string[] = [];
      let continuationToken: string | undefined;
      let pages = 0;
      do {
        const q = new URLSearchParams({ pageSize: '20', ...(continuationToken ? { continuationToken } : {}) });
        const r = await call('GET', `v3/conversations/${enc(team.conversationId)}/pagedmembers?${q}`);
        expect(r.status).to.equal(200);
        expect(r.body.members.length).to.be.at.most(20);
        for (const m of r.body.members) {
          expect(m).to.have.all.keys('id', 'name', 'aadObjectId', 'userPrincipalName', 'email', 'givenName', 'surname', 'tenantId', 'userRole');
          seen.push(m.aadObjectId);
        }
        continuationToken = r.body.continuationToken;
        pages++;
      } while (continuationToken);
      expect(seen).to.deep.equal(team.memberUserIds);
      expect(pages).to.equal(Math.ceil(team.memberUserIds.length / 20));
    });

    it('pagedmembers defaults to 200 a page, serves at most 500, and refuses a bad token', async () => {
      const team = tenant.ctx.state.teams[1]!;
      const path = `v3/conversations/${enc(team.conversationId)}/pagedmembers`;
      expect((await call('GET', path)).body.members).to.have.length(Math.min(200, team.memberUserIds.length));
      expect((await call('GET', `${path}?pageSize=100000`)).body.members).to.have.length(Math.min(500, team.memberUserIds.length));
      expectError(await call('GET', `${path}?continuationToken=nonsense`), 400, 'BadArgument');
      expect(tenant.ctx.state.requests['bot.pagedmembers']![200]).to.be.greaterThan(2);
    });
  });
});
