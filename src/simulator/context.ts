import type { KeyObject } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import type { FaultInjector } from './faults.js';
import type { ConversationWindows, Limits, ServerBucket } from './limits.js';
import type { TenantState } from './state.js';
import type { SimCloud } from './cloud.js';
import type { Installation, SimUser } from './types.js';

/** An RSA signing key with the id that goes in the JWT header and the JWKS. */
export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export interface SimUrls {
  /** HTTPS origin of the token issuer (AZURE_AUTHORITY_HOST), no trailing slash. */
  issuer: string;
  /** HTTPS Graph base, `https://127.0.0.1:PORT/` (the Graph client adds `v1.0/`). */
  graph: string;
  /** HTTP origin of the Bot Framework side (connector, OpenID metadata, inspection), no trailing slash. */
  http: string;
  /**
   * The serviceUrl the channel puts in activities: tenant-scoped by default, `http://127.0.0.1:PORT/amer/{tenantId}/`,
   * or the regional `http://127.0.0.1:PORT/amer/` (env.ts ServiceUrlForm). The connector answers under both.
   */
  serviceUrl: string;
  /** The global proactive endpoint (wire-facts B7), e.g. `http://127.0.0.1:PORT/teams/`. */
  proactiveServiceUrl: string;
  /** Bot Framework OpenID metadata (ToBotFromChannelOpenIdMetadataUrl). */
  botOpenIdMetadata: string;
  /** GET → the inspection JSON. */
  inspect: string;
}

/** What the Graph face tells the Teams channel, so that it can post install events. */
export interface ChannelHooks {
  installed(user: SimUser, installation: Installation): void;
  uninstalled(user: SimUser, installation: Installation): void;
  /** The app was upgraded (a new version in the catalogue): installationUpdate `add-upgrade` to this person. Optional for test doubles. */
  upgraded?(user: SimUser, installation: Installation): void;
}

/** Everything the simulator's parts share. Built once by server.ts. */
export interface SimContext {
  state: TenantState;
  clock: Clock;
  log: Logger;
  limits: Limits;
  buckets: {
    graphGet: ServerBucket;
    graphPost: ServerBucket;
    graphDelete: ServerBucket;
    graphDirectory: ServerBucket;
    bot: ServerBucket;
    conversations: ConversationWindows;
  };
  faults: FaultInjector;
  /** Signs access tokens for Graph and for the Bot Connector (the Entra ID side). */
  issuerKey: SigningKey;
  /** Signs the channel's tokens to the bot (the Bot Framework side; published with endorsements ["msteams"]). */
  channelKey: SigningKey;
  /** Also published by the Bot Framework side, but endorsed only for other channels (the "unendorsed token" case). */
  unendorsedKey: SigningKey;
  urls: SimUrls;
  /** Which Graph and Bot Framework this tenant's tokens are for (cloud.ts). */
  cloud: SimCloud;
  /** Delay before each install event, drawn uniformly from [min, max] ms. */
  eventDelayMs: [number, number];
  channel: ChannelHooks;
}
