/**
 * The cloud the simulated tenant lives in: which resources its Entra ID issues tokens for and which
 * issuer the Teams channel signs with. Its own table, from Microsoft's pages, not from the product's
 * presets (src/cloud/presets.ts), so that a wrong preset meets a tenant that refuses it:
 * - Graph: "Microsoft Graph national cloud deployments", https://learn.microsoft.com/graph/deployments
 *   (global https://graph.microsoft.com, GCC on it too; US Government L4 https://graph.microsoft.us;
 *   L5 (DOD) https://dod-graph.microsoft.us).
 * - Bot Framework: bot-docs how-to-deploy-gov-cloud-high.md
 *   (https://learn.microsoft.com/azure/bot-service/how-to-deploy-gov-cloud-high): the channel's token
 *   issuer and the bot's OAuth scope are https://api.botframework.us in GCC High and DoD; GCC bots are public.
 */
export const SIM_CLOUDS = ['Public', 'GCC', 'GCCHigh', 'DoD'] as const;
export type SimCloudName = (typeof SIM_CLOUDS)[number];

export interface SimCloud {
  name: SimCloudName;
  /** The Graph resource: a token's `aud`, and its scope without `/.default`. */
  graphResource: string;
  /** The Bot Framework resource (bot → connector tokens' `aud`), and the issuer of the channel's tokens to the bot. */
  botFramework: string;
}

const PUBLIC_GRAPH = 'https://graph.microsoft.com';
const PUBLIC_BOT = 'https://api.botframework.com';
const US_GOV_BOT = 'https://api.botframework.us';

const TABLE: Record<SimCloudName, SimCloud> = {
  Public: { name: 'Public', graphResource: PUBLIC_GRAPH, botFramework: PUBLIC_BOT },
  GCC: { name: 'GCC', graphResource: PUBLIC_GRAPH, botFramework: PUBLIC_BOT },
  GCCHigh: { name: 'GCCHigh', graphResource: 'https://graph.microsoft.us', botFramework: US_GOV_BOT },
  DoD: { name: 'DoD', graphResource: 'https://dod-graph.microsoft.us', botFramework: US_GOV_BOT },
};

export const PUBLIC_SIM_CLOUD = TABLE.Public;

export function simCloud(name: string | undefined): SimCloud {
  if (name === undefined) return PUBLIC_SIM_CLOUD;
  const cloud = TABLE[name as SimCloudName];
  if (!cloud) throw new Error(`--cloud: expected ${SIM_CLOUDS.join(', ')}, got "${name}"`);
  return cloud;
}
