import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import express from 'express';
import type { ConversationReference } from 'botbuilder';
import { createCloudAdapter } from '../../../src/bot/adapter.js';
import type { Logger } from '../../../src/log.js';
import { startBotSideTenant } from './harness.js';
import { simulatorBotSettings } from './bot-under-test.js';

describe('createCloudAdapter options', () => {
  it('passes connectorClientOptions to the connector clients botbuilder makes (outbound calls carry them)', async () => {
    const tenant = await startBotSideTenant();
    const seen: Record<string, string | undefined>[] = [];
    const app = express();
    app.post('/*path', express.json(), (req, res) => {
      seen.push({ userAgent: req.headers['user-agent'], authorization: req.headers.authorization, url: req.url });
      res.status(201).json({ id: '1' });
    });
    const server = createServer(app);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const { adapter } = createCloudAdapter(simulatorBotSettings(tenant.ctx.state, tenant.urls), { connectorClientOptions: { userAgent: 'teams-rollout-test/1' } });
      const reference: Partial<ConversationReference> = {
        channelId: 'msteams',
        serviceUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/amer/`,
        conversation: { id: 'a:1', conversationType: 'personal', tenantId: tenant.ctx.state.tenantId, isGroup: false, name: '' },
        bot: { id: `28:${tenant.ctx.state.clientId}`, name: 'bot' },
      };
      await adapter.continueConversationAsync(tenant.ctx.state.clientId, reference, async (context) => {
        await context.sendActivity('hi');
      });
      expect(seen).to.have.length(1);
      expect(seen[0]!.userAgent).to.contain('teams-rollout-test/1');
      expect(seen[0]!.authorization).to.match(/^Bearer ey/);
      expect(seen[0]!.url).to.match(/^\/amer\/v3\/conversations\/a%3A1\/activities\//);
    } finally {
      server.closeAllConnections();
      server.close();
      await tenant.close();
    }
  });

  it('without an app id runs in local-emulator mode: no token needed, with a warning', async () => {
    const warnings: string[] = [];
    const log: Logger = { debug() {}, info() {}, warn: (m) => void warnings.push(m), error() {}, child: () => log };
    const { auth } = createCloudAdapter({ appType: 'MultiTenant' }, { log });
    const result = await auth.authenticateRequest({ type: 'message', channelId: 'msteams', serviceUrl: 'http://127.0.0.1:1/' } as never, '');
    // botbuilder's anonymous identity: authenticated, with no claims at all (a real token carries aud, iss…).
    expect(result.claimsIdentity.isAuthenticated).to.equal(true);
    expect(result.claimsIdentity.claims).to.deep.equal([]);
    expect(warnings.join(' ')).to.match(/local-emulator mode/);
  });
});
