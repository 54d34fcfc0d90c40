/**
 * The minimal bot endpoint of the samples (Teams-Samples graph-proactive-installation, the proactive
 * messaging sample): express + botbuilder's CloudAdapter (which checks the channel's token), one
 * handler, references kept in memory by the caller.
 */
import type { Server } from 'node:http';
import express from 'express';
import type { CloudAdapter, TurnContext } from 'botbuilder';

export async function startBotEndpoint(adapter: CloudAdapter, port: number, onTurn: (context: TurnContext) => Promise<void>): Promise<{ close(): Promise<void> }> {
  const app = express();
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.post('/api/messages', express.json(), async (req, res) => {
    await adapter.process(req, res, onTurn);
  });
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(port, '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  });
  return {
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Is this the conversationUpdate that tells a bot it was added to a personal chat? */
export function isPersonalBotAdded(context: TurnContext): boolean {
  const a = context.activity;
  return a.type === 'conversationUpdate' && a.conversation?.conversationType === 'personal' && (a.membersAdded ?? []).some((m) => m.id === a.recipient?.id);
}
