import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { FakeClock } from '../../helpers/fake-clock.js';
import type { SimUser } from '../../../src/simulator/types.js';
import { startBotSideTenant, type BotSideTenant, type HarnessOptions } from './harness.js';
import { startCaptureEndpoint, type Captured } from './capture-endpoint.js';
import { simulatorBotSettings, startBotUnderTest } from './bot-under-test.js';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../../fixtures/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;

/** The shape of a JSON value: its keys, recursively, with arrays reduced to their first element. */
function shape(v: unknown): unknown {
  if (Array.isArray(v)) return [shape(v[0])];
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, shape((v as Record<string, unknown>)[k])]));
  return typeof v;
}

describe('simulated Teams channel', () => {
  const started: { close(): Promise<void> }[] = [];
  const setup = async (options: HarnessOptions = {}, status = 200) => {
    const tenant = await startBotSideTenant(options);
    const bot = await startCaptureEndpoint(status);
    started.push(tenant, bot);
    tenant.ctx.state.botEndpoint = bot.endpoint;
    return { tenant, bot, posts: bot.posts };
  };
  const install = (tenant: BotSideTenant, user: SimUser) => {
    tenant.channel.installed(user, tenant.ctx.state.install(user.id, tenant.ctx.state.app.id, tenant.ctx.clock.now()));
  };
  const members = (tenant: BotSideTenant) => tenant.ctx.state.users.filter((u) => u.kind === 'member');
  afterEach(async () => {
    await Promise.all(started.splice(0).map((s) => s.close()));
  });

  it('posts an installationUpdate (add) and a conversationUpdate in the documented personal-scope shape', async () => {
    const { tenant, posts } = await setup();
    const { state } = tenant.ctx;
    const user = members(tenant)[0]!;
    install(tenant, user);
    await tenant.channel.idle();

    expect(posts).to.have.length(2);
    const conversationId = state.personalConversationFor(user.id, 0).id;
    for (const { headers, body } of posts) {
      expect(body).to.deep.include({
        channelId: 'msteams',
        serviceUrl: tenant.urls.serviceUrl,
        from: { id: user.botUserId, aadObjectId: user.id },
        recipient: { id: `28:${state.clientId}`, name: state.app.displayName },
        conversation: { conversationType: 'personal', tenantId: state.tenantId, id: conversationId },
        channelData: { tenant: { id: state.tenantId } },
        locale: user.preferredLanguage,
        entities: [{ type: 'clientInfo', locale: user.preferredLanguage }],
      });
      expect(body.id).to.match(/^f:/);
      expect(Date.parse(body.timestamp)).to.be.a('number').and.not.NaN;
      expect(headers['x-ms-conversation-id']).to.equal(conversationId);
      expect(headers['x-ms-tenant-id']).to.equal(state.tenantId);

      const token = String(headers.authorization).replace(/^Bearer /, '');
      const claims = decodeJwt(token);
      expect(claims.serviceurl).to.equal(body.serviceUrl);
      expect(claims).to.include({ iss: 'https://api.botframework.com', aud: state.clientId });
      expect(claims).to.not.have.any.keys('ver', 'appid');
      expect(claims).to.include.keys('nbf', 'exp', 'iat');
      expect(decodeProtectedHeader(token)).to.include({ alg: 'RS256', kid: tenant.ctx.channelKey.kid });
    }
    const byType = Object.fromEntries(posts.map((p) => [p.body.type, p.body]));
    expect(byType.installationUpdate.action).to.equal('add');
    expect(byType.conversationUpdate.membersAdded).to.deep.equal([{ id: byType.conversationUpdate.recipient.id }]);
  });

  it("sends the tenant-scoped serviceUrl by default, as Teams does today, and the regional one by option, and botbuilder accepts both (the token's serviceurl claim matches each)", async () => {
    for (const form of ['tenant', 'regional'] as const) {
      const tenant = await startBotSideTenant(form === 'tenant' ? {} : { serviceUrl: form });
      const bot = await startBotUnderTest(simulatorBotSettings(tenant.ctx.state, tenant.urls));
      started.push(tenant, bot);
      tenant.ctx.state.botEndpoint = bot.endpoint;
      const expected = form === 'tenant' ? `${tenant.urls.http}/amer/${tenant.ctx.state.tenantId}/` : `${tenant.urls.http}/amer/`;
      expect(tenant.urls.serviceUrl, form).to.equal(expected);
      install(tenant, members(tenant)[0]!);
      await tenant.channel.idle();
      expect(bot.received.map((a) => a.serviceUrl), form).to.deep.equal([expected, expected]);
      expect(tenant.ctx.state.deliveries.map((d) => d.outcome), form).to.deep.equal(['delivered', 'delivered']);
    }
  });

  it('matches the recorded fixtures in test/fixtures (so handler tests use what the channel really sends)', async () => {
    const { tenant, posts } = await setup();
    install(tenant, members(tenant)[0]!);
    tenant.channel.teamInstalled(tenant.ctx.state.teams[0]!);
    await tenant.channel.idle();
    const byType = (type: string, scope: string) => posts.find((p) => p.body.type === type && p.body.conversation.conversationType === scope)!.body;
    expect(shape(byType('installationUpdate', 'personal'))).to.deep.equal(shape(fixture('teams-personal-installation-update.json')));
    expect(shape(byType('conversationUpdate', 'personal'))).to.deep.equal(shape(fixture('teams-personal-conversation-update.json')));
    expect(shape(byType('conversationUpdate', 'channel'))).to.deep.equal(shape(fixture('teams-team-bot-added.json')));
  });

  it('with conversation-update-only, an install is announced by its conversationUpdate alone (no installationUpdate at all)', async () => {
    const { tenant, posts } = await setup({ faults: 'conversation-update-only=100%' });
    install(tenant, members(tenant)[0]!);
    await tenant.channel.idle();
    expect(posts.map((p) => p.body.type)).to.deep.equal(['conversationUpdate']);
    expect(posts[0]!.body.membersAdded).to.deep.equal([{ id: posts[0]!.body.recipient.id }]);
  });

  it('an app upgrade posts installationUpdate add-upgrade to each person who has the app (POST /_sim/app/upgrade)', async () => {
    const { tenant, posts } = await setup();
    const [a, b] = members(tenant);
    for (const u of [a!, b!]) tenant.ctx.state.install(u.id, tenant.ctx.state.app.id, 0);
    const r = await fetch(`${tenant.urls.http}/_sim/app/upgrade`, { method: 'POST' });
    const expected = tenant.ctx.state.users.filter((u) => tenant.ctx.state.installation(u.id, tenant.ctx.state.app.id)).length;
    expect(await r.json()).to.deep.equal({ upgraded: expected });
    await tenant.channel.idle();
    expect(posts.map((p) => [p.body.type, p.body.action])).to.deep.equal(Array.from({ length: expected }, () => ['installationUpdate', 'add-upgrade']));
    expect(posts.map((p) => p.body.from.aadObjectId)).to.include.members([a!.id, b!.id]);
  });

  it('posts the two events in either order across installs', async () => {
    const { tenant, posts } = await setup({ eventDelayMs: [0, 0] });
    for (const user of members(tenant).slice(0, 12)) {
      install(tenant, user);
      await tenant.channel.idle();
    }
    const firsts = new Set<string>();
    for (let i = 0; i < posts.length; i += 2) firsts.add(posts[i]!.body.type);
    expect([...firsts].sort()).to.deep.equal(['conversationUpdate', 'installationUpdate']);
  });

  it('waits a delay drawn from eventDelayMs before posting, and close() cancels what is pending', async () => {
    const clock = new FakeClock();
    const { tenant, posts } = await setup({ clock, eventDelayMs: [500, 800] });
    const [a, b] = members(tenant);
    install(tenant, a!);
    await clock.advance(499);
    expect(posts).to.have.length(0);
    await clock.advance(301);
    await tenant.channel.idle();
    expect(posts).to.have.length(2);

    install(tenant, b!);
    await tenant.channel.close();
    await clock.advance(10_000);
    expect(posts).to.have.length(2);
    expect(tenant.ctx.state.deliveries.filter((d) => d.userId === b!.id)).to.have.length(0);
  });

  it('records no-endpoint when the bot has no endpoint, and lost events when the fault drops them', async () => {
    const { tenant, posts } = await setup({ faults: 'lost-events=100%' });
    const [a, b] = members(tenant);
    tenant.ctx.state.botEndpoint = null;
    install(tenant, a!);
    tenant.ctx.state.botEndpoint = 'http://127.0.0.1:9/never';
    install(tenant, b!);
    await tenant.channel.idle();
    expect(posts).to.have.length(0);
    const outcomes = (id: string) => tenant.ctx.state.deliveries.filter((d) => d.userId === id).map((d) => d.outcome);
    expect(outcomes(a!.id)).to.deep.equal(['no-endpoint', 'no-endpoint']);
    expect(outcomes(b!.id)).to.deep.equal(['lost', 'lost']);
  });

  it('posts one event twice, the same activity, when the duplicate fault fires', async () => {
    const { tenant, posts } = await setup({ faults: 'duplicate-events=100%' });
    install(tenant, members(tenant)[0]!);
    await tenant.channel.idle();
    expect(posts).to.have.length(3);
    const ids = posts.map((p) => p.body.id);
    expect(new Set(ids).size).to.equal(2);
    expect(posts[2]!.body).to.deep.equal(posts.find((p) => p.body.id === ids[2])!.body);
    expect(tenant.ctx.state.deliveries.filter((d) => d.duplicate)).to.have.length(1);
  });

  it('does not retry a delivery the bot refused, and records it as rejected with the status', async () => {
    const { tenant, posts } = await setup({}, 503);
    const user = members(tenant)[0]!;
    install(tenant, user);
    await tenant.channel.idle();
    expect(posts).to.have.length(2);
    expect(tenant.ctx.state.deliveries.map((d) => [d.outcome, d.status])).to.deep.equal([
      ['rejected', 503],
      ['rejected', 503],
    ]);
  });

  it('records failed when nothing answers at the endpoint', async () => {
    const { tenant } = await setup();
    tenant.ctx.state.botEndpoint = 'http://127.0.0.1:9/api/messages';
    install(tenant, members(tenant)[0]!);
    await tenant.channel.idle();
    expect(tenant.ctx.state.deliveries.map((d) => d.outcome)).to.deep.equal(['failed', 'failed']);
  });

  it('posts installationUpdate (remove) on uninstall', async () => {
    const { tenant, posts } = await setup();
    const user = members(tenant)[0]!;
    const installation = tenant.ctx.state.install(user.id, tenant.ctx.state.app.id, 0);
    tenant.channel.uninstalled(user, installation);
    await tenant.channel.idle();
    expect(posts.map((p: Captured) => [p.body.type, p.body.action])).to.deep.equal([['installationUpdate', 'remove']]);
  });

  it('posts a team-scope conversationUpdate that botbuilder accepts', async () => {
    const tenant = await startBotSideTenant();
    const bot = await startBotUnderTest(simulatorBotSettings(tenant.ctx.state, tenant.urls));
    started.push(tenant, bot);
    tenant.ctx.state.botEndpoint = bot.endpoint;
    const team = tenant.ctx.state.teams[0]!;
    tenant.channel.teamInstalled(team);
    await tenant.channel.idle();
    expect(bot.received).to.have.length(1);
    const activity = bot.received[0]!;
    expect(activity.conversation).to.include({ conversationType: 'channel', id: team.conversationId, isGroup: true });
    expect(activity.channelData).to.deep.include({ eventType: 'teamMemberAdded', team: { id: team.conversationId, name: team.displayName, aadGroupId: team.id } });
    expect(tenant.ctx.state.deliveries.map((d) => d.outcome)).to.deep.equal(['delivered']);
  });
});
