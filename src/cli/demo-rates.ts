import { scaledRateEnv } from '../config.js';
import { PUBLISHED_LIMITS, type Limits } from '../simulator/limits.js';

/**
 * The rate variables for the demo's install and serve, so that they pace at the simulated tenant's
 * `--limits` (issue 11: `demo --limits x100` printed "limit 3000/s" and paced at 30/s). Each of ours
 * is scaled by the tenant's limit over the published one for its class; a class the tenant does not
 * limit (`off`) keeps our published default, since there is no limit to pace at.
 */
export function demoRateEnv(limits: Limits): Record<string, string> {
  const ours = scaledRateEnv(1);
  const classOf: Record<keyof typeof ours, keyof Limits> = {
    GRAPH_INSTALLEDAPPS_GET_RPS: 'graphGet',
    GRAPH_INSTALLEDAPPS_POST_RPS: 'graphPost',
    GRAPH_DIRECTORY_RPS: 'graphDirectory',
    BOT_SEND_RPS: 'bot',
    BOT_SEND_PER_CONVERSATION_RPS: 'botPerConversation',
  };
  const env: Record<string, string> = {};
  for (const [name, cls] of Object.entries(classOf) as [keyof typeof ours, keyof Limits][]) {
    const ratio = limits[cls] / PUBLISHED_LIMITS[cls];
    if (Number.isFinite(ratio) && ratio > 0) env[name] = String(Number(ours[name]) * ratio);
  }
  return env;
}
