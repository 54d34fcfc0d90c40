import { expect } from 'chai';
import { TurnContext } from 'botbuilder';
import { postSignedActivity, personalBotAdded } from '../../../src/simulator/channel.js';
import type { ChannelTokenVariant } from '../../../src/simulator/botframework.js';
import type { SimUser } from '../../../src/simulator/types.js';
import { startBotSideTenant, type BotSideTenant } from './harness.js';
import { simulatorBotSettings, startBotUnderTest, type BotUnderTest } from './bot-under-test.js';

describe('botbuilder CloudAdapter from createCloudAdapter, against the simulated Teams channel and connector', () => {
  let tenant: BotSideTenant;
  let bot: BotUnderTest;
  let member: SimUser;

  before(async () => {
    tenant = await startBotSideTenant();
    bot = await startBotUnderTest(simulatorBotSettings(tenant.ctx.state, tenant.urls));
    tenant.ctx.state.botEndpoint = bot.endpoint;
    member = tenant.ctx.state.users.find((u) => u.kind === 'member')!;
  });
  after(async () => {
    await bot?.close();
    await tenant?.close();
  });

  it('accepts the installationUpdate and conversationUpdate the channel posts after an install', async () => {
    const { state } = tenant.ctx;
    const installation = state.install(member.id, state.app.id, tenant.ctx.clock.now());
    tenant.channel.installed(member, installation);
    await tenant.channel.idle();

    const mine = bot.received.filter((a) => a.from?.aadObjectId === member.id);
    expect(mine.map((a) => a.type).sort()).to.deep.equal(['conversationUpdate', 'installationUpdate']);
    const update = mine.find((a) => a.type === 'conversationUpdate')!;
    expect(update.membersAdded?.[0]?.id).to.equal(update.recipient?.id);
    expect(update.conversation?.id).to.equal(state.personalConversationFor(member.id, 0).id);
    expect(update.serviceUrl).to.equal(tenant.urls.serviceUrl);
    const delivered = state.deliveries.filter((d) => d.userId === member.id);
    expect(delivered.map((d) => [d.outcome, d.status])).to.deep.equal([
      ['delivered', 200],
      ['delivered', 200],
    ]);
    const headers = bot.requests.at(-1)!.headers;
    expect(headers['x-ms-tenant-id']).to.equal(state.tenantId);
    expect(headers['x-ms-conversation-id']).to.equal(update.conversation?.id);
  });

  it('sends a proactive message with continueConversationAsync, which the tenant records', async () => {
    const update = bot.received.find((a) => a.type === 'conversationUpdate' && a.from?.aadObjectId === member.id)!;
    const reference = TurnContext.getConversationReference(update);
    await bot.adapter.continueConversationAsync(tenant.ctx.state.clientId, reference, async (context) => {
      await context.sendActivity('Welcome to Contoso Helper!');
    });

    const inspection = (await (await fetch(tenant.urls.inspect)).json()) as { messages: { userAadObjectId: string; conversationId: string; activity: { text?: string } }[] };
    const got = inspection.messages.filter((m) => m.userAadObjectId === member.id);
    expect(got).to.have.length(1);
    expect(got[0]!.conversationId).to.equal(update.conversation?.id);
    expect(got[0]!.activity.text).to.equal('Welcome to Contoso Helper!');
    expect(tenant.ctx.state.requests['bot.activities.send']).to.deep.equal({ 201: 1 });
    expect(tenant.ctx.state.requests['botframework.token']?.[200]).to.be.greaterThan(0);
  });

  const refused: ChannelTokenVariant[] = ['forged', 'unknown-key', 'expired', 'wrong-audience', 'wrong-serviceurl', 'unendorsed', 'wrong-issuer'];
  for (const variant of refused) {
    it(`refuses a ${variant} channel token with 401, and the handler never runs`, async () => {
      const before = bot.received.length;
      const activity = personalBotAdded(tenant.ctx, member, `a:forged-${variant}`, { id: `f:${variant}`, at: tenant.ctx.clock.now() });
      const result = await postSignedActivity(tenant.ctx, activity, { endpoint: bot.endpoint, token: variant });
      expect(result.status, result.body).to.equal(401);
      expect(bot.received).to.have.length(before);
    });
  }

  it('refuses a request without a token with 401', async () => {
    const before = bot.received.length;
    const activity = personalBotAdded(tenant.ctx, member, 'a:no-token', { id: 'f:none', at: tenant.ctx.clock.now() });
    const result = await postSignedActivity(tenant.ctx, activity, { endpoint: bot.endpoint, authorization: null });
    expect(result.status).to.equal(401);
    expect(bot.received).to.have.length(before);
  });

  it('accepts a valid token for the same activity (the refusals above are about the token alone)', async () => {
    const before = bot.received.length;
    const activity = personalBotAdded(tenant.ctx, member, 'a:valid', { id: 'f:valid', at: tenant.ctx.clock.now() });
    const result = await postSignedActivity(tenant.ctx, activity, { endpoint: bot.endpoint });
    expect(result.status).to.equal(200);
    expect(bot.received).to.have.length(before + 1);
  });
});
