import { Agent, ProxyAgent, fetch as undiciFetch, type Dispatcher } from 'undici';
import { proxyFor, type ProxySettings } from './proxy.js';

export type Fetch = typeof globalThis.fetch;

/**
 * The one fetch every outbound call uses (Graph, Entra tokens, the Bot Connector, the bot's token:
 * issue 10 item 4). Each call goes through the proxy `proxyFor` names for its URL (undici's ProxyAgent,
 * a CONNECT tunnel for https://), or straight to its host.
 *
 * undici's own fetch, not Node's global one: Node 20's fetch ignores HTTPS_PROXY (wire-facts H7), and a
 * dispatcher from the undici package handed to Node's bundled fetch is a second copy of undici that is
 * not guaranteed to match it. EnvHttpProxyAgent would pick the same proxies, but warns on stderr
 * "EnvHttpProxyAgent is experimental" in undici 6 (lib/dispatcher/env-http-proxy-agent.js); the rule
 * lives in proxy.ts, where it is tested and where `doctor` reads it.
 */
export function createOutboundFetch(settings: ProxySettings): Fetch {
  let direct: Agent | undefined;
  const viaProxy = new Map<string, ProxyAgent>();
  const dispatcherFor = (url: string): Dispatcher => {
    const proxy = proxyFor(url, settings);
    if (!proxy) return (direct ??= new Agent());
    let agent = viaProxy.get(proxy);
    if (!agent) viaProxy.set(proxy, (agent = new ProxyAgent(proxy)));
    return agent;
  };
  const outbound = (input: string | URL | Request, init?: RequestInit) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    return undiciFetch(input as never, { ...(init as object), dispatcher: dispatcherFor(url) } as never);
  };
  return outbound as unknown as Fetch;
}
