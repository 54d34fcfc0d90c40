import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { CloudAdapter, TurnContext } from 'botbuilder';
import type { Activity } from 'botframework-schema';
import { createCloudAdapter } from '../../../src/bot/adapter.js';
import type { BotAuthSettings } from '../../../src/config.js';
import type { SimUrls } from '../../../src/simulator/context.js';
import type { TenantState } from '../../../src/simulator/state.js';

export interface BotUnderTest {
  endpoint: string;
  adapter: CloudAdapter;
  /** Every activity the handler ran for, in order. */
  received: Partial<Activity>[];
  /** Headers of every POST that reached /api/messages, accepted or not. */
  requests: { headers: Record<string, unknown>; status: number }[];
  close(): Promise<void>;
}

/** The settings that point botbuilder at the simulated tenant (the lead's recipe). */
export function simulatorBotSettings(state: TenantState, urls: SimUrls): BotAuthSettings {
  return {
    appId: state.clientId,
    appPassword: state.clientSecret,
    appType: 'SingleTenant',
    appTenantId: state.tenantId,
    openIdMetadataUrl: urls.botOpenIdMetadata,
    tokenIssuer: 'https://api.botframework.com',
    loginUrl: `${urls.issuer}/${state.tenantId}`,
    oauthScope: 'https://api.botframework.com',
  };
}

/** A minimal bot: botbuilder's CloudAdapter behind express on port 0, recording what its handler saw. */
export async function startBotUnderTest(settings: BotAuthSettings, onTurn?: (context: TurnContext) => Promise<void>): Promise<BotUnderTest> {
  const { adapter } = createCloudAdapter(settings);
  const received: Partial<Activity>[] = [];
  const requests: BotUnderTest['requests'] = [];
  const app = express();
  app.post('/api/messages', express.json(), async (req, res) => {
    res.on('finish', () => requests.push({ headers: { ...req.headers }, status: res.statusCode }));
    await adapter.process(req, res, async (context) => {
      received.push(context.activity);
      await onTurn?.(context);
    });
  });
  const server: Server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}/api/messages`,
    adapter,
    received,
    requests,
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}
