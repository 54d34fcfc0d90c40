import type { Config } from '../config.js';
import { proxyFor, redactProxy } from '../net/proxy.js';
import type { Check } from './run-checks.js';

/**
 * `doctor`'s line on the egress proxy (issue 10 item 4): which proxy each kind of outbound call goes
 * through, by the same rule the calls follow (net/proxy.ts), and NO_PROXY as read. Pure.
 */
export function networkCheck(config: Config, botLoginUrl: string): Check {
  const { proxy } = config;
  const noProxy = proxy.noProxy ? `NO_PROXY=${proxy.noProxy}` : 'NO_PROXY unset';
  if (!proxy.https && !proxy.http) return { name: 'proxy', ok: true, detail: `none: HTTPS_PROXY and HTTP_PROXY are unset, every call goes straight to its host (${noProxy})` };
  const calls: [string, string][] = [
    ['Entra token', config.graph.authorityHost],
    ['Graph', config.graph.baseUrl],
    ['bot token', botLoginUrl],
    ['Bot Connector', config.proactiveServiceUrl],
  ];
  const lines = calls.map(([what, url]) => {
    let via: string | undefined;
    try {
      via = proxyFor(url, proxy);
    } catch {
      return `${what} ${url}: not a URL`;
    }
    return `${what} ${url} → ${via ? `via ${redactProxy(via)}` : 'direct (NO_PROXY)'}`;
  });
  const used = [...new Set([proxy.https, proxy.http].filter((p): p is string => !!p).map(redactProxy))].join(', ');
  return { name: 'proxy', ok: true, detail: [`${used} (${noProxy})`, ...lines].join('\n') };
}
