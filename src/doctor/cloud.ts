import { botLoginUrl as presetLoginUrl, CLOUD_PRESETS } from '../cloud/presets.js';
import type { Config } from '../config.js';
import type { Check } from './run-checks.js';

/**
 * `doctor`'s line on the cloud (issue 10 item 5): TEAMS_CLOUD and every endpoint it presets, each
 * marked when its own variable overrides the preset. Pure. A cloud with known limits for a rollout
 * (GCC High and DoD: cloud/presets.ts `caveats`) is a warning, with the limit.
 */
export function cloudCheck(config: Config, botLoginUrl: string): Check {
  const preset = CLOUD_PRESETS[config.cloud];
  const b = config.bot;
  const mark = (value: string, presetValue: string, variable: string) => (value.replace(/\/$/, '') === presetValue.replace(/\/$/, '') ? value : `${value} (set by ${variable})`);
  const lines = [
    `${preset.name}: ${preset.title}`,
    `Graph ${mark(config.graph.baseUrl, preset.graphBaseUrl, 'GRAPH_BASE_URL')}, token scope ${config.graph.scope}`,
    `Entra authority ${mark(config.graph.authorityHost, preset.authorityHost, 'AZURE_AUTHORITY_HOST')}`,
    `bot token from ${mark(botLoginUrl, presetLoginUrl(preset, b.appType, b.appTenantId), 'ToChannelFromBotLoginUrl')}, scope ${mark(b.oauthScope ?? preset.botOAuthScope, preset.botOAuthScope, 'ToChannelFromBotOAuthScope')}`,
    `inbound tokens: issuer ${mark(b.tokenIssuer ?? preset.botTokenIssuer, preset.botTokenIssuer, 'ToBotFromChannelTokenIssuer')}, OpenID metadata ${mark(b.openIdMetadataUrl ?? preset.botOpenIdMetadataUrl, preset.botOpenIdMetadataUrl, 'ToBotFromChannelOpenIdMetadataUrl')}`,
    `proactive serviceUrl ${mark(config.proactiveServiceUrl, preset.proactiveServiceUrl, 'TEAMS_PROACTIVE_SERVICE_URL')} (when no activity gave the tenant's)`,
  ];
  if (!preset.caveats.length) return { name: 'cloud', ok: true, detail: lines.join('\n') };
  return { name: 'cloud', ok: 'warn', detail: [...lines, ...preset.caveats].join('\n'), fix: 'pilot with `install --limit 20` first; if Graph refuses, people can still install the app themselves and serve welcomes them' };
}
