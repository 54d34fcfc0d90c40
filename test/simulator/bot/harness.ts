import type { Clock } from '../../../src/clock.js';
import type { Channel } from '../../../src/simulator/channel.js';
import type { SimContext, SimUrls } from '../../../src/simulator/context.js';
import { startTestTenant } from '../../helpers/tenant.js';

export interface HarnessOptions {
  /** @default 40 */
  users?: number;
  /** @default 'bot-side' */
  seed?: string;
  clock?: Clock;
  /** limits.ts spec, e.g. `bot=off,bot-conversation=off`. @default 'published' */
  limits?: string;
  faults?: string;
  /** @default [0, 20]: quick, and still in either order */
  eventDelayMs?: [number, number];
  /** @default 'tenant' (server.ts) */
  serviceUrl?: 'tenant' | 'regional';
}

export interface BotSideTenant {
  ctx: SimContext;
  /** The Teams channel with the extras these tests use (idle, teamInstalled); ctx.channel types only the hooks. */
  channel: Channel;
  urls: SimUrls;
  close(): Promise<void>;
}

/** The whole simulated tenant (server.ts, through test/helpers/tenant.ts), seen from the Bot Framework side. */
export async function startBotSideTenant(options: HarnessOptions = {}): Promise<BotSideTenant> {
  const tenant = await startTestTenant({
    users: options.users ?? 40,
    seed: options.seed ?? 'bot-side',
    eventDelayMs: options.eventDelayMs ?? [0, 20],
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.limits ? { limits: options.limits } : {}),
    ...(options.faults ? { faults: options.faults } : {}),
    ...(options.serviceUrl ? { serviceUrl: options.serviceUrl } : {}),
  });
  return { ctx: tenant.ctx, channel: tenant.ctx.channel as Channel, urls: tenant.urls, close: () => tenant.stop() };
}
